"""The cyclic garbage collector held off from launch to the reader's first paint.

Start-up imports modules, builds widgets, styles and drawn lines: tens of
thousands of objects, almost none of them garbage. Each young-generation
pass walks them for nothing, and the passes add up to a noticeable part of
the time to the first frame. Reference counting still frees everything
acyclic meanwhile. ``resume`` turns the collector back on once the reader is
on screen (or when start-up ends some other way); what exists then lives for
the whole run, so it is frozen out of later collections.

Free of Textual: the command line holds the collector before it even reads
the report, and a report that cannot be read must not pay for the UI.
(``briefing.store.bulk.collector_paused`` is the block-scoped sibling.)
"""

from __future__ import annotations

import gc

_held = False


def hold() -> None:
    """Turn the collector off until ``resume``; a collector already off is left alone."""
    global _held
    if gc.isenabled():
        gc.disable()
        _held = True


def resume() -> None:
    """Undo ``hold`` (once; later calls do nothing)."""
    global _held
    if _held:
        _held = False
        gc.freeze()
        gc.enable()


def held() -> bool:
    """Whether ``hold`` has the collector off now."""
    return _held
