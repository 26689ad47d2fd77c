"""The staff workbench over HTTP: pages under /staff/, JSON under /staff/api/.

Staff sign in with a staff account (not an officer's): they see how the assistant answers
and why, but never a family's case.
"""

import functools
from pathlib import Path
from typing import Any, Callable, Dict, Optional

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sanic import Sanic
from sanic.request import Request
from sanic.response import HTTPResponse, html, json, redirect

from casework.tables import staff
from officer.accounts import check_login
from officer.app import LoginThrottle
from officer.sessions import SESSION_SECONDS, Signer
from workbench.inspector import Inspector, label_choices
from workbench.reviews import ReviewError, Reviews

COOKIE = "staff_session"
MAX_QUESTION = 500

templates = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                        autoescape=select_autoescape(["html"]))


def add_staff_routes(app: Sanic, engine: Any, inspector: Inspector, secret: str,
                     secure_cookies: bool) -> None:
    # Its own key: an officer's session cookie is not a staff session.
    signer = Signer(f"staff-workbench:{secret}")
    throttle = LoginThrottle()
    reviews = Reviews(engine)
    labels = label_choices()

    def render(template: str, **context: Any) -> HTTPResponse:
        return html(templates.get_template(template).render(labels=labels, **context))

    def current(request: Request) -> Optional[str]:
        return signer.username(request.cookies.get(COOKIE))

    def csrf_valid(request: Request, offered: Optional[str]) -> bool:
        return signer.csrf_ok(request.cookies.get(COOKIE, ""), offered)

    def login(username: str, password: str) -> Optional[str]:
        if not username or not password:
            return "Enter your username and password."
        if throttle.locked(username):
            return "Too many wrong passwords. Try again in a few minutes."
        if not check_login(engine, username, password, table=staff):
            throttle.failed(username)
            return "That username and password do not match."
        throttle.succeeded(username)
        return None

    def with_session(response: HTTPResponse, token: str) -> HTTPResponse:
        response.cookies[COOKIE] = token
        for key, value in (("httponly", True), ("samesite", "Strict"), ("path", "/staff"),
                           ("max-age", SESSION_SECONDS), ("secure", secure_cookies)):
            response.cookies[COOKIE][key] = value
        return response

    def page(handler: Callable) -> Callable:
        @functools.wraps(handler)
        async def wrapped(request: Request, *args: Any, **kwargs: Any) -> HTTPResponse:
            member = current(request)
            if member is None:
                return redirect("/staff/login")
            return await handler(request, member, *args, **kwargs)
        return wrapped

    def api(handler: Callable) -> Callable:
        @functools.wraps(handler)
        async def wrapped(request: Request, *args: Any, **kwargs: Any) -> HTTPResponse:
            member = current(request)
            if member is None:
                return json({"error": "log in first (POST /staff/api/login)"}, status=401)
            if request.method == "POST" and not csrf_valid(
                    request, request.headers.get("X-CSRF-Token")):
                return json({"error": "missing or wrong X-CSRF-Token header"}, status=403)
            try:
                return await handler(request, member, *args, **kwargs)
            except ReviewError as error:
                return json({"error": str(error)}, status=400)
        return wrapped

    async def try_question(question: Any) -> Dict[str, Any]:
        if not isinstance(question, str) or not question.strip():
            raise ReviewError("type a question")
        if len(question) > MAX_QUESTION:
            raise ReviewError(f"a question can be at most {MAX_QUESTION} characters")
        try:
            return await inspector.inspect(question.strip())
        except FileNotFoundError as error:
            raise ReviewError(str(error)) from error

    # -- pages ----------------------------------------------------------------------

    @app.get("/staff/login")
    async def login_page(request: Request) -> HTTPResponse:
        return render("login.html", error=None, username="")

    @app.post("/staff/login")
    async def login_form(request: Request) -> HTTPResponse:
        username = (request.form.get("username") or "").strip()
        error = login(username, request.form.get("password") or "")
        if error:
            response = render("login.html", error=error, username=username)
            response.status = 401
            return response
        return with_session(redirect("/staff/"), signer.session_token(username))

    @app.post("/staff/logout")
    async def logout(request: Request) -> HTTPResponse:
        response = redirect("/staff/login")
        del response.cookies[COOKIE]
        return response

    @app.route("/staff/", methods=["GET", "POST"])
    @page
    async def workbench(request: Request, member: str) -> HTTPResponse:
        csrf = signer.csrf_token(request.cookies.get(COOKIE, ""))
        context: Dict[str, Any] = {"member": member, "csrf": csrf, "result": None,
                                   "error": None, "saved": request.args.get("saved")}
        if request.method == "POST":
            if not csrf_valid(request, request.form.get("csrf")):
                return html("The form had expired. Reload the page.", status=403)
            try:
                context["result"] = await try_question(request.form.get("question"))
            except ReviewError as error:
                context["error"] = str(error)
        return render("workbench.html", **context)

    @app.post("/staff/review")
    @page
    async def review_form(request: Request, member: str) -> HTTPResponse:
        if not csrf_valid(request, request.form.get("csrf")):
            return html("The form had expired. Reload the page.", status=403)
        form = request.form
        try:
            confidence = float(form.get("confidence") or 0)
            item = reviews.add(form.get("question"), form.get("answered") or None,
                               form.get("intent") or None, confidence,
                               form.get("verdict"), form.get("expected"), member)
        except (ReviewError, ValueError) as error:
            return html(f"Not saved: {error}. Go back and try again.", status=400)
        return redirect(f"/staff/?saved={item['id']}")

    @app.get("/staff/reviews")
    @page
    async def review_list(request: Request, member: str) -> HTTPResponse:
        return render("reviews.html", member=member, items=reviews.list(),
                      csrf=signer.csrf_token(request.cookies.get(COOKIE, "")))

    # -- JSON API -------------------------------------------------------------------

    @app.post("/staff/api/login")
    async def api_login(request: Request) -> HTTPResponse:
        body = request.json if isinstance(request.json, dict) else {}
        username = str(body.get("username") or "").strip()
        error = login(username, str(body.get("password") or ""))
        if error:
            return json({"error": error}, status=401)
        token = signer.session_token(username)
        return with_session(json({"staff": username, "csrf_token": signer.csrf_token(token)}),
                            token)

    @app.post("/staff/api/try")
    @api
    async def api_try(request: Request, member: str) -> HTTPResponse:
        body = request.json if isinstance(request.json, dict) else {}
        return json(await try_question(body.get("question")))

    @app.post("/staff/api/reviews")
    @api
    async def api_review(request: Request, member: str) -> HTTPResponse:
        body = request.json if isinstance(request.json, dict) else {}
        try:
            confidence = float(body.get("confidence") or 0)
        except (TypeError, ValueError) as error:
            raise ReviewError("confidence must be a number") from error
        item = reviews.add(body.get("question"), body.get("answered"), body.get("intent"),
                           confidence, body.get("verdict"), body.get("expected"), member)
        return json(item, status=201)

    @app.get("/staff/api/reviews")
    @api
    async def api_reviews(request: Request, member: str) -> HTTPResponse:
        return json({"items": reviews.list(request.args.get("status"))})
