"""Train a model in its own process and time it: the one way `make eval-nlu` and
`make bench` train their variants."""

import subprocess
import sys
import time
from pathlib import Path
from typing import Optional

from evaluation.heldout import PROJECT_ROOT


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
