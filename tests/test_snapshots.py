"""Snapshot tests of the key screens (pytest-textual-snapshot).

The interface language is pinned (conftest: English); the Chinese snapshot
sets it itself. Update after a deliberate change with
``pytest tests/test_snapshots.py --snapshot-update`` and look at the SVGs before committing them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import briefing
from briefing.store import Store
from briefing.tui.app import BriefingApp

THEMES = ["paper", "ink", "contrast", "hongtou"]


@pytest.fixture
def store(tmp_path: Path):
    opened = Store.open(tmp_path / "snap.json")
    yield opened
    opened.close()


async def _settle(pilot) -> None:
    """Until the workers are done and a search typed so far is on screen."""
    from textual.worker import WorkerCancelled

    for _ in range(200):
        try:
            await pilot.app.workers.wait_for_complete()
        except WorkerCancelled:  # a search made stale by the next keystroke
            continue
        await pilot.pause()
        screen = pilot.app.screen
        search = getattr(screen, "search", None)
        # The index and the figures come from two workers that start after the
        # first paint: until both are in, the screen may still change.
        loading = getattr(screen, "index", True) is None or getattr(screen, "figures", True) == []
        if not loading and (search is None or not search.pending):
            break
        await pilot.pause(0.01)


def _app(store: Store, theme: str = "paper") -> BriefingApp:
    store.settings.set("theme", theme)
    return BriefingApp(briefing.load_report(), store)


def test_main_screen(snap_compare, store: Store) -> None:
    async def run_before(pilot) -> None:
        await _settle(pilot)
        await pilot.press("right_square_bracket", "right_square_bracket", "right_square_bracket")
        await pilot.press("right_square_bracket", "right_square_bracket")
        await _settle(pilot)

    assert snap_compare(_app(store), terminal_size=(120, 40), run_before=run_before)


def test_main_screen_80x24(snap_compare, store: Store) -> None:
    async def run_before(pilot) -> None:
        await _settle(pilot)
        await pilot.press("right_square_bracket", "right_square_bracket")
        await _settle(pilot)

    assert snap_compare(_app(store), terminal_size=(80, 24), run_before=run_before)


def test_main_screen_in_chinese(
    snap_compare, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The footer, the panel titles and the search counter in Chinese."""
    monkeypatch.setenv("BRIEFING_LANG", "zh")
    report = briefing.load_report()
    store.bookmarks.add(report, "3.1")

    async def run_before(pilot) -> None:
        await _settle(pilot)
        await pilot.press("f")
        await pilot.press("slash", *"fzzf")
        await _settle(pilot)

    assert snap_compare(_app(store), terminal_size=(120, 40), run_before=run_before)


def test_search_with_hits(snap_compare, store: Store) -> None:
    async def run_before(pilot) -> None:
        await _settle(pilot)
        await pilot.press("slash", *"fzzf")
        await _settle(pilot)

    assert snap_compare(_app(store), terminal_size=(120, 40), run_before=run_before)


def test_notes_panel(snap_compare, store: Store) -> None:
    report = briefing.load_report()
    store.notes.add(report, "2.1", "网上可办率要与去年比较 [/] #不是标题", quote="98.4%")
    store.notes.add(report, "6.2", "核酸检测能力\n第二行", quote="29万/日")
    store.bookmarks.add(report, "3.1")

    async def run_before(pilot) -> None:
        await _settle(pilot)
        await pilot.press("m")
        await _settle(pilot)

    assert snap_compare(_app(store), terminal_size=(120, 40), run_before=run_before)


@pytest.mark.parametrize("theme", THEMES)
def test_theme(snap_compare, store: Store, theme: str) -> None:
    async def run_before(pilot) -> None:
        await _settle(pilot)
        await pilot.press(*["right_square_bracket"] * 4)
        await pilot.press("slash", *"gongzuo", "enter")
        await _settle(pilot)

    assert snap_compare(_app(store, theme), terminal_size=(100, 30), run_before=run_before)
