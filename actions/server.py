"""The action server Rasa calls: rasa-sdk's, with the doors rasa-sdk leaves open shut.

  python -m actions.server --port 5055

rasa-sdk's own `rasa run actions` listens on every interface, answers anyone (CORS `*`),
accepts 100 MB bodies and echoes a failing request's body in its 500. One POST to its
/webhook could open an urgent case and mail the team. This one listens on loopback,
refuses calls without the secret Rasa sends (ACTION_TOKEN_HEADER, set in endpoints.yml),
caps bodies, and answers errors without repeating what it was sent.
"""

import argparse
import hmac
import logging
import os
import sys

from rasa_sdk import endpoint
from sanic import Sanic
from sanic.exceptions import SanicException
from sanic.request import Request
from sanic.response import HTTPResponse, json

from core.settings import ACTION_TOKEN_HEADER, ACTION_TOKEN_VARIABLE

logger = logging.getLogger(__name__)

# Rasa's calls carry a tracker: a long conversation is tens of kilobytes, not megabytes.
MAX_BODY_BYTES = 1024 * 1024
OPEN_PATHS = {"/health"}  # the launchers' and the load balancer's health checks


def create_action_app(token: str) -> Sanic:
    if not token:
        raise ValueError(f"the action server needs a shared secret ({ACTION_TOKEN_VARIABLE})")
    app = endpoint.create_app("actions", cors_origins=None)
    app.config.REQUEST_MAX_SIZE = MAX_BODY_BYTES

    @app.middleware("request")
    async def require_token(request: Request):
        if request.path in OPEN_PATHS:
            return None
        offered = request.headers.get(ACTION_TOKEN_HEADER, "")
        if not hmac.compare_digest(offered.encode(), token.encode()):
            return json({"error": f"missing or wrong {ACTION_TOKEN_HEADER} header"},
                        status=401)
        return None

    @app.exception(Exception)
    async def without_echo(request: Request, error: Exception) -> HTTPResponse:
        if isinstance(error, SanicException):
            status = getattr(error, "status_code", 500) or 500
            return json({"error": str(error)}, status=status)
        logger.error("the action call failed: %s", type(error).__name__, exc_info=error)
        return json({"error": "the action failed; see the action server's log"}, status=500)

    return app


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=5055)
    parser.add_argument("--host", default=os.environ.get("SANIC_HOST", "127.0.0.1"),
                        help="the address to listen on (default loopback)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO)
    token = os.environ.get(ACTION_TOKEN_VARIABLE, "")
    if not token:
        print(f"set {ACTION_TOKEN_VARIABLE} (the secret endpoints.yml sends Rasa's action "
              "calls with); `make run` sets one for you", file=sys.stderr)
        return 2
    app = create_action_app(token)
    logger.info("action server on http://%s:%d", args.host, args.port)
    app.run(args.host, args.port, access_log=False, motd=False, workers=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
