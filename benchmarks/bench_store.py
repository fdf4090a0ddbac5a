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


def timed(action, repeat: int) -> float:
    """Median wall time in milliseconds."""
    samples = []
    for _ in range(repeat):
        begin = time.perf_counter()
        action()
        samples.append((time.perf_counter() - begin) * 1000)
    return statistics.median(samples)


def measure(report, count: int) -> tuple[int, int, float, float, float, float]:
    with tempfile.TemporaryDirectory() as folder:
        store = Store.open(Path(folder) / "briefing.json")
        seed(store, count)
        size = store.path.stat().st_size
        add = timed(lambda: store.notes.add(report, "1.3", "新笔记", quote="93.46分"), 9)
        listing = timed(lambda: store.notes.list(report), 3)

        def export() -> None:
            render_markdown(report, store.notes.list(report), store.bookmarks.list(report))

        total = timed(export, 3)
        notes = store.notes.list(report)
        render = timed(lambda: render_markdown(report, notes, []), 3)
    return count, size, add, listing, render, total


def main() -> None:
    report = load_report()
    rows = [measure(report, count) for count in (10, 1_000, 10_000)]
    print(f"python {sys.version.split()[0]}, medians in ms")
    print(f"{'notes':>7} {'db size':>10} {'add note':>9} {'list':>8} {'render':>8} {'export':>8}")
    for count, size, add, listing, render, total in rows:
        print(
            f"{count:>7,} {size / 1024:>8.0f}KB {add:>9.1f} {listing:>8.1f} "
            f"{render:>8.1f} {total:>8.1f}"
        )
    print("export = list (read, re-anchor check) + render; targets: add < 100 ms, export < 1000 ms")


if __name__ == "__main__":
    main()
