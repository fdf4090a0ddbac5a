"""What the command palette offers: the reader's commands and the theme picker.

Titles and help are built when the palette asks for them, so they are in the
language in use at that moment. Both lists are searched with the project's
own engine (``daochu``, ``dc`` → 导出笔记; ``zhuti`` → 主题; ``hongtou`` → 红头)
as well as with Textual's fuzzy matcher (``expnot`` → Export notes). The
engine needs pypinyin, which start-up must not import: the readings of the
names are computed in a thread when the first query is typed, and kept.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any, Self

from rich.align import Align
from rich.segment import Segment
from rich.text import Text
from textual import on
from textual.command import (
    CommandInput,
    CommandList,
    CommandPalette,
    DiscoveryHit,
    Hit,
    Hits,
    Provider,
)
from textual.content import Content
from textual.fuzzy import Matcher
from textual.geometry import Region, Size
from textual.screen import Screen
from textual.strip import Strip
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from briefing.i18n import _, language

if TYPE_CHECKING:
    from briefing.search.texts import TextIndex

if TYPE_CHECKING:
    from briefing.tui.screens.reader import ReaderScreen

Command = tuple[str, str, Callable[..., Any]]


def reader_commands(reader: ReaderScreen) -> list[Command]:
    """(title, help, callback) for everything the reader screen can do."""
    return [
        (_("Search"), _("Search the report (pinyin or hanzi)"), reader.action_search),
        (_("Next search hit"), _("Go to the next hit"), lambda: reader.action_next_hit(1)),
        (
            _("Previous search hit"),
            _("Go to the previous hit"),
            lambda: reader.action_next_hit(-1),
        ),
        (
            _("Toggle fuzzy pinyin"),
            _("z/zh, c/ch, s/sh, n/l, an/ang … in search"),
            reader.toggle_fuzzy,
        ),
        (_("Next section"), _("Read the next section"), lambda: reader.action_section(1)),
        (_("Previous section"), _("Read the previous section"), lambda: reader.action_section(-1)),
        (_("Bookmark section"), _("Add or remove a bookmark here"), reader.action_bookmark),
        (_("Add note"), _("Annotate the selection or paragraph"), reader.action_annotate),
        (_("Notes and bookmarks"), _("Show or hide the notes panel"), reader.action_toggle_notes),
        (_("Figures panel"), _("Show or hide the key figures"), reader.action_toggle_figures),
        (_("Contents"), _("Show or hide the table of contents"), reader.action_toggle_contents),
        (_("Export notes"), _("Write notes and bookmarks to Markdown"), reader.action_export),
        (_("Library"), _("Open another report, or search every report"), reader.action_library),
        (_("Help"), _("Show the keys"), reader.action_help),
    ]


# Names already indexed (a few dozen short strings each): built once per list.
_BUILT: dict[tuple[str, ...], TextIndex] = {}
_BUILDING: dict[tuple[str, ...], asyncio.Future[TextIndex]] = {}
_AWAITED: set[asyncio.Future[TextIndex]] = set()  # builds a palette will search again after
ENGINE_SCORE = 1000.0  # above any score of Textual's fuzzy matcher

Ranked = tuple[float, int, Content]  # score, position in the list, highlighted name


def start_index(texts: Sequence[str]) -> asyncio.Future[TextIndex]:
    """The index over ``texts``, made in a thread as a palette opens, before anything
    is typed: its readings come from the cache, or the first time ever from
    pypinyin (~0.5 s CPU), then cached for the next run."""
    from briefing.search.texts import TextIndex

    key = tuple(texts)
    loop = asyncio.get_running_loop()
    if key in _BUILT:
        done: asyncio.Future[TextIndex] = loop.create_future()
        done.set_result(_BUILT[key])
        return done
    task = _BUILDING.get(key)
    # A build of another event loop (an app that has ended) cannot be awaited here.
    if task is None or task.get_loop() is not loop or task.done():
        task = _BUILDING[key] = loop.run_in_executor(None, partial(TextIndex, key, cached=True))

        def keep(finished: asyncio.Future[TextIndex]) -> None:
            if not finished.cancelled() and finished.exception() is None:
                _BUILT[key] = finished.result()
            if _BUILDING.get(key) is finished:
                del _BUILDING[key]

        task.add_done_callback(keep)
    return task


def other_language_names(titles: Sequence[str]) -> list[str]:
    """Each title in the other language ("" when it has none), so that ``export``
    finds 导出笔记 in a Chinese interface and ``daochu`` finds Export notes in an
    English one."""
    from briefing.i18n_zh import ZH

    if language() == "en":
        return [ZH.get(title, "") for title in titles]
    english = {zh: en for en, zh in ZH.items()}
    return [english.get(title, "") for title in titles]


def engine_hits(
    index: TextIndex, query: str, names: Sequence[str], matcher: Matcher
) -> list[Ranked]:
    """What the report engine finds (hanzi, pinyin, initials, Latin), best first.

    The index holds ``names`` then their extra texts (English ids, theme file
    names): a hit on ``index.texts[k]`` names ``names[k % len(names)]``. A name
    is typed from its start or a word's: such hits come first (``ht`` is 红头
    before the middle of ``ansi-light``), each group in the engine's order.
    """
    hits = index.search(query)
    hits.sort(key=lambda hit: not _starts_a_word(index.texts[hit[0]], hit[1].start))
    found: dict[int, Ranked] = {}
    for rank, (k, match) in enumerate(hits):
        position = k % len(names)
        if position not in found:
            shown = Content(names[position])
            if k < len(names):
                shown = shown.stylize(matcher.match_style, match.start, match.end)
            found[position] = (ENGINE_SCORE - rank, position, shown)
    return list(found.values())


def _starts_a_word(text: str, start: int) -> bool:
    return start == 0 or not text[start - 1].isalnum() or not text[start].isascii()


def fuzzy_hits(matcher: Matcher, names: Sequence[str], extra: Sequence[str] = ()) -> list[Ranked]:
    """Textual's fuzzy matching (``expnot`` → Export notes), on the names and their
    extra texts (``extra[k]`` finds ``names[k]``); the best score per name."""
    found: dict[int, Ranked] = {}
    for k, text in enumerate([*names, *extra]):
        score, offsets = matcher.fuzzy_search.match(matcher.query, text) if text else (0, ())
        position = k % len(names)
        if score <= 0 or (position in found and found[position][0] >= score):
            continue
        shown = Content(names[position])
        if k < len(names):
            for offset in offsets:
                shown = shown.stylize(matcher.match_style, offset, offset + 1)
        found[position] = (score, position, shown)
    return list(found.values())


def pinyin_pending() -> bool:
    """Whether a palette list's pinyin index is still being built in this event loop."""
    loop = asyncio.get_running_loop()
    return any(not task.done() and task.get_loop() is loop for task in _BUILDING.values())


def substring_hits(
    matcher: Matcher, names: Sequence[str], extra: Sequence[str] = ()
) -> list[Ranked]:
    """Names holding ``query`` as it is typed (any case), in either language: what
    the palette lists at once, before the pinyin index is ready."""
    needle = matcher.query.casefold()
    found: dict[int, Ranked] = {}
    for k, text in enumerate([*names, *extra]):
        at = text.casefold().find(needle) if needle and text else -1
        position = k % len(names)
        if at < 0 or position in found:
            continue
        shown = Content(names[position])
        if k < len(names) and len(text.casefold()) == len(text):
            shown = shown.stylize(matcher.match_style, at, at + len(needle))
        found[position] = (ENGINE_SCORE + 1.0 if at == 0 else ENGINE_SCORE, position, shown)
    return sorted(found.values(), key=lambda hit: (-hit[0], hit[1]))


async def rank_names(
    query: str,
    names: Sequence[str],
    matcher: Matcher,
    extra: Sequence[str] = (),
    *,
    when_ready: Callable[[], None] | None = None,
) -> AsyncIterator[Ranked]:
    """Each name ``query`` finds, once: engine hits first, then fuzzy ones.

    While the index is still being built only names holding ``query`` as typed
    are listed, at once, and ``when_ready`` is called when the index is done (the
    palette searches again). Waiting for the index kept the previous list (every
    command, or the fuzzy hits of an earlier letter) on screen for ``daochu``:
    Textual replaces the list only when a search yields or ends.
    """
    if not names:
        return
    task = start_index([*names, *extra])
    if not task.done():
        if when_ready is not None and task not in _AWAITED:
            _AWAITED.add(task)  # one search again per index, however many letters typed
            task.add_done_callback(lambda done: (_AWAITED.discard(done), when_ready()))
        for hit in substring_hits(matcher, names, extra):
            yield hit
        return
    try:
        hits = engine_hits(task.result(), query, names, matcher)
    except Exception:  # no engine (pypinyin missing …): the fuzzy matcher still works
        hits = []
    engine = {hit[1] for hit in hits}
    hits += [hit for hit in fuzzy_hits(matcher, names, extra) if hit[1] not in engine]
    for hit in sorted(hits, key=lambda hit: (-hit[0], hit[1])):
        yield hit


def _search_again(app: Any) -> None:
    """Run the open palette's search again (its pinyin index has just been built)."""
    stack = app.screen_stack  # empty once the app has ended
    palette = stack[-1] if stack else None
    if isinstance(palette, Palette):
        palette.call_later(palette.search_again)


class ReaderCommands(Provider):
    """The app's commands (``App.get_system_commands``), found by pinyin or fuzzily."""

    def _commands(self) -> list[Any]:
        return sorted(self.app.get_system_commands(self.screen), key=lambda c: c.title)

    async def discover(self) -> Hits:
        for command in self._commands():
            if command.discover:
                yield DiscoveryHit(command.title, command.callback, help=command.help)

    def _texts(self) -> tuple[list[str], list[str]]:
        titles = [command.title for command in self._commands()]
        return titles, other_language_names(titles)

    async def startup(self) -> None:
        titles, english = self._texts()
        start_index([*titles, *english])

    async def search(self, query: str) -> Hits:
        commands = self._commands()
        titles = [command.title for command in commands]
        matcher = self.matcher(query)
        async for score, position, shown in rank_names(
            query,
            titles,
            matcher,
            other_language_names(titles),
            when_ready=partial(_search_again, self.app),
        ):
            command = commands[position]
            yield Hit(score, shown, command.callback, text=command.title, help=command.help)


class ThemeChoice:
    """Choosing theme ``theme`` (a picker's command); the picker reads ``theme``
    from the highlighted row to show it on the page before it is chosen."""

    def __init__(self, app: Any, theme: str) -> None:
        self.app = app
        self.theme = theme

    def __call__(self) -> None:
        choose = getattr(self.app, "choose_theme", None)
        if choose is not None:
            choose(self.theme)
        else:
            self.app.theme = self.theme


class ThemeNames(Provider):
    """The theme picker: every theme by its display name (红头, not ``hongtou``)."""

    def _themes(self) -> list[tuple[str, str, Callable[[], None]]]:
        app = self.app
        label = getattr(app, "theme_label", lambda name: name)
        themes = app.available_themes
        # The project's themes (files with display names: 红头, 纸) first, then
        # Textual's built-ins: by label alone, ``ansi-dark`` and the other
        # English names came before every Chinese one.
        named = sorted(
            (not hasattr(themes[name], "display_names"), label(name), name) for name in themes
        )
        return [(shown, name, ThemeChoice(app, name)) for _, shown, name in named]

    async def discover(self) -> Hits:
        for shown, _name, callback in self._themes():
            yield DiscoveryHit(Content(shown), callback, text=shown)

    async def search(self, query: str) -> Hits:
        themes = self._themes()
        labels = [shown for shown, _, _ in themes]
        names = [name for _, name, _ in themes]
        matcher = self.matcher(query)
        async for score, position, shown in rank_names(
            query, labels, matcher, names, when_ready=partial(_search_again, self.app)
        ):
            yield Hit(score, shown, themes[position][2], text=labels[position])


class Palette(CommandPalette):
    """Textual's command palette, saying "no matches" in the language in use, and
    "indexing…" rather than "no matches" while the names' pinyin is being read."""

    def search_again(self) -> None:
        """Search the query typed again (the pinyin index is ready now)."""
        if not self.is_attached:
            return
        found = self.query(CommandInput)
        value = found.first().value.strip() if found else ""
        if value:
            self._cancel_gather_commands()
            self._stop_no_matches_countdown()
            self._gather_commands(value)

    def _start_no_matches_countdown(self, search_value: str) -> None:
        # Textual's own (textual.command) with its one English line translated.
        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            if search_value:
                said = _("indexing…") if pinyin_pending() else _("No matches found")
                self.query_one(CommandList).add_option(
                    Option(
                        Align.center(Text(said, style="not bold")),
                        disabled=True,
                        id=self._NO_MATCHES,
                    )
                )
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)


class ThemePalette(Palette):
    """The theme picker: a column over the contents, at the left of the page,
    which stays in sight beside it and shows each highlighted theme.

    The screen is see-through without a tint (a tinted copy of the reader was
    most of the first open's CPU, which the opaque picker saved by hiding the
    page); Esc (or a click outside) puts the theme in use back, Enter keeps the
    one shown. The highlight starts on the theme in use, so opening changes
    nothing; a burst of arrow keys shows only the theme it ends on.
    """

    DEFAULT_CSS = """
    ThemePalette {
        background: transparent;
        align-horizontal: left;
    }
    ThemePalette > Vertical {
        width: 32;
        max-width: 50%;
        margin-top: 0;
        visibility: visible;
        background: $surface;
        border-right: wide $primary;
    }
    ThemePalette #--input { border: none; }
    ThemePalette #--input.--list-visible { border-bottom: none; }
    ThemePalette #--input Label { margin-top: 0; }
    ThemePalette SearchIcon { margin-top: 0; }
    ThemePalette CommandList {
        max-height: 100%;
        border-top: none;
        border-bottom: none;
        background: $surface;
    }
    ThemePalette CommandList:focus { border: none; }
    ThemePalette #--results { overlay: none; height: 1fr; }
    """

    PREVIEW_DELAY = 0.12  # seconds of a still highlight before its theme is shown

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._theme_in_use: str | None = None
        self._preview_timer: Any = None
        self._below: list[Strip] | None = None  # the reader's lines, as last drawn
        self._below_size: Size | None = None

    def on_mount(self) -> None:
        self._theme_in_use = self.app.theme

    def render_lines(self, crop: Region) -> list[Strip]:
        """The reader as it is drawn now, from its own compositor's strips.

        Textual draws a see-through screen by rendering the whole screen below
        through rich and re-styling every segment (``BackgroundScreen``), at
        each repaint: three times the picker's own cost. The reader's strips
        are cached by its widgets; only their links and offsets are dropped
        (a click there closes the picker, it reaches no reader widget)."""
        lines = self._lines_below()
        if lines is None:
            return super().render_lines(crop)
        # A resize under way may ask for a crop beyond the size the lines were
        # drawn at: what lies outside them is blank, never an IndexError.
        blank = Strip.blank(crop.width)
        return [
            lines[y].crop(crop.x, crop.right).adjust_cell_length(crop.width)
            if 0 <= y < len(lines)
            else blank
            for y in crop.line_range
        ]

    def render_line(self, y: int) -> Strip:
        """One line of the reader below (asked for by the mouse: what is under it)."""
        lines = self._lines_below()
        if lines is None or not 0 <= y < len(lines):
            return super().render_line(y)
        return lines[y]

    def _lines_below(self) -> list[Strip] | None:
        below = self._screen_below()
        if below is None:
            return None
        if self._below is None or self._below_size != self.size:
            self._below_size = self.size
            # Each line exactly as wide as the screen: while a resize is under
            # way the reader below may still be laid out at its old size.
            width, height = self.size
            drawn = below._compositor.render_strips(self.size)[:height]
            drawn += [Strip.blank(width)] * (height - len(drawn))
            self._below = [_without_meta(strip).adjust_cell_length(width) for strip in drawn]
        return self._below

    def refresh(self, *regions: Region, **kwargs: Any) -> Self:
        """The reader below changed (it asks for these regions): draw it again.
        A refresh of the picker's own (no regions) leaves the reader as drawn."""
        if regions:
            self._below = None
        return super().refresh(*regions, **kwargs)

    def _screen_below(self) -> Screen | None:
        stack = self.app.screen_stack
        if self not in stack:
            return None
        at = stack.index(self)
        return stack[at - 1] if at > 0 else None

    def _refresh_command_list(
        self, command_list: CommandList, commands: list[Any], clear_current: bool
    ) -> None:
        super()._refresh_command_list(command_list, commands, clear_current)
        if self._theme_in_use is None or self.query_one(CommandInput).value.strip():
            return  # a query typed: its best hit first, as every palette does
        for index, command in enumerate(command_list.options):
            if _theme_of(command) == self.app.theme:
                command_list.highlighted = index
                break

    @on(OptionList.OptionHighlighted)
    def _show_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        theme = _theme_of(event.option)
        if theme is None:
            return
        if self._preview_timer is not None:
            self._preview_timer.stop()
        self._preview_timer = self.set_timer(self.PREVIEW_DELAY, partial(self._show, theme))

    def _show(self, theme: str) -> None:
        self._preview_timer = None
        if self.is_attached and self.app.screen is self and theme != self.app.theme:
            preview = getattr(self.app, "preview_theme", None)
            if preview is not None:
                preview(theme)

    def on_unmount(self) -> None:
        if self._preview_timer is not None:
            self._preview_timer.stop()
        chosen = self._selected_command is not None
        if not chosen and self._theme_in_use and self.app.theme != self._theme_in_use:
            preview = getattr(self.app, "preview_theme", None)
            if preview is not None:
                preview(self._theme_in_use)  # closed without a choice: as it was


def warm_css(app: Any) -> None:
    """Parse the pickers' CSS ahead, once the reader is on screen.

    Textual parses a widget class's ``DEFAULT_CSS`` and rebuilds the rule map
    when the first one is mounted: about a third of the theme picker's first
    open. Done after the first paint, the open pays only for its matching."""
    from textual.command import SearchIcon
    from textual.containers import Horizontal, Vertical
    from textual.widgets import LoadingIndicator

    sheet = app.stylesheet
    widgets = (ThemePalette, CommandList, CommandInput, SearchIcon, LoadingIndicator)
    for cls in (*widgets, Vertical, Horizontal):
        for read_from, css, tie_breaker, scope in cls.__new__(cls)._get_default_css():
            sheet.add_source(
                css, read_from=read_from, is_default_css=True, tie_breaker=tie_breaker, scope=scope
            )
    sheet.rules_map  # noqa: B018 -- parsed and mapped now, not at the first open


def _without_meta(strip: Strip) -> Strip:
    """``strip`` with the links and meta (offsets, clicks) of its styles dropped."""
    return Strip(
        [
            Segment(text, style.clear_meta_and_links() if style else style, control)
            for text, style, control in strip
        ],
        strip.cell_length,
    )


def _theme_of(option: object) -> str | None:
    """The theme a picker row chooses (``None`` for any other row)."""
    command = getattr(getattr(option, "hit", None), "command", None)
    return command.theme if isinstance(command, ThemeChoice) else None
