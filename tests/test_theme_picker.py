"""Opening the theme picker costs no theme parsing, no pinyin and no work behind it.

Its first open took ~0.9 s CPU: the names' pinyin index was built as it opened
(pypinyin loads, ~0.5 s, though most users just pick from the short list), and
the reader's footer, hidden behind it, recomposed its keys three times per open
(~0.1 s). Theme files were parsed again after the first paint although the
theme cache held them. These tests count each of those.
"""

from __future__ import annotations

import pytest
from textual.command import CommandList, CommandPalette
from textual.widgets._footer import FooterKey

from briefing import themes
from briefing.model import Report
from briefing.resources import themes_dir
from briefing.search import texts
from briefing.store import Store
from briefing.tui import palette
from briefing.tui.app import BriefingApp
from briefing.tui.widgets import footer
from tests.conftest import settle
from tests.test_palette import listed_names


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[object]]:
    """Calls of the index build, the theme file parser and the footer's recompose."""
    calls: dict[str, list[object]] = {"index": [], "parse": [], "footer": []}
    real_index, real_parse = texts.TextIndex, themes._load_file
    real_recompose = footer.LocalFooter.recompose

    def index(*args: object, **kwargs: object) -> object:
        calls["index"].append(args[0])
        return real_index(*args, **kwargs)

    def parse(path: object) -> object:
        calls["parse"].append(path)
        return real_parse(path)

    async def recompose(self: footer.LocalFooter) -> None:
        calls["footer"].append(self)
        await real_recompose(self)

    monkeypatch.setattr(texts, "TextIndex", index)
    monkeypatch.setattr(themes, "_load_file", parse)
    monkeypatch.setattr(footer.LocalFooter, "recompose", recompose)
    monkeypatch.setattr(palette, "_BUILT", {})
    monkeypatch.setattr(palette, "_BUILDING", {})
    monkeypatch.setenv("BRIEFING_LANG", "zh")
    return calls


async def footer_settled(pilot, counted: dict[str, list[object]]) -> None:
    """Until the reader's footer shows its keys (after the first paint) and has
    not recomposed for a while: on a loaded machine the keys' first drawing came
    while the picker was opening and was counted against it."""
    reader_footer = pilot.app.screen.query_one(footer.ReaderFooter)
    assert await settle(pilot, lambda: not reader_footer._held)  # keys shown after the paint
    for _ in range(100):
        seen = len(counted["footer"])
        await pilot.pause(0.3)
        if len(counted["footer"]) == seen:
            return


async def open_picker(pilot) -> None:
    await pilot.press("t")
    assert await settle(pilot, lambda: isinstance(pilot.app.screen, CommandPalette))
    assert await settle(pilot, lambda: "红头" in listed_names(pilot.app))


async def test_opening_the_picker_builds_no_index_and_recomposes_nothing_behind_it(
    report: Report, store: Store, counted: dict[str, list[object]]
) -> None:
    app = BriefingApp(report, store)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await footer_settled(pilot, counted)
        keys_before = len(app.screen.query(FooterKey))
        for _ in range(2):
            recomposed = len(counted["footer"])
            await open_picker(pilot)
            assert counted["index"] == []  # nothing typed: no pinyin needed
            assert len(counted["footer"]) == recomposed  # the reader's footer is hidden
            await pilot.press("escape")
            assert await settle(pilot, lambda: not isinstance(app.screen, CommandPalette))
            # drawn again once it is seen
            assert await settle(pilot, lambda: len(counted["footer"]) > recomposed)  # noqa: B023
            assert await settle(pilot, lambda: len(app.screen.query(FooterKey)) == keys_before)
        await open_picker(pilot)
        await pilot.press("h", "t")  # typed: now the names' index is built, once
        assert await settle(pilot, lambda: listed_names(app)[:1] == ["红头"])
        assert len(counted["index"]) == 1


async def test_each_theme_file_is_parsed_once_then_served_from_the_cache(
    report: Report, store: Store, counted: dict[str, list[object]]
) -> None:
    bundled = sorted(themes_dir().glob("*.toml"))
    for run in range(2):
        app = BriefingApp(report, store)
        async with app.run_test(size=(120, 40)) as pilot:
            await app.workers.wait_for_complete()
            await open_picker(pilot)
            names = listed_names(app)
        assert {"红头", "墨色", "纸张", "高对比度"} <= set(names)
        # Each file once in the first run (the theme in use before the first paint,
        # the others after it), none in the second: its fields come from the cache.
        assert sorted(counted["parse"]) == bundled, f"run {run}"


async def test_the_projects_themes_are_listed_before_textuals_own(
    report: Report, store: Store, counted: dict[str, list[object]]
) -> None:
    """In Chinese, ``ansi-dark`` and Textual's other English names came first."""
    app = BriefingApp(report, store)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await open_picker(pilot)
        names = listed_names(app)
        ours = [i for i, name in enumerate(names) if name in {"红头", "纸张", "墨色", "高对比度"}]
        textuals = [i for i, name in enumerate(names) if name.startswith(("ansi", "textual"))]
        assert ours and textuals and max(ours) < min(textuals), names


# ---------------------------------------------------------------- the page beside it


def _frame_text(app) -> list[str]:
    """What the open picker's screen draws, line by line (reader included)."""
    strips = app.screen._compositor.render_strips()
    return ["".join(segment.text for segment in strip) for strip in strips]


def _highlighted_theme(app) -> str | None:
    options = app.screen.query_one(CommandList)
    if options.highlighted is None:
        return None
    return palette._theme_of(options.get_option_at_index(options.highlighted))


async def test_the_reader_stays_in_sight_beside_the_picker_untinted(
    report: Report, store: Store, counted: dict[str, list[object]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """It was opaque (the page hidden), and before that tinted: Textual re-styled every
    segment of the reader through rich at each repaint. Now the reader's own strips
    are drawn, untouched but for their links, and the picker is a column at the left."""
    from textual.css.stylesheet import Stylesheet
    from textual.renderables.background_screen import BackgroundScreen

    tinted: list[object] = []
    parsed: list[object] = []
    real_tint, real_parse = BackgroundScreen.process_segments, Stylesheet.parse

    def tint(cls: type, segments: object, color: object) -> object:
        tinted.append(color)
        return real_tint(segments, color)

    def parse(self: Stylesheet) -> None:
        parsed.append(self)
        real_parse(self)

    monkeypatch.setattr(BackgroundScreen, "process_segments", classmethod(tint))
    monkeypatch.setattr(Stylesheet, "parse", parse)
    app = BriefingApp(report, store)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await footer_settled(pilot, counted)
        reader = app.screen
        first_line = reader.query_one("ReaderView").render_line(0).text.strip()[:8]
        parsed.clear()
        await open_picker(pilot)
        assert parsed == []  # the pickers' CSS was parsed after the first paint
        picker = app.screen
        assert reader in app._background_screens
        column = picker.query_one("#--container").region
        assert column.x == 0 and column.width <= 40  # over the contents, not the page
        lines = _frame_text(app)
        assert first_line and any(first_line in line for line in lines), first_line
        assert tinted == []
        # a click on the page closes the picker and reaches nothing of the reader
        for strip in picker.render_lines(picker.region):
            assert all(not (s.style and s.style.meta) for s in strip)
        await pilot.click(offset=(40, 20))
        assert await settle(pilot, lambda: app.screen is reader)


async def test_a_highlighted_theme_is_shown_on_the_page_and_esc_puts_back_the_old(
    report: Report, store: Store, counted: dict[str, list[object]]
) -> None:
    app = BriefingApp(report, store)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        before = app.theme
        await open_picker(pilot)
        assert await settle(pilot, lambda: _highlighted_theme(app) == before)
        await pilot.pause(palette.ThemePalette.PREVIEW_DELAY * 2)
        assert app.theme == before  # opening changes nothing
        await pilot.press("down")
        shown = _highlighted_theme(app)
        assert shown and shown != before
        assert await settle(pilot, lambda: app.theme == shown)
        assert store.settings.get("theme") in (None, before)  # shown, not remembered
        await pilot.press("escape")
        assert await settle(pilot, lambda: not isinstance(app.screen, CommandPalette))
        assert app.theme == before
        await app.workers.wait_for_complete()
        assert store.settings.get("theme") in (None, before)


async def test_enter_keeps_the_theme_shown_and_remembers_it(
    report: Report, store: Store, counted: dict[str, list[object]]
) -> None:
    app = BriefingApp(report, store)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        before = app.theme
        await open_picker(pilot)
        assert await settle(pilot, lambda: _highlighted_theme(app) == before)
        await pilot.press("down", "down")
        chosen = _highlighted_theme(app)
        assert chosen and chosen != before
        await pilot.press("enter")
        assert await settle(pilot, lambda: not isinstance(app.screen, CommandPalette))
        assert await settle(pilot, lambda: app.theme == chosen)
        await pilot.pause(palette.ThemePalette.PREVIEW_DELAY * 2)
        assert app.theme == chosen
        await app.workers.wait_for_complete()
        assert await settle(pilot, lambda: store.settings.get("theme") == chosen)


async def test_the_terminal_resized_under_the_open_picker(
    report: Report, store: Store, counted: dict[str, list[object]]
) -> None:
    """60x20 to 120x30 with the picker open ended the reader: the reader's lines
    below, still at the old width, left holes in the frame (None strips)."""
    app = BriefingApp(report, store)
    async with app.run_test(size=(60, 20)) as pilot:
        await app.workers.wait_for_complete()
        await open_picker(pilot)
        for size in ((120, 30), (80, 24), (200, 50), (60, 20)):
            await pilot.resize_terminal(*size)
            await pilot.pause()
            lines = app.screen._compositor.render_strips()
            assert len(lines) == size[1]
            assert all(strip.cell_length == size[0] for strip in lines)
        # the moment between: the picker at its new size, the reader below still not
        from textual.geometry import Region
        from textual.strip import Strip

        picker, reader = app.screen, app.screen_stack[-2]
        reader._compositor.render_strips = lambda size=None: [Strip.blank(40)] * 12
        picker.refresh(Region(0, 0, 1, 1))  # the reader asks to be drawn again
        lines = picker.render_lines(Region(0, 0, 60, 20))
        assert len(lines) == 20 and all(strip.cell_length == 60 for strip in lines)
        del reader._compositor.render_strips
        # the compositor already at the new size asks for a crop the picker's
        # lines, still at the old size, do not cover (CI: IndexError)
        picker._below, picker._below_size = None, None
        lines = picker.render_lines(Region(0, 0, 90, 30))
        assert len(lines) == 30 and all(strip.cell_length == 90 for strip in lines)
        lines = picker.render_lines(Region(50, 15, 20, 10))
        assert len(lines) == 10 and all(strip.cell_length == 20 for strip in lines)
        await pilot.press("escape")
        assert await settle(pilot, lambda: not isinstance(app.screen, CommandPalette))
