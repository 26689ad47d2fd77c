"""The staff workbench over HTTP: pages under /staff/, JSON under /staff/api/.

Staff sign in with a staff account (not an officer's): they see how the assistant answers
and why, but never a family's case.
"""

import os
from pathlib import Path
from typing import Any, Dict, Optional, Set

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sanic import Sanic
from sanic.request import Request
from sanic.response import HTTPResponse, html, json, redirect

from core.settings import load_settings
from casework.tables import staff
from web.auth.sessions import Signer
from web.auth.logins import LoginArea
from web.staff.inspector import Inspector, label_choices
from curation.reviews import NLU, ReviewError, Reviews

MAX_QUESTION = 500


def training_data() -> Path:
    """Where applied review items are written: data/nlu/, or ASSISTANT_TRAINING_DATA (a
    copy of it, for a trial or a test)."""
    return Path(os.environ.get("ASSISTANT_TRAINING_DATA") or NLU)


def protected() -> Set[str]:
    # Read only when staff look at or apply review items: the site does not load the
    # questions that must stay unseen at start-up (tests/test_layers.py).
    from curation.protected import protected_questions
    return protected_questions()

templates = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                        autoescape=select_autoescape(["html"]))


def add_staff_routes(app: Sanic, engine: Any, inspector: Inspector, secret: str,
                     secure_cookies: bool,
                     trust_forwarded_for: Optional[bool] = None) -> None:
    if trust_forwarded_for is None:  # as the chat and the officers' queue: the settings
        trust_forwarded_for = bool(load_settings()["rate_limits"].get(
            "trust_forwarded_for", False))
    # Its own key: an officer's session cookie is not a staff session.
    area = LoginArea(engine, staff, "/staff", Signer(f"staff-workbench:{secret}"),
                     secure_cookies, error_statuses=[(ReviewError, 400)],
                     trust_forwarded_for=trust_forwarded_for)
    reviews = Reviews(engine)
    labels = label_choices()

    @app.listener("after_server_stop")
    async def stop_the_practice_server(*_: object) -> None:
        inspector.practice.stop()
    app.static("/staff/static/workbench.css",
               str(Path(__file__).parent / "static" / "workbench.css"),
               name="workbench_css", content_type="text/css; charset=utf-8")

    def render(template: str, **context: Any) -> HTTPResponse:
        return html(templates.get_template(template).render(labels=labels, **context))

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

    area.add_login_routes(app, render, "staff")

    @app.route("/staff/", methods=["GET", "POST"])
    @area.page
    async def workbench(request: Request, member: str) -> HTTPResponse:
        csrf = area.csrf_for(request)
        context: Dict[str, Any] = {"member": member, "csrf": csrf, "result": None,
                                   "error": None, "saved": request.args.get("saved")}
        if request.method == "POST":
            if not area.csrf_valid(request, request.form.get("csrf")):
                return html("The form had expired. Reload the page.", status=403)
            try:
                context["result"] = await try_question(request.form.get("question"))
            except ReviewError as error:
                context["error"] = str(error)
        return render("workbench.html", **context)

    @app.post("/staff/review")
    @area.page
    async def review_form(request: Request, member: str) -> HTTPResponse:
        if not area.csrf_valid(request, request.form.get("csrf")):
            return html("The form had expired. Reload the page.", status=403)
        form = request.form
        try:
            confidence = float(form.get("confidence") or 0)
            item = reviews.add(form.get("question"), form.get("answered") or None,
                               form.get("intent") or None, confidence,
                               form.get("verdict"), form.get("expected"), member)
        except (ReviewError, ValueError) as error:
            response = render("workbench.html", member=member, csrf=area.csrf_for(request),
                              result=None, saved=None,
                              error=f"Not saved: {error}. Ask the question again and "
                                    "choose a section.",
                              question=form.get("question") or "")
            response.status = 400
            return response
        return redirect(f"/staff/?saved={item['id']}")

    def review_page(request: Request, member: str, message: Optional[str] = None,
                    error: Optional[str] = None) -> HTTPResponse:
        return render("reviews.html", member=member, items=reviews.list(),
                      preview=reviews.preview(protected(), training_data()),
                      csrf=area.csrf_for(request), message=message, error=error)

    # After a change the page is fetched again (a reload does not repeat the change).
    DONE = {"approved": "Approved.", "rejected": "Rejected.", "none": "Nothing approved "
            "to add.", "applied": "Applied: each item's outcome is in its row. The "
            "assistant learns the added examples at its next training: ask a developer "
            "to check the change (git diff data/) and retrain."}

    @app.get("/staff/reviews")
    @area.page
    async def review_list(request: Request, member: str) -> HTTPResponse:
        return review_page(request, member, message=DONE.get(request.args.get("done", "")))

    @app.post("/staff/reviews/<item_id:int>/<decision>")
    @area.page
    async def review_decision(request: Request, member: str, item_id: int,
                              decision: str) -> HTTPResponse:
        if not area.csrf_valid(request, request.form.get("csrf")):
            return html("The form had expired. Reload the page.", status=403)
        if decision not in ("approve", "reject"):
            return html("No such decision.", status=404)
        try:
            reviews.decide(item_id, approve=decision == "approve")
        except ReviewError as error:
            response = review_page(request, member, error=str(error))
            response.status = 400
            return response
        return redirect(f"/staff/reviews?done={decision.rstrip('e')}ed#item-{item_id}")

    @app.post("/staff/reviews/apply")
    @area.page
    async def review_apply(request: Request, member: str) -> HTTPResponse:
        if not area.csrf_valid(request, request.form.get("csrf")):
            return html("The form had expired. Reload the page.", status=403)
        lines = reviews.apply(protected(), training_data())
        return redirect(f"/staff/reviews?done={'applied' if lines else 'none'}")

    # -- JSON API -------------------------------------------------------------------

    @app.post("/staff/api/try")
    @area.api
    async def api_try(request: Request, member: str) -> HTTPResponse:
        body = request.json if isinstance(request.json, dict) else {}
        return json(await try_question(body.get("question")))

    @app.post("/staff/api/reviews")
    @area.api
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
    @area.api
    async def api_reviews(request: Request, member: str) -> HTTPResponse:
        return json({"items": reviews.list(request.args.get("status"))})

    @app.post("/staff/api/reviews/<item_id:int>/<decision>")
    @area.api
    async def api_decision(request: Request, member: str, item_id: int,
                           decision: str) -> HTTPResponse:
        if decision not in ("approve", "reject"):
            raise ReviewError("the decision is approve or reject")
        return json(reviews.decide(item_id, approve=decision == "approve"))

    @app.post("/staff/api/reviews/apply")
    @area.api
    async def api_apply(request: Request, member: str) -> HTTPResponse:
        return json({"outcomes": reviews.apply(protected(), training_data())})
