"""The case database's tables (SQLAlchemy Core; SQLite by default, PostgreSQL in production)."""

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()


def accounts_table(name: str) -> Table:
    """The logins of one area (officers, duty workers, staff): each area its own table,
    so that an account for one is never an account for another (web/auth/)."""
    return Table(
        name,
        metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("username", String(100), unique=True, nullable=False),
        Column("password_hash", String(300), nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False),
    )

cases = Table(
    "cases",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("reference", String(32), unique=True),
    # One submission (a conversation's request) makes one case, however often it arrives.
    Column("submission_key", String(200), unique=True, nullable=False),
    Column("conversation_id", String(200), nullable=False),
    Column("request", String(40), nullable=False),
    Column("priority", Integer, nullable=False),
    Column("status", String(20), nullable=False, default="open"),
    Column("due_date", Date, nullable=False),
    Column("contact_name", String(200)),
    Column("contact_detail", String(200)),
    Column("contact_kind", String(10)),
    Column("relationship", String(40)),
    Column("contact_consent", Boolean),
    Column("transcript", Text, nullable=False, default="[]"),
    Column("assigned_to", String(100)),
    Column("outcome", String(40)),
    Column("outcome_note", Text),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("closed_at", DateTime(timezone=True)),
)

case_notes = Table(
    "case_notes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("case_id", Integer, ForeignKey("cases.id"), nullable=False, index=True),
    Column("author", String(100), nullable=False),
    Column("text", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# The outbox: a mail is written with its case, in the same transaction, then delivered.
outbox = Table(
    "outbox",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("case_id", Integer, ForeignKey("cases.id"), nullable=False, index=True),
    Column("recipient", String(200), nullable=False),
    Column("subject", String(300), nullable=False),
    Column("body", Text, nullable=False),
    Column("status", String(20), nullable=False, default="pending"),
    Column("attempts", Integer, nullable=False, default=0),
    Column("last_error", Text),
    Column("next_attempt_at", DateTime(timezone=True), nullable=False),
    Column("claimed_at", DateTime(timezone=True)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("sent_at", DateTime(timezone=True)),
)

officers = accounts_table("officers")

# The duty workers of the children's advice and duty service, who work the queue of
# safeguarding alerts (/duty/): a role apart from the data-protection officers.
duty_workers = accounts_table("duty_workers")

# Who is on duty for live chats now: a worker says so on the duty queue, whose page keeps
# `last_seen` fresh while it is open (casework/duty.py).
duty_rota = Table(
    "duty_rota",
    metadata,
    Column("username", String(100), primary_key=True),
    Column("available", Boolean, nullable=False),
    Column("last_seen", DateTime(timezone=True), nullable=False),
)

# A family asked to talk to someone now after a concern, while a duty worker was on duty:
# waiting until a worker joins the chat (casework/duty.py).
talk_requests = Table(
    "talk_requests",
    metadata,
    Column("conversation_id", String(200), primary_key=True),
    Column("case_id", Integer, ForeignKey("cases.id"), nullable=False),
    Column("requested_at", DateTime(timezone=True), nullable=False),
    Column("answered_by", String(100)),
    Column("answered_at", DateTime(timezone=True)),
)

# Live chat: an officer has taken over a family's conversation (web/chat/, web/queue/).
live_chats = Table(
    "live_chats",
    metadata,
    Column("conversation_id", String(200), primary_key=True),
    Column("case_id", Integer, ForeignKey("cases.id"), nullable=False),
    Column("officer", String(100), nullable=False),
    Column("started_at", DateTime(timezone=True), nullable=False),
)

live_messages = Table(
    "live_messages",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("case_id", Integer, ForeignKey("cases.id"), nullable=False, index=True),
    Column("conversation_id", String(200), nullable=False, index=True),
    Column("sender", String(20), nullable=False),  # family, officer or notice
    Column("author", String(100)),
    Column("text", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# When a family's chat window last asked for news: officers see who is still there.
chat_presence = Table(
    "chat_presence",
    metadata,
    Column("conversation_id", String(200), primary_key=True),
    Column("last_seen", DateTime(timezone=True), nullable=False),
)

# Council staff who test the answers (the workbench at /staff/).
staff = accounts_table("staff")

# A staff member's verdict on one answer, waiting for the review loop.
review_items = Table(
    "review_items",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("question", Text, nullable=False),
    Column("answered", String(60)),
    Column("intent", String(60)),
    Column("confidence", Float),
    Column("verdict", String(10), nullable=False),  # right or wrong
    Column("expected", String(60), nullable=False),  # the section it should come from
    Column("staff_member", String(100), nullable=False),
    Column("status", String(20), nullable=False, default="new"),
    Column("outcome", Text),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("decided_at", DateTime(timezone=True)),
)

# The request form's answers while the form runs: kept here, not in the conversation
# store (whose copy of the family's messages is redacted), until the case takes them.
pending_answers = Table(
    "pending_answers",
    metadata,
    Column("request_id", String(64), primary_key=True),
    Column("conversation_id", String(200), nullable=False),
    Column("contact_name", String(200)),
    Column("contact_detail", String(200)),
    Column("contact_kind", String(10)),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

# Open sessions of the officers' queue and the staff workbench (web/auth/logins.py): a
# session cookie counts only while its row is here. Signing out deletes the row, a new
# password deletes all of that user's rows. A table of its own, so that create_all adds
# it to an existing database without touching the accounts tables.
login_sessions = Table(
    "login_sessions",
    metadata,
    Column("id", String(64), primary_key=True),  # SHA-256 of the session id in the cookie
    Column("area", String(20), nullable=False),  # the accounts table: officers or staff
    Column("username", String(100), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Index("login_sessions_user", "area", "username"),
)
