"""Choose the fallback threshold on the tuning questions, and report its cost.

For every question the classifier's best intent and confidence are read from the
trained model (ignoring the FallbackClassifier's own verdict). At a threshold t an
answer is "wrong and confident" when the best intent is wrong and its confidence >= t
(the family gets a wrong answer), and "lost" when it is right but below t (the family
gets a clarifying question instead).

The rule: the threshold that gives the fewest wrong-and-confident answers while losing
at most MAX_LOST (1%) of the questions to the clarifying question; a clarifying
question on an easy question is a dead end of its own, and the section accuracy
target counts it as a miss. It is applied on evaluation/tuning_questions.yml only; the
held-out questions are then reported at the configured threshold of config.yml.
Usage: python -m evaluation.tune_threshold [--model models/current.tar.gz]
"""

import argparse
import asyncio
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

import yaml

from actions.request_replies import REQUEST_TYPES
from evaluation.heldout import DEFAULT_MODEL, PROJECT_ROOT, heldout_files, load_questions

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

    @property
    def right(self) -> bool:
        return self.section == self.expected


def best_guess(parse: Dict, expected: str) -> Guess:
    if parse.get("safety_net"):
        return Guess(expected, "safeguarding", 1.0)
    ranking = [c for c in parse.get("intent_ranking", []) if c["name"] != "nlu_fallback"]
    top = ranking[0] if ranking else {"name": "none", "confidence": 0.0}
    return Guess(expected, INTENT_SECTIONS.get(top["name"], top["name"]), top["confidence"])


def rates(guesses: Sequence[Guess], threshold: float) -> Tuple[float, float]:
    """(wrong and confident, right but lost) as fractions of all questions."""
    n = max(len(guesses), 1)
    wrong = sum(not g.right and g.confidence >= threshold for g in guesses) / n
    lost = sum(g.right and g.confidence < threshold for g in guesses) / n
    return wrong, lost


def choose(
    guesses: Sequence[Guess], candidates: Sequence[float], max_lost: float = MAX_LOST
) -> float:
    """Fewest wrong-and-confident answers, losing at most `max_lost`; then lowest."""
    allowed = [t for t in candidates if rates(guesses, t)[1] <= max_lost]
    return min(allowed or [min(candidates)], key=lambda t: (rates(guesses, t)[0], t))


def configured_threshold() -> float:
    config = yaml.safe_load((PROJECT_ROOT / "config.yml").read_text())
    [fallback] = [c for c in config["pipeline"] if c["name"] == "FallbackClassifier"]
    return float(fallback["threshold"])


async def guesses_for(agent, questions: Sequence[Tuple[str, str]]) -> List[Guess]:
    return [best_guess(await agent.parse_message(text), expected) for text, expected in questions]


def main(argv: Optional[Sequence[str]] = None) -> int:
    from evaluation.heldout import load_agent

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
    candidates = [round(0.05 * i, 2) for i in range(1, 17)]
    print(f"{'threshold':>9} {'wrong+confident':>16} {'right but lost':>15}   (tuning set, {len(tuning)} questions)")
    for t in candidates:
        wrong, lost = rates(tuning, t)
        print(f"{t:>9.2f} {wrong:>16.1%} {lost:>15.1%}")
    best = choose(tuning, candidates)
    current = configured_threshold()
    wrong, lost = rates(heldout, current)
    print(f"\nChosen on the tuning set: {best:.2f}; config.yml has {current:.2f}.")
    print(
        f"Held-out ({len(heldout)} questions) at {current:.2f}: "
        f"{wrong:.1%} wrong and confident ({round(wrong * len(heldout))}), "
        f"{lost:.1%} right answers lost to the clarifying question "
        f"({round(lost * len(heldout))})."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
