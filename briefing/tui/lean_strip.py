"""Strips whose little caches are made when first used.

Textual's ``Strip`` makes seven ``FIFOCache`` objects when it is made (divide,
crop, style, filter, line length, crop-extend, offsets), whether or not any is
ever used. The reader makes its drawn lines and finished rows by the thousand
and keeps a few screens of them: those caches were a quarter to two fifths of
what the young and middle garbage collections walked inside a keystroke
(5.7 ms for one middle collection in a page key at 5 MB), and seven more
objects to make per line. A ``LeanStrip`` is a ``Strip`` (same slots, same
methods) that makes each cache the first time a method asks for it; most of
its lines are only ever cropped for the screen (one cache) or not at all.

It reads the names of ``Strip``'s slots, which are not Textual's public
interface: a release that changes them leaves the reader on plain strips
(``lean_strip`` makes a ``Strip``), slower but right.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.segment import Segment
from textual.cache import FIFOCache
from textual.strip import Strip

#: Strip's caches and their sizes, as ``Strip.__init__`` makes them.
CACHES = {
    "_divide_cache": 4,
    "_crop_cache": 16,
    "_style_cache": 16,
    "_filter_cache": 4,
    "_line_length_cache": 4,
    "_crop_extend_cache": 4,
    "_offsets_cache": 4,
}
PLAIN = ("_segments", "_cell_length", "_render_cache", "_link_ids", "_cell_count")


def fits_textual() -> bool:
    """Whether ``Strip`` still has exactly the slots this module fills."""
    return set(getattr(Strip, "__slots__", ())) == {*CACHES, *PLAIN}


def _made_when_used(name: str, size: int) -> property:
    slot = Strip.__dict__[name]  # the base class's slot (a member descriptor)

    def get(self: Strip) -> FIFOCache:
        try:
            return slot.__get__(self, Strip)  # type: ignore[no-any-return]
        except AttributeError:
            cache: FIFOCache = FIFOCache(size)
            slot.__set__(self, cache)
            return cache

    def set_(self: Strip, value: FIFOCache) -> None:
        slot.__set__(self, value)

    return property(get, set_, doc=f"``Strip.{name}``, made on first use")


class LeanStrip(Strip):
    """A ``Strip`` that makes each of its caches when a method first uses it."""

    __slots__ = ()

    def __init__(self, segments: Iterable[Segment], cell_length: int | None = None) -> None:
        # Strip.__init__ without the seven caches (made by the properties below).
        self._segments = list(segments)
        self._cell_length = cell_length
        self._render_cache = None
        self._link_ids = None
        self._cell_count = None


FITS = fits_textual()
if FITS:
    for _name, _size in CACHES.items():
        setattr(LeanStrip, _name, _made_when_used(_name, _size))


def lean_strip(segments: Iterable[Segment], cell_length: int | None = None) -> Strip:
    """A strip of ``segments``: lean where this Textual allows it, plain otherwise."""
    if FITS:
        return LeanStrip(segments, cell_length)
    return Strip(segments, cell_length)
