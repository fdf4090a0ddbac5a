"""How well briefing reads the hand-marked real reports (tests/reports/real).

Run: ``python benchmarks/eval_reports.py [--json] [--misses] [--dir FOLDER]``. For every marked
report it prints one row: is the title right, how many marked headings the
contents list shows (in document order) out of how many were marked, how many
headings it shows that the marks do not have (junk: page furniture, sentences,
numbers out of sequence), and the figures' recall and precision against the
marks. Totals follow. ``--misses`` adds, per report, what was missed and what
was extra; ``--json`` prints the same as one JSON object.

The scoring is the tests' own (tests/test_parse_real.py for titles and
headings, tests/test_real_figures.py for figures), so the numbers printed
here are the numbers the suite asserts.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from briefing.figures import report_figures
from briefing.parse import parse_report
from briefing.source import read_source
from tests.real_reports import REAL_DIR, load_marks, report_path
from tests.test_parse_real import heading_score, title_right
from tests.test_real_figures import aligned


@dataclass
class Row:
    """One report's scores."""

    slug: str
    title_right: bool
    title: str
    title_marked: str
    headings_found: int
    headings_marked: int
    headings_shown: int
    junk_headings: int
    figures_marked: int
    figures_found: int
    figures_aligned: int
    missed_headings: list[str] = field(default_factory=list)
    junk: list[str] = field(default_factory=list)
    missed_figures: list[str] = field(default_factory=list)
    extra_figures: list[str] = field(default_factory=list)

    @property
    def figures_recall(self) -> float:
        return self.figures_aligned / self.figures_marked if self.figures_marked else 1.0

    @property
    def figures_precision(self) -> float:
        return self.figures_aligned / self.figures_found if self.figures_found else 1.0


def evaluate(slug: str, path: Path, marks: dict) -> Row:
    """Score one report against its marks."""
    report = parse_report(read_source(path), path=path)
    score = heading_score(report.sections, marks)
    marked = [(f["text"], f["kind"]) for f in marks["figures"]]
    found = [(f.text, f.kind) for f in report_figures(report)]
    pairs = aligned(marked, found)
    hit_marked = {i for i, _ in pairs}
    hit_found = {j for _, j in pairs}
    return Row(
        slug=slug,
        title_right=title_right(report, marks),
        title=report.metadata.title,
        title_marked=marks["title"],
        headings_found=score.found,
        headings_marked=len(marks["headings"]),
        headings_shown=score.shown,
        junk_headings=len(score.junk),
        figures_marked=len(marked),
        figures_found=len(found),
        figures_aligned=len(pairs),
        missed_headings=score.missed,
        junk=score.junk,
        missed_figures=[f"{t}/{k}" for i, (t, k) in enumerate(marked) if i not in hit_marked],
        extra_figures=[f"{t}/{k}" for j, (t, k) in enumerate(found) if j not in hit_found],
    )


def totals(rows: list[Row]) -> dict[str, float | int]:
    """Sums over all reports, with the ratios the issue's "done when" names."""
    found = sum(r.headings_found for r in rows)
    marked = sum(r.headings_marked for r in rows)
    shown = sum(r.headings_shown for r in rows)
    fig_marked = sum(r.figures_marked for r in rows)
    fig_found = sum(r.figures_found for r in rows)
    fig_aligned = sum(r.figures_aligned for r in rows)
    return {
        "reports": len(rows),
        "titles_right": sum(r.title_right for r in rows),
        "headings_found": found,
        "headings_marked": marked,
        "headings_shown": shown,
        "junk_headings": sum(r.junk_headings for r in rows),
        "headings_recall": found / marked if marked else 1.0,
        "headings_precision": found / shown if shown else 1.0,
        "figures_marked": fig_marked,
        "figures_found": fig_found,
        "figures_aligned": fig_aligned,
        "figures_recall": fig_aligned / fig_marked if fig_marked else 1.0,
        "figures_precision": fig_aligned / fig_found if fig_found else 1.0,
    }


def table(rows: list[Row], *, misses: bool) -> str:
    head = (
        f"{'report':42} {'title':>5} {'heads':>7} {'junk':>4}"
        f" {'fig.marked':>10} {'recall':>7} {'prec.':>6}"
    )
    lines = [head]
    for r in rows:
        lines.append(
            f"{r.slug:42} {'ok' if r.title_right else 'WRONG':>5}"
            f" {f'{r.headings_found}/{r.headings_marked}':>7} {r.junk_headings:4}"
            f" {r.figures_marked:10} {r.figures_recall:7.3f} {r.figures_precision:6.3f}"
        )
    t = totals(rows)
    titles = f"{t['titles_right']}/{t['reports']}"
    heads = f"{t['headings_found']}/{t['headings_marked']}"
    lines.append(
        f"{'TOTAL':42} {titles:>5} {heads:>7} {t['junk_headings']:4}"
        f" {t['figures_marked']:10} {t['figures_recall']:7.3f} {t['figures_precision']:6.3f}"
    )
    lines.append(
        f"headings: recall {t['headings_recall']:.3f}, precision {t['headings_precision']:.3f}"
        f" ({t['headings_shown']} shown)"
    )
    if misses:
        for r in rows:
            if not r.title_right:
                lines.append(f"{r.slug}: title {r.title!r}, marked {r.title_marked!r}")
            if r.missed_headings or r.junk:
                lines.append(f"{r.slug}: missed headings {r.missed_headings} junk {r.junk}")
            if r.missed_figures or r.extra_figures:
                lines.append(f"{r.slug}: missed figures {r.missed_figures} extra {r.extra_figures}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--json", action="store_true", help="one JSON object: rows and totals")
    parser.add_argument("--misses", action="store_true", help="list what was missed or extra")
    parser.add_argument(
        "--dir",
        type=Path,
        default=REAL_DIR,
        help="a folder of <slug>.txt (.html, .docx) + <slug>.marks.toml",
    )
    args = parser.parse_args(argv)
    rows = [
        evaluate(slug, report_path(args.dir, slug), load_marks(marks_path))
        for marks_path in sorted(args.dir.glob("*.marks.toml"))
        if (slug := marks_path.name.removesuffix(".marks.toml"))
    ]
    if args.json:
        out = {
            "reports": [
                asdict(r)
                | {"figures_recall": r.figures_recall, "figures_precision": r.figures_precision}
                for r in rows
            ],
            "totals": totals(rows),
        }
        print(json.dumps(out, ensure_ascii=False, indent=1))
    else:
        print(table(rows, misses=args.misses))
    return 0


if __name__ == "__main__":
    sys.exit(main())
