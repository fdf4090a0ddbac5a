"""Feedback: every key says what it did (or why it did nothing); help lists only our keys."""

from __future__ import annotations

import pytest

from briefing.model import Report
from briefing.store import Store
from briefing.tui.app import BriefingApp
from briefing.tui.screens.help import HelpScreen
from briefing.tui.screens.reader import ReaderScreen
from tests.conftest import settle


def messages(app: BriefingApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_n_without_a_search_says_so(report: Report, store: Store) -> None:
    app = BriefingApp(report, store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await settle(pilot, lambda: any("press /" in m for m in messages(app)))
        assert any("press /" in m for m in messages(app))


async def test_a_search_that_wraps_says_so(report: Report, store: Store) -> None:
    app = BriefingApp(report, store)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        screen = app.screen
        assert isinstance(screen, ReaderScreen)
        await settle(pilot, lambda: screen.index is not None)
        await pilot.press("slash", *"fazhi", "enter")
        await settle(pilot, lambda: not screen.search.pending and len(screen.search.hits) > 1)
        count = len(screen.search.hits)
        assert count > 1
        if screen.search.position == 1 and screen.search.hits[0].section == "title":
            await pilot.press("N")  # the title's hit comes first in the document
            await pilot.pause()
        assert screen.search.position == 0
        await pilot.press("N")  # from the first hit back: wraps to the last
        await pilot.pause()
        assert screen.search.position == count - 1
        assert any("wrapped" in m and f"{count}/{count}" in m for m in messages(app))
        await pilot.press("n")
        await pilot.pause()
        assert screen.search.position == 0
        assert any("wrapped" in m and f"1/{count}" in m for m in messages(app))


async def test_copy_says_how_much(report: Report, store: Store) -> None:
    app = BriefingApp(report, store)
    said: list[str] = []
    notify = app.notify

    def heard(message, *args, **kwargs):  # kept: a 2 s toast may expire on a loaded machine
        said.append(str(message))
        return notify(message, *args, **kwargs)

    app.notify = heard  # type: ignore[method-assign]
    async with app.run_test(size=(100, 30)) as pilot:
        app.copy_to_clipboard("法治政府")
        await settle(pilot, lambda: bool(said))
        assert any("4" in m and "Copied" in m for m in said), said


async def test_help_and_palette_show_only_the_reader_s_keys(report: Report, store: Store) -> None:
    app = BriefingApp(report, store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        descriptions = {d for _, rows in app.screen.sections for _, d in rows}
        for textual_only in ("Scroll Left", "Scroll Right", "Page Left", "Page Right"):
            assert textual_only not in descriptions
        await pilot.press("escape")
        await pilot.pause()
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Help" in titles and "Keys" not in titles
        assert "Search" in titles and "Theme" in titles


@pytest.mark.parametrize("size", [(60, 20), (80, 24)])
async def test_a_toast_is_as_small_as_its_words_and_hides_no_status(
    report: Report, store: Store, size: tuple[int, int]
) -> None:
    """Textual's 60-column, 3-row toast hid the status line (the saved note's words,
    the progress) and the page's last lines at 60×20 for "Note saved"."""
    from textual.widgets import Footer
    from textual.widgets._toast import Toast

    from briefing.tui.widgets.reading_status import ReadingStatus

    app = BriefingApp(report, store)
    async with app.run_test(size=size, notifications=True) as pilot:
        await pilot.press("j", "a", *"一条笔记", "ctrl+s")
        assert await settle(pilot, lambda: bool(app.screen.query(Toast)))
        await pilot.pause()
        toast = app.screen.query(Toast).first()
        status = app.screen.query_one(ReadingStatus).region
        footer = app.screen.query_one(Footer).region
        assert toast.region.height == 1, toast.region
        assert toast.region.width <= 20, toast.region
        assert not toast.region.overlaps(status) and not toast.region.overlaps(footer)
        assert "一条笔记" in app.screen.query_one(ReadingStatus).text


@pytest.mark.parametrize(
    ("key", "expected"),
    [("e", {"cancel"}), ("question_mark", {"dismiss"}), ("b,m,d", {"answer"})],
)
async def test_a_dialog_s_footer_shows_its_own_keys(
    report: Report, store: Store, key: str, expected: set[str]
) -> None:
    """Under the export dialog, the help and a confirmation the reader's footer
    still offered "q Quit" and "/ Search": keys that type into the dialog or
    close it. Each shows its own keys."""
    from textual.widgets._footer import FooterKey

    app = BriefingApp(report, store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        reader = app.screen
        for one in key.split(","):
            await pilot.press(one)
        assert await settle(pilot, lambda: app.screen is not reader)
        assert await settle(pilot, lambda: bool(app.screen.query(FooterKey)))
        actions = {k.action.split("(")[0] for k in app.screen.query(FooterKey)}
        assert actions == expected
        footer = app.screen.query(FooterKey).first().parent
        assert footer is not None and footer.region.y == 23  # the bottom line, over the reader's


async def test_a_query_of_only_punctuation_is_refused_as_the_command_line_does(
    report: Report, store: Store
) -> None:
    """``，`` marked every comma of the report; the command line refuses it (exit 2).
    The reader applies the same rule and says the same words."""
    from briefing.text import NOTHING_TO_SEARCH, has_something_to_find
    from tests.test_tui_keys import send_burst

    assert not has_something_to_find("，") and not has_something_to_find(" 、。 ")
    assert has_something_to_find("法，") and has_something_to_find("a")
    app = BriefingApp(report, store)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, ReaderScreen)
        await settle(pilot, lambda: screen.index is not None)
        send_burst(app, "/，")  # as a terminal sends it (the pilot drops "，")
        assert await settle(pilot, lambda: screen.search.query == "，")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.search.count == 0 and not screen.search.pending
        assert screen.search.status() == "nothing to search for"
        assert screen.search.detail() == NOTHING_TO_SEARCH
        await pilot.press("backspace", "f")  # something to find again: it searches
        assert await settle(pilot, lambda: not screen.search.pending and screen.search.count > 0)


@pytest.mark.parametrize("panel", ["", "m", "f"])
async def test_no_footer_key_is_cut_at_60_columns(report: Report, store: Store, panel: str) -> None:
    """At 60 columns the notes panel's footer ended ``b Bo``: a key is shown
    whole or not at all, ``?`` and ``q`` first; a wider terminal shows them again."""
    from textual.widgets._footer import FooterKey

    app = BriefingApp(report, store)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        if panel:
            await pilot.press(panel)

        def shown() -> list[FooterKey]:
            keys = [k for k in app.screen.query(FooterKey) if k.display]
            return [k for k in keys if k.region.width]

        def whole() -> bool:
            keys = shown()
            if not keys:
                return False
            footer = keys[0].parent
            assert footer is not None
            return all(k.region.right <= footer.region.right for k in keys)

        assert await settle(pilot, whole)
        actions = [k.action for k in shown()]
        assert actions[:2] == ["app.help", "app.quit"] or {"help", "quit"} <= {
            a.rsplit(".", 1)[-1] for a in actions[:2]
        }, actions
        hidden = [k for k in app.screen.query(FooterKey) if not k.display]
        assert hidden or not panel, "60 columns cannot hold a panel's keys and the reader's"
        await pilot.resize_terminal(160, 30)
        assert await settle(pilot, lambda: all(k.display for k in app.screen.query(FooterKey)))
