"""Score the assistant on whole conversations, long and compound messages, questions
the notice is silent on, and questions in other privacy policies' vocabulary.

Every turn goes to the trained assistant exactly as through the REST channel, one
conversation per sender, and is scored on what the family would get: the `custom` of the
reply (SECTIONS.md's contract) and its text. Results are reported by kind of turn.

Usage: python -m evaluation.conversation_sets [--model …] [--sets DIR] [--misses]
"""

import argparse
import asyncio
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple


from core.labels import label_of
from core.settings import PROJECT_ROOT
from curation.protected import FILES, TEST_SETS, load_set
from evaluation.heldout import DEFAULT_MODEL

# "The notice does not mention …", "… does not name …": saying plainly it is silent.
SAYS_SILENT = re.compile(
    r"\b(notice|it)\s+(does not|doesn't|do not)\s+(mention|say|name|list|give|cover)"
    r"|\bnot (mentioned|named|listed) in the notice", re.IGNORECASE)
# A yes or a no the notice does not give: the answer opens with one, or claims a listing.
FALSE_YES = re.compile(r"^\s*yes\b|\byes, (this|it) can\b", re.IGNORECASE)
FALSE_NO = re.compile(r"^\s*no\b[.,!]", re.IGNORECASE)


def alternatives(expected: Any) -> Tuple[str, ...]:
    """An expected id, or a list of ids any of which is right."""
    if isinstance(expected, (list, tuple)):
        return tuple(str(e) for e in expected)
    return (str(expected),)


@dataclass
class Turn:
    """What the assistant did with one message."""

    text: str
    messages: List[Dict[str, Any]]

    @property
    def customs(self) -> List[Dict[str, Any]]:
        return [m["custom"] for m in self.messages
                if isinstance(m.get("custom"), dict) and "section" in m["custom"]]

    @property
    def label(self) -> Optional[str]:
        customs = self.customs
        return label_of(customs[0]) if len(customs) == 1 else None

    @property
    def labels(self) -> List[str]:
        """Every part answered: `custom.sections` of a compound reply, else the one."""
        customs = self.customs
        if len(customs) != 1:
            return []
        custom = customs[0]
        parts = custom.get("sections") or [custom["section"]]
        return [f"handoff:{custom.get('request')}" if p == "handoff" else p for p in parts]

    @property
    def reply(self) -> str:
        return "\n".join(m["text"] for m in self.messages if m.get("text"))

    @property
    def asks_form_question(self) -> bool:
        """The request form's question is asked (again) in this turn."""
        return any((m.get("custom") or {}).get("asking") for m in self.messages)


@dataclass
class Result:
    set_name: str
    item: str  # conversation or message id
    kind: str
    text: str
    expected: str
    got: str
    right: bool
    why: str = ""


@dataclass
class SetScore:
    results: List[Result] = field(default_factory=list)
    # conversation id -> every turn right
    conversations: Dict[str, bool] = field(default_factory=dict)
    false_alarms: List[Result] = field(default_factory=list)
    false_yes_no: List[Result] = field(default_factory=list)

    def by_kind(self) -> Dict[Tuple[str, str], Tuple[int, int]]:
        totals: Dict[Tuple[str, str], List[int]] = defaultdict(lambda: [0, 0])
        for result in self.results:
            key = (result.set_name, result.kind)
            totals[key][0] += result.right
            totals[key][1] += 1
        return {k: (v[0], v[1]) for k, v in sorted(totals.items())}

    def rate(self, set_name: str, kinds: Optional[Iterable[str]] = None) -> float:
        wanted = set(kinds) if kinds is not None else None
        chosen = [r for r in self.results if r.set_name == set_name
                  and (wanted is None or r.kind in wanted)]
        return sum(r.right for r in chosen) / max(len(chosen), 1)

    def whole_conversations(self) -> float:
        return sum(self.conversations.values()) / max(len(self.conversations), 1)

    def table(self) -> str:
        lines = [f"{'set':<14} {'kind of turn':<16} {'right':>5} {'of':>4} {'rate':>7}"]
        for (set_name, kind), (right, total) in self.by_kind().items():
            lines.append(f"{set_name:<14} {kind:<16} {right:>5} {total:>4} "
                         f"{right / total:>7.1%}")
        conv = [r for r in self.results if r.set_name == "conversations"]
        if conv:
            right = sum(r.right for r in conv)
            lines.append(f"{'conversations':<14} {'every turn':<16} {right:>5} "
                         f"{len(conv):>4} {right / len(conv):>7.1%}")
            whole = sum(self.conversations.values())
            lines.append(f"{'conversations':<14} {'whole, all right':<16} {whole:>5} "
                         f"{len(self.conversations):>4} {self.whole_conversations():>7.1%}")
        calm = [r for r in self.results if r.set_name == "long" and r.kind in
                ("long", "compound")]
        if calm:
            lines.append(f"{'long':<14} {'false alarms':<16} {len(self.false_alarms):>5} "
                         f"{len(calm):>4}")
        silent = [r for r in self.results if r.set_name == "silent"]
        if silent:
            lines.append(f"{'silent':<14} {'false yes or no':<16} "
                         f"{len(self.false_yes_no):>5} {len(silent):>4}")
        return "\n".join(lines)

    def misses(self) -> str:
        return "\n".join(
            f"  [{r.set_name}/{r.kind}] {r.item}: expected {r.expected}, got {r.got}"
            f"{' (' + r.why + ')' if r.why else ''}: {r.text[:160]}"
            for r in self.results if not r.right)


class RestAgent:
    """A running `rasa run`'s REST channel, spoken to like an in-process agent (for the
    benchmark, which scores the stock peer the same way)."""

    def __init__(self, webhook_url: str) -> None:
        self.url = webhook_url

    async def handle_text(self, text: str, sender_id: str) -> List[Dict[str, Any]]:
        import aiohttp

        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=120)) as http:
            async with http.post(self.url, json={"sender": sender_id, "message": text}) as r:
                return await r.json() if 200 <= r.status < 300 else []


class Runner:
    """Sends turns to the agent; each conversation gets a sender of its own."""

    def __init__(self, agent: Any, prefix: str) -> None:
        self.agent = agent
        self.prefix = prefix
        self.count = 0

    def new_sender(self, item: str) -> str:
        self.count += 1
        return f"{self.prefix}-{item}-{self.count}"

    async def say(self, sender: str, text: str) -> Turn:
        messages = await self.agent.handle_text(text, sender_id=sender) or []
        return Turn(text, messages)


def _mentions_missing(turn: Turn, words: Sequence[str]) -> List[str]:
    reply = turn.reply.lower()
    return [w for w in words if str(w).lower() not in reply]


async def score_conversations(runner: Runner, conversations: Sequence[Dict[str, Any]],
                              score: SetScore) -> None:
    for conversation in conversations:
        sender = runner.new_sender(str(conversation["id"]))
        all_right = True
        for turn_spec in conversation["turns"]:
            turn = await runner.say(sender, str(turn_spec["text"]))
            expected = alternatives(turn_spec["expect"])
            right = turn.label in expected
            why = ""
            if right and turn_spec.get("reply_mentions"):
                missing = _mentions_missing(turn, turn_spec["reply_mentions"])
                if missing:
                    right, why = False, f"reply does not mention {missing}"
            if right and turn_spec.get("resumes") and not turn.asks_form_question:
                right, why = False, "the form did not ask its question again"
            all_right &= right
            score.results.append(Result(
                "conversations", str(conversation["id"]), str(turn_spec["kind"]),
                str(turn_spec["text"]), "|".join(expected), str(turn.label), right, why))
        score.conversations[str(conversation["id"])] = all_right


async def score_long(runner: Runner, messages: Sequence[Dict[str, Any]],
                     score: SetScore) -> None:
    for spec in messages:
        turn = await runner.say(runner.new_sender(str(spec["id"])), str(spec["text"]))
        parts = [alternatives(p) for p in spec["expect"]]
        kind = "disclosure" if spec.get("concern") else str(spec["kind"])
        got = turn.labels
        if spec.get("concern"):
            right = turn.label == "safeguarding"
        elif spec["kind"] == "long":
            right = turn.label in parts[0]
        else:
            right = all(any(a in got for a in part) for part in parts)
        result = Result("long", str(spec["id"]), kind, str(spec["text"]),
                        " + ".join("|".join(p) for p in parts), "+".join(got) or "none",
                        right)
        score.results.append(result)
        if not spec.get("concern") and turn.label == "safeguarding":
            score.false_alarms.append(result)


async def score_silent(runner: Runner, questions: Sequence[Dict[str, Any]],
                       score: SetScore) -> None:
    for spec in questions:
        turn = await runner.say(runner.new_sender(str(spec["id"])), str(spec["text"]))
        # The notice answer, not the route text around it.
        reply = turn.reply
        says_silent = bool(SAYS_SILENT.search(reply))
        if spec["kind"] == "silent":
            false_claim = bool(FALSE_YES.search(reply) or FALSE_NO.search(reply))
            right = says_silent and not false_claim
            why = ("gave a yes or no" if false_claim else
                   "" if says_silent else "did not say the notice is silent")
        else:
            false_claim = bool(FALSE_YES.search(reply)) or says_silent
            right = not false_claim and turn.label in alternatives(spec["closest"])
            why = ("said yes" if FALSE_YES.search(reply) else
                   "said the notice is silent" if says_silent else
                   "" if right else "another section")
        result = Result("silent", str(spec["id"]), str(spec["kind"]), str(spec["text"]),
                        "|".join(alternatives(spec["closest"])), str(turn.label), right,
                        why)
        score.results.append(result)
        if false_claim:
            score.false_yes_no.append(result)


async def score_vocabulary(runner: Runner, questions: Sequence[Dict[str, Any]],
                           score: SetScore) -> None:
    for number, spec in enumerate(questions, start=1):
        turn = await runner.say(runner.new_sender(f"v{number}"), str(spec["text"]))
        expected = alternatives(spec["expect"])
        score.results.append(Result(
            "vocabulary", f"v{number}", "silent" if spec.get("silent") else "question",
            str(spec["text"]), "|".join(expected), str(turn.label),
            turn.label in expected))


async def score_sets(agent: Any, directory: Path, prefix: str = "sets") -> SetScore:
    score = SetScore()
    runner = Runner(agent, prefix)
    await score_conversations(runner, load_set(directory, "conversations"), score)
    await score_long(runner, load_set(directory, "long"), score)
    await score_silent(runner, load_set(directory, "silent"), score)
    await score_vocabulary(runner, load_set(directory, "vocabulary"), score)
    return score


def main(argv: Optional[Sequence[str]] = None) -> int:
    from processes.servers import running_action_server
    from channels.agent import load_agent

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=DEFAULT_MODEL)
    parser.add_argument("--sets", type=Path, action="append",
                        help=f"a folder of sets (default: {TEST_SETS.relative_to(PROJECT_ROOT)})")
    parser.add_argument("--misses", action="store_true", help="list every miss")
    args = parser.parse_args(argv)
    if not args.model.exists():
        parser.error(f"no model at {args.model}: run `make train` first")
    with running_action_server() as action_url:
        agent = load_agent(args.model, action_url)
        for directory in args.sets or [TEST_SETS]:
            if not any((directory / f).exists() for f in FILES.values()):
                parser.error(f"{directory}: none of {', '.join(FILES.values())} in it")
            print(f"# {directory.relative_to(PROJECT_ROOT) if directory.is_relative_to(PROJECT_ROOT) else directory}",
                  file=sys.stderr, flush=True)
            score = asyncio.run(score_sets(agent, directory))
            print(score.table())
            if args.misses:
                print("Misses:")
                print(score.misses())
    return 0


if __name__ == "__main__":
    sys.exit(main())
