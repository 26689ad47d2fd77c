"""Logins for one area of the site (the officers' queue, the staff workbench).

Each area has its own accounts table, cookie, path and signing key, so a login for one is
never a login for the other. Pages redirect to the area's login page; the JSON API
answers 401 without a session and 403 without the CSRF header on a POST.

A session is a row of login_sessions as well as a signed cookie: signing out deletes the
row (and clears the cookie on the area's path, where it was set), a new password deletes
all the user's rows (officer/accounts.py), so a copied cookie is refused from then on.
"""

import functools
import hashlib
import secrets
import time
from datetime import datetime, timedelta, timezone
from typing import Any, Callable, Dict, Optional, Sequence, Tuple

from sanic.request import Request
from sanic.response import HTTPResponse, json, redirect
from sqlalchemy import Table, insert, select
from sqlalchemy.engine import Engine

from casework.database import utc_now
from casework.tables import login_sessions
from officer.accounts import check_login
from officer.sessions import SESSION_SECONDS, Signer

MAX_FAILURES = 5
LOCKOUT_SECONDS = 300


class LoginThrottle:
    """After MAX_FAILURES wrong passwords a username is locked for a while."""

    def __init__(self) -> None:
        self.failures: Dict[str, list] = {}

    def locked(self, username: str) -> bool:
        count, until = self.failures.get(username, (0, 0.0))
        return count >= MAX_FAILURES and time.monotonic() < until

    def failed(self, username: str) -> None:
        count, _ = self.failures.get(username, (0, 0.0))
        self.failures[username] = [count + 1, time.monotonic() + LOCKOUT_SECONDS]

    def succeeded(self, username: str) -> None:
        self.failures.pop(username, None)


class LoginArea:
    def __init__(self, engine: Engine, table: Table, path: str, signer: Signer,
                 secure_cookies: bool,
                 error_statuses: Sequence[Tuple[type, int]] = ()) -> None:
        self.engine = engine
        self.table = table
        self.path = path  # e.g. "/officer"
        self.cookie = f"{path.strip('/')}_session"
        self.signer = signer
        self.secure_cookies = secure_cookies
        self.throttle = LoginThrottle()
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

    def attempt(self, username: str, password: str) -> Optional[str]:
        """None when the login is right, else the reason to show."""
        if not username or not password:
            return "Enter your username and password."
        if self.throttle.locked(username):
            return "Too many wrong passwords. Try again in a few minutes."
        if not check_login(self.engine, username, password, table=self.table):
            self.throttle.failed(username)
            return "That username and password do not match."
        self.throttle.succeeded(username)
        return None

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
        error = self.attempt(username, str(body.get("password") or ""))
        if error:
            return json({"error": error}, status=401)
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
            error = self.attempt(username, request.form.get("password") or "")
            if error:
                response = render("login.html", error=error, username=username)
                response.status = 401
                return response
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
