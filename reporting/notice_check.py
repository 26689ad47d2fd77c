"""Check a new version of the notice against the answers, before it replaces the old one.

  make notice-check NEW=path/to/new-notice.txt

The new text is the notice as the council publishes it (plain text copied from the
page). Prints, for staff to review before going live:
  1. the date line, old and new (the `changes` answer follows it);
  2. every part of the notice that changed, as a readable word diff;
  3. every answer that quotes wording no longer in the new notice;
  4. new text that no section's quotes cover (so no answer may mention it yet).
Exits 1 when an answer quotes wording that is gone (the answers must be updated first),
2 on bad input, else 0. Nothing is changed: to go live, copy the new text over
data/notice/privacy_notice.txt and run `make test`.
"""

import argparse
import difflib
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

import yaml

from core.notice import (NOTICE_DATA_FILE, find_last_updated, normalise, notice_parts,
                         parse_notice)

NOTICE_TEXT = NOTICE_DATA_FILE.parent / "privacy_notice.txt"


@dataclass
class NoticeCheck:
    old_date: str
    new_date: Optional[str]
    changed_parts: List[Tuple[str, str]] = field(default_factory=list)  # heading, diff
    added_parts: List[str] = field(default_factory=list)
    removed_parts: List[str] = field(default_factory=list)
    broken_quotes: List[Tuple[str, str]] = field(default_factory=list)  # section, quote
    uncovered: List[Tuple[str, str, List[str]]] = field(default_factory=list)

    @property
    def answers_need_updating(self) -> bool:
        return bool(self.broken_quotes) or self.new_date is None


def sentences(lines: Sequence[str]) -> List[str]:
    text = " ".join(lines)
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+|\s*•\s*", text) if s.strip()]


def word_diff(old: Sequence[str], new: Sequence[str]) -> str:
    """Removed words in [-…-], added words in {+…+}, unchanged text around them."""
    before, after = " ".join(old).split(), " ".join(new).split()
    out: List[str] = []
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(None, before, after).get_opcodes():
        if op == "equal":
            words = before[a1:a2]
            out.append(" ".join(words) if len(words) <= 12 else
                       " ".join(words[:5]) + " … " + " ".join(words[-5:]))
        if op in ("delete", "replace"):
            out.append("[-" + " ".join(before[a1:a2]) + "-]")
        if op in ("insert", "replace"):
            out.append("{+" + " ".join(after[b1:b2]) + "+}")
    return " ".join(out)


def check(old_text: str, new_text: str, data: Dict) -> NoticeCheck:
    try:
        new_date: Optional[str] = find_last_updated(new_text)
    except ValueError:
        new_date = None
    result = NoticeCheck(find_last_updated(old_text), new_date)

    old_parts, new_parts = dict(notice_parts(old_text)), dict(notice_parts(new_text))
    for heading, lines in new_parts.items():
        if heading not in old_parts:
            result.added_parts.append(heading)
        elif normalise(" ".join(lines)) != normalise(" ".join(old_parts[heading])):
            result.changed_parts.append((heading, word_diff(old_parts[heading], lines)))
    result.removed_parts = [h for h in old_parts if h not in new_parts]

    # Quotes are checked against the new text with its own date filled in.
    notice = parse_notice(data, new_text if new_date else old_text)
    text = normalise(new_text)
    for section in notice.sections.values():
        for quote in section.quotes:
            if normalise(quote) not in text:
                result.broken_quotes.append((section.id, quote))
    for term in (t for kind in notice.terms.values() for t in kind.values()):
        if term.quote and normalise(term.quote) not in text:
            result.broken_quotes.append((f"{term.section} ({term.label})", term.quote))

    quoted = [normalise(q) for s in notice.sections.values() for q in s.quotes]
    old_sentences = {normalise(s) for lines in old_parts.values() for s in sentences(lines)}
    titles: Dict[str, List[str]] = {}
    for section in notice.sections.values():
        titles.setdefault(section.title, []).append(section.id)
    for heading, lines in new_parts.items():
        for sentence in sentences(lines):
            folded = normalise(sentence)
            if folded in old_sentences or any(folded in q or q in folded for q in quoted):
                continue
            result.uncovered.append((heading, sentence, titles.get(heading, [])))
    return result


def render(result: NoticeCheck) -> str:
    lines = ["Notice check", "============", ""]
    if result.new_date is None:
        lines.append("DATE: the new text has no 'This notice was last updated in …' line.")
    elif result.new_date != result.old_date:
        lines.append(f"Date: {result.old_date} -> {result.new_date} "
                     "(the `changes` answer will say the new date).")
    else:
        lines.append(f"Date: unchanged ({result.old_date}).")
    lines += ["", f"Parts of the notice that changed: {len(result.changed_parts)}"]
    for heading, diff in result.changed_parts:
        lines += [f"  ## {heading}", f"     {diff}"]
    for heading in result.added_parts:
        lines.append(f"  ## NEW PART: {heading}")
    for heading in result.removed_parts:
        lines.append(f"  ## PART REMOVED: {heading}")
    lines += ["", f"Answers quoting wording no longer in the notice: {len(result.broken_quotes)}"]
    for section, quote in result.broken_quotes:
        lines.append(f"  - {section}: \u201c{quote}\u201d")
    lines += ["", f"New text no section's quotes cover: {len(result.uncovered)}"]
    for heading, sentence, sections in result.uncovered:
        under = f"sections {', '.join(sections)}" if sections else "no section has this part"
        lines.append(f"  - [{heading}; {under}] {sentence}")
    lines += ["", ("REVIEW NEEDED: update data/notice/sections.yml before this notice goes "
                   "live." if result.answers_need_updating else
                   "Every answer's quotes are still in the notice. Review the changes above, "
                   "then copy the new text over data/notice/privacy_notice.txt.")]
    return "\n".join(lines)


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("new", type=Path, help="the new notice text (plain text)")
    parser.add_argument("--old", type=Path, default=NOTICE_TEXT,
                        help="the notice the answers were written for")
    args = parser.parse_args(argv)
    for path in (args.new, args.old):
        if not path.is_file():
            print(f"no such file: {path}", file=sys.stderr)
            return 2
    try:
        new_text = args.new.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        print(f"{args.new} is not UTF-8 text: save it as plain text (UTF-8)", file=sys.stderr)
        return 2
    if len(new_text.split()) < 50:
        print(f"{args.new} has almost no text: is it the whole notice?", file=sys.stderr)
        return 2
    data = yaml.safe_load(NOTICE_DATA_FILE.read_text(encoding="utf-8"))
    result = check(args.old.read_text(encoding="utf-8"), new_text, data)
    print(render(result))
    return 1 if result.answers_need_updating else 0


if __name__ == "__main__":
    sys.exit(main())
