"""One Sanic app for the web: families' chat (webchat/), the officers' queue (officer/)
and the staff workbench (workbench/)."""

from sanic import Sanic

from core.settings import MAX_REQUEST_BYTES
from casework.cases import CaseStore
from casework.live import LiveChats
from officer.app import create_app
from redaction.redactor import warm_up
from webchat.routes import add_chat_routes
from workbench.inspector import inspector_from_settings
from workbench.routes import add_staff_routes


def create_site(store: CaseStore, secret: str, secure_cookies: bool) -> Sanic:
    app = create_app(store, secret, secure_cookies, name="council_site")
    app.config.REQUEST_MAX_SIZE = MAX_REQUEST_BYTES  # Sanic's default is 100 MB

    @app.listener("after_server_start")
    async def load_the_redactor(*_: object) -> None:
        # Live-chat messages are redacted (casework/live.py); loading the redactor takes
        # seconds, which must not fall on the first live message, nor stall the site.
        warm_up()

    add_chat_routes(app, store, LiveChats(store.engine), secret)
    add_staff_routes(app, store.engine, inspector_from_settings(store.settings), secret,
                     secure_cookies)
    return app
