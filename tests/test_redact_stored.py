"""What was kept raw before transcripts and live chats were redacted is redacted once."""

import json

from sqlalchemy import insert, select, update

from casework.database import utc_now
from casework.redact_stored import redact_stored
from casework.tables import cases, live_messages
from processes.servers import free_port
from tests.casework_support import new_case, store_in

RAW = "ring me on 07700 900123 or mail jo.bloggs@example.com"


def test_old_transcripts_and_live_messages_are_redacted_once(tmp_path):
    store = store_in(tmp_path, free_port())
    opened = store.open_case(new_case("old-1:r1"))
    with store.engine.begin() as conn:  # as an older version kept them
        conn.execute(update(cases).values(transcript=json.dumps([
            {"from": "family", "text": RAW, "at": None},
            {"from": "assistant", "text": "Call the council on 0344 800 8020.", "at": None}])))
        case_id = conn.execute(select(cases.c.id)).scalar()
        conn.execute(insert(live_messages).values(
            case_id=case_id, conversation_id="old-1", sender="family", author=None,
            text=RAW, created_at=utc_now()))

    assert redact_stored(store.engine, dry_run=True) == {"transcripts": 1, "live messages": 1}
    assert RAW in json.dumps(store.get(opened["reference"])["transcript"])  # dry: unchanged
    assert redact_stored(store.engine) == {"transcripts": 1, "live messages": 1}
    transcript = store.get(opened["reference"])["transcript"]
    assert transcript[0]["text"] == "ring me on <phone number> or mail <email>"
    assert transcript[1]["text"] == "Call the council on 0344 800 8020."
    with store.engine.connect() as conn:
        assert conn.execute(select(live_messages.c.text)).scalar() == transcript[0]["text"]
    assert redact_stored(store.engine) == {"transcripts": 0, "live messages": 0}
