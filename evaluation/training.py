"""Train a variant in its own process and score it on held-out questions: the one way
`make eval-nlu` (evaluation/compare_pipelines.py) and `make bench` (bench/) do it."""

import asyncio
import subprocess
import sys
import time
from pathlib import Path
from typing import Optional, Sequence, Tuple

from channels.agent import load_agent
from evaluation.heldout import PROJECT_ROOT, Score, score_agent


def train_model(config: Path, out: Path, name: str, data: Optional[Path] = None) -> float:
    """`rasa train --force` into out/name.tar.gz (on `data`, else data/); seconds taken.
    Rasa's warnings are kept out of the output; if training fails, its last words say why."""
    command = [sys.executable, "-m", "rasa", "train", "--force", "--config", str(config),
               "--out", str(out), "--fixed-model-name", name]
    if data is not None:
        command += ["--data", str(data)]
    started = time.monotonic()
    run = subprocess.run(command, cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, text=True)
    if run.returncode != 0:
        tail = "\n".join(run.stderr.strip().splitlines()[-20:])
        raise RuntimeError(f"training {name} with {config} failed:\n{tail}")
    return time.monotonic() - started


def train_and_score(config: Path, out: Path, name: str, questions: Sequence[Tuple[str, str]],
                    action_url: str, data: Optional[Path] = None) -> Tuple[float, Score]:
    """Train out/name.tar.gz (see train_model), then ask it every question in-process,
    each a new conversation; (seconds training took, the score)."""
    seconds = train_model(config, out, name, data)
    print(f"  {name}: scoring {len(questions)} held-out questions", file=sys.stderr,
          flush=True)
    agent = load_agent(out / f"{name}.tar.gz", action_url)
    return seconds, asyncio.run(score_agent(agent, questions))
