"""Run the web site, or manage its accounts (officers and staff).

  python -m web                      serve the site: the demo page with the chat on
                                        http://localhost:8000/, the officers' queue on
                                        /officer/, the duty queue on /duty/ and the
                                        staff workbench on /staff/
  python -m web set-password NAME    add an officer, or change their password
  python -m web set-password --duty NAME     the same for a duty worker
  python -m web set-password --staff NAME    the same for a staff member
"""

import argparse
import getpass
import logging
import os
import secrets
import sys

from core.settings import load_settings
from casework.cases import CaseStore
from casework.database import default_engine
from casework.tables import duty_workers, officers, staff
from web.auth.accounts import (DEMO_ACCOUNTS, add_demo_accounts, remove_demo_accounts,
                               set_password)
from web.site import create_site

logger = logging.getLogger("web")


def mode(settings: dict) -> str:
    return os.environ.get("ASSISTANT_MODE", settings["web"]["mode"])


def serve(port: int) -> int:
    settings = load_settings()
    engine = default_engine()
    secret = os.environ.get("ASSISTANT_OFFICER_SECRET")
    if mode(settings) == "production":
        if not secret or len(secret) < 32:
            print("production mode needs ASSISTANT_OFFICER_SECRET (32+ characters)",
                  file=sys.stderr)
            return 2
        remove_demo_accounts(engine)
    else:
        add_demo_accounts(engine)
        secret = secret or secrets.token_hex(32)
        areas = {"officers": "officers' queue", "duty_workers": "duty queue",
                 "staff": "staff workbench"}
        print("development logins: " + ", ".join(
            f"{areas[table.name]} {username} / {password}"
            for table, username, password in DEMO_ACCOUNTS), flush=True)
    app = create_site(CaseStore(engine, settings), secret,
                      secure_cookies=mode(settings) == "production")
    app.run(host=settings["web"]["host"], port=port, access_log=False,
            motd=False, workers=1)
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=None)
    sub = parser.add_subparsers(dest="command")
    account = sub.add_parser("set-password", help="add an officer or change a password")
    account.add_argument("username")
    role = account.add_mutually_exclusive_group()
    role.add_argument("--staff", action="store_true",
                      help="a staff member (the answers workbench), not an officer")
    role.add_argument("--duty", action="store_true",
                      help="a duty worker (the safeguarding queue), not an officer")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO)
    if args.command == "set-password":
        password = os.environ.get("OFFICER_PASSWORD") or getpass.getpass("Password: ")
        try:
            set_password(default_engine(), args.username, password,
                         table=staff if args.staff else duty_workers if args.duty
                         else officers)
        except ValueError as error:
            print(error, file=sys.stderr)
            return 2
        who = "staff member" if args.staff else "duty worker" if args.duty else "officer"
        print(f"{who} {args.username} saved")
        return 0
    return serve(args.port or load_settings()["web"]["port"])


if __name__ == "__main__":
    sys.exit(main())
