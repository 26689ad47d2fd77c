"""The officers' queue over HTTP: pages under /officer/, JSON under /officer/api/."""

import functools
import time
from datetime import date
from pathlib import Path
from typing import Any, Callable, Dict, Optional

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sanic import Sanic
from sanic.request import Request
from sanic.response import HTTPResponse, html, json, redirect

from casework.cases import (OUTCOMES, CaseConflict, CaseError, CaseNotFound, CaseStore,
                            is_overdue)
from casework.live import LiveChats
from officer.accounts import check_login
from officer.sessions import SESSION_SECONDS, Signer

COOKIE = "officer_session"
MAX_FAILURES = 5
LOCKOUT_SECONDS = 300
RELATIONSHIPS = {"parent": "Parent or guardian", "young_person": "Young person",
                 "care_leaver": "Care leaver", "carer": "Carer", "other": "Other"}

templates = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(["html"]),
)


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


def create_app(store: CaseStore, secret: str, secure_cookies: bool,
               name: str = "officer_queue") -> Sanic:
    app = Sanic(name)
    app.static("/officer/static/live.js", str(Path(__file__).parent / "static" / "live.js"),
               name="officer_live_js", content_type="text/javascript; charset=utf-8")
    live = LiveChats(store.engine)
    signer = Signer(secret)
    throttle = LoginThrottle()
    settings = store.settings

    def render(template: str, **context: Any) -> HTTPResponse:
        return html(templates.get_template(template).render(**context))

    def current(request: Request) -> Optional[str]:
        return signer.username(request.cookies.get(COOKIE))

    def csrf_for(request: Request) -> str:
        return signer.csrf_token(request.cookies.get(COOKIE, ""))

    def csrf_valid(request: Request, offered: Optional[str]) -> bool:
        return signer.csrf_ok(request.cookies.get(COOKIE, ""), offered)

    def with_session(response: HTTPResponse, username: str) -> HTTPResponse:
        response.cookies[COOKIE] = signer.session_token(username)
        cookie = response.cookies[COOKIE]
        cookie["httponly"] = True
        cookie["samesite"] = "Strict"
        cookie["path"] = "/officer"
        cookie["max-age"] = SESSION_SECONDS
        cookie["secure"] = secure_cookies
        return response

    def attempt_login(username: str, password: str) -> Optional[str]:
        """None when logged in, else the reason to show."""
        if not username or not password:
            return "Enter your username and password."
        if throttle.locked(username):
            return "Too many wrong passwords. Try again in a few minutes."
        if not check_login(store.engine, username, password):
            throttle.failed(username)
            return "That username and password do not match."
        throttle.succeeded(username)
        return None

    def case_view(case: Dict[str, Any]) -> Dict[str, Any]:
        request = settings["requests"].get(case["request"], {})
        return {**case, "request_label": request.get("label", case["request"]),
                "relationship_label": RELATIONSHIPS.get(case.get("relationship") or "",
                                                        case.get("relationship")),
                "overdue": is_overdue(case, date.today())}

    @app.middleware("response")
    async def security_headers(request: Request, response: HTTPResponse) -> None:
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Cache-Control"] = "no-store"
        response.headers["Content-Security-Policy"] = (
            "default-src 'self'; style-src 'self' 'unsafe-inline'; form-action 'self'; "
            "frame-ancestors 'none'")

    @app.get("/officer/health")
    async def health(request: Request) -> HTTPResponse:
        return json({"status": "ok"})

    # -- pages --------------------------------------------------------------------

    @app.get("/officer/login")
    async def login_page(request: Request) -> HTTPResponse:
        return render("login.html", error=None, username="")

    @app.post("/officer/login")
    async def login_form(request: Request) -> HTTPResponse:
        username = (request.form.get("username") or "").strip()
        error = attempt_login(username, request.form.get("password") or "")
        if error:
            response = render("login.html", error=error, username=username)
            response.status = 401
            return response
        return with_session(redirect("/officer/"), username)

    @app.post("/officer/logout")
    async def logout(request: Request) -> HTTPResponse:
        response = redirect("/officer/login")
        del response.cookies[COOKIE]
        return response

    def page(handler: Callable) -> Callable:
        @functools.wraps(handler)
        async def wrapped(request: Request, *args: Any, **kwargs: Any) -> HTTPResponse:
            officer = current(request)
            if officer is None:
                return redirect("/officer/login")
            return await handler(request, officer, *args, **kwargs)

        return wrapped

    @app.get("/officer/")
    @page
    async def queue_page(request: Request, officer: str) -> HTTPResponse:
        status = request.args.get("status", "active")
        try:
            cases = [case_view(c) for c in store.list_cases(status)]
        except CaseError:
            status, cases = "active", [case_view(c) for c in store.list_cases("active")]
        return render("queue.html", officer=officer, cases=cases, status=status,
                      csrf=csrf_for(request))

    @app.get("/officer/cases/<reference>")
    @page
    async def case_page(request: Request, officer: str, reference: str) -> HTTPResponse:
        try:
            case = case_view(store.get(reference))
        except CaseError:
            response = render("missing.html", officer=officer, reference=reference,
                              csrf=csrf_for(request))
            response.status = 404
            return response
        return render("case.html", officer=officer, case=case, outcomes=OUTCOMES,
                      csrf=csrf_for(request), error=request.args.get("error"),
                      live=live.state(reference))

    @app.post("/officer/cases/<reference>/<change>")
    @page
    async def case_form(request: Request, officer: str, reference: str,
                        change: str) -> HTTPResponse:
        if not csrf_valid(request, request.form.get("csrf")):
            return html("The form had expired. Go back, reload the page and try again.",
                        status=403)
        error = apply_change(reference, officer, change, request.form)
        target = f"/officer/cases/{reference}"
        return redirect(target + (f"?error={error}" if error else ""))

    def apply_change(reference: str, officer: str, change: str, data: Any) -> Optional[str]:
        """Make the change; the error to show, or None."""
        try:
            change_case(reference, officer, change, data)
        except CaseError as error:
            return str(error)
        return None

    def change_case(reference: str, officer: str, change: str, data: Any) -> None:
        if change == "take":
            store.take(reference, officer)
        elif change in ("note", "notes"):
            store.add_note(reference, officer, str(data.get("text") or ""))
        elif change == "close":
            store.close(reference, officer, str(data.get("outcome") or ""),
                        str(data.get("note") or ""))
        else:
            raise CaseNotFound(f"no such change: {change}")

    # -- JSON API -----------------------------------------------------------------

    @app.post("/officer/api/login")
    async def api_login(request: Request) -> HTTPResponse:
        body = request.json if isinstance(request.json, dict) else {}
        username = str(body.get("username") or "").strip()
        error = attempt_login(username, str(body.get("password") or ""))
        if error:
            return json({"error": error}, status=401)
        token = signer.session_token(username)
        response = json({"officer": username, "csrf_token": signer.csrf_token(token)})
        with_session(response, username)
        response.cookies[COOKIE].value = token
        return response

    def api(handler: Callable) -> Callable:
        @functools.wraps(handler)
        async def wrapped(request: Request, *args: Any, **kwargs: Any) -> HTTPResponse:
            officer = current(request)
            if officer is None:
                return json({"error": "log in first (POST /officer/api/login)"}, status=401)
            if request.method == "POST" and not csrf_valid(
                    request, request.headers.get("X-CSRF-Token")):
                return json({"error": "missing or wrong X-CSRF-Token header"}, status=403)
            try:
                return await handler(request, officer, *args, **kwargs)
            except CaseNotFound as error:
                return json({"error": str(error)}, status=404)
            except CaseConflict as error:
                return json({"error": str(error)}, status=409)
            except CaseError as error:
                return json({"error": str(error)}, status=400)

        return wrapped

    @app.get("/officer/api/cases")
    @api
    async def api_cases(request: Request, officer: str) -> HTTPResponse:
        status = request.args.get("status", "active")
        return json({"status": status, "cases": [case_view(c) for c in store.list_cases(status)]})

    @app.get("/officer/api/cases/<reference>")
    @api
    async def api_case(request: Request, officer: str, reference: str) -> HTTPResponse:
        return json(case_view(store.get(reference)))

    @app.post("/officer/api/cases/<reference>/<change>")
    @api
    async def api_change(request: Request, officer: str, reference: str,
                         change: str) -> HTTPResponse:
        body = request.json if isinstance(request.json, dict) else {}
        change_case(reference, officer, change, body)
        return json(case_view(store.get(reference)))

    @app.get("/officer/api/cases/<reference>/live")
    @api
    async def api_live(request: Request, officer: str, reference: str) -> HTTPResponse:
        return json(live.state(reference))

    @app.post("/officer/api/cases/<reference>/live/<change>")
    @api
    async def api_live_change(request: Request, officer: str, reference: str,
                              change: str) -> HTTPResponse:
        body = request.json if isinstance(request.json, dict) else {}
        if change == "start":
            store.take(reference, officer)  # talking to the family means owning the case
            return json(live.start(reference, officer))
        if change == "message":
            return json(live.from_officer(reference, officer, str(body.get("text") or "")))
        if change == "end":
            return json(live.hand_back(reference, officer))
        raise CaseNotFound(f"no such change: {change}")

    return app
