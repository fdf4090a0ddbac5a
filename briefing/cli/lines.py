"""Styled lines written straight to a console's file: what ``Console.print`` of a
``rich.text.Text`` gives, without Rich's layout engine for every line.

``Console.print`` measures, wraps, splits and crops each line through a dozen
objects, and asks the terminal for its size every time: about 0.3 ms a line,
so the 30,000 lines of a 15,000-hit search on an 8 MB report took 9 s where
their JSON took one. A ``LineWriter`` gives the same bytes for a line that
fits the console's width and holds no control character (the usual line):
each part rendered with the ``Style`` Rich would combine for it, lines
gathered and written in chunks. Any other line (too wide: Rich wraps it at
words; a tab or control character: Rich expands or drops it) is handed to
``Console.print`` itself, so the output is always what Rich would print.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rich.cells import cell_len
from rich.console import Console
from rich.style import Style
from rich.text import Text

Part = tuple[str, str]  # text, Rich style ("" for none)
_CHUNK = 2000  # lines written at once
#: What Rich treats specially inside a line (tabs expanded, some controls dropped,
#: line breaks split): such a line goes through ``Console.print``.
_SPECIAL = re.compile(r"[\x00-\x1f\x7f]")


_WIDTHS: dict[str, int] = {}  # a character's width in cells, as Rich measures it


def cell_width(text: str) -> int:
    """``rich.cells.cell_len(text)`` for text without control characters, each
    character measured once per process (Rich measures every character of
    every line it is given)."""
    if text.isascii():
        return len(text)
    if "\u200d" in text or "\ufe0f" in text:  # joined sequences: Rich's own rules
        return cell_len(text)
    widths = _WIDTHS
    try:
        return sum(map(widths.__getitem__, text))
    except KeyError:  # a character not met before
        for ch in set(text).difference(widths):
            widths[ch] = cell_len(ch)
        return sum(map(widths.__getitem__, text))


class LineWriter:
    """Writes lines of styled parts to ``console``, as ``console.print`` would.

    Lines are kept and written ``_CHUNK`` at a time (``flush`` writes the
    rest): a long listing costs a few writes, not one or more per line.
    """

    def __init__(self, console: Console) -> None:
        self.console = console
        self.width = console.width  # asked once (Rich asks the terminal per print)
        system = console._color_system  # what Console._render_buffer renders with
        self._system = system
        self._no_color = bool(console.no_color and system)
        self._legacy = console.legacy_windows
        self._codes: dict[tuple[str, str], tuple[str, str]] = {}
        self._lines: list[str] = []

    def _codes_of(self, base: str, style: str) -> tuple[str, str]:
        """What Rich writes before and after a span ``style`` of a ``Text`` whose own
        style is ``base`` (two empty strings off a terminal or for no style)."""
        key = (base, style)
        found = self._codes.get(key)
        if found is None:
            get = self.console.get_style
            combined = Style.combine([get(base), get(style)]) if style else get(base)
            if self._no_color:
                combined = combined.without_color
            found = ("", "")
            if combined and self._system is not None:
                # The same for every text: render a marker and keep what surrounds it.
                marked = combined.render(
                    "\x00", color_system=self._system, legacy_windows=self._legacy
                )
                before, _, after = marked.partition("\x00")
                found = (before, after)
            self._codes[key] = found
        return found

    def line(self, parts: Iterable[Part], base: str = "") -> None:
        """One line made of ``parts`` (a ``Text`` with style ``base`` and a span per part)."""
        parts = list(parts)
        plain = "".join(text for text, _ in parts)
        if _SPECIAL.search(plain) or cell_width(plain) > self.width:
            self._print_with_rich(parts, base)
            return
        if self._system is None:  # Rich writes no style off a terminal
            self._lines.append(plain + "\n")
        else:
            out = []
            codes = self._codes_of
            run = ""  # unstyled parts next to each other: one segment in Rich
            for text, style in parts:
                if not text:
                    continue
                if not style:
                    run += text
                    continue
                if run:
                    before, after = codes(base, "")
                    out += (before, run, after)
                    run = ""
                before, after = codes(base, style)
                out += (before, text, after)
            if run:
                before, after = codes(base, "")
                out += (before, run, after)
            out.append("\n")
            self._lines.append("".join(out))
        if len(self._lines) >= _CHUNK:
            self.flush()

    def _print_with_rich(self, parts: list[Part], base: str) -> None:
        line = Text(style=base)
        for text, style in parts:
            line.append(text, style=style or None)
        self.flush()
        self.console.print(line)

    def flush(self) -> None:
        """Write the lines kept so far."""
        if self._lines:
            self.console.file.write("".join(self._lines))
            self._lines.clear()
        self.console.file.flush()
