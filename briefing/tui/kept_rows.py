"""A small widget's drawn rows, kept for what it shows and handed back when it
shows that again.

The search counter says "…" and then "17 hits" at every keystroke, the status
line under the page says the same part and place for keys on end: each
change was drawn again by Textual (the text made a visual, cut to strips,
passed through the styles cache), ~0.5 ms a widget, for a line drawn a
moment before. ``KeptRows`` keeps the last few drawings by the widget's
content key, its size and the crop; a change of style (theme, pseudo-class)
forgets them (the widget calls ``clear`` from ``notify_style_update``).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget

KEPT = 8  # drawings: the counter's "…" and a few counts, a few status lines


class KeptRows:
    """The last few drawings of one widget, by what it showed."""

    def __init__(self) -> None:
        self._drawn: dict[tuple, list[Strip]] = {}

    def clear(self) -> None:
        self._drawn.clear()

    def rows(
        self,
        widget: Widget,
        crop: Region,
        content: Hashable,
        draw: Callable[[Region], list[Strip]],
    ) -> list[Strip]:
        """``draw(crop)``'s rows, or the ones it gave for the same content, size and crop."""
        key = (content, crop, widget.size, widget.background_colors)
        rows = self._drawn.get(key)
        if rows is None:
            rows = draw(crop)
            if len(self._drawn) >= KEPT:
                del self._drawn[next(iter(self._drawn))]
            self._drawn[key] = rows
        return rows
