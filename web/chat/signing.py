"""What the chat server signs: the conversation ids it issues, and the buttons it sends.

A conversation id is the family's only credential for their chat (it reads an officer's
messages and forgets the conversation), so the server issues it: `POST
/chat/api/conversations` answers `<id>.<signature>`, a random 128-bit id and an HMAC of
it. The widget sends it back in the `X-Conversation` header, never in a URL (proxies log
those). Rasa, the cases and the live chat know the conversation by `<id>` alone.

A button's payload (`/request_human`, `/show_wording{...}`) is an intent for Rasa, so
the family's browser never sees one to send back: each button in Rasa's replies gets a
token instead, which signs its title and payload for that conversation. The widget sends
the token back; the server checks it and forwards the payload.

The key is derived from the web server's secret (ASSISTANT_OFFICER_SECRET) with a label
of its own, so a chat signature can never stand in for an officer's session cookie.
Replicas that share the secret accept each other's ids and buttons.
"""

import base64
import hashlib
import hmac
import json
import re
import secrets
from typing import Any, Dict, List, Optional, Tuple

KEY_LABEL = b"privacy-assistant webchat: conversation ids and buttons"
SIGNATURE_HEX = 32  # 128 bits of HMAC-SHA256
CONVERSATION_TOKEN = re.compile(r"([0-9a-f]{32})\.([0-9a-f]{32})")
BUTTON_TOKEN = re.compile(r"([A-Za-z0-9_-]{1,4000})\.([0-9a-f]{32})")


def chat_key(secret: str) -> bytes:
    return hmac.new(secret.encode("utf-8"), KEY_LABEL, hashlib.sha256).digest()


class ChatSigner:
    def __init__(self, secret: str) -> None:
        if not secret:
            raise ValueError("the chat needs the web server's secret to sign with")
        self.key = chat_key(secret)

    def _sign(self, *parts: str) -> str:
        message = "\x00".join(parts).encode("utf-8")
        return hmac.new(self.key, message, hashlib.sha256).hexdigest()[:SIGNATURE_HEX]

    # -- conversations --------------------------------------------------------------

    def new_conversation(self) -> str:
        conversation = secrets.token_hex(16)
        return f"{conversation}.{self._sign('conversation', conversation)}"

    def conversation(self, token: Any) -> Optional[str]:
        """The conversation's id if the server issued this token, else None."""
        match = CONVERSATION_TOKEN.fullmatch(token) if isinstance(token, str) else None
        if match is None:
            return None
        conversation, signature = match.groups()
        if not hmac.compare_digest(signature, self._sign("conversation", conversation)):
            return None
        return conversation

    # -- buttons --------------------------------------------------------------------

    def button(self, conversation: str, title: str, payload: str) -> str:
        data = base64.urlsafe_b64encode(json.dumps([title, payload]).encode("utf-8"))
        data_text = data.decode("ascii").rstrip("=")
        return f"{data_text}.{self._sign('button', conversation, data_text)}"

    def pressed(self, conversation: str, token: Any) -> Optional[Tuple[str, str]]:
        """(title, payload) of a button this server sent in this conversation, or None."""
        match = BUTTON_TOKEN.fullmatch(token) if isinstance(token, str) else None
        if match is None:
            return None
        data_text, signature = match.groups()
        if not hmac.compare_digest(signature, self._sign("button", conversation, data_text)):
            return None
        try:
            data = base64.urlsafe_b64decode(data_text + "=" * (-len(data_text) % 4))
            title, payload = json.loads(data.decode("utf-8"))
        except ValueError:
            return None
        if not isinstance(title, str) or not isinstance(payload, str):
            return None
        return title, payload

    def sign_buttons(self, conversation: str,
                     replies: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
        """Rasa's replies with each button's payload replaced by its token."""
        signed = []
        for reply in replies:
            buttons = reply.get("buttons")
            if isinstance(buttons, list):
                reply = {**reply, "buttons": [
                    {**button, "payload": self.button(
                        conversation, str(button.get("title", "")),
                        str(button.get("payload", "")))}
                    for button in buttons if isinstance(button, dict)]}
            signed.append(reply)
        return signed
