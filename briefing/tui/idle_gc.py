"""Full garbage collections in the reader's quiet moments, not inside a keystroke.

A full collection walks every object the collector tracks: 20-40 ms with the
reader's tens of thousands, and Python starts one every ten younger
collections, that is every few dozen keystrokes, inside whichever key
allocated last. While the reader runs, full collections wait for a quiet
moment instead: a timer collects when no key or click came for ``QUIET_INPUT``
seconds and the UI thread was nearly idle since its last tick.

Python's own full collections are as good as off meanwhile: its count is of
younger collections, and a search on a 5 MB report allocates enough (in its
worker too) to reach even a hundred of them every twenty-odd keys, each walk
20-60 ms on the UI thread. A reader that is never quiet still collects, between
two keys, once ``BUSY_FULL_AFTER`` seconds passed since the last collection:
in a gap of ``OVERDUE_GAP`` seconds after a key (not while that key's frame
is still to be painted, nor while a search runs), or, failing any such gap,
after twice that time.

A search running in its worker is not a pause either: what is done "ahead"
in it (the screen below drawn, the contents list scrolled, a full walk) is
undone by its results, which move the page, and it is done on the UI thread
just when they come. ``awaiting`` holds the quiet clock at zero until they
came; their coming counts as input.

Young collections are made rarer too (``YOUNG_EVERY`` new objects, not 700):
a keystroke's frame makes thousands of short-lived objects (each drawn
``Strip`` carries seven small caches), alive only until the next frame; at
700 a collection every few hundred of them walked them, several young and
older collections a key, 1-10 ms of it. Counted in live objects, a larger
threshold lets most of them die first, unwalked. A middle collection comes
every ``MIDDLE_EVERY`` young ones, not 10: it walks what those left alive,
and at 10,000 x 10 one such walk took 15-30 ms inside a page key.

Plain Python: the reader calls ``input_seen``, ``awaiting`` and ``tick``.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

TICK = 0.5  # seconds between checks
QUIET_INPUT = 0.5  # seconds without a key or a click
QUIET_SHARE = 0.05  # the UI thread used at most this share of the time since the last tick
FULL_EVERY = 1_000_000  # younger collections per automatic full one (Python's default: 10)
YOUNG_EVERY = 5_000  # new live objects per young collection (Python's default: 700)
MIDDLE_EVERY = 2  # young collections per middle one (Python's default: 10)
BUSY_FULL_AFTER = 60.0  # seconds: a reader never quiet still collects this often
OVERDUE_GAP = 0.2  # seconds after a key: an overdue collection waits for such a gap


class IdleCollector:
    """Moves full collections to moments when the reader is idle."""

    def __init__(
        self,
        clock: Callable[[], float] = time.monotonic,
        cpu: Callable[[], float] = time.thread_time,
        pending: Callable[[], bool] = lambda: False,
    ) -> None:
        #: True while input waits to be handled (a key typed after a long pause):
        #: a collection then would hold that key up for its whole walk.
        self._pending = pending
        self._clock, self._cpu = clock, cpu
        self._saved: tuple[int, int, int] | None = None
        self.last_input = clock()
        self._last_tick = (clock(), cpu())
        self._last_full = clock()
        self._awaited: Callable[[], bool] = lambda: False
        self.collections = 0

    def start(self) -> None:
        """Leave full collections to ``tick`` (``stop`` gives them back to Python)."""
        if self._saved is None:
            self._saved = gc.get_threshold()
            young, _middle, old = self._saved
            gc.set_threshold(max(young, YOUNG_EVERY), MIDDLE_EVERY, max(old, FULL_EVERY))
        self._last_tick = (self._clock(), self._cpu())

    def stop(self) -> None:
        if self._saved is not None:
            gc.set_threshold(*self._saved)
            self._saved = None

    def input_seen(self) -> None:
        self.last_input = self._clock()

    def awaiting(self, awaited: Callable[[], bool]) -> None:
        """Not quiet while ``awaited()`` (a search runs for the screen); the quiet
        clock starts again when it ends, as after a key (see the module's doc)."""
        self._awaited = awaited

    def _busy(self) -> bool:
        """A key waits, or work whose result moves the page runs."""
        if self._pending():
            return True
        if self._awaited():
            self.last_input = self._clock()  # quiet counts from when it ends
            return True
        return False

    def quiet_for(self) -> float:
        """Seconds since the last key or click (or the end of awaited work); 0 while
        a key waits to be handled or awaited work runs."""
        return 0.0 if self._busy() else self._clock() - self.last_input

    def tick(self) -> bool:
        """Collect fully if objects reached the old generation since the last full
        collection and the reader is idle (or has not been for ``BUSY_FULL_AFTER``
        seconds); True if it collected."""
        now, used = self._clock(), self._cpu()
        then, used_then = self._last_tick
        self._last_tick = (now, used)
        if self._saved is None:
            return False
        overdue = now - self._last_full >= BUSY_FULL_AFTER
        if overdue and now - self._last_full < 2 * BUSY_FULL_AFTER:
            # Between two keys, not inside one: its frame, a search it started.
            overdue = not self._busy() and now - self.last_input >= OVERDUE_GAP
            if not overdue:
                return False
        if not overdue and (self._busy() or now - self.last_input < QUIET_INPUT):
            return False
        if not overdue and used - used_then > QUIET_SHARE * (now - then):
            return False  # busy: a search, a repaint
        if gc.get_count()[2] == 0:
            return False  # nothing reached the old generation since the last one
        if self._pending():
            return False  # a key is waiting: it goes first, the walk waits a tick
        gc.collect()
        self.collections += 1
        self._last_full = self._clock()
        self._last_tick = (self._last_full, self._cpu())  # its own time is not the reader's
        return True
