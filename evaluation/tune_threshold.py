"""Choose the fallback thresholds on the tuning questions, and report their cost.

For every question the classifier's best intent, its confidence and its margin over the
second intent are read from the trained model (ignoring the FallbackClassifier's own
verdict). Rasa's FallbackClassifier asks a clarifying question when the confidence is
below `threshold` or the margin below `ambiguity_threshold`. An answer is "wrong and
confident" when the best intent is wrong and neither test stops it (the family gets a
wrong answer), and "lost" when it is right but stopped (the family gets the clarifying
question, with the likely topics as buttons, instead).

The rule: the pair of thresholds that gives the fewest wrong-and-confident answers while
losing at most MAX_LOST (1%) of the questions to the clarifying question; a clarifying
question on an easy question is a dead end of its own, and the section accuracy target
counts it as a miss. Ties go to fewer lost answers, then to the more cautious pair
(the higher threshold, then the higher ambiguity threshold): on equal tuning results,
caution costs nothing measured and guards unseen questions. It is applied on
evaluation/tuning_questions.yml only; the held-out questions are then reported at the
thresholds configured in config.yml.
Usage: python -m evaluation.tune_threshold [--model models/current.tar.gz]
"""

import argparse
import asyncio
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

import yaml

from core.request_types import REQUEST_TYPES
from curation.protected import heldout_files, load_questions
from evaluation.heldout import DEFAULT_MODEL, PROJECT_ROOT

TUNING_FILE = PROJECT_ROOT / "evaluation" / "tuning_questions.yml"
MAX_LOST = 0.01
# Intents whose reply is not named after them (see data/rules/).
INTENT_SECTIONS = {
    "greet": "chitchat",
    "goodbye": "chitchat",
    "thanks": "chitchat",
    "bot_challenge": "chitchat",
}
INTENT_SECTIONS.update({f"request_{kind}": f"handoff:{kind}" for kind in REQUEST_TYPES})


@dataclass
class Guess:
    expected: str
    section: str
    confidence: float
    margin: float = 1.0  # over the second intent

    @property
    def right(self) -> bool:
        return self.section == self.expected


def best_guess(parse: Dict, expected: str) -> Guess:
    if parse.get("safety_net"):
        return Guess(expected, "safeguarding", 1.0)
    ranking = [c for c in parse.get("intent_ranking", []) if c["name"] != "nlu_fallback"]
    top = ranking[0] if ranking else {"name": "none", "confidence": 0.0}
    margin = top["confidence"] - (ranking[1]["confidence"] if len(ranking) > 1 else 0.0)
    return Guess(expected, INTENT_SECTIONS.get(top["name"], top["name"]), top["confidence"],
                 margin)


Thresholds = Tuple[float, float]  # (threshold, ambiguity_threshold)


def rates(guesses: Sequence[Guess], threshold: float,
          ambiguity: float = 0.0) -> Tuple[float, float]:
    """(wrong and confident, right but lost) as fractions of all questions."""
    n = max(len(guesses), 1)

    def answered(g: Guess) -> bool:
        return g.confidence >= threshold and g.margin >= ambiguity

    wrong = sum(not g.right and answered(g) for g in guesses) / n
    lost = sum(g.right and not answered(g) for g in guesses) / n
    return wrong, lost


def choose(
    guesses: Sequence[Guess], candidates: Sequence[Thresholds], max_lost: float = MAX_LOST
) -> Thresholds:
    """Fewest wrong-and-confident answers, losing at most `max_lost`; then fewest lost;
    then the most cautious."""
    allowed = [c for c in candidates if rates(guesses, *c)[1] <= max_lost]
    return min(allowed or [min(candidates)],
               key=lambda c: (*rates(guesses, *c), -c[0], -c[1]))


def configured_thresholds() -> Thresholds:
    config = yaml.safe_load((PROJECT_ROOT / "config.yml").read_text())
    [fallback] = [c for c in config["pipeline"] if c["name"] == "FallbackClassifier"]
    return float(fallback["threshold"]), float(fallback.get("ambiguity_threshold", 0.1))


async def guesses_for(agent, questions: Sequence[Tuple[str, str]]) -> List[Guess]:
    return [best_guess(await agent.parse_message(text), expected) for text, expected in questions]


def main(argv: Optional[Sequence[str]] = None) -> int:
    from channels.agent import load_agent

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=DEFAULT_MODEL)
    args = parser.parse_args(argv)
    if not args.model.exists():
        parser.error(f"no model at {args.model}: run `make train` first")

    agent = load_agent(args.model)
    tuning = asyncio.run(guesses_for(agent, load_questions(TUNING_FILE)))
    heldout = asyncio.run(
        guesses_for(agent, [q for f in heldout_files() for q in load_questions(f)])
    )
    thresholds = [round(0.05 * i, 2) for i in range(1, 17)]
    ambiguities = [round(0.05 * i, 2) for i in range(0, 7)]
    print(f"Tuning set, {len(tuning)} questions: wrong and confident / right but lost, "
          "by threshold (rows) and ambiguity_threshold (columns)")
    print(f"{'':>9} " + " ".join(f"{a:>13.2f}" for a in ambiguities))
    for t in thresholds:
        print(f"{t:>9.2f} " + " ".join(
            "{:>13}".format("{:.1%}/{:.1%}".format(*rates(tuning, t, a))) for a in ambiguities))
    best = choose(tuning, [(t, a) for t in thresholds for a in ambiguities])
    current = configured_thresholds()
    wrong, lost = rates(heldout, *current)
    print(f"\nChosen on the tuning set: threshold {best[0]:.2f}, ambiguity_threshold "
          f"{best[1]:.2f}; config.yml has {current[0]:.2f}, {current[1]:.2f}.")
    print(
        f"Held-out ({len(heldout)} questions) at {current[0]:.2f}, {current[1]:.2f}: "
        f"{wrong:.1%} wrong and confident ({round(wrong * len(heldout))}), "
        f"{lost:.1%} right answers lost to the clarifying question "
        f"({round(lost * len(heldout))})."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
