"""Signed session cookies and CSRF tokens (HMAC-SHA256 with the server's secret).

A session cookie is `username|expires|session id|signature`. The signature stops forged
or altered cookies without a database read; the session id names a row of the
login_sessions table (web/auth/logins.py), which signing out or a new password deletes, so
a copied cookie stops working then and not only when it expires.
"""

import hashlib
import hmac
import time
from typing import Optional, Tuple

SESSION_SECONDS = 8 * 3600


class Signer:
    def __init__(self, secret: str) -> None:
        self.key = secret.encode()

    def _sign(self, value: str) -> str:
        return hmac.new(self.key, value.encode(), hashlib.sha256).hexdigest()

    def session_token(self, username: str, session_id: str,
                      now: Optional[float] = None) -> str:
        if "|" in session_id:
            raise ValueError("a session id cannot contain '|'")
        expires = int((now or time.time()) + SESSION_SECONDS)
        value = f"{username}|{expires}|{session_id}"
        return f"{value}|{self._sign(value)}"

    def session(self, token: Optional[str],
                now: Optional[float] = None) -> Optional[Tuple[str, str]]:
        """(username, session id) of a genuine, unexpired token, else None.

        Whether the session is still open is the caller's question (the database's)."""
        try:
            username, expires, session_id, signature = (token or "").rsplit("|", 3)
        except ValueError:
            return None
        if not hmac.compare_digest(signature,
                                   self._sign(f"{username}|{expires}|{session_id}")):
            return None
        if not expires.isdigit() or int(expires) < (now or time.time()):
            return None
        if not username or not session_id:
            return None
        return username, session_id

    def csrf_token(self, session_token: str) -> str:
        return self._sign(f"csrf|{session_token}")

    def csrf_ok(self, session_token: str, offered: Optional[str]) -> bool:
        return bool(offered) and hmac.compare_digest(self.csrf_token(session_token), offered)
