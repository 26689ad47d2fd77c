"""Screen a newly written folder of conversation sets against the training data.

    python -m evaluation.screen_sets DIR [--threshold 0.9] [--drop]

A set is worth something only if its questions are not the training examples in other
words. Every question of DIR (conversation turns that ask something, long, silent and
vocabulary items) is embedded with the MiniLM encoder and compared with every training
example in data/nlu/; one at or above --threshold is reported, and with --drop removed
from its file (for a turn, the whole conversation, since its turns depend on each other).
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


def questions_of(directory: Path) -> List[Tuple[str, str, str]]:
    """(set, item id, text) of every question in the folder."""
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


def drop(directory: Path, near: List[Tuple[str, str, str]]) -> None:
    key = {"conversations": "conversations", "long": "messages"}
    for set_name in {s for s, _, _ in near}:
        path = directory / FILES[set_name]
        head = "".join(line for line in path.read_text(encoding="utf-8").splitlines(True)
                       if line.startswith("#"))
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
    if not any((args.directory / f).exists() for f in FILES.values()):
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
