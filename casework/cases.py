"""Cases: made once per submission, listed for officers, taken, noted and closed."""

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Dict, List, Optional, Tuple

from sqlalchemy import and_, func, insert, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from casework.database import as_utc, utc_now
from casework.deadlines import due_date
from casework.desks import DESKS, DUTY_REQUESTS
from casework.mail import case_mail, contact_change_mail, reopened_mail
from casework.tables import case_notes, cases, outbox
from redaction.redactor import redact

PRIORITIES = {"urgent": 1, "high": 2, "normal": 3}
PRIORITY_NAMES = {number: name for name, number in PRIORITIES.items()}
STATUSES = ("open", "in_progress", "closed")
OUTCOMES = ("completed", "partly_completed", "refused", "withdrawn", "referred", "no_reply")
ASSISTANT = "the assistant"  # author of the notes the chat adds


class CaseError(ValueError):
    """A change the queue cannot make: bad input (subclasses: not found, conflict)."""


class CaseNotFound(CaseError):
    pass


class CaseConflict(CaseError):
    """The case is not in a state that allows the change (e.g. already closed)."""


@dataclass
class NewCase:
    """What the assistant knows when it hands a conversation over."""

    submission_key: str
    conversation_id: str
    request: str
    transcript: List[Dict[str, Any]]
    contact_name: Optional[str] = None
    contact_detail: Optional[str] = None
    contact_kind: Optional[str] = None
    relationship: Optional[str] = None
    contact_consent: Optional[bool] = None
    # A request made in a conversation that raised a safety concern is handled as urgent.
    urgent: bool = False


def redacted_transcript(transcript: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """What the family said, redacted as the conversation store redacts it, whoever built
    the transcript (actions/case_access.py redacts with the form's context first; redacting
    again changes nothing). The assistant's own words are kept as they were sent."""
    return [{**line, "text": redact(line["text"])}
            if line.get("from") == "family" and isinstance(line.get("text"), str) else line
            for line in transcript]


def _line_key(line: Dict[str, Any]) -> tuple:
    return (line.get("from"), line.get("text"), line.get("at"))


# The queue's orders: by priority then due date (the default), due date, newest first.
SORTS = {
    "priority": (cases.c.priority, cases.c.due_date, cases.c.id),
    "due": (cases.c.due_date, cases.c.priority, cases.c.id),
    "received": (cases.c.created_at.desc(), cases.c.id.desc()),
    "reference": (cases.c.reference,),
}
DUE_FILTERS = ("overdue", "week")


@dataclass
class CaseQuery:
    """What the queue asks for: filters, an order, a page. `check` says what is wrong."""

    status: str = "active"
    desk: Optional[str] = None        # "officer" or "duty": that desk's cases only
    request: Optional[str] = None
    priority: Optional[str] = None
    assigned: Optional[str] = None    # an officer's name, or "nobody"
    due: Optional[str] = None         # "overdue" or "week" (due within seven days)
    reference: Optional[str] = None   # part of a reference
    sort: str = "priority"
    page: int = 1
    per_page: int = 50

    def check(self, request_types: List[str]) -> None:
        if self.status not in ("active", "all") + STATUSES:
            raise CaseError(f"unknown status {self.status!r}")
        if self.desk is not None and self.desk not in DESKS:
            raise CaseError(f"unknown desk {self.desk!r}")
        if self.request and self.request not in request_types:
            raise CaseError(f"unknown request type {self.request!r}")
        if self.priority and self.priority not in PRIORITIES:
            raise CaseError(f"priority is one of {', '.join(PRIORITIES)}")
        if self.due and self.due not in DUE_FILTERS:
            raise CaseError(f"due is one of {', '.join(DUE_FILTERS)}")
        if self.sort not in SORTS:
            raise CaseError(f"sort is one of {', '.join(SORTS)}")
        if self.page < 1 or not 1 <= self.per_page <= 500:
            raise CaseError("page from 1, and 1 to 500 cases a page")


def reference_for(prefix: str, case_id: int, created: datetime) -> str:
    return f"{prefix}-{created.year}-{case_id:06d}"


class CaseStore:
    def __init__(self, engine: Engine, settings: Dict[str, Any]) -> None:
        self.engine = engine
        self.settings = settings

    # -- the assistant's side -------------------------------------------------------

    def open_case(self, new: NewCase, now: Optional[datetime] = None) -> Dict[str, Any]:
        """Save the case and its team mail together; the same submission gives one case."""
        existing = self.by_submission(new.submission_key)
        if existing:
            return existing
        now = now or utc_now()
        rule = self.settings["requests"]["safeguarding" if new.urgent else new.request]
        try:
            with self.engine.begin() as conn:
                case_id = conn.execute(
                    insert(cases).values(
                        submission_key=new.submission_key,
                        conversation_id=new.conversation_id,
                        request=new.request,
                        priority=PRIORITIES[rule["priority"]],
                        status="open",
                        due_date=due_date(rule["deadline"], now),
                        contact_name=new.contact_name,
                        contact_detail=new.contact_detail,
                        contact_kind=new.contact_kind,
                        relationship=new.relationship,
                        contact_consent=new.contact_consent,
                        transcript=json.dumps(redacted_transcript(new.transcript),
                                              ensure_ascii=False),
                        created_at=now,
                        updated_at=now,
                    )
                ).inserted_primary_key[0]
                reference = reference_for(
                    self.settings["cases"]["reference_prefix"], case_id, now
                )
                conn.execute(
                    update(cases).where(cases.c.id == case_id).values(reference=reference)
                )
                case = self._get(conn, cases.c.id == case_id)
                conn.execute(insert(outbox).values(**case_mail(case, self.settings, now)))
        except IntegrityError:
            # A concurrent copy of the same submission won the race: use its case.
            existing = self.by_submission(new.submission_key)
            if existing is None:
                raise
            return existing
        return case

    def add_to_transcript(self, reference: str, transcript: List[Dict[str, Any]],
                          conn: Optional[Connection] = None) -> int:
        """Add the lines of `transcript` the case does not hold yet, after those it holds:
        the conversation went on, or began again after "Forget this conversation". What
        the case holds is never replaced. How many lines were added."""
        if conn is None:
            with self.engine.begin() as conn:
                return self.add_to_transcript(reference, transcript, conn)
        row = conn.execute(select(cases.c.transcript).where(cases.c.reference == reference)
                           .with_for_update()).first()
        if row is None:
            raise CaseNotFound(f"no case {reference}")
        kept = json.loads(row.transcript or "[]")
        held = {_line_key(line) for line in kept}
        added = [line for line in redacted_transcript(transcript)
                 if _line_key(line) not in held]
        if added:
            conn.execute(update(cases).where(cases.c.reference == reference).values(
                transcript=json.dumps(kept + added, ensure_ascii=False),
                updated_at=utc_now()))
        return len(added)

    def record_disclosure(self, new: NewCase, now: Optional[datetime] = None) -> str:
        """A safety concern in a conversation. The first opens an urgent case (with its
        mail); a later one while the case is open adds its lines and a note, so that one
        conversation is one alert; one after the case was closed reopens it, due again,
        with a note and a mail to the team. Returns "opened", "added" or "reopened"."""
        existing = self.by_submission(new.submission_key)
        if existing is None:
            self.open_case(new, now)
            return "opened"
        now = now or utc_now()
        with self.engine.begin() as conn:
            added = self.add_to_transcript(existing["reference"], new.transcript, conn)
            if existing["status"] != "closed":
                if added:
                    conn.execute(insert(case_notes).values(
                        case_id=existing["id"], author=ASSISTANT, created_at=now,
                        text="A further message of concern in the same conversation: "
                             "see the transcript."))
                return "added"
            rule = self.settings["requests"][existing["request"]]
            conn.execute(update(cases).where(cases.c.id == existing["id"]).values(
                status="open", outcome=None, outcome_note=None, closed_at=None,
                due_date=due_date(rule["deadline"], now), updated_at=now))
            conn.execute(insert(case_notes).values(
                case_id=existing["id"], author=ASSISTANT, created_at=now,
                text=f"Reopened: a new message of concern in the same conversation after "
                     f"the case was closed ({existing['outcome']})."))
            case = self._get(conn, cases.c.id == existing["id"])
            conn.execute(insert(outbox).values(**reopened_mail(case, self.settings, now)))
        return "reopened"

    def update_contact(self, reference: str, contact_kind: str, contact_detail: str,
                       now: Optional[datetime] = None) -> Dict[str, Any]:
        """New contact details from the family, with a note and a mail for the team."""
        now = now or utc_now()
        case = self.get(reference)
        with self.engine.begin() as conn:
            conn.execute(update(cases).where(cases.c.id == case["id"]).values(
                contact_kind=contact_kind, contact_detail=contact_detail,
                contact_consent=True, updated_at=now))
            conn.execute(insert(case_notes).values(
                case_id=case["id"], author=ASSISTANT,
                text=f"The family gave a new {contact_kind} contact in the chat.",
                created_at=now))
            conn.execute(insert(outbox).values(**contact_change_mail(case, self.settings,
                                                                    now)))
        return self.get(reference)

    def by_submission(self, submission_key: str) -> Optional[Dict[str, Any]]:
        with self.engine.connect() as conn:
            return self._get(conn, cases.c.submission_key == submission_key)

    def references_for(self, conversation_id: str) -> List[str]:
        with self.engine.connect() as conn:
            return list(conn.execute(select(cases.c.reference).where(
                cases.c.conversation_id == conversation_id)).scalars())

    # -- the officers' side ---------------------------------------------------------

    def find_cases(self, query: "CaseQuery", today: Optional[date] = None
                   ) -> Tuple[List[Dict[str, Any]], int]:
        """One page of the cases that match, in the chosen order; and how many match."""
        today = today or date.today()
        found = select(cases)
        if query.status == "active":
            found = found.where(cases.c.status != "closed")
        elif query.status != "all":
            found = found.where(cases.c.status == query.status)
        if query.desk == "duty":
            found = found.where(cases.c.request.in_(DUTY_REQUESTS))
        elif query.desk == "officer":
            found = found.where(cases.c.request.notin_(DUTY_REQUESTS))
        if query.request:
            found = found.where(cases.c.request == query.request)
        if query.priority:
            found = found.where(cases.c.priority == PRIORITIES[query.priority])
        if query.assigned == "nobody":
            found = found.where(cases.c.assigned_to.is_(None))
        elif query.assigned:
            found = found.where(cases.c.assigned_to == query.assigned)
        if query.due == "overdue":
            found = found.where(cases.c.status != "closed", cases.c.due_date < today)
        elif query.due == "week":
            found = found.where(cases.c.status != "closed",
                                cases.c.due_date <= today + timedelta(days=7))
        if query.reference:
            found = found.where(cases.c.reference.contains(query.reference.strip().upper(),
                                                           autoescape=True))
        with self.engine.connect() as conn:
            total = conn.execute(select(func.count()).select_from(found.subquery())).scalar()
            rows = conn.execute(found.order_by(*SORTS[query.sort])
                                .limit(query.per_page)
                                .offset((query.page - 1) * query.per_page))
            return [self._row(row, with_transcript=False) for row in rows], total

    def list_cases(self, status: str = "active") -> List[Dict[str, Any]]:
        """Cases by priority, then due date. `active` means open or in progress."""
        query = select(cases).order_by(cases.c.priority, cases.c.due_date, cases.c.id)
        if status == "active":
            query = query.where(cases.c.status != "closed")
        elif status in STATUSES:
            query = query.where(cases.c.status == status)
        elif status != "all":
            raise CaseError(f"unknown status {status!r}")
        with self.engine.connect() as conn:
            return [self._row(row, with_transcript=False) for row in conn.execute(query)]

    def get(self, reference: str) -> Dict[str, Any]:
        with self.engine.connect() as conn:
            case = self._get(conn, cases.c.reference == reference)
            if case is None:
                raise CaseNotFound(f"no case {reference}")
            notes = conn.execute(
                select(case_notes)
                .where(case_notes.c.case_id == case["id"])
                .order_by(case_notes.c.id)
            )
            case["notes"] = [
                {"author": n.author, "text": n.text, "at": _iso(as_utc(n.created_at))}
                for n in notes
            ]
            return case

    def take(self, reference: str, officer: str) -> Dict[str, Any]:
        already = self.get(reference)
        self._change(reference, officer, {"status": "in_progress", "assigned_to": officer},
                     allowed=("open", "in_progress"),
                     audit=None if already["assigned_to"] == officer else "Took the case.")
        return self.get(reference)

    def assign(self, reference: str, officer: str, to: str) -> Dict[str, Any]:
        """Give the case to a colleague (`to`), or to nobody (""): signed by `officer`."""
        to = (to or "").strip()
        already = self.get(reference)
        if (already["assigned_to"] or "") == to:
            return already
        self._change(reference, officer,
                     {"assigned_to": to or None,
                      "status": "in_progress" if to else "open"},
                     allowed=("open", "in_progress"),
                     audit=f"Assigned the case to {to}." if to
                     else "Put the case back in the queue, assigned to nobody.")
        return self.get(reference)

    def add_note(self, reference: str, officer: str, text: str) -> Dict[str, Any]:
        text = (text or "").strip()
        if not text:
            raise CaseError("a note needs some text")
        if len(text) > 5000:
            raise CaseError("a note can be at most 5000 characters")
        case = self.get(reference)
        with self.engine.begin() as conn:
            conn.execute(insert(case_notes).values(
                case_id=case["id"], author=officer, text=text, created_at=utc_now()))
            conn.execute(update(cases).where(cases.c.id == case["id"])
                         .values(updated_at=utc_now()))
        return self.get(reference)

    def close(self, reference: str, officer: str, outcome: str,
              note: str = "") -> Dict[str, Any]:
        if outcome not in OUTCOMES:
            raise CaseError(f"outcome must be one of: {', '.join(OUTCOMES)}")
        now = utc_now()
        self._change(reference, officer, {
            "status": "closed", "outcome": outcome, "outcome_note": note.strip() or None,
            "closed_at": now, "assigned_to": officer,
        }, allowed=("open", "in_progress"),
            audit=f"Closed the case: {outcome.replace('_', ' ')}."
                  + (f" {note.strip()}" if note.strip() else ""))
        return self.get(reference)

    # -- helpers --------------------------------------------------------------------

    def _change(self, reference: str, officer: str, values: Dict[str, Any],
                allowed: tuple, audit: Optional[str] = None) -> None:
        """Change the case if its status allows; `audit` is kept as a note signed by the
        officer, in the same transaction, so that every status change has a trail."""
        with self.engine.begin() as conn:
            changed = conn.execute(
                update(cases)
                .where(and_(cases.c.reference == reference, cases.c.status.in_(allowed)))
                .values(**values, updated_at=utc_now())
            ).rowcount
            if changed and audit:
                case_id = conn.execute(select(cases.c.id)
                                       .where(cases.c.reference == reference)).scalar()
                conn.execute(insert(case_notes).values(case_id=case_id, author=officer,
                                                       text=audit, created_at=utc_now()))
        if changed == 0:
            case = self.get(reference)  # raises when there is no such case
            raise CaseConflict(f"case {reference} is {case['status']}")

    def _get(self, conn: Connection, condition: Any) -> Optional[Dict[str, Any]]:
        row = conn.execute(select(cases).where(condition)).first()
        return self._row(row) if row else None

    @staticmethod
    def _row(row: Any, with_transcript: bool = True) -> Dict[str, Any]:
        case = dict(row._mapping)
        case["priority_name"] = PRIORITY_NAMES.get(case["priority"], str(case["priority"]))
        for key in ("created_at", "updated_at", "closed_at"):
            case[key] = _iso(as_utc(case[key]))
        case["due_date"] = case["due_date"].isoformat()
        transcript = json.loads(case["transcript"] or "[]")
        # What the queue shows of each case: the family's first words (redacted, as the
        # transcript is kept), and whether they left a way to reach them.
        first = next((line["text"] for line in transcript if line.get("from") == "family"
                      and line.get("text")), "")
        case["first_line"] = first if len(first) <= 100 else first[:99].rstrip() + "…"
        case["contact_given"] = bool(case.get("contact_detail"))
        case["transcript"] = transcript
        if not with_transcript:
            del case["transcript"]
        return case


def _iso(value: Optional[datetime]) -> Optional[str]:
    return value.isoformat() if value else None


def is_overdue(case: Dict[str, Any], today: date) -> bool:
    return case["status"] != "closed" and date.fromisoformat(case["due_date"]) < today
