"""Floors that hold: a lower layer never imports a higher one (read from the imports).

From the ground up: the core (settings, the notice as data, request types); pure reading
of text; the case store, redaction and the NLU components; the Rasa actions and
channels; the web site. Tooling (evaluation, benchmarks, deploy, reports, scripts) may
import anything, and nothing that runs imports tooling or tests.
"""

import ast
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
FLOORS = [
    {"core"},
    {"conversation", "speedups"},
    {"casework", "redaction", "components"},
    {"actions", "channels"},
    {"webapp", "webchat", "officer", "workbench"},
]
TOOLING = {"evaluation", "bench", "deploy", "reporting", "scripts", "tests"}
FLOOR_OF = {package: level for level, packages in enumerate(FLOORS) for package in packages}
# Imports that break a floor today, to be moved by the one-house layout (issue 17).
# The test fails when one of them is gone, so that this list only ever shrinks.
NOT_YET_MOVED = {
    ("workbench/inspector.py", "evaluation"),
    ("workbench/inspector.py", "reporting"),
    ("workbench/reviews.py", "evaluation"),
    ("workbench/reviews.py", "reporting"),
}


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
    breaks = floor_breaks()
    assert breaks - NOT_YET_MOVED == set(), "new imports that break a floor"
    assert NOT_YET_MOVED - breaks == set(), "moved: take them off NOT_YET_MOVED"


def test_the_floor_check_sees_an_import_that_breaks_a_floor(tmp_path):
    module = tmp_path / "answers.py"
    module.write_text("from webchat.routes import app\nimport evaluation.heldout\n")
    assert set(project_imports(module)) == {"webchat", "evaluation"}
