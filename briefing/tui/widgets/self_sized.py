"""SelfSizedScrollView: a scroll view that sets its own virtual size.

The page and the lists draw lines (the Line API) and set ``virtual_size``
themselves. Textual's ``ScrollView._size_updated`` compares that with the
compositor's figure, which for a view without children is the view's own
region: never equal, so every layout pass of the screen (several before the
first frame, one per Resize) "updated" the scrollbars and redrew both bars
and their columns in full. Compared with the view's own virtual size, a pass
that changes nothing redraws nothing; a change of size, of the container or
of the rows still updates the bars (``set_row_count`` and the page's
``_set_virtual_height`` do that themselves).

``_scroll_update`` itself is skipped when nothing it reads has changed since
it last ran: the page settles its heights while drawing and updates its bar
once the frame is done, which after the first layout (that had just updated
it) redrew the whole bar a frame later for nothing.
"""

from __future__ import annotations

from typing import Any

from textual.containers import Vertical
from textual.geometry import Size
from textual.scroll_view import ScrollView


class SelfSizedScrollView(ScrollView):
    """A ``ScrollView`` whose virtual size is its own, not the compositor's."""

    _scroll_updated_for: tuple[Any, ...] | None = None

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        return super()._size_updated(size, self.virtual_size, container_size, layout)

    def _scroll_inputs(self, virtual_size: Size) -> tuple[Any, ...]:
        """Everything ``Widget._scroll_update`` decides the bars and the scroll range from."""
        styles = self.styles
        return (
            virtual_size,
            self.virtual_size,
            self.size,
            self.container_size,
            self.show_vertical_scrollbar,
            self.show_horizontal_scrollbar,
            styles.overflow_x,
            styles.overflow_y,
            styles.scrollbar_size_vertical,
            styles.scrollbar_size_horizontal,
            self.scroll_x,
            self.scroll_y,
        )

    def _scroll_update(self, virtual_size: Size) -> None:
        inputs = self._scroll_inputs(virtual_size)
        if inputs == self._scroll_updated_for:
            return
        super()._scroll_update(virtual_size)
        self._scroll_updated_for = self._scroll_inputs(virtual_size)


class SettledColumn(Vertical):
    """A ``Vertical`` (no scrolling of its own) that takes its size without asking
    for a second layout.

    Textual sets a widget's virtual size through a reactive that lays the
    screen out again; a container that cannot scroll was laid out, children
    and all, by the very pass that sized it, so that echo only cost the first
    paint another layout and a repaint of every row the column covers (the
    whole page) a frame after the first.
    """

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        return super()._size_updated(size, virtual_size, container_size, layout=False)
