"""Live chat: an officer takes over a family's conversation, and hands it back.

While a conversation is live, the web chat sends the family's messages here instead of
to the assistant, and shows the officer's. Every live message is kept on the case,
redacted as the conversation store redacts what families type (redaction/redactor.py):
a number or an email typed here is not kept. The officer reaches the family through the
contact details on the case; new ones are given to the assistant, which keeps them there.
"""

from datetime import datetime, timedelta
from typing import Any, Dict, List, Optional

from sqlalchemy import and_, delete, insert, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from casework.cases import CaseConflict, CaseError, CaseNotFound
from casework.database import as_utc, utc_now
from casework.tables import cases, chat_presence, live_chats, live_messages
from redaction.redactor import redact, warm_up

ONLINE_FOR = timedelta(seconds=30)
SEEN_EVERY = timedelta(seconds=5)  # write presence at most this often
MAX_MESSAGE = 2000


class LiveChats:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    # -- presence -------------------------------------------------------------------

    def seen(self, conversation_id: str, now: Optional[datetime] = None) -> None:
        now = now or utc_now()
        with self.engine.begin() as conn:
            last = conn.execute(select(chat_presence.c.last_seen).where(
                chat_presence.c.conversation_id == conversation_id)).scalar()
            if last is None:
                try:
                    conn.execute(insert(chat_presence).values(
                        conversation_id=conversation_id, last_seen=now))
                except IntegrityError:
                    pass
            elif as_utc(last) < now - SEEN_EVERY:
                conn.execute(update(chat_presence)
                             .where(chat_presence.c.conversation_id == conversation_id)
                             .values(last_seen=now))

    def online(self, conversation_id: str, now: Optional[datetime] = None) -> bool:
        now = now or utc_now()
        with self.engine.connect() as conn:
            last = conn.execute(select(chat_presence.c.last_seen).where(
                chat_presence.c.conversation_id == conversation_id)).scalar()
        return last is not None and as_utc(last) > now - ONLINE_FOR

    def who_is_here(self, conversation_ids: List[str], now: Optional[datetime] = None
                    ) -> Dict[str, str]:
        """For a page of the queue: "live" for the conversations an officer is talking
        in, "online" for those whose chat is open now; the others are left out."""
        now = now or utc_now()
        ids = list(set(conversation_ids))
        if not ids:
            return {}
        with self.engine.connect() as conn:
            online = {row.conversation_id for row in conn.execute(
                select(chat_presence.c.conversation_id).where(
                    chat_presence.c.conversation_id.in_(ids),
                    chat_presence.c.last_seen > now - ONLINE_FOR))}
            talking = set(conn.execute(select(live_chats.c.conversation_id).where(
                live_chats.c.conversation_id.in_(ids))).scalars())
        return {**{c: "online" for c in online}, **{c: "live" for c in talking}}

    # -- taking over and handing back ----------------------------------------------

    def start(self, reference: str, officer: str,
              who: str = "An officer from the council") -> Dict[str, Any]:
        """`who` joins the family's chat: the notice the family sees names them so."""
        warm_up()  # the live messages are redacted: the redactor loads while the officer types
        case = self._case(reference)
        if case.status == "closed":
            raise CaseConflict(f"case {reference} is closed")
        with self.engine.begin() as conn:
            current = conn.execute(select(live_chats).where(
                live_chats.c.conversation_id == case.conversation_id)).first()
            if current and current.officer != officer:
                raise CaseConflict(f"{current.officer} is already talking to this family")
            if current is None:
                conn.execute(insert(live_chats).values(
                    conversation_id=case.conversation_id, case_id=case.id,
                    officer=officer, started_at=utc_now()))
                self._add(conn, case, "notice", officer, f"{who} has joined this chat.")
        return self.state(reference)

    def hand_back(self, reference: str, officer: str,
                  who: str = "The officer") -> Dict[str, Any]:
        case = self._case(reference)
        with self.engine.begin() as conn:
            ended = conn.execute(delete(live_chats).where(
                live_chats.c.conversation_id == case.conversation_id)).rowcount
            if ended:
                self._add(conn, case, "notice", officer,
                          f"{who} has left the chat. The assistant will answer again.")
        return self.state(reference)

    def live_case_id(self, conversation_id: str) -> Optional[int]:
        with self.engine.connect() as conn:
            return conn.execute(select(live_chats.c.case_id).where(
                live_chats.c.conversation_id == conversation_id)).scalar()

    # -- messages -------------------------------------------------------------------

    def from_family(self, conversation_id: str, text: str) -> bool:
        """Keep the family's message for the officer; False if nobody has taken over."""
        case_id = self.live_case_id(conversation_id)
        if case_id is None:
            return False
        with self.engine.begin() as conn:
            conn.execute(insert(live_messages).values(
                case_id=case_id, conversation_id=conversation_id, sender="family",
                text=_checked(text), created_at=utc_now()))
        return True

    def from_officer(self, reference: str, officer: str, text: str) -> Dict[str, Any]:
        case = self._case(reference)
        if self.live_case_id(case.conversation_id) != case.id:
            raise CaseConflict("start the live chat first")
        with self.engine.begin() as conn:
            self._add(conn, case, "officer", officer, _checked(text))
        return self.state(reference)

    def messages_for_family(self, conversation_id: str, after: int) -> List[Dict[str, Any]]:
        """What the officer (and the live chat's notices) said since message `after`."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(live_messages)
                .where(and_(live_messages.c.conversation_id == conversation_id,
                            live_messages.c.id > after,
                            live_messages.c.sender != "family"))
                .order_by(live_messages.c.id)
            ).all()
        return [_message(r) for r in rows]

    def state(self, reference: str) -> Dict[str, Any]:
        case = self._case(reference)
        with self.engine.connect() as conn:
            rows = conn.execute(select(live_messages)
                                .where(live_messages.c.case_id == case.id)
                                .order_by(live_messages.c.id)).all()
        return {"reference": reference, "conversation_id": case.conversation_id,
                "live": self.live_case_id(case.conversation_id) == case.id,
                "online": self.online(case.conversation_id),
                "messages": [_message(r) for r in rows]}

    def forget(self, conversation_id: str) -> None:
        """The family asked to forget the chat: presence goes; live messages stay only
        on a case (the council's record of a request), never loose."""
        with self.engine.begin() as conn:
            conn.execute(delete(chat_presence)
                         .where(chat_presence.c.conversation_id == conversation_id))

    # -- helpers --------------------------------------------------------------------

    def _case(self, reference: str) -> Any:
        with self.engine.connect() as conn:
            case = conn.execute(select(cases).where(cases.c.reference == reference)).first()
        if case is None:
            raise CaseNotFound(f"no case {reference}")
        return case

    @staticmethod
    def _add(conn: Any, case: Any, sender: str, author: str, text: str) -> None:
        conn.execute(insert(live_messages).values(
            case_id=case.id, conversation_id=case.conversation_id, sender=sender,
            author=author, text=text, created_at=utc_now()))


def _checked(text: str) -> str:
    """The message as it is kept: checked, then redacted."""
    text = (text or "").strip()
    if not text:
        raise CaseError("a message needs some text")
    if len(text) > MAX_MESSAGE:
        raise CaseError(f"a message can be at most {MAX_MESSAGE} characters")
    return redact(text)


def _message(row: Any) -> Dict[str, Any]:
    return {"id": row.id, "from": row.sender, "text": row.text,
            "at": as_utc(row.created_at).isoformat()}
