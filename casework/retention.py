"""Delete what is kept longer than the settings allow: `make retention`, run daily.

- conversations in Rasa's tracker store, `retention.conversations_days` after their last
  message;
- closed cases, with their notes, mail and live chat, `retention.closed_cases_days`
  after closing (open cases are never deleted);
- a request form's answers nobody finished, after `retention.unfinished_form_days`;
- when a chat window was last seen, after a day.

`--now` sets the clock (for tests, or to see what a later run would delete with
`--dry-run`).
"""

import argparse
import sys
from datetime import datetime, timedelta
from typing import Any, Dict, Optional, Sequence

from sqlalchemy import and_, create_engine, delete, func, inspect, select, text
from sqlalchemy.engine import Engine

from core.settings import load_settings
from casework.database import default_engine, tracker_store_url, utc_now
from casework.tables import (case_notes, cases, chat_presence, live_chats, live_messages,
                             outbox, pending_answers)


def old_conversations(tracker_engine: Engine, cutoff: datetime, dry_run: bool) -> int:
    """Conversations whose last event is older than the cutoff; deleted unless dry run."""
    if not inspect(tracker_engine).has_table("events"):
        return 0
    old = text("SELECT sender_id FROM events GROUP BY sender_id "
               "HAVING MAX(timestamp) < :cutoff")
    with tracker_engine.begin() as conn:
        senders = [row[0] for row in conn.execute(old, {"cutoff": cutoff.timestamp()})]
        if senders and not dry_run:
            for sender in senders:
                conn.execute(text("DELETE FROM events WHERE sender_id = :s"), {"s": sender})
    return len(senders)


def old_cases(engine: Engine, cutoff: datetime, dry_run: bool) -> int:
    with engine.begin() as conn:
        ids = conn.execute(select(cases.c.id).where(and_(
            cases.c.status == "closed", cases.c.closed_at < cutoff))).scalars().all()
        if ids and not dry_run:
            for table in (case_notes, outbox, live_messages, live_chats):
                conn.execute(delete(table).where(table.c.case_id.in_(ids)))
            conn.execute(delete(cases).where(cases.c.id.in_(ids)))
    return len(ids)


def old_rows(engine: Engine, table: Any, column: Any, cutoff: datetime, dry_run: bool) -> int:
    with engine.begin() as conn:
        count = conn.execute(select(func.count()).select_from(table)
                             .where(column < cutoff)).scalar()
        if count and not dry_run:
            conn.execute(delete(table).where(column < cutoff))
    return count


def apply_retention(settings: Dict[str, Any], engine: Engine, tracker_engine: Engine,
                    now: Optional[datetime] = None, dry_run: bool = False) -> Dict[str, int]:
    now = now or utc_now()
    days = settings["retention"]
    return {
        "conversations": old_conversations(
            tracker_engine, now - timedelta(days=days["conversations_days"]), dry_run),
        "closed cases": old_cases(
            engine, now - timedelta(days=days["closed_cases_days"]), dry_run),
        "unfinished form answers": old_rows(
            engine, pending_answers, pending_answers.c.updated_at,
            now - timedelta(days=days["unfinished_form_days"]), dry_run),
        "chat presence": old_rows(engine, chat_presence, chat_presence.c.last_seen,
                                  now - timedelta(days=1), dry_run),
    }


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--now", type=datetime.fromisoformat, default=None,
                        help="the clock, ISO 8601 with a time zone (default: now)")
    parser.add_argument("--dry-run", action="store_true", help="count, delete nothing")
    args = parser.parse_args(argv)
    if args.now is not None and args.now.tzinfo is None:
        parser.error("--now needs a time zone, e.g. 2027-01-01T00:00:00+00:00")
    settings = load_settings()
    tracker_engine = create_engine(tracker_store_url(settings), future=True)
    counts = apply_retention(settings, default_engine(), tracker_engine, args.now,
                             args.dry_run)
    verb = "would delete" if args.dry_run else "deleted"
    print("; ".join(f"{verb} {n} {what}" for what, n in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
