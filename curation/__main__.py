"""The review loop: what staff marked on the workbench, approved by a person, into data/.

  make review                         list the items waiting (status new)
  make review ARGS="list --all"       every item and what became of it
  make review ARGS="approve 3 4"      approve items 3 and 4 (reject works the same)
  make review ARGS="apply"            add the approved items to data/nlu/, one line each

After `apply`, look at the diff (git diff data/), then `make train` and `make report`.
"""

import argparse
import sys
from typing import Optional, Sequence

from casework.database import default_engine
from curation.protected import protected_questions
from curation.reviews import ReviewError, Reviews


def show(item: dict) -> str:
    answered = item["answered"] or "no single section"
    verdict = ("right" if item["verdict"] == "right"
               else f"wrong, should be {item['expected']}")
    line = (f"#{item['id']:<4} [{item['status']}] {item['question']!r}\n"
            f"       answered from {answered}; marked {verdict} by {item['staff_member']}")
    return line + (f"\n       {item['outcome']}" if item["outcome"] else "")


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command")
    listing = sub.add_parser("list", help="items waiting for a decision")
    listing.add_argument("--all", action="store_true", help="every item")
    for name in ("approve", "reject"):
        decide = sub.add_parser(name, help=f"{name} items by number")
        decide.add_argument("ids", type=int, nargs="+")
    sub.add_parser("apply", help="add the approved items to the training data")
    args = parser.parse_args(argv)
    reviews = Reviews(default_engine())
    try:
        if args.command in (None, "list"):
            items = reviews.list(None if getattr(args, "all", False) else "new")
            print("\n".join(show(i) for i in items) or "No review items waiting.")
        elif args.command in ("approve", "reject"):
            for item_id in args.ids:
                print(show(reviews.decide(item_id, approve=args.command == "approve")))
        else:
            lines = reviews.apply(protected_questions())
            print("\n".join(lines) or "Nothing approved to add.")
            if lines:
                print("\nCheck the change with `git diff data/`, then `make train` and "
                      "`make report`.")
    except ReviewError as error:
        print(error, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
