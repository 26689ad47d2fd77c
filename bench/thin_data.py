"""Accuracy when training data is thin: the regime the encoder was brought in for.

Issue 4 measured the encoder's gain with 750 training examples; the project now has over
4,000, and with that much data stock Rasa closes most of the gap. So `make bench` also
trains both pipelines on the same seeded sample of N examples per intent (rules, stories
and the domain unchanged) and scores both on the same held-out questions.
"""

import random
import shutil
from pathlib import Path
from typing import Dict, Sequence, Tuple

import yaml

from core.settings import PROJECT_ROOT
from curation.reviews import examples_of
from evaluation.training import train_and_score

SEED = 42


def write_thin_data(destination: Path, per_intent: int, seed: int = SEED) -> int:
    """Copy data/ to `destination`, keeping `per_intent` examples of each intent, drawn
    with a fixed seed; returns how many examples were kept."""
    shutil.copytree(PROJECT_ROOT / "data", destination)
    rng = random.Random(seed)
    kept = 0
    for path in sorted(destination.rglob("*.yml")):
        content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if not isinstance(content, dict) or "nlu" not in content:
            continue
        for block in content["nlu"]:
            if "intent" not in block:
                continue
            examples = examples_of(block)
            chosen = rng.sample(examples, min(per_intent, len(examples)))
            kept += len(chosen)
            block["examples"] = "".join(f"- {text}\n" for text in chosen)
        path.write_text(yaml.safe_dump(content, sort_keys=False, allow_unicode=True,
                                       width=1000), encoding="utf-8")
    return kept


def thin_accuracy(configs: Dict[str, Path], questions: Sequence[Tuple[str, str]],
                  per_intent: int, folder: Path, action_url: str) -> Tuple[int, Dict[str, float]]:
    """(examples kept, {pipeline name: held-out accuracy}) with thin training data."""
    data = folder / "thin-data"
    kept = write_thin_data(data, per_intent)
    accuracies = {}
    for number, (name, config) in enumerate(configs.items()):
        print(f"  {name}: training on {kept} examples ({per_intent} per intent)…", flush=True)
        _, score = train_and_score(config, folder, f"thin-{number}", questions, action_url,
                                   data=data)
        accuracies[name] = score.accuracy
    return kept, accuracies
