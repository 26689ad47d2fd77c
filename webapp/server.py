"""One Sanic app for the web: families' chat (webchat/) and the officers' queue (officer/)."""

from sanic import Sanic

from casework.cases import CaseStore
from casework.live import LiveChats
from officer.app import create_app
from webchat.routes import add_chat_routes


def create_site(store: CaseStore, secret: str, secure_cookies: bool) -> Sanic:
    app = create_app(store, secret, secure_cookies, name="council_site")
    add_chat_routes(app, store, LiveChats(store.engine))
    return app
