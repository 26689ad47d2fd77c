"""What the redacting tracker store costs per save: the old way (copy and redact the whole
conversation) against the way it works now (copy and redact only the events the save
adds), on synthetic conversations of 1, 10 and 30 turns. Prints figures; no pass or fail.
Usage: python -m bench.redaction_save
"""

import time

from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from redaction.tracker_store import redacted_events

SAVES = 200


def turn(number: int) -> list:
    """The events of one answered question, about the size of the assistant's own."""
    ranking = [{"name": f"intent_{k}", "confidence": 0.1} for k in range(10)]
    return [
        UserUttered(f"question {number}: how long do you keep my son's file, we live at NR2 4AB",
                    parse_data={"text": "", "intent": ranking[0], "intent_ranking": ranking,
                                "entities": []}),
        ActionExecuted("action_answer"),
        BotUttered("We keep records for as long as the law says. " * 5,
                   data={"custom": {"section": "retention", "quote": "x" * 300}}),
        BotUttered("Source: How long will we keep your personal information for",
                   data={"buttons": [{"title": "Show the exact wording", "payload": "/w"}]}),
        SlotSet("last_section", "retention"),
        ActionExecuted("action_listen"),
    ]


def whole_conversation(tracker: DialogueStateTracker) -> list:
    """Before 26 November 2026 every save deep-copied the tracker and redacted every
    event; copying and redacting every event is a lower bound of that (the slots and
    the rest of the tracker were copied too)."""
    return redacted_events(tracker.events, 0)


def per_save_ms(work) -> float:
    started = time.perf_counter()
    for _ in range(SAVES):
        work()
    return (time.perf_counter() - started) / SAVES * 1000


def main() -> None:
    added = len(turn(0))
    print(f"{'conversation':<24} {'whole conversation':>20} {'new events only':>17}")
    for turns in (1, 10, 30):
        events = [event for number in range(turns) for event in turn(number)]
        tracker = DialogueStateTracker.from_events("bench", events)
        whole_conversation(tracker)  # warms the redaction cache, as a running server has
        old = per_save_ms(lambda: whole_conversation(tracker))
        new = per_save_ms(lambda: redacted_events(tracker.events, len(events) - added))
        print(f"{turns:>2} turns ({len(events):>3} events) {old:>17.2f} ms {new:>14.2f} ms")


if __name__ == "__main__":
    main()
