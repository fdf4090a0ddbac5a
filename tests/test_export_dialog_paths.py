"""Paths typed into the reader's export dialog that the export refuses: one line, no crash."""

from __future__ import annotations

import os
from pathlib import Path

import briefing
from briefing.paths import expand_user_as_typed
from briefing.store import Store
from briefing.tui.app import BriefingApp
from briefing.tui.screens.export import ExportScreen


def test_expand_user_as_typed() -> None:
    assert expand_user_as_typed("~nosuchuser-zz/x.md") == Path("~nosuchuser-zz/x.md")
    assert expand_user_as_typed("~/x.md") == Path.home() / "x.md"
    assert expand_user_as_typed("a/~b") == Path("a/~b")


async def test_unknown_user_and_fifo_keep_the_dialog_open(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    store = Store.open(tmp_path / "notes.json")
    app = BriefingApp(briefing.load_report(), store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("e")
        await pilot.pause()
        for target in ("~nosuchuser-zz/x.md", str(fifo)):
            assert isinstance(app.screen, ExportScreen)
            app.screen.query_one("#export-path").value = target
            await pilot.press("enter")
            await pilot.pause()
            assert app.is_running
            assert isinstance(app.screen, ExportScreen)
            assert app.screen.query_one("#export-error").has_class("-shown")
    assert os.path.exists(fifo)
