"""Redact what was stored before case transcripts and live chats were redacted.

    python -m casework.redact_stored [--dry-run]      (make redact-stored)

Case transcripts and live-chat messages kept before this version hold what families
typed, raw. This redacts them as new ones are (casework/cases.py, casework/live.py):
each family line of a transcript, and every live message. Running it twice changes
nothing the second time. A name typed as a bare answer to the old form's question ("Jo
Bloggs") cannot be told from other text afterwards and is left; retention removes it.
"""

import argparse
import json
import sys
from typing import Dict

from sqlalchemy import select, update
from sqlalchemy.engine import Engine

from casework.cases import redacted_transcript
from casework.database import default_engine
from casework.tables import cases, live_messages
from redaction.redactor import redact


def redact_stored(engine: Engine, dry_run: bool = False) -> Dict[str, int]:
    """How many transcripts and live messages were (or, dry, would be) changed."""
    changed = {"transcripts": 0, "live messages": 0}
    with engine.begin() as conn:
        for case_id, stored in conn.execute(select(cases.c.id, cases.c.transcript)).all():
            try:
                transcript = json.loads(stored or "[]")
            except ValueError:
                continue
            kept = json.dumps(redacted_transcript(transcript), ensure_ascii=False)
            if transcript and kept != json.dumps(transcript, ensure_ascii=False):
                changed["transcripts"] += 1
                if not dry_run:
                    conn.execute(update(cases).where(cases.c.id == case_id)
                                 .values(transcript=kept))
        for message_id, text in conn.execute(
                select(live_messages.c.id, live_messages.c.text)).all():
            kept = redact(text or "")
            if kept != text:
                changed["live messages"] += 1
                if not dry_run:
                    conn.execute(update(live_messages).where(
                        live_messages.c.id == message_id).values(text=kept))
    return changed


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dry-run", action="store_true", help="count, change nothing")
    args = parser.parse_args(argv)
    changed = redact_stored(default_engine(), dry_run=args.dry_run)
    verb = "would be redacted" if args.dry_run else "redacted"
    print(f"{changed['transcripts']} case transcripts and {changed['live messages']} "
          f"live-chat messages {verb}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
