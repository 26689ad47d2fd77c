"""Benchmark the project's pipeline against stock Rasa, side by side in one run.

(a) the project: config.yml; (b) the stock peer: Rasa 3.6's default pipeline and policies
(rasa/engine/recipes/config_files/default_config.yml, what `rasa init` leaves empty and
Rasa fills in), trained on the same domain and data. For each: training time (from
scratch), model size, cold start (process start until the first answer), resident
memory of the server after the load, REST latency p50/p95/p99 and messages per second at
concurrency 1, 8 and 32, and section accuracy on the held-out questions. Both servers
use the same endpoints (the action server, the redacting SQL tracker store on SQLite),
so the difference is the pipeline. The floor: a bare Sanic endpoint that echoes JSON.

Prints a table and writes bench/results.md. No pass/fail: the machine is noisy; the
targets are in docs/benchmarks.md.
Usage: python -m bench.pipelines [--requests 300] [--questions N] [--skip-training MODEL_A MODEL_B]
"""

import argparse
import asyncio
import os
import random
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Sequence

import aiohttp

from bench.thin_data import thin_accuracy
from processes.servers import (action_endpoint_yaml, free_port, rasa_server_command,
                               running_action_server, wait_until_healthy)
from evaluation.conversation_sets import RestAgent, SetScore, score_sets
from curation.protected import TEST_SETS, heldout_files, load_questions
from evaluation.heldout import PROJECT_ROOT, score_agent
from evaluation.training import train_model

BIN = Path(sys.executable).parent
STOCK_CONFIG = (Path(__import__("rasa").__file__).parent / "engine" / "recipes"
                / "config_files" / "default_config.yml")
CONCURRENCY = (1, 8, 32)
# Ready means answering a message (Rasa's / answers before the model is loaded).
WARM_UP = b'{"sender": "bench-warmup", "message": "hello"}'
RESULTS = PROJECT_ROOT / "bench" / "results.md"


@dataclass
class Load:
    concurrency: int
    latencies_ms: List[float]
    seconds: float
    failures: int

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]

    @property
    def per_second(self) -> float:
        return len(self.latencies_ms) / self.seconds


@dataclass
class Figures:
    name: str
    train_seconds: Optional[float] = None
    model_mb: Optional[float] = None
    cold_start_seconds: Optional[float] = None
    rss_mb: Optional[float] = None
    accuracy: Optional[float] = None
    thin_accuracy: Optional[float] = None
    loads: Dict[int, Load] = field(default_factory=dict)
    sets: Optional[SetScore] = None  # conversations, long, compound, silent, vocabulary


def write_endpoints(path: Path, action_url: str, trackers: Path) -> None:
    """The endpoints every measured server gets: the action server and the redacting
    SQL tracker store (on SQLite at `trackers`), as in the project's endpoints.yml."""
    path.write_text(
        action_endpoint_yaml(action_url) +
        "tracker_store:\n  type: redaction.tracker_store.RedactingSQLTrackerStore\n"
        f'  dialect: sqlite\n  db: "{trackers}"\n')


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def post(http: aiohttp.ClientSession, url: str, sender: str, text: str) -> List[dict]:
    async with http.post(url, json={"sender": sender, "message": text}) as response:
        if response.status != 200:
            raise RuntimeError(f"HTTP {response.status}")
        return await response.json()


async def load_test(url: str, texts: Sequence[str], concurrency: int, requests: int) -> Load:
    """`requests` messages from `concurrency` clients at once, each its own conversation."""
    latencies: List[float] = []
    failures = 0
    queue = list(range(requests))

    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=120)) as http:
        async def client(number: int) -> None:
            nonlocal failures
            while queue:
                index = queue.pop()
                started = time.perf_counter()
                try:
                    replies = await post(http, url, f"bench-{concurrency}-{number}-{index}",
                                         texts[index % len(texts)])
                    if not replies:
                        failures += 1
                        continue
                except (aiohttp.ClientError, asyncio.TimeoutError, RuntimeError):
                    failures += 1
                    continue
                latencies.append((time.perf_counter() - started) * 1000)

        started = time.monotonic()
        await asyncio.gather(*(client(n) for n in range(concurrency)))
    return Load(concurrency, latencies, time.monotonic() - started, failures)


def measure_server(figures: Figures, command: List[str], url: str, texts: Sequence[str],
                   requests: int, questions: Optional[Sequence] = None) -> None:
    started = time.monotonic()
    process = subprocess.Popen(command, cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL,
                               env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)})
    try:
        wait_until_healthy(url, process, 240, body=WARM_UP)
        figures.cold_start_seconds = time.monotonic() - started
        for concurrency in CONCURRENCY:
            print(f"  {figures.name}: {requests} messages at concurrency {concurrency}",
                  flush=True)
            asyncio.run(load_test(url, texts, concurrency, max(20, concurrency * 2)))  # warm
            figures.loads[concurrency] = asyncio.run(load_test(url, texts, concurrency, requests))
        figures.rss_mb = rss_mb(process.pid)
        if questions:
            print(f"  {figures.name}: scoring {len(questions)} held-out questions", flush=True)
            figures.accuracy = asyncio.run(score_agent(RestAgent(url), questions)).accuracy
            print(f"  {figures.name}: scoring the conversation sets", flush=True)
            figures.sets = asyncio.run(score_sets(RestAgent(url), TEST_SETS,
                                                  prefix=f"bench-{figures.name[:7]}"))
    finally:
        process.terminate()
        process.wait(timeout=30)


ECHO_SERVER = '''
import sys
from sanic import Sanic, response
app = Sanic("echo")
@app.post("/webhooks/rest/webhook")
async def echo(request):
    return response.json([{"recipient_id": request.json["sender"], "text": request.json["message"]}])
app.run(host="127.0.0.1", port=int(sys.argv[1]), access_log=False, workers=1)
'''


SET_ROWS = [
    ("conversation turns, every kind", lambda s: s.rate("conversations")),
    ("  follow-up turns", lambda s: s.rate("conversations", ["follow_up"])),
    ("  whole conversations, every turn right", lambda s: s.whole_conversations()),
    ("long messages", lambda s: s.rate("long", ["long"])),
    ("compound messages, every part answered", lambda s: s.rate("long", ["compound"])),
    ("silent questions, honest", lambda s: s.rate("silent")),
    ("other policies' vocabulary", lambda s: s.rate("vocabulary")),
]


def table(results: List[Figures], notes: List[str], thin_label: str = "") -> str:
    def cell(value, fmt):
        return "–" if value is None else format(value, fmt)

    def percent(value):
        return "–" if value is None else f"{value * 100:.1f}%"

    rows = [
        ("training time (s)", lambda f: cell(f.train_seconds, ".0f")),
        ("model size (MB)", lambda f: cell(f.model_mb, ".1f")),
        ("cold start (s)", lambda f: cell(f.cold_start_seconds, ".1f")),
        ("resident memory (MB)", lambda f: cell(f.rss_mb, ".0f")),
        ("held-out section accuracy", lambda f: percent(f.accuracy)),
    ]
    if thin_label:
        rows.append((f"held-out section accuracy, {thin_label}",
                     lambda f: percent(f.thin_accuracy)))
    rows += [(label, lambda f, how=how: percent(how(f.sets)) if f.sets else "–")
             for label, how in SET_ROWS]
    rows.append(("long messages: false safety alarms",
                 lambda f: f"{len(f.sets.false_alarms)}" if f.sets else "–"))
    rows.append(("silent questions: a false yes or no",
                 lambda f: f"{len(f.sets.false_yes_no)}" if f.sets else "–"))
    for c in CONCURRENCY:
        rows += [
            (f"c={c} p50 / p95 / p99 (ms)", lambda f, c=c: " / ".join(
                format(f.loads[c].percentile(p), ".1f" if f.loads[c].percentile(p) < 10 else ".0f")
                for p in (50, 95, 99))
             if c in f.loads and f.loads[c].latencies_ms else "–"),
            (f"c={c} messages/s", lambda f, c=c: format(f.loads[c].per_second, ".1f")
             if c in f.loads else "–"),
            (f"c={c} failed", lambda f, c=c: str(f.loads[c].failures) if c in f.loads else "–"),
        ]
    lines = ["| | " + " | ".join(f.name for f in results) + " |",
             "| --- |" + " --- |" * len(results)]
    lines += [f"| {label} | " + " | ".join(value(f) for f in results) + " |"
              for label, value in rows]
    return "\n".join(lines + [""] + notes)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=300,
                        help="messages per concurrency level")
    parser.add_argument("--questions", type=int, default=None,
                        help="score only the first N held-out questions (a quick look)")
    parser.add_argument("--skip-training", nargs=2, type=Path, metavar=("PROJECT", "STOCK"),
                        help="use these trained models instead of training both")
    parser.add_argument("--thin", type=int, default=20, metavar="N",
                        help="also train both on N examples per intent and score them "
                             "(0: skip)")
    args = parser.parse_args()
    questions = [q for path in heldout_files() for q in load_questions(path)][:args.questions]
    texts = [text for text, _ in questions]
    random.Random(42).shuffle(texts)
    folder = Path(tempfile.mkdtemp(prefix="bench-"))
    configs = {"project (config.yml)": PROJECT_ROOT / "config.yml",
               "stock Rasa 3.6 default": STOCK_CONFIG}
    results: List[Figures] = []
    with running_action_server() as action_url:
        endpoints = folder / "endpoints.yml"
        for number, (name, config) in enumerate(configs.items()):
            figures = Figures(name)
            if args.skip_training:
                model = args.skip_training[number]
            else:
                print(f"training {name}…", flush=True)
                figures.train_seconds = train_model(config, folder, f"model-{number}")
                model = folder / f"model-{number}.tar.gz"
            figures.model_mb = model.stat().st_size / 1e6
            write_endpoints(endpoints, action_url, folder / f"trackers-{number}.sqlite3")
            port = free_port()
            measure_server(figures, rasa_server_command(model, port, endpoints),
                           f"http://127.0.0.1:{port}/webhooks/rest/webhook", texts,
                           args.requests, questions)
            results.append(figures)
        thin_label = ""
        if args.thin:
            print(f"thin training data: {args.thin} examples per intent…", flush=True)
            kept, accuracies = thin_accuracy(configs, questions, args.thin, folder, action_url)
            for figures in results:
                figures.thin_accuracy = accuracies[figures.name]
            thin_label = f"trained on {args.thin} examples per intent ({kept} in all)"
    echo = Figures("floor: bare Sanic echo")
    port = free_port()
    echo_file = folder / "echo.py"
    echo_file.write_text(ECHO_SERVER)
    measure_server(echo, [sys.executable, str(echo_file), str(port)],
                   f"http://127.0.0.1:{port}/webhooks/rest/webhook", texts, args.requests)
    results.append(echo)
    notes = [f"Measured {time.strftime('%Y-%m-%d %H:%M')} on this machine "
             f"({os.cpu_count()} cores) in one run of `make bench`; {args.requests} "
             f"messages per concurrency level, held-out questions as the messages, each "
             f"message a new conversation. Same endpoints for both pipelines (action "
             f"server; redacting SQL tracker store on SQLite)."]
    if thin_label:
        notes.append(f"The thin-data row: both pipelines trained on the same seeded sample "
                     f"of the training data ({args.thin} examples per intent, {kept} in all; "
                     f"rules, stories and domain unchanged), scored on the same held-out "
                     f"questions (bench/thin_data.py).")
    report = table(results, notes, thin_label)
    print(report)
    RESULTS.write_text("# Benchmarks: the project against stock Rasa\n\n" + report + "\n")
    print(f"written to {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
