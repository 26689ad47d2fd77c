"""Accounts for officers, duty workers and staff: salted PBKDF2 password hashes in the
database.

Officers (the data-protection queue), duty workers (the safeguarding queue) and staff
(the answers workbench) are separate tables: a login for one is not a login for another.
"""

import hashlib
import hmac
import secrets
from typing import List, Optional

from sqlalchemy import Table, insert, select, update
from sqlalchemy.engine import Connection, Engine

from casework.database import utc_now
from casework.tables import duty_workers, login_sessions, officers, staff

ITERATIONS = 240_000
DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo-password"  # development mode only; production refuses it
STAFF_DEMO_USERNAME = "staff"
STAFF_DEMO_PASSWORD = "staff-password"  # development mode only, like DEMO_PASSWORD
DUTY_DEMO_USERNAME = "duty"
DUTY_DEMO_PASSWORD = "duty-password"  # development mode only, like DEMO_PASSWORD
DEMO_ACCOUNTS = ((officers, DEMO_USERNAME, DEMO_PASSWORD),
                 (duty_workers, DUTY_DEMO_USERNAME, DUTY_DEMO_PASSWORD),
                 (staff, STAFF_DEMO_USERNAME, STAFF_DEMO_PASSWORD))


def hash_password(password: str, salt: Optional[str] = None) -> str:
    salt = salt or secrets.token_hex(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), ITERATIONS)
    return f"pbkdf2_sha256${ITERATIONS}${salt}${digest.hex()}"


def password_matches(password: str, stored: str) -> bool:
    try:
        _, iterations, salt, digest = stored.split("$")
    except ValueError:
        return False
    candidate = hashlib.pbkdf2_hmac(
        "sha256", password.encode(), salt.encode(), int(iterations)
    ).hex()
    return hmac.compare_digest(candidate, digest)


def revoke_sessions(conn: Connection, username: str, table: Table = officers) -> int:
    """End every session of the user (of that accounts table); how many there were."""
    return conn.execute(login_sessions.delete().where(
        login_sessions.c.area == table.name,
        login_sessions.c.username == username)).rowcount


def set_password(engine: Engine, username: str, password: str,
                table: Table = officers) -> None:
    """Add the account (an officer, or a staff member with table=staff), or change the
    password of an existing one.

    A changed password ends the user's sessions: a cookie copied before is refused."""
    if len(password) < 12 and password not in {demo for _, _, demo in DEMO_ACCOUNTS}:
        raise ValueError("a password needs at least 12 characters")
    with engine.begin() as conn:
        changed = conn.execute(
            update(table).where(table.c.username == username)
            .values(password_hash=hash_password(password))
        ).rowcount
        if changed:
            revoke_sessions(conn, username, table)
        else:
            conn.execute(insert(table).values(
                username=username, password_hash=hash_password(password),
                created_at=utc_now()))


def check_login(engine: Engine, username: str, password: str,
                table: Table = officers) -> bool:
    with engine.connect() as conn:
        stored = conn.execute(
            select(table.c.password_hash).where(table.c.username == username)
        ).scalar()
    if stored is None:
        hash_password(password)  # same work either way: no timing hint that it exists
        return False
    return password_matches(password, stored)


def usernames(engine: Engine, table: Table = officers) -> List[str]:
    """Everybody with an account in the table, by name (to assign a case to)."""
    with engine.connect() as conn:
        return list(conn.execute(select(table.c.username)
                                 .order_by(table.c.username)).scalars())


def add_demo_accounts(engine: Engine) -> None:
    for table, username, password in DEMO_ACCOUNTS:
        set_password(engine, username, password, table=table)


def remove_demo_accounts(engine: Engine) -> None:
    with engine.begin() as conn:
        for table, username, _ in DEMO_ACCOUNTS:
            conn.execute(table.delete().where(table.c.username == username))
            revoke_sessions(conn, username, table)
