"""Add new training examples written elsewhere (by a helper, a colleague) to data/nlu/,
keeping the held-out questions unseen.

    python -m curation.screen STAGING_DIR [--apply]

STAGING_DIR holds Rasa NLU files, one intent each. An example is left out when it is
already a training example (of any intent), when it is a protected question (held-out,
tuning or disclosure), or when it is a near-paraphrase of one: cosine similarity of their
MiniLM embeddings at or above --threshold (0.85). Without --apply it only reports.
"""

import argparse
import sys
from collections import Counter
from pathlib import Path

import yaml

from components.minilm import MiniLMEncoder
from core.settings import PROJECT_ROOT
from curation.protected import protected_texts
from curation.reviews import add_example, examples_of, fold


def training_files():
    """intent -> (file, folded examples) for every intent in data/nlu/."""
    files, seen = {}, set()
    for path in sorted((PROJECT_ROOT / "data" / "nlu").rglob("*.yml")):
        for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []):
            if "intent" in block:
                files[block["intent"]] = path
                seen |= {fold(text) for text in examples_of(block)}
    return files, seen


def staged_examples(folder: Path):
    for path in sorted(folder.glob("*.yml")):
        for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []):
            for text in examples_of(block):
                yield block["intent"], text


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("staging", type=Path)
    parser.add_argument("--threshold", type=float, default=0.85)
    parser.add_argument("--apply", action="store_true")
    args = parser.parse_args()

    files, seen = training_files()
    candidates = list(staged_examples(args.staging))
    unknown = sorted({intent for intent, _ in candidates if intent not in files})
    if unknown:
        print(f"no training file has the intent(s) {', '.join(unknown)}", file=sys.stderr)
        return 2
    protected = protected_texts()
    protected_folded = {fold(t) for t in protected}
    encoder = MiniLMEncoder(blas_threads=None)
    print(f"embedding {len(protected)} protected questions and {len(candidates)} candidates…",
          flush=True)
    similarity = encoder.encode([t for _, t in candidates]) @ encoder.encode(protected).T
    nearest = similarity.max(axis=1)

    kept, dropped = [], Counter()
    for (intent, text), closest in zip(candidates, nearest):
        key = fold(text)
        if key in seen:
            dropped["already a training example"] += 1
        elif key in protected_folded:
            dropped["a protected question"] += 1
        elif closest >= args.threshold:
            dropped[f"near a protected question (cosine >= {args.threshold})"] += 1
        else:
            kept.append((intent, text))
            seen.add(key)
    print(f"{len(kept)} of {len(candidates)} kept; left out: "
          + (", ".join(f"{n} {why}" for why, n in dropped.items()) or "none"))
    print("kept per intent: " + ", ".join(f"{i} {n}" for i, n in
                                           sorted(Counter(i for i, _ in kept).items())))
    print(f"highest similarity of a kept example to a protected question: "
          f"{max((c for c, k in zip(nearest, candidates) if k in kept), default=float('nan')):.3f}")
    if args.apply:
        for intent, text in kept:
            add_example(files[intent], intent, text)
        print(f"added to {len({files[i] for i, _ in kept})} files in data/nlu/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
