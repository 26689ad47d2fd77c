"""Score the trained assistant on held-out questions, end to end.

Each question goes to the assistant as a new conversation, exactly as through the REST
channel; the section is the `custom.section` of the reply (SECTIONS.md's contract).
Usage: python -m evaluation.heldout [--model models/current.tar.gz] [QUESTIONS.yml ...]
"""

import argparse
import asyncio
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple


from channels.agent import load_agent
from core.labels import sections_of
from core.settings import PROJECT_ROOT
from curation.protected import heldout_files, load_questions

DEFAULT_MODEL = PROJECT_ROOT / "models" / "current.tar.gz"


def route_of(label: Optional[str]) -> Optional[str]:
    return label.split(":")[0] if label else label


@dataclass
class Outcome:
    text: str
    expected: str
    answered: Optional[str]
    sections: List[str]
    reply: str = ""  # what the family read, all messages of the turn

    @property
    def correct(self) -> bool:
        return self.answered == self.expected


@dataclass
class Score:
    outcomes: List[Outcome] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return sum(o.correct for o in self.outcomes) / max(len(self.outcomes), 1)

    def per_section(self) -> Dict[str, Tuple[int, int]]:
        totals: Dict[str, List[int]] = defaultdict(lambda: [0, 0])
        for outcome in self.outcomes:
            totals[outcome.expected][0] += outcome.correct
            totals[outcome.expected][1] += 1
        return {k: (v[0], v[1]) for k, v in sorted(totals.items())}

    def per_route(self) -> Dict[str, Tuple[int, int]]:
        """Like per_section, but every `handoff:<request>` counts as the handoff route."""
        totals: Dict[str, List[int]] = defaultdict(lambda: [0, 0])
        for outcome in self.outcomes:
            expected = route_of(outcome.expected)
            totals[expected][0] += route_of(outcome.answered) == expected
            totals[expected][1] += 1
        return {k: (v[0], v[1]) for k, v in sorted(totals.items())}

    def request_types(self) -> Tuple[int, int]:
        """(right, of) among requests that reached the handoff: was the type right?"""
        handed = [o for o in self.outcomes
                  if route_of(o.expected) == "handoff" == route_of(o.answered)]
        return sum(o.correct for o in handed), len(handed)

    def contract_breaches(self) -> List[Outcome]:
        """Turns without exactly one `custom.section`."""
        return [o for o in self.outcomes if len(o.sections) != 1]

    def table(self) -> str:
        lines = [f"{'section':<22} {'right':>5} {'of':>4} {'accuracy':>9}"]
        for section, (right, total) in self.per_section().items():
            lines.append(f"{section:<22} {right:>5} {total:>4} {right / total:>9.1%}")
        right = sum(o.correct for o in self.outcomes)
        lines.append(
            f"{'ALL':<22} {right:>5} {len(self.outcomes):>4} {self.accuracy:>9.1%}"
        )
        routes = self.per_route()
        if "handoff" in routes:
            right, total = routes["handoff"]
            lines.append(f"{'handoff (any request)':<22} {right:>5} {total:>4} "
                         f"{right / total:>9.1%}")
            right, total = self.request_types()
            lines.append(f"{'  right request type':<22} {right:>5} {total:>4} "
                         f"{right / max(total, 1):>9.1%}")
        return "\n".join(lines)

    def misses(self) -> str:
        return "\n".join(
            f"  {o.expected} -> {o.answered}: {o.text}"
            for o in self.outcomes
            if not o.correct
        )


async def score_agent(
    agent: Any, questions: Sequence[Tuple[str, str]], show_progress: bool = False,
    on_each: Optional[Any] = None,
) -> Score:
    """Ask every question as a new conversation; `on_each()` is called after each."""
    score = Score()
    for number, (text, expected) in enumerate(questions, start=1):
        messages = await agent.handle_text(text, sender_id=f"heldout-{number}") or []
        sections = sections_of(messages)
        answered = sections[0] if len(sections) == 1 else None
        reply = "\n".join(m["text"] for m in messages if m.get("text"))
        score.outcomes.append(Outcome(text, expected, answered, sections, reply))
        if on_each:
            on_each()
        if show_progress and (number % 25 == 0 or number == len(questions)):
            print(f"  scored {number}/{len(questions)}", file=sys.stderr, flush=True)
    return score


def main(argv: Optional[Sequence[str]] = None) -> int:
    from processes.servers import running_action_server

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=DEFAULT_MODEL)
    parser.add_argument("--misses", action="store_true", help="list every miss")
    parser.add_argument("files", nargs="*", type=Path)
    args = parser.parse_args(argv)
    if not args.model.exists():
        parser.error(f"no model at {args.model}: run `make train` first")
    questions = [q for f in (args.files or heldout_files()) for q in load_questions(f)]
    with running_action_server() as action_url:
        agent = load_agent(args.model, action_url)
        score = asyncio.run(score_agent(agent, questions, show_progress=True))
    print(score.table())
    if args.misses:
        print("Misses (expected -> answered):")
        print(score.misses())
    return 0


if __name__ == "__main__":
    sys.exit(main())
