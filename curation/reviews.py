"""Review items: staff verdicts on answers, and turning approved ones into training data.

Nothing reaches the training data without a person's approval. Applying an approved
item adds its question to the right file in data/nlu/, unless it is already a training
example (reported as a duplicate), an example of another intent (a conflict), or a
held-out or tuning question (which must never be trained on).
"""

import re
from pathlib import Path
from typing import Any, Dict, List, Optional, Set, Tuple

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Engine

from core.notice import load_notice
from core.settings import PROJECT_ROOT
from casework.database import as_utc, utc_now
from casework.tables import review_items
from core.labels import known_labels

NLU = PROJECT_ROOT / "data" / "nlu"
STATUSES = ("new", "approved", "rejected", "applied", "refused")


class ReviewError(ValueError):
    pass


def fold(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def intent_for(label: str) -> Optional[str]:
    """The intent that trains a section or route; None where there is no single one."""
    if label.startswith("handoff:"):
        return f"request_{label.split(':', 1)[1]}"
    if label in ("fallback", "chitchat"):
        return None  # not one intent: "not sure" and greetings/thanks/goodbyes
    return label


def file_for(intent: str, nlu: Path = NLU) -> Path:
    if intent in load_notice().sections:
        return nlu / "sections" / f"{intent}.yml"
    if intent.startswith("request_"):
        return nlu / "requests" / f"{intent}.yml"
    return {"rights": nlu / "rights.yml", "safeguarding": nlu / "safeguarding.yml",
            "chat_privacy": nlu / "chat_privacy.yml",
            "out_of_scope": nlu / "out_of_scope.yml"}[intent]


def examples_of(block: Dict) -> List[str]:
    """The example texts of one block of a Rasa NLU file (`- text` lines)."""
    return [line.strip()[2:].strip() for line in str(block.get("examples", "")).splitlines()
            if line.strip().startswith("- ")]


def training_examples(nlu: Path = NLU) -> Dict[str, str]:
    """Folded example text -> its intent, over every file in data/nlu/."""
    import yaml

    examples: Dict[str, str] = {}
    for path in sorted(nlu.rglob("*.yml")):
        for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu", []):
            if "intent" in block:
                for text in examples_of(block):
                    examples.setdefault(fold(text), block["intent"])
    return examples


def add_example(path: Path, intent: str, text: str) -> None:
    """Insert `- text` after the last example of the intent's block, keeping the file's
    layout and comments."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if line.strip() == f"- intent: {intent}"),
                 None)
    if start is None:
        raise ReviewError(f"{path} has no block for intent {intent}")
    last = start
    for i in range(start + 1, len(lines)):
        if lines[i].startswith("- "):
            break  # the next block
        if lines[i].strip().startswith("- "):
            last = i
    indent = re.match(r"\s*", lines[last]).group(0) if last > start else "    "
    if not lines[last].endswith("\n"):
        lines[last] += "\n"
    lines.insert(last + 1, f"{indent}- {' '.join(text.split())}\n")
    path.write_text("".join(lines), encoding="utf-8")


def judge(item: Dict[str, Any], known: Dict[str, str], protected: Set[str]
          ) -> Tuple[str, str, Optional[str]]:
    """What applying the item does: (outcome, status, intent); status "add" means it
    would be added (the caller adds it), "applied" or "refused" that it would not."""
    folded = fold(item["question"])
    intent = intent_for(item["expected"])
    if intent is None:
        return (f"not added: {item['expected']} is not a single intent; add it by hand",
                "refused", None)
    if folded in protected:
        return ("not added: it is a held-out or tuning question, which must never be "
                "trained on", "refused", intent)
    if folded in known and known[folded] == intent:
        return f"already an example of {intent} (duplicate)", "applied", intent
    if folded in known:
        return f"not added: conflict, already an example of {known[folded]}", "refused", intent
    return f"would be added as an example of {intent}", "add", intent


class Reviews:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def add(self, question: str, answered: Optional[str], intent: Optional[str],
            confidence: Optional[float], verdict: str, expected: Optional[str],
            staff_member: str) -> Dict[str, Any]:
        question = " ".join((question or "").split())
        if not question or len(question) > 500:
            raise ReviewError("the question must have 1 to 500 characters")
        if verdict not in ("right", "wrong"):
            raise ReviewError("the verdict is right or wrong")
        expected = answered if verdict == "right" else expected
        if expected not in known_labels():
            raise ReviewError("choose the section the answer should have come from")
        if verdict == "wrong" and expected == answered:
            raise ReviewError("a wrong answer needs a different section")
        with self.engine.begin() as conn:
            item_id = conn.execute(insert(review_items).values(
                question=question, answered=answered, intent=intent, confidence=confidence,
                verdict=verdict, expected=expected, staff_member=staff_member,
                status="new", created_at=utc_now())).inserted_primary_key[0]
        return self.get(item_id)

    def get(self, item_id: int) -> Dict[str, Any]:
        with self.engine.connect() as conn:
            row = conn.execute(select(review_items).where(review_items.c.id == item_id)).first()
        if row is None:
            raise ReviewError(f"no review item {item_id}")
        return _item(row)

    def list(self, status: Optional[str] = None) -> List[Dict[str, Any]]:
        query = select(review_items).order_by(review_items.c.id)
        if status:
            if status not in STATUSES:
                raise ReviewError(f"status is one of {', '.join(STATUSES)}")
            query = query.where(review_items.c.status == status)
        with self.engine.connect() as conn:
            return [_item(row) for row in conn.execute(query)]

    def decide(self, item_id: int, approve: bool) -> Dict[str, Any]:
        item = self.get(item_id)
        if item["status"] != "new":
            raise ReviewError(f"item {item_id} is already {item['status']}")
        self._set(item_id, "approved" if approve else "rejected", None)
        return self.get(item_id)

    def apply(self, protected: Set[str], nlu: Path = NLU) -> List[str]:
        """Add every approved item to the training data, unless its folded text is one of
        `protected` (curation/protected.py); one line of outcome per item."""
        known = training_examples(nlu)
        lines = []
        for item in self.list("approved"):
            outcome, status, intent = judge(item, known, protected)
            if status == "add":
                path = file_for(intent, nlu)
                add_example(path, intent, item["question"])
                known[fold(item["question"])] = intent
                outcome, status = (f"added to {path.relative_to(nlu.parent.parent)} "
                                   f"as {intent}"), "applied"
            self._set(item["id"], status, outcome)
            lines.append(f"#{item['id']} {item['question']!r}: {outcome}")
        return lines

    def preview(self, protected: Set[str], nlu: Path = NLU) -> Dict[int, str]:
        """What applying would do with each item not yet decided or applied: the
        duplicates and conflicts shown before anybody approves."""
        known = training_examples(nlu)
        return {item["id"]: judge(item, known, protected)[0]
                for item in self.list() if item["status"] in ("new", "approved")}

    def _set(self, item_id: int, status: str, outcome: Optional[str]) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(review_items).where(review_items.c.id == item_id)
                         .values(status=status, outcome=outcome, decided_at=utc_now()))


def _item(row: Any) -> Dict[str, Any]:
    item = dict(row._mapping)
    for key in ("created_at", "decided_at"):
        item[key] = as_utc(item[key]).isoformat() if item[key] else None
    return item
