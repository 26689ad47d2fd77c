"""Question files staff give the report: CSV, TSV or YAML of question and expected section.

CSV / TSV: a header row with the columns `question` and `expected` (a section id of
SECTIONS.md, a route, or `handoff:<request>`); one question per row.
YAML: the held-out format, `questions:` mapping each expected id to a list of questions.
"""

import csv
from pathlib import Path
from typing import List, Tuple

import yaml

from core.labels import known_labels


class QuestionFileError(ValueError):
    """A question file that cannot be read, with where and why."""


def load_question_file(path: Path) -> List[Tuple[str, str]]:
    if not path.exists():
        raise QuestionFileError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix in (".yml", ".yaml"):
        pairs = _from_yaml(path)
    elif suffix in (".csv", ".tsv"):
        pairs = _from_table(path, "\t" if suffix == ".tsv" else ",")
    else:
        raise QuestionFileError(f"{path}: use a .csv, .tsv, .yml or .yaml file")
    if not pairs:
        raise QuestionFileError(f"{path}: no questions in it")
    return pairs


def _from_yaml(path: Path) -> List[Tuple[str, str]]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise QuestionFileError(f"{path}: not valid YAML ({error})") from error
    if not isinstance(data, dict) or not isinstance(data.get("questions"), dict):
        raise QuestionFileError(f"{path}: expected a `questions:` mapping of id -> list")
    known = known_labels()
    pairs = []
    for label, texts in data["questions"].items():
        if label not in known:
            raise QuestionFileError(f"{path}: unknown section or route {label!r}")
        if not isinstance(texts, list):
            raise QuestionFileError(f"{path}: {label!r} must have a list of questions")
        pairs += [(str(text), label) for text in texts if str(text).strip()]
    return pairs


def _from_table(path: Path, delimiter: str) -> List[Tuple[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=delimiter))
    if not rows:
        return []
    header = [cell.strip().lower() for cell in rows[0]]
    if "question" not in header or "expected" not in header:
        raise QuestionFileError(
            f"{path}: the first row must name the columns `question` and `expected`")
    q, e = header.index("question"), header.index("expected")
    known = known_labels()
    pairs, problems = [], []
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) <= max(q, e):
            problems.append(f"line {line}: needs both a question and an expected section")
            continue
        question, expected = row[q].strip(), row[e].strip()
        if not question:
            problems.append(f"line {line}: the question is empty")
        elif expected not in known:
            problems.append(f"line {line}: unknown section or route {expected!r}")
        else:
            pairs.append((question, expected))
    if problems:
        raise QuestionFileError(f"{path}:\n  " + "\n  ".join(problems))
    return pairs
