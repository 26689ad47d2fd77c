"""The action server the workbench's tries run against: a practice one.

Trying a safety message or a request on the workbench runs the real model and the real
actions, but a try must never open a real case or mail the team. So the staff area starts
its own action server on first use, with a scratch case store and mail to a port nobody
listens on (processes/servers.py, as scoring runs do), and stops it with the site.
"""

import threading
from contextlib import ExitStack

from processes.servers import running_action_server


class PracticeActions:
    def __init__(self) -> None:
        self._stack = ExitStack()
        self._lock = threading.Lock()
        self._url = ""

    def url(self) -> str:
        """The practice server's webhook, started on first call (blocks until it answers:
        call it off the event loop)."""
        with self._lock:
            if not self._url:
                self._url = self._stack.enter_context(running_action_server())
            return self._url

    def stop(self) -> None:
        with self._lock:
            self._stack.close()
            self._url = ""
