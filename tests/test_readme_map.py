"""The README's map of the folders matches the tree, and its links lead somewhere."""

import re
import subprocess

from tests.conftest import PROJECT_ROOT

README = PROJECT_ROOT / "README.md"


def map_rows():
    """folder -> description, from the table under "## The folders"."""
    text = README.read_text(encoding="utf-8")
    section = text.split("## The folders", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 2 and "`" in cells[0]:
            for folder in re.findall(r"`([^`]+)/`", cells[0]):
                rows[folder] = cells[1]
    return rows


def tracked_folders():
    listed = subprocess.run(["git", "ls-files"], cwd=PROJECT_ROOT, check=True,
                            capture_output=True, text=True).stdout.splitlines()
    return {path.split("/")[0] for path in listed
            if "/" in path and not path.startswith(".")}


def ignored(folder):
    return subprocess.run(["git", "check-ignore", "-q", f"{folder}/"],
                          cwd=PROJECT_ROOT).returncode == 0


def test_every_top_level_folder_is_in_the_map_and_every_row_is_a_folder():
    rows = map_rows()
    made_by_make = {folder for folder in rows if ignored(folder)}
    assert tracked_folders() == set(rows) - made_by_make
    assert made_by_make == {"build", "models", "results", "var"}
    assert all(rows.values())


def test_the_map_check_sees_a_folder_missing_from_it(monkeypatch):
    monkeypatch.setattr(README.__class__, "read_text",
                        lambda self, encoding=None: "## The folders\n| `core/` | x |\n")
    assert set(map_rows()) == {"core"} != tracked_folders()


def test_every_document_is_linked_from_the_readme_and_every_link_resolves():
    text = README.read_text(encoding="utf-8")
    links = {target.split("#")[0] for target in re.findall(r"\]\(([^)]+)\)", text)
             if not target.startswith("http")}
    assert all((PROJECT_ROOT / link).exists() for link in links), links
    documents = {p.relative_to(PROJECT_ROOT).as_posix()
                 for p in (PROJECT_ROOT / "docs").glob("*.md")}
    assert documents <= links, documents - links
    for document in (PROJECT_ROOT / "docs").glob("*.md"):
        for target in re.findall(r"\]\(([^)#]+)[^)]*\)", document.read_text(encoding="utf-8")):
            if not target.startswith("http"):
                assert (document.parent / target).exists(), (document.name, target)
