"""The request form's personal answers (name, contact), held until the case is made.

Slots would put them in the conversation store; instead the slot says only "given" and
the answer waits here, keyed by the submission's request id. Making the case, or
cancelling, removes it.
"""

from typing import Dict, Optional

from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from casework.database import utc_now
from casework.tables import pending_answers

FIELDS = ("contact_name", "contact_detail", "contact_kind")


class PendingAnswers:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def keep(self, request_id: str, conversation_id: str, **answers: Optional[str]) -> None:
        unknown = set(answers) - set(FIELDS)
        if unknown:
            raise ValueError(f"not a form answer: {sorted(unknown)}")
        values = {**answers, "updated_at": utc_now()}
        with self.engine.begin() as conn:
            changed = conn.execute(update(pending_answers)
                                   .where(pending_answers.c.request_id == request_id)
                                   .values(**values)).rowcount
            if not changed:
                try:
                    conn.execute(insert(pending_answers).values(
                        request_id=request_id, conversation_id=conversation_id, **values))
                except IntegrityError:
                    conn.execute(update(pending_answers)
                                 .where(pending_answers.c.request_id == request_id)
                                 .values(**values))

    def answers(self, request_id: str) -> Dict[str, Optional[str]]:
        with self.engine.connect() as conn:
            row = conn.execute(select(pending_answers)
                               .where(pending_answers.c.request_id == request_id)).first()
        return {field: (getattr(row, field) if row else None) for field in FIELDS}

    def discard(self, request_id: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(pending_answers)
                         .where(pending_answers.c.request_id == request_id))
