"""A local SMTP server that keeps what it receives: for development and tests only.

`make run` starts it on the configured port and writes each mail to var/mailbox/;
tests read `MailSink.messages`. Production points settings' `mail` at a real server.
"""

import argparse
import email
import email.policy
import time
from email.message import EmailMessage
from pathlib import Path
from typing import List, Optional

from aiosmtpd.controller import Controller

from core.settings import PROJECT_ROOT, load_settings
from casework.private_files import write_private


class _Keep:
    def __init__(self, sink: "MailSink") -> None:
        self.sink = sink

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.sink.messages.append(message)
        if self.sink.folder:
            # Made for this user only, as the databases are (casework/private_files.py).
            name = f"{time.strftime('%Y%m%d-%H%M%S')}-{len(self.sink.messages):04d}.eml"
            write_private(self.sink.folder / name, envelope.content)
        return "250 OK"


class MailSink:
    def __init__(self, port: int, host: str = "127.0.0.1",
                 folder: Optional[Path] = None) -> None:
        self.messages: List[EmailMessage] = []
        self.folder = folder
        self.controller = Controller(_Keep(self), hostname=host, port=port)

    def __enter__(self) -> "MailSink":
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()

    def wait_for(self, count: int, timeout: float = 10.0) -> List[EmailMessage]:
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return list(self.messages)

    def wait_for_subject(self, text: str, timeout: float = 20.0) -> List[EmailMessage]:
        """The mails whose subject contains `text`, waiting until there is one."""
        deadline = time.monotonic() + timeout
        while True:
            found = [m for m in self.messages if text in (m["Subject"] or "")]
            if found or time.monotonic() > deadline:
                return found
            time.sleep(0.05)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=Path, default=PROJECT_ROOT / "var" / "mailbox")
    args = parser.parse_args()
    mail = load_settings()["mail"]
    with MailSink(int(mail["smtp_port"]), host=mail["smtp_host"], folder=args.folder):
        print(f"development mail sink on {mail['smtp_host']}:{mail['smtp_port']}, "
              f"saving to {args.folder}", flush=True)
        while True:
            time.sleep(3600)


if __name__ == "__main__":
    main()
