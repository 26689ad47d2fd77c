"""The queues over HTTP, one per desk (casework/desks.py): the data-protection officers'
under /officer/ and the duty workers' under /duty/, each with its pages, its JSON API
(/officer/api/, /duty/api/), its accounts and its login. A desk sees only its own cases.
The duty queue also says who is on duty for live chats, and who is waiting for one."""

import csv
import io
from datetime import date, timedelta
from pathlib import Path
from dataclasses import dataclass
from typing import Any, Dict, List, Optional
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sanic import Sanic
from sanic.request import Request
from sanic.response import HTTPResponse, html, json, raw, redirect
from sqlalchemy import Table

from casework.cases import (OUTCOMES, PRIORITIES, CaseConflict, CaseError, CaseNotFound,
                            CaseQuery, CaseStore, is_overdue)
from casework.desks import desk_of
from casework.duty import DutyRota
from casework.live import LiveChats
from casework.tables import duty_workers, officers
from web.auth.accounts import usernames
from web.auth.sessions import Signer
from web.auth.logins import LoginArea
from web.times import local_day, local_time

RELATIONSHIPS = {"parent": "Parent or guardian", "young_person": "Young person",
                 "care_leaver": "Care leaver", "carer": "Carer", "other": "Other"}

templates = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(["html"]),
)
templates.filters.update(local_time=local_time, local_day=local_day)
# A case not overdue but due within this many days is marked "due soon" in the queue.
DUE_SOON_DAYS = 3


@dataclass(frozen=True)
class Desk:
    name: str          # "officer" or "duty": the path, and casework's desk
    accounts: Table
    title: str         # the pages' title
    worker: str        # what one of its people is called
    joins_as: str      # what the family sees when one joins their chat


OFFICERS = Desk("officer", officers, "Officers' queue", "Officer",
                "An officer from the council")
DUTY = Desk("duty", duty_workers, "Duty queue", "Duty worker",
            "A duty worker from the council")

CSV_COLUMNS = ("reference", "request", "priority", "status", "received", "due", "closed",
               "outcome", "assigned_to", "contact_given")


def query_from(args: Any) -> CaseQuery:
    """The queue's filters from a query string; an empty field is no filter."""
    def one(name: str) -> Optional[str]:
        return (args.get(name) or "").strip() or None

    try:
        page = int(args.get("page") or 1)
    except ValueError:
        page = 0  # refused by CaseQuery.check
    return CaseQuery(status=one("status") or "active", request=one("request"),
                     priority=one("priority"), assigned=one("assigned"), due=one("due"),
                     reference=one("reference"), sort=one("sort") or "priority", page=page)


def query_string(query: CaseQuery, **change: Any) -> str:
    """The query as a link's query string, with some fields changed (None drops one)."""
    values = {"status": query.status, "request": query.request, "priority": query.priority,
              "assigned": query.assigned, "due": query.due, "reference": query.reference,
              "sort": query.sort, "page": query.page, **change}
    return urlencode({k: v for k, v in values.items() if v not in (None, "")})


def cases_csv(rows: List[Dict[str, Any]], settings: Dict[str, Any]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for case in rows:
        values = [case["reference"], case["request"], case["priority_name"], case["status"],
                  case["created_at"], case["due_date"], case["closed_at"] or "",
                  case["outcome"] or "", case["assigned_to"] or "",
                  "yes" if case["contact_given"] else "no"]
        # A cell a spreadsheet would run as a formula is kept as text.
        writer.writerow(["'" + v if isinstance(v, str) and v[:1] in "=+-@" else v
                         for v in values])
    return out.getvalue()


def is_due_soon(case: Dict[str, Any], today: date) -> bool:
    due = date.fromisoformat(case["due_date"])
    return case["status"] != "closed" and today <= due <= today + timedelta(days=DUE_SOON_DAYS)


STATIC = {"queue.js": "text/javascript", "live.js": "text/javascript",
          "duty.js": "text/javascript",
          "officer.css": "text/css"}


def add_queue_routes(app: Sanic, store: CaseStore, secret: str, secure_cookies: bool,
                     desk: Desk) -> None:
    base = f"/{desk.name}"
    for name, kind in STATIC.items():
        app.static(f"{base}/static/{name}", str(Path(__file__).parent / "static" / name),
                   name=f"{desk.name}_{name.replace('.', '_')}",
                   content_type=f"{kind}; charset=utf-8")
    live = LiveChats(store.engine)
    rota = DutyRota(store.engine)
    area = LoginArea(store.engine, desk.accounts, base, Signer(secret), secure_cookies,
                     error_statuses=[(CaseNotFound, 404), (CaseConflict, 409),
                                     (CaseError, 400)],
                     trust_forwarded_for=bool(store.settings["rate_limits"].get(
                         "trust_forwarded_for", False)))
    settings = store.settings

    def render(template: str, **context: Any) -> HTTPResponse:
        return html(templates.get_template(template).render(desk=desk, base=base,
                                                            **context))

    def desk_case(reference: str) -> Dict[str, Any]:
        """The case, if it is on this desk: another desk's case is not found here."""
        case = store.get(reference)
        if desk_of(case["request"]) != desk.name:
            raise CaseNotFound(f"no case {reference}")
        return case

    def case_view(case: Dict[str, Any]) -> Dict[str, Any]:
        request = settings["requests"].get(case["request"], {})
        return {**case, "request_label": request.get("label", case["request"]),
                "relationship_label": RELATIONSHIPS.get(case.get("relationship") or "",
                                                        case.get("relationship")),
                "overdue": is_overdue(case, date.today()),
                "due_soon": is_due_soon(case, date.today())}

    # -- pages --------------------------------------------------------------------

    area.add_login_routes(app, render, desk.name)

    request_types = sorted(kind for kind in settings["requests"]
                           if desk_of(kind) == desk.name)

    def checked_query(args: Any) -> CaseQuery:
        query = query_from(args)
        query.check(request_types)
        query.desk = desk.name
        return query

    def colleagues() -> List[str]:
        return usernames(store.engine, desk.accounts)

    @app.get(f"{base}/")
    @area.page
    async def queue_page(request: Request, officer: str) -> HTTPResponse:
        error = None
        try:
            query = checked_query(request.args)
        except CaseError as problem:
            error, query = str(problem), CaseQuery()
        found, total = store.find_cases(query)
        pages = max(1, -(-total // query.per_page))
        here = live.who_is_here([c["conversation_id"] for c in found])
        on_duty = rota.on_duty() if desk is DUTY else []
        shown = [{**case_view(c), "online": here.get(c["conversation_id"]) == "online",
                  "live": here.get(c["conversation_id"]) == "live"} for c in found]
        return render("queue.html", officer=officer, cases=shown,
                      total=total, query=query, pages=pages, error=error,
                      link=lambda **change: f"{base}/?" + query_string(query, **change),
                      export=f"{base}/export.csv?" + query_string(query, page=None),
                      colleagues=colleagues(),
                      waiting=rota.waiting() if desk is DUTY else [],
                      available=officer in on_duty, on_duty=on_duty,
                      requests=[(kind, settings["requests"][kind]["label"])
                                for kind in request_types],
                      priorities=list(PRIORITIES), csrf=area.csrf_for(request))

    @app.get(f"{base}/export.csv")
    @area.page
    async def export(request: Request, officer: str) -> HTTPResponse:
        """The filtered list, every page, for the council's statutory returns: no contact
        details and nothing the family typed."""
        try:
            query = checked_query(request.args)
        except CaseError as problem:
            return html(str(problem), status=400)
        rows, query.page, query.per_page = [], 1, 500
        while True:
            found, total = store.find_cases(query)
            rows += found
            if len(rows) >= total or not found:
                break
            query.page += 1
        return raw(cases_csv(rows, settings).encode("utf-8"), content_type="text/csv; charset=utf-8",
                   headers={"Content-Disposition":
                            f'attachment; filename="cases-{date.today()}.csv"'})

    @app.get(f"{base}/cases/<reference>")
    @area.page
    async def case_page(request: Request, officer: str, reference: str) -> HTTPResponse:
        try:
            case = case_view(desk_case(reference))
        except CaseError:
            response = render("missing.html", officer=officer, reference=reference,
                              csrf=area.csrf_for(request))
            response.status = 404
            return response
        return render("case.html", officer=officer, case=case, outcomes=OUTCOMES,
                      csrf=area.csrf_for(request), error=request.args.get("error"),
                      live=live.state(reference), colleagues=colleagues())

    @app.post(f"{base}/cases/<reference>/<change>")
    @area.page
    async def case_form(request: Request, officer: str, reference: str,
                        change: str) -> HTTPResponse:
        if not area.csrf_valid(request, request.form.get("csrf")):
            return html("The form had expired. Go back, reload the page and try again.",
                        status=403)
        if change == "close" and request.form.get("confirm") != "yes":
            error = "Choose an outcome and tick the box to confirm the case is closed."
        else:
            error = apply_change(reference, officer, change, request.form)
        target = f"{base}/cases/{reference}"
        return redirect(target + (f"?error={error}" if error else ""))

    def apply_change(reference: str, officer: str, change: str, data: Any) -> Optional[str]:
        """Make the change; the error to show, or None."""
        try:
            change_case(reference, officer, change, data)
        except CaseError as error:
            return str(error)
        return None

    def change_case(reference: str, officer: str, change: str, data: Any) -> None:
        desk_case(reference)
        if change == "take":
            store.take(reference, officer)
        elif change == "assign":
            to = str(data.get("to") or "").strip()
            if to and to not in colleagues():
                raise CaseError(f"{to} has no account on this queue")
            store.assign(reference, officer, to)
        elif change in ("note", "notes"):
            store.add_note(reference, officer, str(data.get("text") or ""))
        elif change == "close":
            store.close(reference, officer, str(data.get("outcome") or ""),
                        str(data.get("note") or ""))
        else:
            raise CaseNotFound(f"no such change: {change}")

    # -- JSON API -----------------------------------------------------------------

    @app.get(f"{base}/api/cases")
    @area.api
    async def api_cases(request: Request, officer: str) -> HTTPResponse:
        query = checked_query(request.args)
        found, total = store.find_cases(query)
        return json({"status": query.status, "total": total, "page": query.page,
                     "cases": [case_view(c) for c in found]})

    @app.get(f"{base}/api/cases/<reference>")
    @area.api
    async def api_case(request: Request, officer: str, reference: str) -> HTTPResponse:
        return json(case_view(desk_case(reference)))

    @app.post(f"{base}/api/cases/<reference>/<change>")
    @area.api
    async def api_change(request: Request, officer: str, reference: str,
                         change: str) -> HTTPResponse:
        body = request.json if isinstance(request.json, dict) else {}
        change_case(reference, officer, change, body)
        return json(case_view(store.get(reference)))

    @app.get(f"{base}/api/cases/<reference>/live")
    @area.api
    async def api_live(request: Request, officer: str, reference: str) -> HTTPResponse:
        desk_case(reference)
        return json(live.state(reference))

    @app.post(f"{base}/api/cases/<reference>/live/<change>")
    @area.api
    async def api_live_change(request: Request, officer: str, reference: str,
                              change: str) -> HTTPResponse:
        body = request.json if isinstance(request.json, dict) else {}
        case = desk_case(reference)
        if change == "start":
            store.take(reference, officer)  # talking to the family means owning the case
            state = live.start(reference, officer, who=desk.joins_as)
            rota.answered(case["conversation_id"], officer)
            return json(state)
        if change == "message":
            return json(live.from_officer(reference, officer, str(body.get("text") or "")))
        if change == "end":
            return json(live.hand_back(reference, officer, who=f"The {desk.worker.lower()}"))
        raise CaseNotFound(f"no such change: {change}")

    if desk is DUTY:
        add_rota_routes(app, area, rota, render, base)


def add_rota_routes(app: Sanic, area: LoginArea, rota: DutyRota, render: Any,
                    base: str) -> None:
    """The duty queue's live-chat rota: a worker says they are available; their open page
    keeps them on duty (static/duty.js) and shows the families waiting for one."""

    @app.post(f"{base}/rota")
    @area.page
    async def rota_form(request: Request, officer: str) -> HTTPResponse:
        if not area.csrf_valid(request, request.form.get("csrf")):
            return html("The form had expired. Go back, reload the page and try again.",
                        status=403)
        rota.set_available(officer, request.form.get("available") == "yes")
        return redirect(f"{base}/")

    @app.get(f"{base}/api/rota")
    @area.api
    async def api_rota(request: Request, officer: str) -> HTTPResponse:
        """Called every few seconds by an open duty page: it keeps the worker on duty."""
        return json({"available": rota.seen(officer), "on_duty": rota.on_duty(),
                     "waiting": rota.waiting()})

    @app.post(f"{base}/api/rota")
    @area.api
    async def api_rota_change(request: Request, officer: str) -> HTTPResponse:
        body = request.json if isinstance(request.json, dict) else {}
        rota.set_available(officer, bool(body.get("available")))
        return json({"available": rota.is_available(officer), "on_duty": rota.on_duty(),
                     "waiting": rota.waiting()})


def add_desks(app: Sanic, store: CaseStore, secret: str, secure_cookies: bool) -> None:
    for desk in (OFFICERS, DUTY):
        add_queue_routes(app, store, secret, secure_cookies, desk)

