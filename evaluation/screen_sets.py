"""Screen a newly written folder of conversation sets, or a disclosure set, against the
training data.

    python -m evaluation.screen_sets DIR|SET.yml [--threshold 0.9] [--drop]

A set is worth something only if its questions are not the training examples in other
words. Every question of DIR (conversation turns that ask something, long, silent and
vocabulary items; or a disclosure set's disclosures and near misses) is embedded with the
MiniLM encoder and compared with every training example in data/nlu/; one at or above
--threshold is reported, and with --drop removed from its file (for a turn, the whole
conversation, since its turns depend on each other).
"""

import argparse
import sys
from pathlib import Path
from typing import List, Tuple

import yaml

from curation.protected import FILES, load_set

# A follow-up of a few words ("for how long?", "and the GP?") is a cue that every
# conversation shares, not a question that could have been copied: it is not screened.
CUE_WORDS = 4
ASKING_KINDS = ("first", "follow_up", "switch", "form_question", "after_case", "disclosure")


DISCLOSURE_KEYS = ("disclosures", "near_misses")


def questions_of(directory: Path) -> List[Tuple[str, str, str]]:
    """(set, item id, text) of every question in the folder, or in a disclosure set."""
    if directory.is_file():
        data = yaml.safe_load(directory.read_text(encoding="utf-8")) or {}
        return [(key, f"{key[0]}{number}", str(item["text"])) for key in DISCLOSURE_KEYS
                for number, item in enumerate(data.get(key) or [], start=1)]
    found = []
    for conversation in load_set(directory, "conversations"):
        found += [("conversations", str(conversation["id"]), str(t["text"]))
                  for t in conversation["turns"] if t.get("kind") in ASKING_KINDS
                  and not (t.get("kind") == "follow_up"
                           and len(str(t["text"]).split()) <= CUE_WORDS)]
    for item in load_set(directory, "long"):
        found.append(("long", str(item["id"]), str(item["text"])))
    for item in load_set(directory, "silent"):
        found.append(("silent", str(item["id"]), str(item["text"])))
    for number, item in enumerate(load_set(directory, "vocabulary"), start=1):
        found.append(("vocabulary", str(item.get("id", f"v{number}")), str(item["text"])))
    return found


def _head(path: Path) -> str:
    """The file's comment lines (who wrote it and when), kept when items are dropped."""
    return "".join(line for line in path.read_text(encoding="utf-8").splitlines(True)
                   if line.startswith("#"))


def drop_disclosures(path: Path, near: List[Tuple[str, str, str]]) -> None:
    head, data = _head(path), yaml.safe_load(path.read_text(encoding="utf-8"))
    texts = {t for _, _, t in near}
    for key in DISCLOSURE_KEYS:
        data[key] = [i for i in data.get(key) or [] if str(i["text"]) not in texts]
    path.write_text(head + yaml.safe_dump(data, allow_unicode=True, sort_keys=False,
                                          width=100), encoding="utf-8")
    print(f"{path}: {len(near)} left out, "
          + ", ".join(f"{len(data[k])} {k}" for k in DISCLOSURE_KEYS) + " kept")


def drop(directory: Path, near: List[Tuple[str, str, str]]) -> None:
    if directory.is_file():
        return drop_disclosures(directory, near)
    key = {"conversations": "conversations", "long": "messages"}
    for set_name in {s for s, _, _ in near}:
        path = directory / FILES[set_name]
        head = _head(path)
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        items = data[key.get(set_name, "questions")]
        texts = {t for s, _, t in near if s == set_name}
        ids = {i for s, i, _ in near if s == set_name}
        if set_name == "conversations":
            kept = [c for c in items if str(c["id"]) not in ids]
        else:
            kept = [q for q in items if str(q["text"]) not in texts]
        data[key.get(set_name, "questions")] = kept
        path.write_text(head + yaml.safe_dump(data, allow_unicode=True, sort_keys=False,
                                              width=100), encoding="utf-8")
        print(f"{path}: {len(items) - len(kept)} left out, {len(kept)} kept")


def main() -> int:
    from components.minilm import MiniLMEncoder
    from curation.reviews import training_examples

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--threshold", type=float, default=0.9)
    parser.add_argument("--drop", action="store_true", help="remove the near-copies")
    args = parser.parse_args()
    if args.directory.is_file():
        data = yaml.safe_load(args.directory.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or not any(k in data for k in DISCLOSURE_KEYS):
            parser.error(f"{args.directory}: not a disclosure set "
                         f"(no {' or '.join(DISCLOSURE_KEYS)})")
    elif not any((args.directory / f).exists() for f in FILES.values()):
        parser.error(f"{args.directory}: none of {', '.join(FILES.values())} in it")

    questions = questions_of(args.directory)
    examples = sorted(training_examples())
    print(f"embedding {len(questions)} questions and {len(examples)} training examples…",
          flush=True)
    encoder = MiniLMEncoder(blas_threads=None)
    similarity = encoder.encode([t for _, _, t in questions]) @ encoder.encode(examples).T
    near = []
    for (set_name, item, text), row in zip(questions, similarity):
        best = int(row.argmax())
        if row[best] >= args.threshold:
            near.append((set_name, item, text))
            print(f"  {set_name} {item} ({row[best]:.3f}): {text[:90]!r} ~ {examples[best][:90]!r}")
    print(f"{len(near)} of {len(questions)} at or above {args.threshold}; highest of the "
          f"rest {max((r.max() for r, q in zip(similarity, questions) if q not in near), default=0):.3f}")
    if args.drop and near:
        drop(args.directory, near)
    return 0


if __name__ == "__main__":
    sys.exit(main())
