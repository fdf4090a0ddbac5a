"""Lean strips: Textual's ``Strip`` with its seven caches made when first used
(tui/lean_strip.py). The same answers as a ``Strip`` from every method, and
the reader's kept lines carry no cache they never used."""

from __future__ import annotations

import gc

import pytest
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from textual._ansi_theme import DEFAULT_TERMINAL_THEME
from textual.cache import FIFOCache
from textual.color import Color
from textual.filter import ANSIToTruecolor
from textual.strip import Strip

from briefing.model import Report
from briefing.store import Store
from briefing.tui import lean_strip as lean
from briefing.tui.app import BriefingApp
from briefing.tui.widgets.reader_view import ReaderView
from tests.conftest import reader_ready, search_settled

RED = Style(color="red", meta={"offset": (0, 3)})
SEGMENTS = [
    Segment(" ", None),
    Segment("法治政府", RED),
    Segment(" abc ", Style(bgcolor="blue", link="https://example.org")),
    Segment("建设", Style(bold=True)),
]


def _caches(strip: Strip) -> int:
    return sum(isinstance(thing, FIFOCache) for thing in gc.get_referents(strip))


def test_the_lean_strip_fits_the_installed_textual() -> None:
    assert lean.fits_textual()
    assert isinstance(lean.lean_strip(SEGMENTS), lean.LeanStrip)


def test_a_lean_strip_answers_as_a_strip_does() -> None:
    """Every method, twice (the second answer from the cache it made)."""
    console = Console(color_system="truecolor", width=40)
    calls = [
        ("crop", (2, 9)), ("crop", (0, 40)), ("divide", ([3, 10, 16],)),
        ("adjust_cell_length", (20, RED)), ("adjust_cell_length", (5,)),
        ("extend_cell_length", (22,)), ("crop_extend", (1, 25, RED)), ("crop_pad", (20, 1, 2, RED)),
        ("apply_filter", (ANSIToTruecolor(DEFAULT_TERMINAL_THEME), Color(0, 0, 0))),
        ("apply_style", (Style(italic=True),)), ("apply_meta", ({"x": 1},)),
        ("style_links", ("nothing", RED)), ("apply_offsets", (2, 3)), ("simplify", ()),
        ("discard_meta", ()), ("text_align", (30, "center")), ("index_to_cell_position", (3,)),
        ("render", (console,)),
    ]  # fmt: skip
    plain, thin = Strip(SEGMENTS, 16), lean.lean_strip(SEGMENTS, 16)
    assert _caches(plain) == 7 and _caches(thin) == 0
    assert thin == plain and thin.text == plain.text
    assert (thin.cell_length, thin.cell_count, thin.link_ids) == (
        plain.cell_length, plain.cell_count, plain.link_ids)  # fmt: skip
    for name, args in calls:
        for _again in range(2):
            ours, theirs = getattr(thin, name)(*args), getattr(plain, name)(*args)
            if isinstance(theirs, Strip):
                assert list(ours) == list(theirs), name
                assert ours.cell_length == theirs.cell_length, name
            elif isinstance(theirs, list):
                assert [list(s) for s in ours] == [list(s) for s in theirs], name
            else:
                assert ours == theirs, name
    assert thin.crop(2, 9) is thin.crop(2, 9)  # cached as a Strip caches it
    assert 0 < _caches(thin) <= 7


def test_a_textual_with_other_slots_gets_plain_strips(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Strip, "__slots__", [*Strip.__slots__, "_new_cache"])
    assert not lean.fits_textual()
    monkeypatch.setattr(lean, "FITS", False)
    strip = lean.lean_strip(SEGMENTS, 16)
    assert type(strip) is Strip and _caches(strip) == 7


async def test_the_page_keeps_its_drawn_lines_without_unused_caches(
    report: Report, store: Store
) -> None:
    """Through a search and a page down, the page's kept lines and finished rows
    carry only the caches the screen used (seven each were made with every line:
    a quarter or more of what the young collections walked inside a key)."""
    app = BriefingApp(report, store)
    async with app.run_test(size=(120, 40)) as pilot:
        await reader_ready(app, pilot, wait_workers=True)
        for key in ["slash", *"fazh", "escape", "space"]:
            await pilot.press(key)
            await search_settled(app, pilot)
        view = app.query_one(ReaderView)
        lines = list(view._cache.values())
        rows = [row for _line, row in view._direct_rows._finished.values()]
        assert len(lines) >= 30 and len(rows) >= 30
        assert all(isinstance(strip, lean.LeanStrip) for strip in lines + rows)
        assert sum(map(_caches, lines + rows)) <= len(lines + rows)
