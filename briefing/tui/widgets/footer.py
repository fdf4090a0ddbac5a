"""ReaderFooter: Textual's footer, drawing its keys only after the first paint.

The stock footer builds one widget per key as soon as the focus settles,
which queues ~20 ms of mounting ahead of anything else waiting for the first
frame. The first frame never shows the keys anyway (they arrive a refresh
later), so holding them until the screen says it is on screen changes
nothing a reader sees and lets the first paint finish sooner.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

# Keys a reader must always find, put first when the footer is compact (narrow).
ESSENTIAL_ACTIONS = ("help", "quit")


class ReaderFooter(Footer):
    """A ``Footer`` that waits for ``show_keys`` before drawing its keys."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._held = True
        self._pending: Screen | None = None

    def bindings_changed(self, screen: Screen) -> None:
        if self._held:
            self._pending = screen
            return
        super().bindings_changed(screen)

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
