"""Logins for one area of the site (the officers' queue, the staff workbench).

Each area has its own accounts table, cookie, path and signing key, so a login for one is
never a login for the other. Pages redirect to the area's login page; the JSON API
answers 401 without a session and 403 without the CSRF header on a POST.

A session is a row of login_sessions as well as a signed cookie: signing out deletes the
row (and clears the cookie on the area's path, where it was set), a new password deletes
all the user's rows (web/auth/accounts.py), so a copied cookie is refused from then on.
"""

import asyncio
import functools
import hashlib
import logging
import secrets
import threading
import time
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from typing import Any, Callable, Optional, Sequence, Tuple

from sanic.request import Request
from sanic.response import HTTPResponse, json, redirect
from sqlalchemy import Table, insert, select
from sqlalchemy.engine import Engine

from casework.database import utc_now
from casework.tables import login_sessions
from web.auth.accounts import check_login
from web.auth.sessions import SESSION_SECONDS, Signer
from web.client import client_address

logger = logging.getLogger(__name__)

# Password hashing (PBKDF2, about 0.15 s of CPU each) runs on these threads, never on the
# event loop; at most MAX_WAITING_LOGINS logins hash or wait to hash at once in a
# process, and a login beyond that is answered 503 at once rather than queued.
HASH_THREADS = 2
MAX_WAITING_LOGINS = 16
BUSY_RETRY_SECONDS = 5

# Wrong passwords lock an address with a name (PAIR_LIMIT) and an address trying many
# names (ADDRESS_LIMIT), for LOCKOUT_SECONDS after the last one. A name by itself is never
# locked (anybody could lock a real officer out by typing their name); NAME_ALERT wrong
# passwords for one name, from wherever, are logged as a warning instead.
PAIR_LIMIT = 5
ADDRESS_LIMIT = 20
NAME_ALERT = 20
LOCKOUT_SECONDS = 300
MAX_ENTRIES = 10_000  # per kind of key: the oldest are forgotten beyond that
MAX_USERNAME = 100  # the accounts tables' column
MAX_PASSWORD = 1024


class LoginBusy(Exception):
    """Too many logins are being checked already: try again in a few seconds."""


class BoundedHasher:
    """Runs password checks on a few threads; refuses work beyond `max_waiting` at once.

    A check counts until its thread has finished it, even when the client that asked has
    gone: hanging up does not make room for more work."""

    def __init__(self, threads: int = HASH_THREADS,
                 max_waiting: int = MAX_WAITING_LOGINS) -> None:
        self.threads = threads
        self.max_waiting = max_waiting
        self.in_flight = 0
        self._lock = threading.Lock()
        self._executor: Optional[ThreadPoolExecutor] = None  # made on first use

    def _finished(self, _: Any) -> None:
        with self._lock:
            self.in_flight -= 1

    async def run(self, function: Callable[..., Any], *args: Any) -> Any:
        with self._lock:
            if self.in_flight >= self.max_waiting:
                raise LoginBusy("too many logins at once")
            self.in_flight += 1
            if self._executor is None:
                self._executor = ThreadPoolExecutor(self.threads,
                                                    thread_name_prefix="password-check")
        try:
            work = self._executor.submit(function, *args)
        except BaseException:
            self._finished(None)
            raise
        work.add_done_callback(self._finished)
        return await asyncio.wrap_future(work)


HASHER = BoundedHasher()  # one per process: both areas share the CPU


class LoginThrottle:
    """Counts wrong passwords per (address, name), per address and per name.

    Locked: an address with a name after `pair_limit` wrong passwords, an address after
    `address_limit` (whatever the names), each until `lockout_seconds` after its last
    wrong password. Each kind of key keeps at most `max_entries`, oldest forgotten first,
    and expired ones are swept as new ones come.
    """

    pair_limit = PAIR_LIMIT
    address_limit = ADDRESS_LIMIT
    name_alert = NAME_ALERT
    lockout_seconds = LOCKOUT_SECONDS

    def __init__(self, clock: Callable[[], float] = time.monotonic,
                 max_entries: int = MAX_ENTRIES) -> None:
        self.clock = clock
        self.max_entries = max_entries
        # key -> [wrong passwords, time of the last]; least recently failed first
        self.pairs: "OrderedDict[Tuple[str, str], list]" = OrderedDict()
        self.addresses: "OrderedDict[str, list]" = OrderedDict()
        self.names: "OrderedDict[str, list]" = OrderedDict()

    def _count(self, table: "OrderedDict[Any, list]", key: Any, now: float) -> int:
        entry = table.get(key)
        return entry[0] if entry and now - entry[1] < self.lockout_seconds else 0

    def _add(self, table: "OrderedDict[Any, list]", key: Any, now: float) -> int:
        while table:  # sweep: the least recently failed are at the front
            oldest = next(iter(table.values()))
            if now - oldest[1] < self.lockout_seconds:
                break
            table.popitem(last=False)
        count = self._count(table, key, now) + 1
        table.pop(key, None)
        table[key] = [count, now]
        while len(table) > self.max_entries:
            table.popitem(last=False)
        return count

    def locked(self, address: str, username: str) -> bool:
        now = self.clock()
        return (self._count(self.pairs, (address, username), now) >= self.pair_limit
                or self._count(self.addresses, address, now) >= self.address_limit)

    def failed(self, address: str, username: str) -> None:
        now = self.clock()
        self._add(self.pairs, (address, username), now)
        self._add(self.addresses, address, now)
        if self._add(self.names, username, now) % self.name_alert == 0:
            logger.warning("%d wrong passwords for the name %r in the last few minutes "
                           "(the latest from %s)", self._count(self.names, username, now),
                           username, address)

    def succeeded(self, address: str, username: str) -> None:
        self.pairs.pop((address, username), None)

    def size(self) -> int:
        return len(self.pairs) + len(self.addresses) + len(self.names)


class LoginArea:
    def __init__(self, engine: Engine, table: Table, path: str, signer: Signer,
                 secure_cookies: bool,
                 error_statuses: Sequence[Tuple[type, int]] = (),
                 trust_forwarded_for: bool = False,
                 hasher: Optional[BoundedHasher] = None) -> None:
        self.engine = engine
        self.table = table
        self.path = path  # e.g. "/officer"
        self.cookie = f"{path.strip('/')}_session"
        self.signer = signer
        self.secure_cookies = secure_cookies
        self.throttle = LoginThrottle()
        self.hasher = hasher or HASHER
        # Behind the proxy (which overwrites X-Forwarded-For) the client's address is
        # there; without it, everybody would share the proxy's address and its lockout.
        self.trust_forwarded_for = trust_forwarded_for
        # Exceptions an API handler may raise, most specific first, and their status.
        self.error_statuses = list(error_statuses)

    # -- sessions -------------------------------------------------------------------

    @staticmethod
    def _row_id(session_id: str) -> str:
        # The database keeps a hash: its rows alone do not make a cookie (nor does the
        # signature alone: a cookie needs both).
        return hashlib.sha256(session_id.encode()).hexdigest()

    def start_session(self, username: str) -> str:
        """A new session for the user; the cookie's value."""
        session_id = secrets.token_urlsafe(24)
        now = utc_now()
        with self.engine.begin() as conn:
            conn.execute(login_sessions.delete().where(  # expired ones, anybody's
                login_sessions.c.expires_at < now))
            conn.execute(insert(login_sessions).values(
                id=self._row_id(session_id), area=self.table.name, username=username,
                created_at=now, expires_at=now + timedelta(seconds=SESSION_SECONDS)))
        return self.signer.session_token(username, session_id)

    def session_user(self, token: Optional[str]) -> Optional[str]:
        """The user of a genuine cookie whose session is still open, else None."""
        found = self.signer.session(token)
        if found is None:
            return None
        username, session_id = found
        with self.engine.connect() as conn:
            open_for = conn.execute(select(login_sessions.c.username).where(
                login_sessions.c.id == self._row_id(session_id),
                login_sessions.c.area == self.table.name,
                login_sessions.c.expires_at >= utc_now())).scalar()
        return username if open_for == username else None

    def end_session(self, token: Optional[str]) -> None:
        found = self.signer.session(token)
        if found is None:
            return
        with self.engine.begin() as conn:
            conn.execute(login_sessions.delete().where(
                login_sessions.c.id == self._row_id(found[1]),
                login_sessions.c.area == self.table.name))

    def current(self, request: Request) -> Optional[str]:
        return self.session_user(request.cookies.get(self.cookie))

    def csrf_for(self, request: Request) -> str:
        return self.signer.csrf_token(request.cookies.get(self.cookie, ""))

    def csrf_valid(self, request: Request, offered: Optional[str]) -> bool:
        return self.signer.csrf_ok(request.cookies.get(self.cookie, ""), offered)

    async def attempt(self, request: Request, username: str,
                      password: str) -> Optional[Tuple[str, int]]:
        """None when the login is right, else the reason to show and the status."""
        if not username or not password:
            return "Enter your username and password.", 401
        address = client_address(request, self.trust_forwarded_for)
        too_long = len(username) > MAX_USERNAME or len(password) > MAX_PASSWORD
        username = username[:MAX_USERNAME]  # the throttle's memory is bounded in bytes too
        if self.throttle.locked(address, username):
            return "Too many wrong passwords. Try again in a few minutes.", 401
        if too_long:  # no account has such a name or password: not worth a hash
            right = False
        else:
            try:
                right = await self.hasher.run(check_login, self.engine, username, password,
                                              self.table)
            except LoginBusy:
                return ("Signing in is busy just now. Wait a few seconds and try again.",
                        503)
        if not right:
            self.throttle.failed(address, username)
            return "That username and password do not match.", 401
        self.throttle.succeeded(address, username)
        return None

    @staticmethod
    def _refused(response: HTTPResponse, status: int) -> HTTPResponse:
        response.status = status
        if status == 503:
            response.headers["Retry-After"] = str(BUSY_RETRY_SECONDS)
        return response

    def with_session(self, response: HTTPResponse, token: str) -> HTTPResponse:
        response.cookies[self.cookie] = token
        for key, value in (("httponly", True), ("samesite", "Strict"), ("path", self.path),
                           ("max-age", SESSION_SECONDS), ("secure", self.secure_cookies)):
            response.cookies[self.cookie][key] = value
        return response

    def signed_out(self, response: HTTPResponse) -> HTTPResponse:
        """The cookie cleared on the path it was set on (a browser keeps a cookie unless
        the clearing one has the same name, domain and path)."""
        response.cookies[self.cookie] = ""
        for key, value in (("httponly", True), ("samesite", "Strict"), ("path", self.path),
                           ("max-age", 0),
                           ("expires", datetime(1970, 1, 1, tzinfo=timezone.utc)),
                           ("secure", self.secure_cookies)):
            response.cookies[self.cookie][key] = value
        return response

    async def json_login(self, request: Request, role: str) -> HTTPResponse:
        """POST {username, password}: the session cookie and the CSRF token to send."""
        body = request.json if isinstance(request.json, dict) else {}
        username = str(body.get("username") or "").strip()
        error = await self.attempt(request, username, str(body.get("password") or ""))
        if error:
            return self._refused(json({"error": error[0]}), error[1])
        token = self.start_session(username)
        return self.with_session(
            json({role: username, "csrf_token": self.signer.csrf_token(token)}), token)

    def add_login_routes(self, app: Any, render: Callable[..., HTTPResponse],
                         role: str) -> None:
        """The area's sign-in page and form, sign-out, and JSON login."""
        prefix = self.path.strip("/")

        async def login_page(request: Request) -> HTTPResponse:
            return render("login.html", error=None, username="")

        async def login_form(request: Request) -> HTTPResponse:
            username = (request.form.get("username") or "").strip()
            error = await self.attempt(request, username, request.form.get("password") or "")
            if error:
                return self._refused(render("login.html", error=error[0],
                                            username=username[:MAX_USERNAME]), error[1])
            return self.with_session(redirect(f"{self.path}/"),
                                     self.start_session(username))

        async def logout(request: Request) -> HTTPResponse:
            self.end_session(request.cookies.get(self.cookie))
            return self.signed_out(redirect(f"{self.path}/login"))

        async def api_logout(request: Request) -> HTTPResponse:
            self.end_session(request.cookies.get(self.cookie))
            return self.signed_out(json({"signed_out": True}))

        async def api_login(request: Request) -> HTTPResponse:
            return await self.json_login(request, role)

        app.add_route(login_page, f"{self.path}/login", methods=["GET"],
                      name=f"{prefix}_login_page")
        app.add_route(login_form, f"{self.path}/login", methods=["POST"],
                      name=f"{prefix}_login_form")
        app.add_route(logout, f"{self.path}/logout", methods=["POST"],
                      name=f"{prefix}_logout")
        app.add_route(api_login, f"{self.path}/api/login", methods=["POST"],
                      name=f"{prefix}_api_login")
        app.add_route(api_logout, f"{self.path}/api/logout", methods=["POST"],
                      name=f"{prefix}_api_logout")

    def page(self, handler: Callable) -> Callable:
        @functools.wraps(handler)
        async def wrapped(request: Request, *args: Any, **kwargs: Any) -> HTTPResponse:
            user = self.current(request)
            if user is None:
                return redirect(f"{self.path}/login")
            return await handler(request, user, *args, **kwargs)
        return wrapped

    def api(self, handler: Callable) -> Callable:
        @functools.wraps(handler)
        async def wrapped(request: Request, *args: Any, **kwargs: Any) -> HTTPResponse:
            user = self.current(request)
            if user is None:
                return json({"error": f"log in first (POST {self.path}/api/login)"},
                            status=401)
            if request.method == "POST" and not self.csrf_valid(
                    request, request.headers.get("X-CSRF-Token")):
                return json({"error": "missing or wrong X-CSRF-Token header"}, status=403)
            try:
                return await handler(request, user, *args, **kwargs)
            except Exception as error:  # noqa: BLE001 - mapped below, or re-raised
                for kind, status in self.error_statuses:
                    if isinstance(error, kind):
                        return json({"error": str(error)}, status=status)
                raise
        return wrapped
