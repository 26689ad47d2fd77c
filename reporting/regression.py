"""The regression report: score the trained assistant and write one HTML page.

  make report                      held-out questions only
  make report QUESTIONS=my.csv     and staff's own question files (CSV, TSV or YAML)

Writes results/report/report.html and results/report/confusion.png: a summary line,
accuracy per section, the confusion matrix, every miss, and each answer's length and
reading grade. Exits 1 when the accuracy is under the bar (settings: report.min_accuracy),
so that it can gate a release; 2 on bad input.
"""

import argparse
import asyncio
import html
import sys
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path
from typing import List, Optional, Sequence, Tuple

from core.settings import PROJECT_ROOT, load_settings
from curation.protected import heldout_files, load_questions
from evaluation.heldout import DEFAULT_MODEL, Score
from reporting.question_files import QuestionFileError, load_question_file

DEFAULT_OUT = PROJECT_ROOT / "results" / "report"
NO_ANSWER = "(no single section)"


def summary_line(score: Score, bar: float, sources: Sequence[str]) -> str:
    right = sum(o.correct for o in score.outcomes)
    total = len(score.outcomes)
    verdict = "PASS" if score.accuracy >= bar else "FAIL"
    return (f"{right}/{total} questions answered from the expected section "
            f"({score.accuracy:.1%}); bar {bar:.0%}: {verdict}. "
            f"Questions: {', '.join(sources)}.")


def readability(text: str) -> Tuple[int, Optional[float]]:
    """(words, Flesch-Kincaid grade) of what the family read, Source line excluded."""
    import textstat

    body = "\n".join(line for line in text.splitlines() if not line.startswith("Source:"))
    words = len(body.split())
    return words, (round(textstat.flesch_kincaid_grade(body), 1) if words else None)


def confusion_png(score: Score, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    expected = sorted({o.expected for o in score.outcomes})
    answered = sorted({o.answered or NO_ANSWER for o in score.outcomes} | set(expected))
    counts = Counter((o.expected, o.answered or NO_ANSWER) for o in score.outcomes)
    grid = [[counts[(e, a)] for a in answered] for e in expected]
    size = max(6, 0.32 * len(answered) + 3)
    figure, axes = plt.subplots(figsize=(size, max(5, 0.3 * len(expected) + 3)))
    image = axes.imshow(grid, cmap="Blues")
    axes.set_xticks(range(len(answered)), answered, rotation=90, fontsize=7)
    axes.set_yticks(range(len(expected)), expected, fontsize=7)
    axes.set_xlabel("answered from")
    axes.set_ylabel("expected")
    for row, line in enumerate(grid):
        for column, value in enumerate(line):
            if value:
                axes.text(column, row, str(value), ha="center", va="center", fontsize=6,
                          color="white" if value > max(map(max, grid)) / 2 else "black")
    figure.colorbar(image, ax=axes, shrink=0.6)
    axes.set_title("Expected section (rows) against the section answered (columns)")
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


def report_html(score: Score, summary: str, image_name: str) -> str:
    e = html.escape
    sections = "".join(
        f"<tr><td>{e(section)}</td><td>{right}</td><td>{total}</td>"
        f"<td>{right / total:.1%}</td></tr>"
        for section, (right, total) in score.per_section().items())
    misses = "".join(
        f"<tr><td>{e(o.text)}</td><td>{e(o.expected)}</td>"
        f"<td>{e(o.answered or NO_ANSWER)}</td></tr>"
        for o in score.outcomes if not o.correct) or '<tr><td colspan="3">None</td></tr>'
    answers = []
    for o in score.outcomes:
        words, grade = readability(o.reply)
        answers.append(
            f"<tr><td>{e(o.text)}</td><td>{e(o.answered or NO_ANSWER)}</td>"
            f"<td>{words}</td><td>{'' if grade is None else grade}</td>"
            f"<td>{e(o.reply)}</td></tr>")
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return f"""<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8">
<title>Regression report – privacy-notice assistant</title>
<style>
 body {{ font-family: Arial, sans-serif; margin: 1rem auto; max-width: 75rem; color: #0b0c0c; }}
 table {{ border-collapse: collapse; margin-bottom: 2rem; }}
 th, td {{ border: 1px solid #b1b4b6; padding: .3rem .5rem; text-align: left; vertical-align: top; }}
 td:last-child {{ white-space: pre-line; }}
 .summary {{ font-size: 1.2rem; font-weight: bold; border-left: 6px solid #1d70b8; padding: .5rem 1rem; }}
</style></head><body>
<h1>Regression report</h1>
<p class="summary">{e(summary)}</p>
<p>Made {stamp}. Grade is the Flesch-Kincaid reading grade of the reply without its Source line.</p>
<h2>Accuracy per section and route</h2>
<table><thead><tr><th>Section</th><th>Right</th><th>Of</th><th>Accuracy</th></tr></thead>
<tbody>{sections}</tbody></table>
<h2>Confusion matrix</h2>
<p><img src="{e(image_name)}" alt="Confusion matrix: expected section in rows, answered section in columns. The misses are listed below."></p>
<h2>Every miss</h2>
<table><thead><tr><th>Question</th><th>Expected</th><th>Answered</th></tr></thead>
<tbody>{misses}</tbody></table>
<h2>Every answer</h2>
<table><thead><tr><th>Question</th><th>Answered from</th><th>Words</th><th>Grade</th><th>Reply</th></tr></thead>
<tbody>{''.join(answers)}</tbody></table>
</body></html>
"""


def write_report(score: Score, out: Path, bar: float, sources: Sequence[str]) -> str:
    out.mkdir(parents=True, exist_ok=True)
    summary = summary_line(score, bar, sources)
    confusion_png(score, out / "confusion.png")
    (out / "report.html").write_text(report_html(score, summary, "confusion.png"),
                                     encoding="utf-8")
    return summary


def questions_from(files: Sequence[Path], with_heldout: bool) -> Tuple[List, List[str]]:
    questions: List[Tuple[str, str]] = []
    sources: List[str] = []
    if with_heldout:
        for path in heldout_files():
            questions += load_questions(path)
        sources.append("held-out")
    for path in files:
        questions += load_question_file(path)
        sources.append(path.name)
    return questions, sources


def main(argv: Optional[Sequence[str]] = None) -> int:
    from tqdm import tqdm

    from processes.servers import running_action_server
    from channels.agent import load_agent
    from evaluation.heldout import score_agent

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, help="staff question files")
    parser.add_argument("--model", type=Path, default=DEFAULT_MODEL)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--no-heldout", action="store_true",
                        help="only the given files, not the held-out questions")
    parser.add_argument("--min-accuracy", type=float, default=None,
                        help="the bar (default: report.min_accuracy in the settings)")
    args = parser.parse_args(argv)
    bar = args.min_accuracy if args.min_accuracy is not None else float(
        load_settings()["report"]["min_accuracy"])
    if not args.model.exists():
        print(f"no model at {args.model}: run `make train` first", file=sys.stderr)
        return 2
    try:
        questions, sources = questions_from(args.files, not args.no_heldout)
    except QuestionFileError as error:
        print(f"cannot read the questions: {error}", file=sys.stderr)
        return 2
    if not questions:
        print("no questions: give a question file, or leave out --no-heldout",
              file=sys.stderr)
        return 2
    with running_action_server() as action_url:
        agent = load_agent(args.model, action_url)
        with tqdm(total=len(questions), desc="scoring", unit="q", file=sys.stderr) as bar_:
            score = asyncio.run(score_agent(agent, questions, on_each=lambda: bar_.update()))
    summary = write_report(score, args.out, bar, sources)
    print(summary)
    print(f"report: {args.out / 'report.html'}")
    return 0 if score.accuracy >= bar else 1


if __name__ == "__main__":
    sys.exit(main())
