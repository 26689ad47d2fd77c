"""Personal data out of the logs: a filter on every log handler that redacts messages.

At its default level Rasa logs no message text; with --debug it logs each message and
its parse. The redacting tracker store installs this filter when Rasa creates it, so
that a debug run does not write NHS numbers, phone numbers or emails to the log.
"""

import logging
import threading

from redaction.redactor import redact

_busy = threading.local()


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        # Presidio logs while it redacts: those records (and any logged in between)
        # pass untouched instead of redacting themselves for ever.
        if getattr(_busy, "active", False) or record.name.startswith("presidio"):
            return True
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a malformed record is not ours to break
            return True
        _busy.active = True
        try:
            cleaned = redact(message)
        finally:
            _busy.active = False
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


def install_log_redaction() -> None:
    """Add the filter to every handler of the root logger (once each)."""
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, RedactingFilter) for f in handler.filters):
            handler.addFilter(RedactingFilter())
