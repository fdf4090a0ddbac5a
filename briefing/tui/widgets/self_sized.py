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
"""

from __future__ import annotations

from textual.geometry import Size
from textual.scroll_view import ScrollView


class SelfSizedScrollView(ScrollView):
    """A ``ScrollView`` whose virtual size is its own, not the compositor's."""

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        return super()._size_updated(size, self.virtual_size, container_size, layout)
