"""Every store stage grows linearly with the number of notes (CPU time ratios).

10,000 and 20,000 notes, best of 3 CPU times: twice the notes may cost at
most three times the time (a quadratic stage would cost four).  Ratios, not
seconds: the machine is shared.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from briefing import load_report
from briefing.export import render_markdown
from briefing.model import Report
from briefing.store import Store
from briefing.store.sample import seed_notes
from tests.scaling import MAX_RATIO, measured_ratio


def _export(db: Path, report: Report, count: int) -> None:
    """What ``briefing export`` does with the database."""
    store = Store.open(db)
    with store.snapshot():
        notes, marks = store.notes.list(report), store.bookmarks.list(report)
    assert len(notes) >= count
    render_markdown(report, notes, marks)


def test_open_list_render_and_add_are_linear(tmp_path: Path) -> None:
    report = load_report()
    dbs = {count: tmp_path / f"{count}.json" for count in (10_000, 20_000)}
    for count, db in dbs.items():
        seed_notes(db, report, count)
    stores = {count: Store.open(db) for count, db in dbs.items()}

    def read(count: int) -> Callable[[], object]:
        return lambda: _export(dbs[count], report, count)

    def add(count: int) -> Callable[[], object]:
        return lambda: stores[count].notes.add(report, "1.3", "新笔记", quote="93.46分")

    assert measured_ratio(read(10_000), read(20_000)) <= MAX_RATIO
    assert measured_ratio(add(10_000), add(20_000)) <= MAX_RATIO
