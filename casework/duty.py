"""Who is on duty for live chats, and the families waiting to talk to them.

A duty worker says on the duty queue that they are available; while their page is open it
keeps saying so (`seen`). A worker counts as on duty only while both hold: a closed tab or
a lost connection takes them off within ON_DUTY_FOR, so a child is never told that
someone is about to join when nobody is there.

When a family asks to talk to someone now after a concern and a worker is on duty, the
conversation waits here until a worker joins it (the live chat of casework/live.py).
"""

from datetime import datetime, timedelta
from typing import Any, Dict, List, Optional

from sqlalchemy import and_, delete, insert, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from casework.database import as_utc, utc_now
from casework.tables import cases, duty_rota, talk_requests

ON_DUTY_FOR = timedelta(seconds=60)  # an open duty page says so every 5 s
# A request nobody took this long ago is shown as missed, not as waiting: the family was
# told whom to call if nobody joined.
WAITING_FOR = timedelta(minutes=30)


class DutyRota:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    # -- the workers ----------------------------------------------------------------

    def set_available(self, username: str, available: bool,
                      now: Optional[datetime] = None) -> None:
        now = now or utc_now()
        with self.engine.begin() as conn:
            changed = conn.execute(update(duty_rota).where(duty_rota.c.username == username)
                                   .values(available=available, last_seen=now)).rowcount
            if not changed:
                try:
                    conn.execute(insert(duty_rota).values(
                        username=username, available=available, last_seen=now))
                except IntegrityError:  # the same worker's other tab, at the same moment
                    pass

    def seen(self, username: str, now: Optional[datetime] = None) -> bool:
        """The worker's duty page is open; whether they are available."""
        now = now or utc_now()
        with self.engine.begin() as conn:
            conn.execute(update(duty_rota).where(duty_rota.c.username == username)
                         .values(last_seen=now))
            return bool(conn.execute(select(duty_rota.c.available).where(
                duty_rota.c.username == username)).scalar())

    def is_available(self, username: str, now: Optional[datetime] = None) -> bool:
        return username in self.on_duty(now)

    def on_duty(self, now: Optional[datetime] = None) -> List[str]:
        """The workers available for a live chat now."""
        now = now or utc_now()
        with self.engine.connect() as conn:
            rows = conn.execute(select(duty_rota).where(duty_rota.c.available.is_(True))
                                .order_by(duty_rota.c.username)).all()
        return [row.username for row in rows if as_utc(row.last_seen) > now - ON_DUTY_FOR]

    # -- the families waiting -------------------------------------------------------

    def ask_to_talk(self, conversation_id: str, case_id: int,
                    now: Optional[datetime] = None) -> None:
        """The family asked to talk now; asking again keeps its place in the line unless
        its earlier request was answered or is long past."""
        now = now or utc_now()
        with self.engine.begin() as conn:
            current = conn.execute(select(talk_requests).where(
                talk_requests.c.conversation_id == conversation_id)).first()
            if current is None:
                try:
                    conn.execute(insert(talk_requests).values(
                        conversation_id=conversation_id, case_id=case_id,
                        requested_at=now))
                except IntegrityError:
                    pass
            elif (current.answered_by is not None
                  or as_utc(current.requested_at) < now - WAITING_FOR):
                conn.execute(update(talk_requests)
                             .where(talk_requests.c.conversation_id == conversation_id)
                             .values(case_id=case_id, requested_at=now, answered_by=None,
                                     answered_at=None))

    def answered(self, conversation_id: str, username: str,
                 now: Optional[datetime] = None) -> None:
        """A worker joined the family's chat: the request is no longer waiting."""
        with self.engine.begin() as conn:
            conn.execute(update(talk_requests).where(and_(
                talk_requests.c.conversation_id == conversation_id,
                talk_requests.c.answered_by.is_(None)))
                .values(answered_by=username, answered_at=now or utc_now()))

    def waiting(self, now: Optional[datetime] = None) -> List[Dict[str, Any]]:
        """Families waiting for a duty worker, the longest waiting first."""
        now = now or utc_now()
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(talk_requests.c.conversation_id, talk_requests.c.requested_at,
                       cases.c.reference)
                .join(cases, cases.c.id == talk_requests.c.case_id)
                .where(talk_requests.c.answered_by.is_(None),
                       talk_requests.c.requested_at > now - WAITING_FOR)
                .order_by(talk_requests.c.requested_at)).all()
        return [{"reference": row.reference, "conversation_id": row.conversation_id,
                 "requested_at": as_utc(row.requested_at).isoformat()} for row in rows]

    def forget(self, conversation_id: str) -> None:
        """The family asked to forget the chat: it is no longer waiting."""
        with self.engine.begin() as conn:
            conn.execute(delete(talk_requests)
                         .where(talk_requests.c.conversation_id == conversation_id))
