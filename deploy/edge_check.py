"""What the production profile lets through from outside, checked on the running profile.

    python -m deploy.edge_check        (also run first by `make test-prod`)

Families reach the public port, and there only the demo page and the chat API; the
officers' and staff areas answer on their own port; Rasa's channel and the action
servers are not public, and the action servers refuse calls without the shared secret.
"""

import sys
import urllib.error
import urllib.request
from typing import List, Optional

from deploy import prod


def status(url: str, body: Optional[bytes] = None, headers: Optional[dict] = None) -> int:
    request = urllib.request.Request(url, data=body, headers=headers or {},
                                     method="POST" if body is not None else "GET")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def problems() -> List[str]:
    public = f"http://127.0.0.1:{prod.PUBLIC_PORT}"
    staff = f"http://127.0.0.1:{prod.STAFF_PORT}"
    json_type = {"Content-Type": "application/json"}
    wanted = [
        ("Rasa's channel on the public port", 404,
         status(f"{public}/webhooks/rest/webhook", b'{"sender":"x","message":"hi"}', json_type)),
        ("the officers' sign-in on the public port", 404, status(f"{public}/officer/login")),
        ("the staff workbench on the public port", 404, status(f"{public}/staff/login")),
        ("the officers' sign-in on the staff port", 200, status(f"{staff}/officer/login")),
        ("the demo page on the public port", 200, status(f"{public}/")),
        # The widget on the site's own page may start a chat; another site's page may not.
        ("the chat started from the site's own page", 201,
         status(f"{public}/chat/api/conversations", b"{}",
                {**json_type, "Origin": public})),
        ("the chat started from another site's page", 403,
         status(f"{public}/chat/api/conversations", b"{}",
                {**json_type, "Origin": "https://elsewhere.example"})),
        ("a 100 KB body to the chat API", 413,
         status(f"{public}/chat/api/message", b"x" * 100_000, json_type)),
        ("an action call without the secret", 401,
         status(f"http://127.0.0.1:{prod.ACTIONS_LB_PORT}/webhook", b"{}", json_type)),
        # A long conversation's tracker: nginx buffers it in a temporary file, which its
        # workers must be able to write, and lets it through to the action servers.
        ("a 300 KB action call without the secret", 401,
         status(f"http://127.0.0.1:{prod.ACTIONS_LB_PORT}/webhook",
                b'{"x": "' + b"y" * 300_000 + b'"}', json_type)),
    ]
    found = [f"{what}: HTTP {got}, wanted {code}" for what, code, got in wanted if got != code]
    # Sign-in forms are limited per address by nginx, before any password is hashed.
    codes = [status(f"{staff}/officer/login", b"username=x&password=y",
                    {"Content-Type": "application/x-www-form-urlencoded"}) for _ in range(12)]
    if 429 not in codes:
        found.append(f"12 sign-ins at once were never limited by nginx: {sorted(set(codes))}")
    return found


def main() -> int:
    found = problems()
    print(f"  edge: {len(found)} problems", flush=True)
    for problem in found:
        print(f"    - {problem}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
