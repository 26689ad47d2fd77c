"""Fault tests of the production profile (make test-prod; needs `make prod-up`).

First the edge checks (deploy/edge_check.py: what is public, what is not), then two
runs of CONVERSATIONS concurrent conversations of TURNS turns each, through nginx:
one while a Rasa replica is killed (SIGKILL) and restarted, one while Redis (the lock
store) is shut down and restarted. Half the conversations make a request through the
form, so each of them must end with one case.

The client does what a careful client does: it gives each message a message_id and, when
a turn fails (no answer, an error, an empty list), sends it again with the same id. Then
the stored data must show that nothing was lost or done twice:
- every conversation's user messages are in the tracker store exactly once, in the order
  sent, each followed by the assistant's reply;
- every turn's reply has the section that the same turn got in a calm baseline run
  (so no conversation got another's answer), and the confirmation names the case;
- every request made one case, with that conversation's own contact details.
Exit status 0 when all holds; the counts are printed either way.
"""

import argparse
import asyncio
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional

import aiohttp
from sqlalchemy import create_engine, text

from deploy import edge_check, prod

CONVERSATIONS, TURNS = 50, 10
QUESTIONS = [
    "who do you share my data with", "how long do you keep my records",
    "where did you get my information from", "what kind of information do you collect",
    "do you sell my data", "what are my rights", "is my data sent abroad",
    "who can see my childs file", "do I have to give you my information",
    "what happens to what I type here",
]
FORM = ["I want a copy of everything you hold on me", "Fault Tester {letters}",
        "fault-{run}-{n}@example.com", "Parent", "yes", "Send"]
TURN_DEADLINE_SECONDS = 120
UNSAFE_RETRIES = False  # --unsafe-retries: retry with a new message id (to see a failure)


@dataclass
class Conversation:
    sender: str
    messages: List[str]
    email: Optional[str]
    ids: List[str] = field(default_factory=list)
    replies: List[List[Dict[str, Any]]] = field(default_factory=list)
    retries: int = 0
    replayed: int = 0


def script(run: str, n: int) -> Conversation:
    """Conversation n: questions in its own order, and (every other one) a request."""
    rotated = QUESTIONS[n % len(QUESTIONS):] + QUESTIONS[:n % len(QUESTIONS)]
    if n % 2:
        return Conversation(f"fault-{run}-{n}", rotated[:TURNS], None)
    # A name has no digits (the form would ask again): 12 -> "Bc".
    letters = "".join("abcdefghij"[int(d)] for d in str(n)).capitalize()
    form = [line.format(n=n, run=run, letters=letters) for line in FORM]
    messages = rotated[:TURNS - len(form) - 1] + form + rotated[TURNS - len(form) - 1:][:1]
    return Conversation(f"fault-{run}-{n}", messages, form[2])


def sections(replies: List[Dict[str, Any]]) -> List[str]:
    return [m["custom"].get("section", "?") + (f":{m['custom']['request']}"
                                               if "request" in m["custom"] else "")
            for m in replies if isinstance(m.get("custom"), dict)]


async def send_turn(http: aiohttp.ClientSession, url: str, conversation: Conversation,
                    message: str) -> None:
    message_id = uuid.uuid4().hex
    conversation.ids.append(message_id)
    deadline = time.monotonic() + TURN_DEADLINE_SECONDS
    while True:
        if UNSAFE_RETRIES and conversation.retries:
            # What a client without message ids does; the checks must catch it.
            message_id = conversation.ids[-1] = uuid.uuid4().hex
        try:
            async with http.post(url, json={"sender": conversation.sender, "message": message,
                                            "message_id": message_id}) as response:
                if response.status == 200:
                    replies = await response.json()
                    if replies:
                        conversation.replies.append(replies)
                        conversation.replayed += response.headers.get("X-Replayed") == "true"
                        return
        except (aiohttp.ClientError, asyncio.TimeoutError):
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{conversation.sender}: no answer to a turn in "
                               f"{TURN_DEADLINE_SECONDS} s")
        conversation.retries += 1
        await asyncio.sleep(1)


async def run_conversations(url: str, conversations: List[Conversation],
                            on_progress: Callable[[int], None]) -> None:
    done = 0
    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(timeout=timeout,
                                     connector=aiohttp.TCPConnector(limit=100)) as http:
        async def talk(conversation: Conversation) -> None:
            nonlocal done
            for message in conversation.messages:
                await send_turn(http, url, conversation, message)
                done += 1
                on_progress(done)
        await asyncio.gather(*(talk(c) for c in conversations))


def baseline(url: str, run: str) -> Dict[str, List[str]]:
    """The sections each turn gets with nothing failing, one conversation at a time, by
    the turn's key (see `turn_keys`)."""
    expected: Dict[str, List[str]] = {}
    for n in (0, 1):  # one conversation with the form, one without
        conversation = script(f"{run}-calm", n)
        asyncio.run(run_conversations(url, [conversation], lambda _: None))
        for key, replies in zip(turn_keys(conversation), conversation.replies):
            expected.setdefault(key, sections(replies))
    return expected


def turn_keys(conversation: Conversation) -> List[str]:
    """A question is its own key; the form's answers (which name the conversation) are
    keyed by their place in the form."""
    keys, form_step = [], 0
    for message in conversation.messages:
        if message in QUESTIONS:
            keys.append(message)
        else:
            keys.append(f"form step {form_step}")
            form_step += 1
    return keys


class Fault:
    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.injected_at: Optional[int] = None
        self.recovered_in: Optional[float] = None

    def inject(self) -> None:
        if self.kind == "none":
            return
        values = prod.load_secrets()
        if self.kind == "replica":
            os.killpg(prod.pid_of("rasa-1"), signal.SIGKILL)
        else:
            prod.stop_redis(values["PROD_REDIS_PASSWORD"])

    def recover(self) -> None:
        if self.kind == "none":
            return
        started = time.monotonic()
        values = prod.load_secrets()
        if self.kind == "replica":
            prod.start_and_wait(prod.rasa_replica(0, prod.PROD / "endpoints.yml", prod.process_environment(
                prod.PROD / "settings.yml", values)))
        else:
            prod.start_redis(values["PROD_REDIS_PASSWORD"])
        self.recovered_in = time.monotonic() - started


def check(conversations: List[Conversation], expected: Dict[str, List[str]],
          trackers_url: str, cases_url: str) -> List[str]:
    problems = []
    trackers, cases = create_engine(trackers_url), create_engine(cases_url)
    with trackers.connect() as t, cases.connect() as c:
        for conversation in conversations:
            rows = t.execute(text("SELECT type_name, data FROM events WHERE sender_id = :s "
                                  "ORDER BY id"), {"s": conversation.sender}).all()
            turns: List[List[str]] = []
            for type_name, data in rows:
                if type_name == "user":
                    turns.append([json.loads(data).get("message_id"), 0])
                elif type_name == "bot" and turns:
                    turns[-1][1] += 1
            stored_ids = [message_id for message_id, _ in turns]
            if stored_ids != conversation.ids:
                problems.append(f"{conversation.sender}: stored messages {len(stored_ids)} "
                                f"(unique {len(set(stored_ids))}) differ from the "
                                f"{len(conversation.ids)} sent, in order")
            if any(bot_events == 0 for _, bot_events in turns):
                problems.append(f"{conversation.sender}: a stored message has no reply")
            got = [sections(r) for r in conversation.replies]
            wanted = [expected.get(key) for key in turn_keys(conversation)]
            if got != wanted:
                problems.append(f"{conversation.sender}: replies {got} differ from the "
                                f"baseline {wanted}")
            found = c.execute(text("SELECT reference, contact_detail FROM cases "
                                   "WHERE conversation_id = :s"), {"s": conversation.sender}).all()
            if conversation.email is None:
                if found:
                    problems.append(f"{conversation.sender}: {len(found)} case(s) without a request")
                continue
            if len(found) != 1 or found[0][1] != conversation.email:
                problems.append(f"{conversation.sender}: {len(found)} case(s) "
                                f"{[tuple(r) for r in found]}, wanted one for {conversation.email}")
            elif not any(found[0][0] in (m.get("text") or "")
                         for replies in conversation.replies for m in replies):
                problems.append(f"{conversation.sender}: the reference {found[0][0]} "
                                "was never shown in this conversation")
    trackers.dispose()
    cases.dispose()
    return problems


def fault_run(kind: str, url: str, expected: Dict[str, List[str]], values: Dict[str, str]) -> bool:
    run = f"{kind}-{uuid.uuid4().hex[:6]}"
    conversations = [script(run, n) for n in range(CONVERSATIONS)]
    total = CONVERSATIONS * TURNS
    fault = Fault(kind)
    loop_started = time.monotonic()

    def progress(done: int) -> None:
        if done % 50 == 0:
            print(f"    {done}/{total} turns answered", flush=True)
        if fault.injected_at is None and done >= total // 4:
            fault.injected_at = done
            print(f"    {kind}: injecting the fault after {done} turns", flush=True)
            fault.inject()
            # Recover in a thread so that the conversations keep going meanwhile.
            asyncio.get_running_loop().run_in_executor(None, lambda: (time.sleep(3),
                                                                       fault.recover()))

    print(f"  {kind}: {CONVERSATIONS} conversations x {TURNS} turns", flush=True)
    asyncio.run(run_conversations(url, conversations, progress))
    elapsed = time.monotonic() - loop_started
    problems = check(conversations, expected, prod.database_url(values, "assistant_trackers"),
                     prod.database_url(values, "assistant_cases"))
    turns = sum(len(c.replies) for c in conversations)
    cases = sum(1 for c in conversations if c.email)
    print(f"  {kind}: {turns}/{total} turns answered in {elapsed:.0f} s, "
          f"{sum(c.retries for c in conversations)} retries "
          f"({sum(c.replayed for c in conversations)} answered from the stored turn), fault after turn "
          f"{fault.injected_at}, recovered in {fault.recovered_in or 0:.1f} s; "
          f"{cases} requests; problems: {len(problems)}", flush=True)
    for problem in problems[:20]:
        print(f"    - {problem}")
    return not problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--faults", nargs="+", default=["replica", "redis"],
                        choices=["replica", "redis", "none"])
    parser.add_argument("--unsafe-retries", action="store_true",
                        help="retry a failed turn with a new message id: shows what the "
                             "checks catch when retries are not idempotent")
    args = parser.parse_args()
    global UNSAFE_RETRIES
    UNSAFE_RETRIES = args.unsafe_retries
    url = f"http://127.0.0.1:{prod.RASA_LB_PORT}/webhooks/rest/webhook"
    if not prod.healthy(f"http://127.0.0.1:{prod.RASA_LB_PORT}/webhooks/rest/"):
        print("the production profile is not up: run `make prod-up` first", file=sys.stderr)
        return 2
    values = prod.load_secrets()
    edge_closed = edge_check.main() == 0
    expected = baseline(url, uuid.uuid4().hex[:6])
    print("  baseline: " + ", ".join(f"{k!r} -> {'+'.join(v)}" for k, v in expected.items()),
          flush=True)
    results = [fault_run(kind, url, expected, values) for kind in args.faults]
    return 0 if edge_closed and all(results) else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except subprocess.CalledProcessError as error:
        print(f"fault test: {error}", file=sys.stderr)
        sys.exit(1)
