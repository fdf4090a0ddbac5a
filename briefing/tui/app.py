"""BriefingApp: themes, the command palette and the reader screen.

Start-up is kept as light as an empty Textual app: the report is parsed
before the app starts (so bad input fails before the screen opens), and the
pinyin index is loaded in a worker after the first paint.
"""

from __future__ import annotations

import asyncio
import inspect
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from contextlib import suppress
from pathlib import Path
from typing import Any

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.dom import DOMNode
from textual.screen import Screen
from textual.theme import Theme

from briefing import startup_gc
from briefing.i18n import LANGUAGE_NAMES, N_, P_, _, detect_language, other_language, set_language
from briefing.model import Match, Report
from briefing.store import Store, StoreError
from briefing.tui.idle_gc import IdleCollector

DEFAULT_THEME = "paper"


def _reader_commands_provider() -> type[Any]:
    """The palette's provider, imported when the palette first opens (off start-up)."""
    from briefing.tui.palette import ReaderCommands

    return ReaderCommands


# How long a key may take to have its effect before the next one goes anyway
# (only a key lost on its way, e.g. to a widget being removed, takes this long).
KEY_TIMEOUT = 10.0


class BriefingApp(App[None]):
    """The reader application for one report."""

    CSS_PATH = Path(__file__).with_name("briefing.tcss")
    TITLE = "briefing"
    ENABLE_COMMAND_PALETTE = True
    # The app's commands, found by pinyin too (Textual's provider is fuzzy only).
    COMMANDS = {_reader_commands_provider}

    BINDINGS = [
        Binding("q", "quit", N_("Quit"), id="app.quit"),
        Binding("ctrl+p", "command_palette", N_("Commands"), show=False, id="app.palette"),
    ]

    strict_errors = False
    """Raise unexpected errors from actions again (tests set this: bugs must not hide)."""

    library_factory: Callable[[], Any] | None = None
    """Opens the library (``Library.open``); tests give a fake one."""

    def __init__(
        self,
        report: Report,
        store: Store,
        *,
        origin: str | None = None,
        notices: Sequence[str] = (),
    ) -> None:
        # Set before App.__init__, which calls get_css_variables (see there).
        self.report = report
        self.store = store
        self.origin = origin
        """The setting ``last_report`` for the report being read: a library entry
        id, the path of a file outside the library, or None for the bundled one."""
        self._library: Any = None
        self.library_warnings_shown = 0  # the library's warnings already shown
        self.action_errors: list[BaseException] = []
        """Every error an action raised and the reader survived, oldest first."""
        self._key_backlog: deque[events.Key] = deque()
        self._released_keys: set[events.Key] = set()
        self._key_pump_running = False
        self._key_in_flight: events.Key | None = None
        self._key_done: asyncio.Future[None] | None = None
        self._start_messages: list[str] = list(notices)  # shown once the app runs
        #: Full GC collections wait for quiet moments (started once the report is loaded).
        self.idle_collector = IdleCollector(
            pending=lambda: bool(self._key_backlog) or self._key_in_flight is not None
        )
        self._all_themes_registered = False
        self._theme_chosen = False
        saved_language = None
        with suppress(StoreError):
            saved_language = store.settings.get("language")
        set_language(detect_language(saved=saved_language))
        super().__init__()
        if self._theme_chosen:
            # What setting ``App.theme`` would do, minus a second CSS parse.
            dark = self.current_theme.dark
            self.add_class(f"-theme-{self.theme}", update=False)
            self.set_class(dark, "-dark-mode", update=False)
            self.set_class(not dark, "-light-mode", update=False)
            self._refresh_truecolor_filter(self.ansi_theme)

    # ------------------------------------------------------------------ themes

    def get_css_variables(self) -> dict[str, str]:
        """CSS variables of the current theme, choosing it on the first call.

        App.__init__ builds the stylesheet from the default theme; setting
        ``App.theme`` afterwards would parse and apply all the CSS a second
        time before the first paint. Choosing the theme here, quietly, makes
        the first parse the only one.
        """
        if not self._theme_chosen:
            self._theme_chosen = self._register_themes()
        from briefing.themes import readable_variables

        variables = super().get_css_variables()
        # Hits, selection and a theme's faint figures made to read (any theme:
        # bundled, the user's or one of Textual's offered in the picker).
        variables.update(readable_variables(variables))
        return variables

    def _register_themes(self) -> bool:
        """Register and select the theme in use now (the others after the first paint).

        A remembered theme that can no longer be loaded is forgotten, with a
        message, rather than tried again at every start.
        """
        from textual.theme import BUILTIN_THEMES

        from briefing.themes import find_theme, theme_label

        wanted = None
        unusable: tuple[object, str] | None = None
        with suppress(StoreError):
            wanted = self.store.settings.get("theme")
        self._remembered_theme = wanted
        if isinstance(wanted, str) and wanted in BUILTIN_THEMES:
            self.set_reactive(App.theme, wanted)
            return True
        if wanted is not None and wanted != DEFAULT_THEME:
            theme, problems = find_theme(wanted) if isinstance(wanted, str) else (None, [])
            if theme is not None:
                self.register_theme(theme)
                self.set_reactive(App.theme, theme.name)
                return True
            unusable = (wanted, problems[0] if problems else _("not a theme name"))
            self._forget_theme()
        theme, _problems = find_theme(DEFAULT_THEME)
        if unusable is not None:
            message = _("Theme {name} not used: {reason}. Using {default}.")
            self._start_messages.append(
                message.format(
                    name=repr(unusable[0]),
                    reason=unusable[1],
                    default=theme_label(theme, DEFAULT_THEME),
                )
            )
        if theme is not None:
            self.register_theme(theme)
            self.set_reactive(App.theme, theme.name)
            return True
        return False

    def get_theme(self, theme_name: str) -> Theme | None:
        """Textual's lookup, minus its copy of every registered theme per call.

        ``current_theme`` comes here each time a line is drawn or a colour is
        filtered (hundreds of times before the first paint).
        """
        registered = getattr(self, "_registered_themes", None)
        if not isinstance(registered, dict):
            return super().get_theme(theme_name)
        for name in theme_name.split(","):
            theme = registered.get(name.strip())
            if theme is not None:
                return theme
        return None

    def _forget_theme(self) -> None:
        self._remembered_theme = None
        with suppress(StoreError):
            self.store.settings.set("theme", None)

    def refresh_css(self, animate: bool = True) -> None:
        """Apply the theme's CSS; a theme that breaks it gives way to the default."""
        from textual.css.errors import StylesheetError
        from textual.css.tokenizer import TokenError

        try:
            super().refresh_css(animate)
        except (StylesheetError, TokenError) as error:
            broken = self.theme
            if broken == DEFAULT_THEME:
                raise
            self.log.error("theme", broken, error)
            self._forget_theme()
            self.notify(
                _("Theme {name} could not be applied; back to {default}.").format(
                    name=self.theme_label(broken), default=self.theme_label(DEFAULT_THEME)
                ),
                severity="error",
                markup=False,
            )
            with suppress(Exception):
                self.unregister_theme(broken)
            self.theme = DEFAULT_THEME
            super().refresh_css(animate)

    def _register_all_themes(self) -> None:
        if self._all_themes_registered:
            return
        self._all_themes_registered = True
        """Load every bundled and user theme; broken files become notifications."""
        from briefing.themes import load_themes

        result = load_themes()
        current = self.theme
        for theme in result.themes:
            if theme.name != current:
                self.register_theme(theme)
        for message in result.errors:
            if any(message in shown for shown in self._start_messages):
                continue  # already said at start-up, with what was done about it
            self.notify(message, title=_("Theme not loaded"), severity="warning", markup=False)

    def get_theme_variable_defaults(self) -> dict[str, str]:
        """Figure, hit and marker colours for themes that do not set them."""
        from briefing.themes import default_variables

        dark = self.current_theme.dark if self.current_theme else True
        return {**super().get_theme_variable_defaults(), **default_variables(dark)}

    def watch_theme(self, theme: str) -> None:
        if not self.is_mounted:
            return
        if not getattr(self, "_previewing_theme", False):
            self._remember_theme(theme)
        for screen in self.screen_stack:
            for contents in screen.query("ContentsList"):
                contents.refresh_labels()  # type: ignore[attr-defined]

    # ------------------------------------------------------------------ keys

    async def on_event(self, event: events.Event) -> None:
        """Keys from the terminal wait their turn (see ``_pump_keys``)."""
        if isinstance(event, (events.Key, events.MouseEvent)):
            self.idle_collector.input_seen()
        if isinstance(event, events.Key) and not event.is_forwarded:
            if event not in self._released_keys:
                if not self._exit:
                    self._key_backlog.append(event)
                    if not self._key_pump_running:
                        self._key_pump_running = True
                        self.run_worker(self._pump_keys(), group="keys", exit_on_error=False)
                return
            self._released_keys.discard(event)
            await super().on_event(event)
            if not event.is_forwarded:  # a priority binding took it: done already
                self._key_finished(event)
            return
        await super().on_event(event)

    async def _on_key(self, event: events.Key) -> None:
        await super()._on_key(event)
        # Textual calls ``_on_key`` of every class in the MRO: App's has run.
        event.prevent_default()
        self._key_finished(event)  # it bubbled all the way up: its binding has run

    def _key_finished(self, event: events.Key) -> None:
        done = self._key_done
        if done is not None and event is self._key_in_flight and not done.done():
            done.set_result(None)

    async def _pump_keys(self) -> None:
        """Hand keys on one at a time, each once the one before has had its effect.

        Textual routes a key to the widget focused when the key arrives. In a
        burst (a paste, a slow SSH link) every key arrives before the first has
        opened the search bar or the note editor, so ``/fazhi`` would run the
        bindings f, a, z … instead of typing into the search. Here a key is let
        through once the one before was handled (a widget stopped it, or its
        binding ran) and any screen it opened is mounted and focused.
        """
        loop = asyncio.get_running_loop()
        try:
            while self._key_backlog and not self._exit:
                event = self._key_backlog.popleft()
                self._key_in_flight = event
                self._key_done = loop.create_future()
                self._released_keys.add(event)
                # Without a sender the screen does not stop the key on its last
                # hop to the app: ``stopped`` then means a widget handled it.
                event._sender = None
                self.post_message(event)
                screen = self.screen
                await self._wait_for_key(event, self._key_done)
                # A printable key typed text or ran a binding, which has
                # finished (a focus change it made is queued before the next
                # key). A new screen, or Enter/Esc/Tab/arrows, may also set off
                # messages (Input.Submitted …) that must land first.
                if self.screen is not screen or not event.is_printable:
                    await self._wait_for_consequences()
        finally:
            self._key_in_flight = self._key_done = None
            self._key_pump_running = False
            if self._exit:
                self._key_backlog.clear()

    async def _wait_for_key(
        self, event: events.Key, done: asyncio.Future[None], timeout: float = KEY_TIMEOUT
    ) -> bool:
        """Until ``event`` was stopped by a widget or its binding ran (or ``timeout``).

        True when a widget stopped it (typed it, moved a list …).
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not done.done() and not self._exit and loop.time() < deadline:
            if event._stop_propagation and event not in self._released_keys:
                return True
            with suppress(asyncio.TimeoutError):
                await asyncio.wait_for(asyncio.shield(done), 0.002)
        return False

    async def _wait_for_consequences(self, rounds: int = 3, timeout: float = KEY_TIMEOUT) -> None:
        """What the key set off has landed: a screen it pushed is mounted and
        focused, the messages it caused (``Input.Submitted`` …) are handled."""
        for _round in range(rounds):
            try:
                screen = self.screen
                if not screen._mounted_event.is_set():
                    with suppress(asyncio.TimeoutError):
                        await asyncio.wait_for(screen._mounted_event.wait(), timeout)
                # Messages a key causes travel up from the focused widget.
                focused = screen.focused
                chain = list(focused.ancestors_with_self) if focused is not None else [screen]
                nodes = [self, screen, *(n for n in chain if n is not screen and n is not self)]
            except Exception:  # no screen: the app is closing
                return
            await self._one_round(nodes, timeout)
            if all(node._message_queue.empty() for node in nodes):
                return

    @staticmethod
    async def _one_round(nodes: list[DOMNode], timeout: float) -> None:
        """Return once every node has handled what was queued for it before now."""
        remaining = 0
        done = asyncio.Event()

        def count_down() -> None:
            nonlocal remaining
            remaining -= 1
            if remaining == 0:
                done.set()

        for node in nodes:
            if node.call_later(count_down):
                remaining += 1
        if remaining:
            with suppress(asyncio.TimeoutError):
                await asyncio.wait_for(done.wait(), timeout)

    # ------------------------------------------------------------------ errors

    async def _dispatch_action(self, namespace: DOMNode, action_name: str, params: Any) -> bool:
        """Every key binding and ``run_action`` comes through here: an error in
        an action becomes a notification instead of ending the reader."""
        try:
            return await super()._dispatch_action(namespace, action_name, params)
        except (KeyError, IndexError) as error:
            if _palette_list_not_laid_out(namespace, action_name):
                return True  # a page key before the palette's first layout: nothing to move
            self.report_error(error, f"action {action_name}")
            return True
        except Exception as error:
            self.report_error(error, f"action {action_name}")
            return True

    def report_error(self, error: Exception, where: str, *, shown_in_place: bool = False) -> None:
        """Show ``error`` on screen and carry on (see ``briefing.tui.errors``).

        ``shown_in_place``: the dialog already says what went wrong beside what
        the user typed; a toast saying it again covered the dialog's own buttons
        at 60×20. A bug is still a toast (it names the log file).
        """
        from briefing.tui import errors

        self.action_errors.append(error)
        if errors.is_user_error(error):
            self.log.warning(where, error)
            if not shown_in_place:
                self.notify(errors.describe(error), severity="error", timeout=8, markup=False)
            return
        logged = errors.write_log(error, where)
        self.log.error(where, error)
        if self.strict_errors:
            raise error
        hint = _("; details in {path}").format(path=logged) if logged else ""
        message = _("Internal error ({kind}: {error})").format(
            kind=type(error).__name__, error=errors.describe(error)
        )
        self.notify(
            message + hint,
            title=_("The reader carries on"),
            severity="error",
            timeout=12,
            markup=False,
        )

    def guarded(self, callback: Callable[..., Any], where: str) -> Callable[..., Any]:
        """``callback`` with the action error policy, for dialog answers and commands."""
        count = len(inspect.signature(callback).parameters)

        async def run(*args: Any) -> None:
            try:
                result = callback(*args[:count])
                if inspect.isawaitable(result):
                    await result
            except Exception as error:
                self.report_error(error, where)

        if count == 0:

            async def run0() -> None:
                await run()

            return run0

        async def run1(result: Any) -> None:
            await run(result)

        return run1

    def store_write(
        self,
        write: Callable[[], Any],
        done: Callable[[Any], None] | None = None,
        *,
        where: str = "store",
    ) -> None:
        """Run a store write in a thread: a locked database must not freeze the screen.

        ``done`` gets the result on the UI thread; an error is reported there
        (an unexpected one still fails the worker under test).
        """

        def run() -> None:
            try:
                result = write()
            except Exception as error:
                self.call_from_thread(self.report_error, error, where)
                return
            self.call_from_thread(self.show_store_warnings)
            if done is not None:
                self.call_from_thread(done, result)

        self.run_worker(run, thread=True, group="store", name=where)

    def pop_screen(self) -> Any:
        """Never pop the reader itself (a dialog dismissed twice in a burst)."""
        if len(self.screen_stack) <= 1:
            from textual.await_complete import AwaitComplete

            self.log.warning("pop_screen with one screen left: ignored")
            return AwaitComplete.nothing()
        return super().pop_screen()

    def push_screen(  # type: ignore[override]
        self,
        screen: Any,
        callback: Any = None,
        wait_for_dismiss: bool = False,
        *,
        mode: str | None = None,
    ) -> Any:
        """Push a screen; its answer callback follows the action error policy."""
        if callback is not None:
            where = getattr(callback, "__qualname__", "dialog answer")
            callback = self.guarded(callback, where)
        return super().push_screen(screen, callback, wait_for_dismiss, mode=mode)  # type: ignore[call-overload]

    # ------------------------------------------------------------------ screens

    def get_default_screen(self) -> Screen:
        from briefing.tui.screens.reader import ReaderScreen

        return ReaderScreen(self.report, self.store)

    def on_mount(self) -> None:
        for message in self._start_messages:
            self.notify(message, severity="warning", timeout=10, markup=False)
        self.show_store_warnings()

    def show_store_warnings(self) -> None:
        """What the store found since last asked (a damaged file moved aside …)."""
        for message in self.store.take_warnings():
            self.notify(message, severity="warning", timeout=15, markup=False)

    def copy_to_clipboard(self, text: str) -> None:
        """Copy, and say so (a terminal gives no sign of its own)."""
        super().copy_to_clipboard(text)
        if text:
            self.notify(
                P_("Copied {count} character", "Copied {count} characters", len(text)).format(
                    count=len(text)
                ),
                timeout=2,
            )
        else:
            self.notify(_("Nothing selected to copy"), timeout=2)

    def library(self) -> Any:
        """The library (opened on first use: it is never on the start-up path)."""
        if self._library is None:
            factory = self.library_factory
            if factory is None:
                from briefing.library import Library

                factory = Library.open
            self._library = factory()
        return self._library

    def open_report(
        self, report: Report, origin: str | None, at: Match | None = None, *, query: str = ""
    ) -> None:
        """Read ``report`` instead of the one open (at a search hit, else where it was
        left); ``query`` is the search that found the hit, which n/N then go on with."""
        from briefing.tui.screens.reader import ReaderScreen

        reader = self.screen
        if not isinstance(reader, ReaderScreen):
            return
        self.origin = origin
        if reader.report.sha256 == report.sha256:
            reader.remember_origin()
            if at is not None and query:
                reader.continue_library_search(query, at)
            elif at is not None:
                reader.show_match(at)
            return
        self._switch_report(reader, report, at, query)

    def reload_report(self, reader: Screen, report: Report, message: str) -> None:
        """Show ``report``, just read again from its file, in place of ``reader``'s
        (whatever its sha256: the text shown may have been wrong), and say why.

        A dialog open over the reader (a note being typed) is never closed for
        it: the reader is replaced when it is back on top.
        """
        self.notify(message, severity="warning", timeout=10, markup=False)
        if reader is self.screen:
            self._switch_report(reader, report, None, "")
        elif reader in self.screen_stack:
            reader.replacement = report  # type: ignore[attr-defined]

    def _switch_report(self, reader: Any, report: Report, at: Match | None, query: str) -> None:
        from briefing.tui.screens.reader import ReaderScreen

        reader.save_position()
        self.report = report
        if not reader._result_callbacks:
            # The default screen was never pushed, so it has no result callback
            # for ``switch_screen`` to pop; screens switched in later have one.
            reader._push_result_callback(self, None)
        self.switch_screen(ReaderScreen(report, self.store, at=at, query=query))

    def after_first_paint(self) -> None:
        """Work that can wait until the reader is on screen (called by the screen)."""
        startup_gc.resume()
        self._register_all_themes()
        self.call_later(self._warm_pickers)

    def _warm_pickers(self) -> None:
        from briefing.tui.palette import warm_css

        warm_css(self)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The palette's commands, in the language in use (Textual's own are
        English and some mean nothing here: "Keys" lists scroll bindings)."""
        commands: list[tuple[str, str, Callable[..., Any]]] = [
            (
                _("Theme"),
                _("Change the colours of the reader (now: {theme})").format(
                    theme=self.theme_label(self.theme)
                ),
                self.action_change_theme,
            ),
            (
                _("Language"),
                _("Switch the interface to {other}").format(other=LANGUAGE_NAMES[other_language()]),
                self.toggle_language,
            ),
            (_("Quit"), _("Quit the reader"), self.action_quit),
            (
                _("Screenshot"),
                _("Save an SVG picture of the screen"),
                lambda: self.set_timer(0.1, self.deliver_screenshot),
            ),
        ]
        from briefing.tui.palette import reader_commands
        from briefing.tui.screens.reader import ReaderScreen

        if isinstance(screen, ReaderScreen):
            commands.extend(reader_commands(screen))
        for title, help_text, callback in commands:
            yield SystemCommand(title, help_text, self.guarded(callback, f"command {title}"))

    def action_command_palette(self) -> None:
        from textual.command import CommandPalette

        from briefing.tui.palette import Palette

        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(Palette(id="--command-palette", placeholder=_("Search for commands…")))

    def _remember_theme(self, theme: str) -> None:
        if getattr(self, "_remembered_theme", None) != theme:
            self._remembered_theme = theme
            self.store_write(lambda: self.store.settings.set("theme", theme), where="theme")

    def preview_theme(self, theme: str) -> None:
        """Show ``theme`` without remembering it (the picker's highlighted row)."""
        self._previewing_theme = True
        try:
            self.theme = theme
        finally:
            self._previewing_theme = False

    def choose_theme(self, theme: str) -> None:
        """Use ``theme`` and remember it (shown already by a preview, or not)."""
        self.theme = theme
        self._remember_theme(self.theme)  # the theme in use: a broken one gave way

    def search_themes(self) -> None:
        """The theme picker: display names (红头), in the language in use."""
        from briefing.tui.palette import ThemeNames, ThemePalette

        self._register_all_themes()
        self.push_screen(ThemePalette(providers=[ThemeNames], placeholder=_("Search for themes…")))

    def theme_label(self, name: str) -> str:
        """What the reader calls theme ``name`` (its display name, else its name)."""
        from briefing.themes import theme_label

        if name not in self.available_themes:
            self._register_all_themes()  # asked before the first paint registered them
        return theme_label(self.available_themes.get(name), name)

    def toggle_language(self) -> None:
        """Switch to the other language, remember it, and redraw what is on screen."""
        chosen = other_language()

        def done(_result: object) -> None:
            set_language(chosen)
            self.refresh_language()
            self.notify(_("Interface language: {name}").format(name=LANGUAGE_NAMES[chosen]))
            if detect_language(saved=chosen) != chosen:
                self.notify(_("BRIEFING_LANG is set: the next start uses it again"), timeout=6)

        self.store_write(
            lambda: self.store.settings.set("language", chosen), done, where="language setting"
        )

    def refresh_language(self) -> None:
        """Redraw every string of the interface (after the language changed)."""
        for screen in self.screen_stack:
            for node in screen.walk_children(with_self=True):
                refresh = getattr(node, "refresh_language", None)
                if refresh is not None:
                    refresh()
            screen.refresh_bindings()

    def action_help_quit(self) -> None:
        """ctrl+c does not quit: say which key does (Textual's text is English)."""
        for key, active in self.active_bindings.items():
            if active.binding.action in ("quit", "app.quit"):
                self.notify(
                    _("Press {key} to quit").format(key=key),
                    title=_("Do you want to quit?"),
                    markup=False,
                )
                return

    def _on_delivery_complete(self, event: events.DeliveryComplete) -> None:
        event.prevent_default()  # Textual's own says it in English, with markup
        if event.name == "screenshot":
            where = _("Saved screenshot to {path}").format(path=event.path)
            self.notify(
                where if event.path else _("Saved screenshot"),
                title=_("Screenshot"),
                markup=False,
            )

    def _on_delivery_failed(self, event: events.DeliveryFailed) -> None:
        event.prevent_default()
        if event.name == "screenshot":
            self.notify(_("Failed to save screenshot"), title=_("Screenshot"), severity="error")

    async def action_quit(self) -> None:
        from briefing.tui.screens.reader import ReaderScreen

        for screen in self.screen_stack:
            if isinstance(screen, ReaderScreen):
                screen.save_position()
        self.exit()


def run_reader(
    report: Report,
    db_path: str | Path | Store | None = None,
    *,
    origin: str | None = None,
    notices: Sequence[str] = (),
    app_class: type[BriefingApp] = BriefingApp,
    **run_options: Any,
) -> None:
    """Open the store (``StoreError`` before the screen opens) and run the reader.

    A ``Store`` already open (to read ``last_report``) is used and closed here.
    ``origin`` is the report's ``last_report`` key, ``notices`` messages to show
    once the reader is up. ``app_class`` and ``run_options`` exist for the
    start-up benchmark, which must time exactly this path.
    """
    startup_gc.hold()
    try:
        store = db_path if isinstance(db_path, Store) else Store.open(db_path)
        try:
            app = app_class(report, store, origin=origin, notices=notices)
            try:
                app.run(**run_options)
            finally:
                app.idle_collector.stop()  # Python's own thresholds back, however the run ended
        finally:
            store.close()
    finally:
        startup_gc.resume()


def _palette_list_not_laid_out(namespace: object, action_name: str) -> bool:
    """Whether a key moved the command palette's list before it had any lines.

    Textual's ``OptionList._move_page`` looks up the highlighted option's line,
    which does not exist until the list has been laid out once; a burst such
    as ``ctrl+p pagedown`` reaches it first (found by the monkey test).
    """
    from textual.command import CommandPalette

    return isinstance(namespace, CommandPalette) and action_name == "command_list"
