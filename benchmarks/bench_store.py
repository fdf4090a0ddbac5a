"""Time adding a note and exporting, with 10, 1,000 and 10,000 notes stored.

Targets: adding a note with 10,000 notes present < 100 ms; exporting 10,000
notes < 1 s.  Run: ``python benchmarks/bench_store.py``.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from briefing import load_report
from briefing.export import render_markdown
from briefing.store import Store
from briefing.store.anchors import make_quote
from briefing.store.annotations import now_iso


def seed(store: Store, count: int) -> None:
    """Fill the database in one write (seeding note by note would take minutes)."""
    report = load_report()
    sections = [s for s in report.sections if len(s.text) > 40]
    data = store.storage.read() or {}
    notes = {}
    stamp = now_iso()
    for i in range(count):
        section = sections[i % len(sections)]
        start = (i * 7) % (len(section.text) - 20)
        quote = make_quote(section.text, start, start + 12)
        notes[str(i + 1)] = {
            "id": f"{i:08d}-0000-4000-8000-000000000000",
            "report": report.sha256,
            "report_title": report.title,
            "section": section.id,
            "section_title": section.title,
            "section_number": section.number,
            "text": f"第 {i} 条笔记：这一段值得再看，尤其是其中的数字。",
            "quote": {"exact": quote.exact, "prefix": quote.prefix, "suffix": quote.suffix},
            "start": start,
            "end": start + 12,
            "status": "anchored",
            "created": stamp,
            "updated": stamp,
        }
    data["notes"] = notes
    with store.storage.transaction():
        store.storage.write(data)


def timed(action, repeat: int) -> list[float]:
    """Wall times in milliseconds, one per run."""
    samples = []
    for _ in range(repeat):
        begin = time.perf_counter()
        action()
        samples.append((time.perf_counter() - begin) * 1000)
    return samples


class Row:
    """One database size: its figures in milliseconds (medians, and the worst add)."""

    def __init__(self, report, count: int) -> None:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "briefing.json"
            store = Store.open(path)
            seed(store, count)
            self.count = count
            self.size = path.stat().st_size
            # What each `briefing notes ...` command pays first: open, read, parse.
            self.open = statistics.median(timed(lambda: Store.open(path).notes.count(), 3))
            adds = timed(lambda: store.notes.add(report, "1.3", "新笔记", quote="93.46分"), 15)
            self.add, self.add_worst = statistics.median(adds), max(adds)
            self.list = statistics.median(timed(lambda: store.notes.list(report), 3))

            def export() -> None:
                render_markdown(report, store.notes.list(report), store.bookmarks.list(report))

            self.export = statistics.median(timed(export, 3))
            notes = store.notes.list(report)
            self.render = statistics.median(timed(lambda: render_markdown(report, notes, []), 3))


def verdict(label: str, value: float, limit: float) -> str:
    met = "met" if value < limit else "NOT MET"
    return f"  {label:<34} {value:8.1f} ms  (target < {limit:.0f} ms)  {met}"


def main() -> None:
    report = load_report()
    rows = [Row(report, count) for count in (10, 1_000, 10_000)]
    print(f"python {sys.version.split()[0]}, medians in ms (add: median of 15, worst)")
    print(
        f"{'notes':>7} {'db size':>10} {'open':>7} {'add note':>9} {'worst':>7} "
        f"{'list':>8} {'render':>8} {'export':>8}"
    )
    for r in rows:
        print(
            f"{r.count:>7,} {r.size / 1024:>8.0f}KB {r.open:>7.1f} {r.add:>9.1f} "
            f"{r.add_worst:>7.1f} {r.list:>8.1f} {r.render:>8.1f} {r.export:>8.1f}"
        )
    print("open = Store.open + first read (each CLI command); export = list + render")
    big = rows[-1]
    print(f"targets with {big.count:,} notes:")
    print(verdict("add a note (median)", big.add, 100))
    print(verdict("add a note (worst of 15)", big.add_worst, 100))
    print(verdict("export (list + render, median)", big.export, 1000))


if __name__ == "__main__":
    main()
