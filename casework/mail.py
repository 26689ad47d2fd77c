"""The team's mail: written to the outbox with its case, delivered over SMTP, retried.

A mail names the case, its type, priority and due date, and links to the queue; the
family's details stay in the database, behind the queue's login. Each desk's cases are
mailed to that desk's team (casework/desks.py).
"""

import os
import smtplib
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Any, Dict, Optional

from sqlalchemy import and_, or_, select, update
from sqlalchemy.engine import Engine

from casework.database import as_utc, utc_now
from casework.desks import desk_mail, desk_of
from casework.tables import outbox

# A claim older than this belonged to a process that died while sending.
STALE_CLAIM = timedelta(minutes=10)
MAX_RETRY_DELAY = timedelta(hours=1)


def team_mail(case: Dict[str, Any], settings: Dict[str, Any], subject: str, body: str,
              now: datetime) -> Dict[str, Any]:
    """An outbox row to the team whose desk the case is on, for the mail worker to send."""
    return {"case_id": case["id"], "recipient": desk_mail(settings, desk_of(case["request"])),
            "subject": subject, "body": body, "status": "pending", "attempts": 0,
            "next_attempt_at": now, "created_at": now}


def case_link(settings: Dict[str, Any], case: Dict[str, Any]) -> str:
    """Where the case's desk opens it (behind that queue's login)."""
    return (f"{settings['web']['public_url'].rstrip('/')}/{desk_of(case['request'])}/cases/"
            f"{case['reference']}")


def queue_name(case: Dict[str, Any]) -> str:
    return "the duty queue" if desk_of(case["request"]) == "duty" else "the officers' queue"


def case_mail(case: Dict[str, Any], settings: Dict[str, Any], now: datetime) -> Dict[str, Any]:
    """The outbox row announcing a new case to its desk's team."""
    request = settings["requests"][case["request"]]
    urgent = case["priority_name"] == "urgent"
    subject = (
        f"{'URGENT: ' if urgent else ''}New case {case['reference']}: {request['label']}"
    )
    link = case_link(settings, case)
    body = "\n".join([
        "A new case has come from the privacy-notice assistant.",
        "",
        f"Reference: {case['reference']}",
        f"Request:   {request['label']}",
        f"Priority:  {case['priority_name']}",
        f"Due:       {case['due_date']}",
        "",
        f"Open it in {queue_name(case)} (login needed): {link}",
        "",
        "The family's details and the conversation are in the queue, not in this mail.",
    ])
    return team_mail(case, settings, subject, body, now)


def contact_change_mail(case: Dict[str, Any], settings: Dict[str, Any],
                        now: datetime) -> Dict[str, Any]:
    """The outbox row telling the team that a family gave new contact details."""
    link = case_link(settings, case)
    body = "\n".join([
        f"The family changed the contact details on case {case['reference']} in the chat.",
        "",
        f"Open it in {queue_name(case)} (login needed): {link}",
        "",
        "The new details are in the queue, not in this mail.",
    ])
    return team_mail(case, settings, f"New contact details for {case['reference']}", body,
                     now)


def reopened_mail(case: Dict[str, Any], settings: Dict[str, Any],
                  now: datetime) -> Dict[str, Any]:
    """The outbox row telling the team that a closed case is open again: the family wrote
    of a new concern in the same conversation."""
    link = case_link(settings, case)
    body = "\n".join([
        f"Case {case['reference']} was closed, and the same conversation has raised a new "
        "concern about a child's safety. The case is open again.",
        "",
        f"Reference: {case['reference']}",
        f"Due:       {case['due_date']}",
        "",
        f"Open it in {queue_name(case)} (login needed): {link}",
        "",
        "The conversation is in the queue, not in this mail.",
    ])
    subject = f"URGENT: case {case['reference']} reopened: a new concern"
    return team_mail(case, settings, subject, body, now)


def smtp_settings(settings: Dict[str, Any]) -> Dict[str, Any]:
    mail = dict(settings["mail"])
    mail["smtp_host"] = os.environ.get("ASSISTANT_SMTP_HOST", mail["smtp_host"])
    mail["smtp_port"] = int(os.environ.get("ASSISTANT_SMTP_PORT", mail["smtp_port"]))
    mail["username"] = os.environ.get("ASSISTANT_SMTP_USER")
    mail["password"] = os.environ.get("ASSISTANT_SMTP_PASSWORD")
    return mail


def send_one(mail: Dict[str, Any], recipient: str, subject: str, body: str) -> None:
    message = EmailMessage()
    message["From"] = mail["from_address"]
    message["To"] = recipient
    message["Subject"] = subject
    message.set_content(body)
    with smtplib.SMTP(mail["smtp_host"], mail["smtp_port"],
                      timeout=mail["timeout_seconds"]) as smtp:
        if mail.get("starttls"):
            smtp.starttls()
        if mail.get("username"):
            smtp.login(mail["username"], mail["password"] or "")
        smtp.send_message(message)


def retry_delay(attempts: int, base_seconds: int) -> timedelta:
    return min(timedelta(seconds=base_seconds * 2 ** max(attempts - 1, 0)), MAX_RETRY_DELAY)


def deliver_pending(engine: Engine, settings: Dict[str, Any],
                    now: Optional[datetime] = None) -> Dict[str, int]:
    """Send every mail that is due; a failure is kept for a later try. Returns counts."""
    now = now or utc_now()
    mail = smtp_settings(settings)
    counts = {"sent": 0, "failed": 0}
    with engine.connect() as conn:
        due = conn.execute(
            select(outbox.c.id).where(and_(
                outbox.c.status == "pending",
                outbox.c.next_attempt_at <= now,
                or_(outbox.c.claimed_at.is_(None),
                    outbox.c.claimed_at < now - STALE_CLAIM),
            )).order_by(outbox.c.id)
        ).scalars().all()
    for mail_id in due:
        row = _claim(engine, mail_id, now)
        if row is None:
            continue  # another process is sending it
        try:
            send_one(mail, row.recipient, row.subject, row.body)
        except (OSError, smtplib.SMTPException) as error:
            attempts = row.attempts + 1
            _finish(engine, mail_id, attempts=attempts, last_error=str(error)[:500],
                    next_attempt_at=now + retry_delay(attempts, mail["retry_after_seconds"]))
            counts["failed"] += 1
        else:
            _finish(engine, mail_id, status="sent", attempts=row.attempts + 1,
                    sent_at=utc_now(), last_error=None)
            counts["sent"] += 1
    return counts


def _claim(engine: Engine, mail_id: int, now: datetime) -> Optional[Any]:
    with engine.begin() as conn:
        claimed = conn.execute(
            update(outbox)
            .where(and_(outbox.c.id == mail_id, outbox.c.status == "pending",
                        or_(outbox.c.claimed_at.is_(None),
                            outbox.c.claimed_at < now - STALE_CLAIM)))
            .values(claimed_at=now)
        ).rowcount
        if claimed != 1:
            return None
        return conn.execute(select(outbox).where(outbox.c.id == mail_id)).first()


def _finish(engine: Engine, mail_id: int, **values: Any) -> None:
    with engine.begin() as conn:
        conn.execute(update(outbox).where(outbox.c.id == mail_id)
                     .values(claimed_at=None, **values))


def outbox_status(engine: Engine) -> Dict[str, Any]:
    with engine.connect() as conn:
        rows = conn.execute(select(outbox.c.status, outbox.c.next_attempt_at)).all()
    pending = [as_utc(r.next_attempt_at) for r in rows if r.status == "pending"]
    return {"sent": sum(r.status == "sent" for r in rows), "pending": len(pending),
            "next_attempt_at": min(pending).isoformat() if pending else None}
