"""Signed session cookies and CSRF tokens (HMAC-SHA256 with the server's secret)."""

import hashlib
import hmac
import time
from typing import Optional

SESSION_SECONDS = 8 * 3600


class Signer:
    def __init__(self, secret: str) -> None:
        self.key = secret.encode()

    def _sign(self, value: str) -> str:
        return hmac.new(self.key, value.encode(), hashlib.sha256).hexdigest()

    def session_token(self, username: str, now: Optional[float] = None) -> str:
        expires = int((now or time.time()) + SESSION_SECONDS)
        value = f"{username}|{expires}"
        return f"{value}|{self._sign(value)}"

    def username(self, token: Optional[str], now: Optional[float] = None) -> Optional[str]:
        """The officer a valid, unexpired token belongs to, else None."""
        try:
            username, expires, signature = (token or "").rsplit("|", 2)
        except ValueError:
            return None
        if not hmac.compare_digest(signature, self._sign(f"{username}|{expires}")):
            return None
        if not expires.isdigit() or int(expires) < (now or time.time()):
            return None
        return username

    def csrf_token(self, session_token: str) -> str:
        return self._sign(f"csrf|{session_token}")

    def csrf_ok(self, session_token: str, offered: Optional[str]) -> bool:
        return bool(offered) and hmac.compare_digest(self.csrf_token(session_token), offered)
