"""Train and score pipeline variants side by side: with and without the sentence
encoder, DIET against logistic regression, on the same held-out questions.

Each variant is the project's config.yml with one component swapped, trained into a
temporary folder and scored end to end like `make eval`. Prints one table.
Usage: python -m evaluation.compare_pipelines [--quick]
  --quick  skip the DIET variants (they take minutes each to train)
"""

import argparse
import sys
import tempfile
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence

import yaml

from curation.protected import heldout_files, load_questions
from evaluation.heldout import PROJECT_ROOT
from evaluation.training import train_and_score

ENCODER = "components.sentence_encoder.SentenceEncoderFeaturizer"
NEAREST = "components.nearest_examples.NearestExamplesFeaturizer"
LOGISTIC = "LogisticRegressionClassifier"
DIET = {
    "name": "DIETClassifier",
    "epochs": 100,
    "entity_recognition": False,
    "constrain_similarities": True,
    "random_seed": 42,
}


def variant(
    config: Dict[str, Any], encoder: bool, classifier: str, nearest: bool = True
) -> Dict[str, Any]:
    """config.yml with the encoder and/or nearest examples left out, or DIET in."""
    pipeline = []
    for component in config["pipeline"]:
        if component["name"] == ENCODER and not encoder:
            continue
        if component["name"] == NEAREST and not (encoder and nearest):
            continue
        if component["name"] == LOGISTIC and classifier == "DIET":
            component = DIET
        pipeline.append(component)
    return {**config, "pipeline": pipeline}


def write_config(config: Dict[str, Any], name: str, folder: Path) -> Path:
    config_file = folder / f"{name}.yml"
    config_file.write_text(yaml.safe_dump(config, sort_keys=False))
    return config_file


def worst(per_section: Dict[str, Any], count: int = 3) -> str:
    ranked = sorted(per_section.items(), key=lambda kv: kv[1][0] / kv[1][1])
    return ", ".join(f"{s} {r / t:.0%}" for s, (r, t) in ranked[:count])


def main(argv: Optional[Sequence[str]] = None) -> int:
    from processes.servers import running_action_server

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)

    base = yaml.safe_load((PROJECT_ROOT / "config.yml").read_text())
    variants = [
        ("counts + LR", dict(encoder=False, classifier="LR")),
        ("counts + MiniLM + LR", dict(encoder=True, classifier="LR", nearest=False)),
        ("counts + MiniLM + nearest + LR (default)", dict(encoder=True, classifier="LR")),
    ]
    if not args.quick:
        variants += [
            ("counts + DIET", dict(encoder=False, classifier="DIET")),
            ("counts + MiniLM + nearest + DIET", dict(encoder=True, classifier="DIET")),
        ]
    questions = [q for f in heldout_files() for q in load_questions(f)]
    rows: List[str] = []
    with tempfile.TemporaryDirectory() as tmp, running_action_server() as action_url:
        for number, (label, choice) in enumerate(variants, start=1):
            print(f"[{number}/{len(variants)}] training {label} ...", file=sys.stderr, flush=True)
            config = write_config(variant(base, **choice), f"v{number}", Path(tmp))
            seconds, score = train_and_score(config, Path(tmp), f"v{number}", questions,
                                             action_url)
            rows.append(
                f"| {label} | {score.accuracy:.1%} | {worst(score.per_section())} | "
                f"{seconds:.0f} s |"
            )
    print("| pipeline | held-out accuracy | worst sections | training time |")
    print("| --- | --- | --- | --- |")
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
