"""Typed text is never lost: a save that fails, Esc with unsaved text."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import TextArea

import briefing
from briefing.model import Report
from briefing.store import Store
from briefing.store.lock import LockFile
from briefing.tui.app import BriefingApp
from briefing.tui.screens.confirm import ConfirmScreen
from briefing.tui.screens.note_editor import NoteEditor
from briefing.tui.screens.reader import ReaderScreen
from tests.conftest import reader_ready, settle


@pytest.fixture(scope="module")
def report() -> Report:
    return briefing.load_report()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "notes.json"


def another_program(db: Path) -> LockFile:
    """The lock another program takes on the database.  It waits for the reader's
    own writes at start-up (its reading position): with no wait, taking it failed
    whenever one of them was under way."""
    return LockFile(str(db) + ".lock", timeout=20)


async def type_note(pilot, text: str) -> NoteEditor:
    """``a`` on a ready reader, then ``text`` in the editor once it is mounted."""
    app = pilot.app
    if isinstance(app.screen, ReaderScreen):
        await reader_ready(app, pilot)
    await pilot.press("a")
    await settle(
        pilot, lambda: isinstance(app.screen, NoteEditor) and bool(app.screen.query(TextArea))
    )
    editor = app.screen
    assert isinstance(editor, NoteEditor)
    editor.query_one(TextArea).insert(text)
    await pilot.pause()
    return editor


async def test_save_while_the_database_is_locked_keeps_the_editor_and_text(
    report: Report, db: Path
) -> None:
    store = Store.open(db)
    store.storage.lock.timeout = 0.3
    other = another_program(db)
    app = BriefingApp(report, store)
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            editor = await type_note(pilot, "要保留的笔记")
            other.acquire()
            await pilot.press("ctrl+s")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert app.screen is editor, "the editor stays open"
            assert editor.text == "要保留的笔记"
            status = str(editor.query_one("#note-status").render())
            assert "Not saved" in status and "locked" in status
            other.release()
            await pilot.press("ctrl+s")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert isinstance(app.screen, ReaderScreen)
            assert [n.text for n in store.notes.list(report)] == ["要保留的笔记"]
    finally:
        store.close()


async def test_the_save_runs_off_the_ui_thread(report: Report, db: Path) -> None:
    """While a save waits for a lock another program holds, the reader keeps
    handling keys and timers, and nothing on the UI thread waits for that lock.

    No step depends on timing: the lock is held until the test lets it go, and
    its timeout is long enough that the save cannot fail first.  (Under load
    this failed when the reading position's timer fired during the save: that
    write ran on the UI thread and froze it until the lock timed out.)
    """
    store = Store.open(db)
    store.storage.lock.timeout = 60
    other = another_program(db)
    app = BriefingApp(report, store)
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            reader = app.screen
            assert isinstance(reader, ReaderScreen)
            await reader_ready(app, pilot, wait_workers=True)
            before = store.reading.get(report)
            other.acquire()  # another program holds the database from now on
            await pilot.press("j")  # the reading position is due to be saved
            editor = await type_note(pilot, "慢")
            await pilot.press("ctrl+s")
            # Only the lock's release (or its 60 s timeout) ends the save.
            assert editor.saving and app.screen is editor
            # The position's timer fires while the save waits: its write waits
            # in a thread too, and keys are still handled.
            assert await settle(pilot, lambda: "reading position" in running_workers(app))
            await pilot.press("escape")
            assert app.screen is editor and editor.saving
            assert "Saving" in str(editor.query_one("#note-status").render())
            # Reading does not wait for the lock either (this runs on the UI thread).
            assert store.reading.get(report) == before, "nothing written while the lock is held"
            other.release()
            await app.workers.wait_for_complete()
            assert await settle(pilot, lambda: isinstance(app.screen, ReaderScreen))
            assert [n.text for n in store.notes.list(report)] == ["慢"]
            assert store.reading.get(report) != before, "the position was saved after all"
    finally:
        other.release()
        store.close()


def running_workers(app) -> set[str]:
    return {worker.name for worker in app.workers if not worker.is_finished}


async def test_escape_with_unsaved_text_asks(report: Report, db: Path) -> None:
    store = Store.open(db)
    app = BriefingApp(report, store)
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            editor = await type_note(pilot, "别丢")
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, ConfirmScreen)
            await pilot.press("n")  # keep editing
            await pilot.pause()
            assert app.screen is editor and editor.text == "别丢"
            await pilot.press("escape", "escape")  # a second Esc answers "no" again
            await pilot.pause()
            assert app.screen is editor and editor.text == "别丢"
            await pilot.press("escape")
            await pilot.pause()
            await pilot.press("y")
            await pilot.pause()
            assert isinstance(app.screen, ReaderScreen)
            assert store.notes.list(report) == []
            # Nothing typed: Esc closes at once.
            await pilot.press("a")
            await pilot.pause()
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, ReaderScreen)
    finally:
        store.close()


@pytest.mark.parametrize("size", [(80, 24), (60, 20), (120, 40)])
async def test_editor_fits_small_terminals_and_shows_its_keys(
    report: Report, db: Path, size: tuple[int, int]
) -> None:
    store = Store.open(db)
    app = BriefingApp(report, store)
    try:
        async with app.run_test(size=size) as pilot:
            editor = await type_note(pilot, "x")
            width, height = size
            for button_id in ("#note-save", "#note-cancel"):
                region = editor.query_one(button_id).region
                assert region.height >= 1 and region.bottom <= height - 1, (button_id, region)
                assert region.right <= width
            assert editor.query_one(TextArea).region.height >= 3
            from textual.widgets import Footer

            footer = editor.query_one(Footer)
            assert footer.region.bottom == height, "the editor's own footer, over the reader's"
            keys = set(editor.active_bindings)
            assert {"ctrl+s", "escape"} <= keys
            assert not {"slash", "b", "m"} & keys
    finally:
        store.close()


async def test_quote_breaks_lines_as_the_page_does(report: Report, db: Path) -> None:
    from briefing.tui.widgets.quote import Quote

    quote = Quote("一二三四五六七八九，十一二三四五六七八九。", max_lines=5)
    lines = quote.lines(18)  # 9 hanzi a line: the comma may not start a line
    assert all(not line.startswith(("，", "。")) for line in lines)
    assert "".join(lines) == "一二三四五六七八九，十一二三四五六七八九。"
    # An ASCII " closing a quote is a closing mark too.
    text = '推进"放管服"改革'
    for width in range(7, 16):
        lines = Quote(text, max_lines=5).lines(width)
        assert "".join(lines) == text
        assert not any(line.startswith('"改') for line in lines), (width, lines)
        assert not any(line.endswith('"') and not line.endswith('服"') for line in lines)


async def test_bookmark_with_the_database_locked_says_so_without_freezing(
    report: Report, db: Path
) -> None:
    store = Store.open(db)
    store.storage.lock.timeout = 30
    other = another_program(db)
    app = BriefingApp(report, store)
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            other.acquire()
            await pilot.press("b")
            await pilot.press("right_square_bracket")  # the reader still answers keys

            def saving() -> bool:
                return any(w.group == "store" and w.is_running for w in app.workers)

            assert await settle(pilot, saving)
            other.release()
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert [b.section for b in store.bookmarks.list(report)] == [report.sections[0].id]
    finally:
        store.close()


async def test_database_damaged_while_open_is_said_and_reloaded(tmp_path: Path) -> None:
    """A sync program tears the file while the reader runs: the reader says where
    the damaged file went and stops showing notes that are no longer there."""
    report = briefing.load_report()
    db = tmp_path / "notes.json"
    store = Store.open(db)
    store.notes.add(report, report.sections[1].id, "旧笔记")
    app = BriefingApp(report, store)
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            reader = app.screen
            assert isinstance(reader, ReaderScreen)
            await pilot.pause(0.2)
            assert [n.text for n in reader.notes] == ["旧笔记"]
            db.write_bytes(b'{"notes": {"1": {"id": "half')  # a torn write by another program
            reader.check_store()
            await pilot.pause()
            assert reader.notes == []
            messages = [n.message for n in app._notifications]
            assert any(".corrupt-" in m for m in messages), messages
            assert app.is_running
    finally:
        store.close()
