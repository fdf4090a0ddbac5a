"""Have a widget's repaint join the frame its caller is preparing.

Textual hands a widget's repaint to the screen from the widget's own message
loop, when that loop is next idle. A widget changed by the screen's handler of
a keystroke (the contents list, the status line) therefore reached the screen
after the screen, idle meanwhile, had painted the keystroke's other changes:
two paints per keystroke, each a walk over every widget on the screen. Posted
from the caller's loop (the screen's), the request is queued before the screen
goes idle, and one frame shows everything the keystroke changed.
"""

from __future__ import annotations

from textual.widget import Widget


def in_this_frame(widget: Widget) -> None:
    """Pass the widget's pending repaint, scroll or layout to the screen now,
    and its scrollbars' (a scroll moves their thumbs)."""
    if not widget.is_attached:
        return
    widget._check_refresh()  # what the widget's idle handler would do, later
    for bar in (widget._vertical_scrollbar, widget._horizontal_scrollbar):
        if bar is not None and bar.is_attached:
            bar._check_refresh()
