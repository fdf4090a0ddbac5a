"""ReaderFooter: Textual's footer, drawing its keys only after the first paint.

The stock footer builds one widget per key as soon as the focus settles,
which queues ~20 ms of mounting ahead of anything else waiting for the first
frame. The first frame never shows the keys anyway (they arrive a refresh
later), so holding them until the screen says it is on screen changes
nothing a reader sees and lets the first paint finish sooner.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.geometry import Size
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from briefing.i18n import _

# Keys a reader must always find, put first when the footer is compact (narrow).
ESSENTIAL_ACTIONS = ("help", "quit")


class LocalFooter(Footer):
    """A ``Footer`` in the language in use.

    Textual reads ``BINDINGS`` when a class is created, before the language is
    known: bindings carry the English text as a message id (``N_``) and the
    footer translates it each time it draws its keys.
    """

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                widget.description = _(widget.description)
                if widget.tooltip:
                    widget.tooltip = _(str(widget.tooltip))
            yield widget

    def refresh_language(self) -> None:
        """Draw the keys again (the language changed)."""
        if self.is_mounted:
            self.call_later(self.recompose)

    async def recompose(self) -> None:
        await super().recompose()
        self.fit_keys()

    def on_resize(self) -> None:
        self.fit_keys()

    def fit_keys(self) -> None:
        """Show the keys that fit whole, in order, and hide the rest.

        Textual's footer cut the last key where the width ran out (``b Bo`` at
        60 columns), which tells the reader nothing; every key stays in help.
        """
        width = self.size.width
        if not width:
            return
        keys: list[FooterKey] = []
        for child in self.children:
            if not isinstance(child, FooterKey):
                return  # a group of keys: leave the layout to Textual
            if child.has_class("-command-palette"):
                if child.display:
                    width -= _cells(child)
            else:
                keys.append(child)
        used = 0
        fits = True
        for key in keys:
            used += _cells(key)
            fits = fits and used <= width
            key.display = fits


def _cells(key: FooterKey) -> int:
    """The cells a key takes in the footer, shown or not."""
    size = Size(10_000, 1)
    return key.get_content_width(size, size) + key.styles.gutter.width + key.styles.margin.width


class ReaderFooter(LocalFooter):
    """A ``Footer`` that waits for ``show_keys`` before drawing its keys."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._held = True
        self._pending: Screen | None = None

    def bindings_changed(self, screen: Screen) -> None:
        if self._held:
            self._pending = screen
            return
        if self._hidden():
            return
        super().bindings_changed(screen)

    async def recompose(self) -> None:
        if self._hidden():  # asked just before a dialog opened over it
            return
        await super().recompose()

    def _hidden(self) -> bool:
        """Behind a dialog or the palette (the focus left the reader): its keys are
        ones no one can press, and were recomposed three times per palette opened
        (~0.1 s CPU). Closing it focuses the reader again, which announces its
        bindings: the keys are drawn then."""
        return self.is_attached and self.app.screen is not self.screen

    def compose(self) -> ComposeResult:
        widgets = list(super().compose())
        if self.compact:
            essential = [
                w for w in widgets if isinstance(w, FooterKey) and w.action in ESSENTIAL_ACTIONS
            ]
            widgets = essential + [w for w in widgets if w not in essential]
        yield from widgets

    def show_keys(self) -> None:
        """Draw the keys from now on (called once the screen has been painted)."""
        if not self._held:
            return
        self._held = False
        screen, self._pending = self._pending, None
        if screen is not None:
            # From the footer's own message loop: the keys it composes bind
            # data to the footer, which must be the active message pump.
            self.call_later(self.bindings_changed, screen)
