"""Deliver the team's mail, retrying failures: `python -m casework.mail_worker`.

`make run` starts it next to the assistant. `--once` delivers what is due and exits.
"""

import argparse
import logging
import time

from core.settings import load_settings
from casework.database import default_engine
from casework.mail import deliver_pending

logger = logging.getLogger("casework.mail_worker")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--once", action="store_true", help="one pass, then exit")
    parser.add_argument("--every", type=float, default=15.0, help="seconds between passes")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s mail: %(message)s")
    settings, engine = load_settings(), default_engine()
    while True:
        counts = deliver_pending(engine, settings)
        if counts["sent"] or counts["failed"]:
            logger.info("sent %(sent)d, will retry %(failed)d", counts)
        if args.once:
            return
        time.sleep(args.every)


if __name__ == "__main__":
    main()
