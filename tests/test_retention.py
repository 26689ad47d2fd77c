"""Retention with a controllable clock: old conversations and closed cases go, nothing else."""

import json
from datetime import datetime, timedelta, timezone

from sqlalchemy import create_engine, text

from core.settings import load_settings
from casework.pending import PendingAnswers
from casework.retention import apply_retention
from processes.servers import free_port
from tests.casework_support import new_case, store_in

NOW = datetime(2027, 6, 1, 12, 0, tzinfo=timezone.utc)


def tracker_db(tmp_path, conversations):
    """A tracker store with Rasa's events table: {sender: [timestamps]}."""
    engine = create_engine(f"sqlite:///{tmp_path / 'trackers.sqlite3'}", future=True)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id TEXT, "
                          "type_name TEXT, timestamp REAL, intent_name TEXT, "
                          "action_name TEXT, data TEXT)"))
        for sender, stamps in conversations.items():
            for stamp in stamps:
                conn.execute(text("INSERT INTO events (sender_id, type_name, timestamp, data) "
                                  "VALUES (:s, 'user', :t, :d)"),
                             {"s": sender, "t": stamp.timestamp(), "d": json.dumps({})})
    return engine


def senders(engine):
    with engine.connect() as conn:
        return {row[0] for row in conn.execute(text("SELECT DISTINCT sender_id FROM events"))}


def test_conversations_and_closed_cases_go_after_their_time(tmp_path):
    settings = load_settings()
    days = settings["retention"]
    trackers = tracker_db(tmp_path, {
        "old": [NOW - timedelta(days=days["conversations_days"] + 5)],
        # Started long ago but still going: its last message counts.
        "long": [NOW - timedelta(days=90), NOW - timedelta(days=2)],
        "new": [NOW - timedelta(hours=1)],
    })
    store = store_in(tmp_path, free_port())
    closed_first = store.open_case(new_case("a:1"), now=NOW - timedelta(days=4000))
    store.close(closed_first["reference"], "alex", "completed")
    closed_second = store.open_case(new_case("b:1"))
    store.close(closed_second["reference"], "alex", "completed")
    open_old = store.open_case(new_case("c:1"), now=NOW - timedelta(days=4000))
    pending = PendingAnswers(store.engine)
    pending.keep("r-old", "d", contact_name="Sam")

    # Dry run: counts only.
    later = NOW + timedelta(days=days["closed_cases_days"] + 1)
    counts = apply_retention(settings, store.engine, trackers, now=NOW, dry_run=True)
    assert counts["conversations"] == 1 and senders(trackers) == {"old", "long", "new"}

    counts = apply_retention(settings, store.engine, trackers, now=NOW)
    assert counts["conversations"] == 1 and senders(trackers) == {"long", "new"}
    assert counts["closed cases"] == 0  # closed today: kept for years
    assert counts["unfinished form answers"] == 1 and pending.answers("r-old")["contact_name"] is None

    counts = apply_retention(settings, store.engine, trackers, now=later)
    assert counts["closed cases"] == 2
    remaining = [c["reference"] for c in store.list_cases("all")]
    assert remaining == [open_old["reference"]]  # an open case is never deleted


def test_the_chat_privacy_answer_states_the_configured_retention():
    import yaml

    from tests.conftest import PROJECT_ROOT

    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))
    answer = domain["responses"]["utter_chat_privacy"][0]["text"]
    days = load_settings()["retention"]["conversations_days"]
    assert f"deleted {days} days after your last message" in answer
