"""Floors that hold: a lower layer never imports a higher one (read from the imports).

From the ground up: the core (settings, the notice as data, request types, the labels
of answers); pure reading of text; the case store, redaction, the NLU components and the
curation of training data; the Rasa actions and channels, and starting servers as
processes; the web site. Tooling (evaluation, benchmarks, deploy, reports, scripts) may
import anything, and nothing that runs imports tooling or tests.
"""

import ast
import json
import subprocess
import sys
from pathlib import Path

from core.settings import PROJECT_ROOT

FLOORS = [
    {"core"},
    {"conversation", "speedups"},
    {"casework", "redaction", "components", "curation"},
    {"actions", "channels", "processes"},
    {"web"},
]
TOOLING = {"evaluation", "bench", "deploy", "reporting", "scripts", "tests"}
FLOOR_OF = {package: level for level, packages in enumerate(FLOORS) for package in packages}


def project_imports(path: Path):
    """The top-level project packages a module imports."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        for name in names:
            top = name.split(".")[0]
            if top in FLOOR_OF or top in TOOLING:
                yield top


def floor_breaks():
    found = set()
    for package, level in FLOOR_OF.items():
        for path in sorted((PROJECT_ROOT / package).rglob("*.py")):
            for imported in project_imports(path):
                if imported in TOOLING or FLOOR_OF.get(imported, -1) > level:
                    found.add((path.relative_to(PROJECT_ROOT).as_posix(), imported))
    return found


def test_every_package_is_on_a_floor_or_tooling():
    folders = {p.name for p in PROJECT_ROOT.iterdir()
               if p.is_dir() and (p / "__init__.py").exists()}
    assert folders <= set(FLOOR_OF) | TOOLING, folders - set(FLOOR_OF) - TOOLING


def test_the_core_imports_nothing_of_the_project():
    imported = {i for path in (PROJECT_ROOT / "core").rglob("*.py")
                for i in project_imports(path) if i != "core"}
    assert not imported


def test_no_lower_floor_imports_a_higher_one_and_nothing_that_runs_imports_tooling():
    assert floor_breaks() == set()


def test_the_floor_check_sees_an_import_that_breaks_a_floor(tmp_path):
    module = tmp_path / "answers.py"
    module.write_text("from web.chat.routes import app\nimport evaluation.heldout\n")
    assert set(project_imports(module)) == {"web", "evaluation"}


def test_an_upward_import_is_a_break(tmp_path, monkeypatch):
    """The same check over a copy of the project with one upward import added."""
    import shutil

    for package in FLOOR_OF:
        shutil.copytree(PROJECT_ROOT / package, tmp_path / package,
                        ignore=shutil.ignore_patterns("static", "templates", "__pycache__"))
    (tmp_path / "casework" / "upward.py").write_text("from web.site import create_site\n")
    monkeypatch.setattr(sys.modules[__name__], "PROJECT_ROOT", tmp_path)
    assert floor_breaks() == {("casework/upward.py", "web")}


# What the running servers load: no tooling, no tests, and not the files of questions
# that must stay unseen (curation/protected.py, which the curation commands read).
SERVERS = ("web.site", "web.__main__", "actions.server", "channels.idempotent_rest",
           "casework.mail_worker", "casework.retention")
NEVER_LOADED = TOOLING | {"curation.protected"}


def test_the_running_servers_load_neither_tooling_nor_tests():
    probe = ("import importlib, json, sys\n"
             f"for name in {SERVERS!r}: importlib.import_module(name)\n"
             "print(json.dumps(sorted(sys.modules)))")
    loaded = json.loads(subprocess.run([sys.executable, "-c", probe], cwd=PROJECT_ROOT,
                                       check=True, capture_output=True,
                                       text=True).stdout.splitlines()[-1])
    found = {m for m in loaded if m in NEVER_LOADED or m.split(".")[0] in TOOLING}
    assert found == set()


def test_every_module_imports_and_none_edits_the_import_path():
    """Tooling runs as packages (`python -m bench.pipelines`): no sys.path edits, and every
    module of every package imports, so a move cannot leave a stale import behind."""
    modules, edits = [], []
    for init in sorted(PROJECT_ROOT.glob("*/__init__.py")):
        if init.parent.name == "tests":
            continue  # pytest imports these itself
        for path in sorted(init.parent.rglob("*.py")):
            relative = path.relative_to(PROJECT_ROOT).with_suffix("")
            modules.append(".".join(relative.parts).removesuffix(".__init__"))
            tree = ast.parse(path.read_text(encoding="utf-8"))
            edits += [f"{relative}:{node.lineno}" for node in ast.walk(tree)
                      if isinstance(node, ast.Attribute) and node.attr == "path"
                      and isinstance(node.value, ast.Name) and node.value.id == "sys"]
    assert edits == []
    probe = ("import importlib, json\nfailed = {}\n"
             f"for name in {modules!r}:\n"
             "    try:\n        importlib.import_module(name)\n"
             "    except Exception as error:\n        failed[name] = repr(error)\n"
             "print(json.dumps(failed))")
    run = subprocess.run([sys.executable, "-c", probe], cwd=PROJECT_ROOT, check=True,
                         capture_output=True, text=True)
    assert json.loads(run.stdout.splitlines()[-1]) == {}
