"""Start everything the assistant needs on this machine, stop it all on Ctrl-C.

Started by `make run` (python -m scripts.run_assistant): the action server, Rasa (REST),
the web site (chat, officers' queue, staff workbench), the mail worker and, in
development mode, a local mail sink that saves the team's mail in var/mailbox/
(production points settings' `mail` at the council's SMTP server).
"""

import os
import signal
import subprocess
import sys
import time
from typing import List

from core.settings import PROJECT_ROOT, action_token, load_settings
from processes.servers import (action_server_command, backend_environment,
                               rasa_server_command, wait_until_healthy)



def main() -> int:
    settings = load_settings()
    rasa_port = os.environ.get("RASA_PORT", "5005")
    actions_port = os.environ.get("ACTIONS_PORT", "5055")
    web_port = str(settings["web"]["port"])
    development = os.environ.get("ASSISTANT_MODE", settings["web"]["mode"]) != "production"
    site = settings["web"]["public_url"].rstrip("/")
    python = [sys.executable, "-m"]
    os.umask(0o077)  # the databases, mailbox and logs under var/ are for this user only
    action_token()  # one shared secret for Rasa and the action server, inherited by both
    os.environ.update(backend_environment())
    commands = []
    if development:
        commands.append(("mail sink", python + ["casework.mail_sink"]))
    commands += [
        ("mail worker", python + ["casework.mail_worker"]),
        ("web server", python + ["web", "--port", web_port]),
        ("actions", action_server_command(int(actions_port))),
        ("rasa", rasa_server_command(PROJECT_ROOT / "models" / "current.tar.gz",
                                     int(rasa_port), PROJECT_ROOT / "endpoints.yml")),
    ]
    processes: List[subprocess.Popen] = []
    (PROJECT_ROOT / "var").mkdir(exist_ok=True)  # Rasa's SQLite tracker store lives there

    def stop(*_: object) -> None:
        for process in processes:
            if process.poll() is None:
                process.terminate()
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()

    signal.signal(signal.SIGTERM, lambda *_: (stop(), sys.exit(0)))
    try:
        for name, command in commands:
            print(f"starting {name}: {' '.join(command[-4:])}", flush=True)
            processes.append(subprocess.Popen(command, cwd=PROJECT_ROOT))
        wait_until_healthy(f"http://127.0.0.1:{web_port}/health", processes[-3], 60)
        wait_until_healthy(f"http://127.0.0.1:{actions_port}/health", processes[-2], 120)
        wait_until_healthy(f"http://127.0.0.1:{rasa_port}/", processes[-1], 180)
        print(f"""
  Ready.
  Demo page with the chat: http://localhost:{web_port}/
  Chat over REST:  curl -s localhost:{rasa_port}/webhooks/rest/webhook \\
                     -d '{{"sender":"me","message":"who do you share my data with"}}'
  Officers' queue: {site}/officer/    Staff workbench: {site}/staff/"""
              + ("  (development login: demo / demo-password)\n"
                 "  Team mail:       var/mailbox/" if development else "")
              + "\n  Stop with Ctrl-C.\n", flush=True)
        while all(p.poll() is None for p in processes):
            time.sleep(1)
        failed = next(name for (name, _), p in zip(commands, processes) if p.poll() is not None)
        print(f"{failed} stopped; stopping the rest", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    except (RuntimeError, TimeoutError) as error:
        print(f"could not start: {error}", file=sys.stderr)
        return 1
    finally:
        stop()


if __name__ == "__main__":
    sys.exit(main())
