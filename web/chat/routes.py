"""The web chat's routes: the demo page, the widget's files, and its small JSON API.

The widget talks to this server, not to Rasa: short polling over plain HTTP works behind
any proxy and across replicas, and lets an officer take a conversation over.
"""

import html
import json as json_module
import re
from pathlib import Path
from typing import Any, Dict, List, Optional, Union
from urllib.parse import urlsplit

from sanic import Sanic
from sanic.request import Request
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sanic.response import HTTPResponse, json
from sanic.response import html as html_response

from core.notice import load_notice, notice_parts
from casework.cases import CaseStore
from casework.live import LiveChats
from web.chat.conversations import (MAX_TEXT, as_typed_text, ask_rasa, forget_in_rasa,
                                   printable)
from web.chat.limits import RateLimiter
from web.client import client_address
from web.chat.signing import ChatSigner

STATIC = Path(__file__).parent / "static"
# A live message's id: a number the database can hold (SQLite's and Postgres' 64 bits).
MESSAGE_NUMBER = re.compile(r"[0-9]{1,19}")
MAX_MESSAGE_NUMBER = 2 ** 63 - 1


def notice_html() -> str:
    """The notice as escaped HTML: headings, paragraphs and bullet lists."""
    parts = []
    for heading, lines in notice_parts(load_notice().text)[1:]:
        parts.append(f"<h2>{html.escape(heading)}</h2>")
        bullets: List[str] = []
        for line in lines + [""]:
            if line.startswith("•"):
                bullets.append(f"<li>{html.escape(line.lstrip('• ').strip())}</li>")
                continue
            if bullets:
                parts.append("<ul>" + "".join(bullets) + "</ul>")
                bullets = []
            if line:
                parts.append(f"<p>{html.escape(line)}</p>")
    return "\n".join(parts)


def same_site(request: Request, origin: str) -> bool:
    """True if the page that sent the request is on this server: its Origin names the
    host the request was sent to (the Host header, which the proxy passes on)."""
    parts = urlsplit(origin)
    host = (request.headers.get("Host") or "").lower()
    return parts.scheme in ("http", "https") and bool(host) and parts.netloc.lower() == host


def media_type(request: Request) -> str:
    return (request.headers.get("Content-Type") or "").split(";")[0].strip().lower()


def message_number(value: str) -> Optional[int]:
    """`after` as a number the database can compare with, or None."""
    if not MESSAGE_NUMBER.fullmatch(value) or int(value) > MAX_MESSAGE_NUMBER:
        return None
    return int(value)


templates = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                        autoescape=select_autoescape(["html"]))


def add_chat_routes(app: Sanic, store: CaseStore, live: LiveChats, secret: str) -> None:
    """The chat's routes. `secret` is the web server's: the chat signs with a key
    derived from it (web/chat/signing.py)."""
    settings = store.settings
    signer = ChatSigner(secret)
    app.static("/chat/widget.js", str(STATIC / "widget.js"), name="widget_js",
               content_type="text/javascript; charset=utf-8")
    app.static("/chat/widget.css", str(STATIC / "widget.css"), name="widget_css",
               content_type="text/css; charset=utf-8")
    app.static("/chat/demo.css", str(STATIC / "demo.css"), name="demo_css",
               content_type="text/css; charset=utf-8")

    @app.get("/")
    async def demo_page(request: Request) -> HTTPResponse:
        page = templates.get_template("demo.html").render(
            notice=notice_html(), title=settings["web"]["chat"]["title"],
            poll_ms=int(settings["web"]["chat"]["poll_seconds"] * 1000))
        return html_response(page)

    limits = settings["rate_limits"]
    per_conversation = RateLimiter(limits["per_conversation_per_minute"])
    per_address = RateLimiter(limits["per_address_per_minute"])
    issued_per_address = RateLimiter(limits["per_address_per_minute"])

    allowed_origins = set(settings["web"]["chat"].get("allowed_origins") or [])

    @app.middleware("request")
    async def chat_api_callers(request: Request) -> Optional[HTTPResponse]:
        """Pages of other sites may not use their visitors' browsers to call the chat API:
        a request whose Origin is neither this site nor a listed one is refused, and a
        POST must be JSON (a cross-site form or text/plain POST skips the preflight).
        Requests without an Origin (not from a browser page) pass."""
        if not request.path.startswith("/chat/api/") or request.method == "OPTIONS":
            return None
        origin = request.headers.get("Origin")
        if origin is not None and origin not in allowed_origins \
                and not same_site(request, origin):
            return json({"error": "the chat API answers pages on this site and on the "
                                  "sites in web.chat.allowed_origins only"}, status=403)
        if request.method == "POST" and media_type(request) != "application/json":
            return json({"error": "send the body as JSON, with Content-Type: "
                                  "application/json"}, status=415)
        return None

    @app.middleware("response")
    async def cors(request: Request, response: HTTPResponse) -> None:
        """Only the configured origins may call the chat API from their pages."""
        origin = request.headers.get("Origin")
        if request.path.startswith("/chat/api/") and origin in allowed_origins:
            response.headers["Access-Control-Allow-Origin"] = origin
            response.headers["Access-Control-Allow-Methods"] = "GET, POST, DELETE"
            response.headers["Access-Control-Allow-Headers"] = "Content-Type, X-Conversation"
            response.headers["Vary"] = "Origin"

    def preflight(request: Request) -> HTTPResponse:
        allowed = request.headers.get("Origin") in allowed_origins
        return HTTPResponse(status=204 if allowed else 403)

    def bad(reason: str) -> HTTPResponse:
        return json({"error": reason}, status=400)

    def conversation_of(request: Request) -> Union[str, HTTPResponse]:
        """The conversation in the X-Conversation header, if this server issued it; else
        a 401 (the caller returns it), on which the widget asks for a new one."""
        conversation = signer.conversation(request.headers.get("X-Conversation"))
        if conversation is None:
            return json({"error": "unknown conversation: get one from POST "
                                  "/chat/api/conversations and send it in the "
                                  "X-Conversation header"}, status=401)
        return conversation

    def json_body(request: Request) -> Union[Dict[str, Any], HTTPResponse]:
        """The body as a JSON object, or a clear 400 (the caller returns it)."""
        try:
            body = json_module.loads(request.body.decode("utf-8"))
        except ValueError:  # also bytes that are not UTF-8
            return bad('the body must be JSON (UTF-8), like {"text": "your question"}')
        if not isinstance(body, dict):
            return bad('the body must be a JSON object, like {"text": "your question"}')
        return body

    def say(text: str, status: int = 200) -> HTTPResponse:
        """A reply the widget shows as the assistant's, without asking Rasa."""
        return json({"live": False, "messages": [
            {"text": text, "custom": {"section": "fallback", "refused": True}}]},
            status=status)

    @app.route("/chat/api/conversations", methods=["POST", "OPTIONS"])
    async def new_conversation(request: Request) -> HTTPResponse:
        """A new conversation id, signed: the only one the other routes accept."""
        if request.method == "OPTIONS":
            return preflight(request)
        if not issued_per_address.allow(client_address(request, limits["trust_forwarded_for"])):
            return json({"error": "too many new conversations: wait a minute"}, status=429)
        return json({"conversation": signer.new_conversation()}, status=201)

    @app.route("/chat/api/message", methods=["POST", "OPTIONS"])
    async def message(request: Request) -> HTTPResponse:
        if request.method == "OPTIONS":
            return preflight(request)
        conversation = conversation_of(request)
        if isinstance(conversation, HTTPResponse):
            return conversation
        body = json_body(request)
        if isinstance(body, HTTPResponse):
            return body
        if "button" in body:
            # One of this server's buttons: its token holds the title and the payload
            # (an intent) this server sent, signed for this conversation.
            pressed = signer.pressed(conversation, body["button"])
            if pressed is None:
                return say("That button no longer works. Please type your question "
                           "instead.", status=400)
            shown, for_rasa = pressed
        else:
            text = body.get("text")
            if not isinstance(text, str) or not text.strip():
                return bad("text is empty")
            shown = printable(text)
            for_rasa = as_typed_text(shown)  # never an intent
        address = client_address(request, limits["trust_forwarded_for"])
        if not per_address.allow(address) or not per_conversation.allow(conversation):
            return say("You are sending messages very quickly. Please wait a minute, "
                       "then try again. If a child is in danger, call 999.", status=429)
        if len(shown) > MAX_TEXT:
            return say(f"That message is too long for me: please keep it under "
                       f"{MAX_TEXT:,} characters, and leave out personal details.")
        live.seen(conversation)
        if live.from_family(conversation, shown):
            # An officer has taken over: the assistant stays silent.
            return json({"live": True, "messages": []})
        replies = await ask_rasa(settings, conversation, for_rasa)
        return json({"live": False, "messages": signer.sign_buttons(conversation, replies)})

    @app.route("/chat/api/updates", methods=["GET", "OPTIONS"])
    async def updates(request: Request) -> HTTPResponse:
        if request.method == "OPTIONS":
            return preflight(request)
        conversation = conversation_of(request)
        if isinstance(conversation, HTTPResponse):
            return conversation
        after = message_number(request.args.get("after", "0"))
        if after is None:
            return bad(f"after must be a message number from 0 to {MAX_MESSAGE_NUMBER}")
        live.seen(conversation)
        return json({"live": live.live_case_id(conversation) is not None,
                     "messages": live.messages_for_family(conversation, after)})

    @app.route("/chat/api/conversation", methods=["DELETE", "OPTIONS"])
    async def forget(request: Request) -> HTTPResponse:
        """Forget the conversation in the X-Conversation header. Requests already passed
        to an officer are kept: the reply says how many, never their references."""
        if request.method == "OPTIONS":
            return preflight(request)
        conversation = conversation_of(request)
        if isinstance(conversation, HTTPResponse):
            return conversation
        forget_in_rasa(settings, conversation)
        live.forget(conversation)
        return json({"forgotten": True,
                     "cases_kept": len(store.references_for(conversation))})
