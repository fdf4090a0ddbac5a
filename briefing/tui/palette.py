"""What the command palette offers: the reader's commands and the theme picker.

Titles and help are built when the palette asks for them, so they are in the
language in use at that moment.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.command import DiscoveryHit, Hit, Hits, Provider

from briefing.i18n import _

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


class ThemeNames(Provider):
    """The theme picker: every theme by its display name (红头, not ``hongtou``)."""

    def _themes(self) -> list[tuple[str, Callable[[], None]]]:
        app = self.app

        def use(name: str) -> None:
            app.theme = name

        label = getattr(app, "theme_label", lambda name: name)
        named = [(label(name), name) for name in app.available_themes]
        return [(shown, partial(use, name)) for shown, name in sorted(named)]

    async def discover(self) -> Hits:
        for shown, callback in self._themes():
            yield DiscoveryHit(shown, callback)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for shown, callback in self._themes():
            if (score := matcher.match(shown)) > 0:
                yield Hit(score, matcher.highlight(shown), callback)
