"""Every store stage grows linearly with the number of notes (CPU time ratios)."""

from __future__ import annotations

import time
from pathlib import Path

from briefing import load_report
from briefing.export import render_markdown
from briefing.store import Store
from briefing.store.anchors import make_quote
from briefing.store.storage import encode_database


def _seed(path: Path, count: int) -> None:
    report = load_report()
    sections = [s for s in report.sections if len(s.text) > 40]
    notes = {}
    for i in range(count):
        section = sections[i % len(sections)]
        start = (i * 7) % (len(section.text) - 20)
        quote = make_quote(section.text, start, start + 12)
        notes[str(i + 1)] = {
            "id": f"id-{i}",
            "report": report.sha256,
            "report_title": report.title,
            "section": section.id,
            "section_title": section.title,
            "text": f"笔记 {i}",
            "quote": {"exact": quote.exact, "prefix": quote.prefix, "suffix": quote.suffix},
            "start": start,
            "end": start + 12,
            "created": "2024-05-01T10:00:00+08:00",
            "updated": "2024-05-01T10:00:00+08:00",
        }
    path.write_bytes(encode_database({"notes": notes}))


def _cpu(path: Path) -> float:
    """Best of 3: open, list and render, as `briefing export` does."""
    report = load_report()
    best = float("inf")
    for _ in range(3):
        begin = time.process_time()
        store = Store.open(path)
        render_markdown(report, store.notes.list(report), store.bookmarks.list(report))
        best = min(best, time.process_time() - begin)
    return best


def test_open_list_render_is_linear(tmp_path: Path) -> None:
    small, large = tmp_path / "small.json", tmp_path / "large.json"
    _seed(small, 2_000)
    _seed(large, 8_000)
    assert _cpu(large) <= 4 * 3 * _cpu(small)  # four times the notes, at most 12x the time
