"""Every store stage grows linearly with the number of notes (CPU time ratios).

10,000 and 20,000 notes, best of 3 CPU times: twice the notes may cost at
most three times the time (a quadratic stage would cost four).  Ratios, not
seconds: the machine is shared.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from briefing import load_report
from briefing.export import render_markdown
from briefing.model import Report
from briefing.store import Store
from briefing.store.sample import seed_notes


def _best(action: Callable[[], object], runs: int = 3) -> float:
    best = float("inf")
    for _ in range(runs):
        begin = time.process_time()
        action()
        best = min(best, time.process_time() - begin)
    return best


def _export(db: Path, report: Report, count: int) -> None:
    """What ``briefing export`` does with the database."""
    store = Store.open(db)
    with store.snapshot():
        notes, marks = store.notes.list(report), store.bookmarks.list(report)
    assert len(notes) >= count
    render_markdown(report, notes, marks)


def test_open_list_render_and_add_are_linear(tmp_path: Path) -> None:
    report = load_report()
    times: dict[int, tuple[float, float]] = {}
    for count in (10_000, 20_000):
        db = tmp_path / f"{count}.json"
        seed_notes(db, report, count)
        store = Store.open(db)
        times[count] = (
            _best(lambda db=db, count=count: _export(db, report, count)),
            _best(lambda store=store: store.notes.add(report, "1.3", "新笔记", quote="93.46分")),
        )
    (read_small, add_small), (read_large, add_large) = times[10_000], times[20_000]
    assert read_large <= 3 * read_small, times
    assert add_large <= 3 * add_small, times
