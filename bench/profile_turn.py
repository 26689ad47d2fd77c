"""Where a message's time goes in the running Rasa server (py-spy, sampling).

Starts `rasa run` with the project's model, the action server and the redacting SQL
tracker store, sends messages at concurrency 8 while py-spy samples the server, and
prints the share of samples spent in each part of a turn (a sample counts for every
part on its stack, so the shares overlap), then the busiest functions.
Usage: python -m bench.profile_turn [--seconds 40] [--model models/current.tar.gz]
"""

import argparse
import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from bench.pipelines import WARM_UP, load_test, write_endpoints
from processes.servers import (free_port, rasa_server_command, running_action_server,
                               wait_until_healthy)
from curation.protected import heldout_files, load_questions
from evaluation.heldout import DEFAULT_MODEL, PROJECT_ROOT

BIN = Path(sys.executable).parent
PARTS = {
    "sentence encoder (MiniLM)": "minilm.py",
    "nearest examples": "nearest_examples.py",
    "spaCy pipeline": "spacy/language.py",
    "count vectors / lexical featurizers": "sparse_featurizer",
    "logistic regression": "logistic_regression_classifier.py",
    "redaction (Presidio)": "redaction/redactor.py",
    "tracker store save": "tracker_store.py:save",
    "deep copy of the tracker": "copy.py:deepcopy",
    "tracker store retrieve": "tracker_store.py:retrieve",
    "policies (prediction)": "policy_ensemble.py",
    "action server calls": "actions/action.py",
    "SQLAlchemy": "sqlalchemy/",
    "lock store": "lock_store.py",
    "Sanic / HTTP": "sanic/",
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=40)
    parser.add_argument("--model", type=Path, default=DEFAULT_MODEL)
    args = parser.parse_args()
    py_spy = shutil.which("py-spy") or str(BIN / "py-spy")
    if not Path(py_spy).exists():
        print("py-spy is not installed: pip install py-spy==0.4.1", file=sys.stderr)
        return 2
    texts = [t for path in heldout_files() for t, _ in load_questions(path)]
    folder = Path(tempfile.mkdtemp(prefix="profile-"))
    with running_action_server() as action_url:
        endpoints = folder / "endpoints.yml"
        write_endpoints(endpoints, action_url, folder / "trackers.sqlite3")
        port = free_port()
        url = f"http://127.0.0.1:{port}/webhooks/rest/webhook"
        server = subprocess.Popen(
            rasa_server_command(args.model, port, endpoints),
            cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)})
        try:
            wait_until_healthy(url, server, 240, body=WARM_UP)
            asyncio.run(load_test(url, texts, 8, 40))  # warm up
            raw = folder / "profile.txt"
            spy = subprocess.Popen([py_spy, "record", "--pid", str(server.pid), "--format",
                                    "raw", "--output", str(raw), "--duration",
                                    str(args.seconds), "--rate", "200", "--nonblocking"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            started, sent = time.monotonic(), 0
            while time.monotonic() - started < args.seconds - 2:
                load = asyncio.run(load_test(url, texts, 8, 80))
                sent += len(load.latencies_ms)
            spy.wait(timeout=args.seconds + 60)
        finally:
            server.terminate()
            server.wait(timeout=30)
    parts, functions, total, idle = Counter(), Counter(), 0, 0
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        samples = int(count)
        frames = stack.split(";")
        if any(name in frames[-1] for name in ("select (selectors", "_run_once", "poll (")):
            idle += samples
            continue
        total += samples
        for part, marker in PARTS.items():
            if marker in stack:
                parts[part] += samples
        functions[frames[-1]] += samples
    print(f"{sent} messages in {args.seconds} s at concurrency 8; {total} busy samples "
          f"({idle} idle in the event loop)")
    print("share of busy samples, by part of the turn:")
    for part, samples in parts.most_common():
        print(f"  {100 * samples / total:5.1f}%  {part}")
    print("busiest functions (own time):")
    for function, samples in functions.most_common(12):
        print(f"  {100 * samples / total:5.1f}%  {function[:110]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
