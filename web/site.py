"""The council's web site: one Sanic app with the families' chat (web/chat/), the queues
of the officers and of the duty workers (web/queue/) and the staff workbench
(web/staff/), the headers every page gets, and the site's health check."""

from sanic import Sanic
from sanic.request import Request
from sanic.response import HTTPResponse, json

from core.settings import MAX_REQUEST_BYTES
from casework.cases import CaseStore
from casework.live import LiveChats
from redaction.redactor import warm_up
from web.chat.routes import add_chat_routes
from web.queue.routes import add_desks
from web.staff.inspector import inspector_from_settings
from web.staff.routes import add_staff_routes


def create_site(store: CaseStore, secret: str, secure_cookies: bool) -> Sanic:
    app = Sanic("council_site")
    app.config.REQUEST_MAX_SIZE = MAX_REQUEST_BYTES  # Sanic's default is 100 MB
    add_security_headers(app, secure_cookies)

    @app.get("/health")
    async def health(request: Request) -> HTTPResponse:
        return json({"status": "ok"})

    @app.listener("after_server_start")
    async def load_the_redactor(*_: object) -> None:
        # Live-chat messages are redacted (casework/live.py); loading the redactor takes
        # seconds, which must not fall on the first live message, nor stall the site.
        warm_up()

    add_desks(app, store, secret, secure_cookies)
    add_chat_routes(app, store, LiveChats(store.engine), secret)
    add_staff_routes(app, store.engine, inspector_from_settings(store.settings), secret,
                     secure_cookies)
    return app


def add_security_headers(app: Sanic, secure_cookies: bool) -> None:
    @app.middleware("response")
    async def security_headers(request: Request, response: HTTPResponse) -> None:
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Cache-Control"] = "no-store"
        # Styles live in files (no inline <style> or style=""): injected markup cannot
        # restyle a page to hide or fake what an officer or a family sees.
        response.headers["Content-Security-Policy"] = (
            "default-src 'self'; form-action 'self'; frame-ancestors 'none'; "
            "base-uri 'none'; object-src 'none'")
        if secure_cookies:  # production: served over TLS only (docs/production.md)
            response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
