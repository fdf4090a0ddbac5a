"""CJK text helpers: cell widths, control-free display text, line breaking.

The reader lays out section text itself (Textual's own wrapping splits
``202|1—2025年`` and starts lines with ``，``), so the rules live here, free
of Textual: ``wrap_paragraphs`` gives ``(start, end)`` offsets per screen
line and ``line_text`` turns one of those lines into a styled
``rich.text.Text`` built from spans, never from markup.

Offsets are Python ``str`` indices, like everywhere else in briefing.
"""

from __future__ import annotations

import os
import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cache
from itertools import accumulate, pairwise, repeat
from typing import TYPE_CHECKING

from rich.cells import cell_len, get_character_cell_size, split_graphemes

from briefing.i18n import N_

if TYPE_CHECKING:  # rich.text costs a command-line process ~10 ms it may not need
    from rich.style import Style
    from rich.text import Text

__all__ = [
    "CLOSING_PUNCTUATION",
    "NUMBER_RUN",
    "OPENING_PUNCTUATION",
    "ambiguous_width",
    "cell_width",
    "line_text",
    "safe_text",
    "strip_control",
    "wrap_cells",
    "wrap_paragraphs",
]

Span = tuple[int, int]
StyledSpan = tuple[int, int, "str | Style"]

# No line may start with these (Chinese 行首禁则, plus ASCII and full-width forms).
CLOSING_PUNCTUATION = frozenset(
    "，。、；：？！）》」』”’%‰〕】〉…—·,.;:?!)]}．％，；：？！）］｝〗〙〛〞»›―–～"
)
# No line may end with these (行尾禁则).
OPENING_PUNCTUATION = frozenset("（《「『“‘〔【〈([{［｛〖〘〚〝«‹")

# Terminal escape sequences, removed whole (same grammar as briefing.source).
_ESCAPE = (
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"  # DCS, SOS, PM, APC
    r"|\x1b[@-Z\\-_]"  # other two-character ESC sequences
    r"|\x1b"  # a lone ESC
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
)
# C0 controls but tab and newline, DEL, C1 controls; format characters that
# change how text looks without being text (soft hyphen, zero-width chars,
# bidi marks/overrides/isolates, BOM, interlinear annotations, tag chars);
# U+2028/9 separators; lone surrogates, which a terminal cannot encode.
_CONTROL = (
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\ud800-\udfff\U000e0000-\U000e007f]"
)


# Compiling the two patterns below costs start-up ~4 ms (``re`` builds a 64K-entry
# table for every class with a character past U+00FF), so neither is compiled on
# import: ``_unsafe()`` when some text needs it, the number grammar never on the
# reader's path (see ``_number_spans``).
@cache
def _unsafe() -> re.Pattern[str]:
    return re.compile(f"{_ESCAPE}|{_CONTROL}")


# Every character ``_UNSAFE`` matches (and ESC or CSI, with which each escape
# sequence begins) is one ``str.isprintable`` rejects. Text that is printable once
# the characters kept on purpose (tab, newline, spaces of any width) are set
# aside has nothing to strip: the usual case, answered without the pattern.
_KEPT_UNPRINTABLE = dict.fromkeys(
    map(
        ord,
        "\t\n\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
        "\u2008\u2009\u200a\u202f\u205f\u3000",
    )
)


# Past this many characters the compiled pattern is the cheaper check: a
# ``str.translate`` with a dict looks up every character in Python (~40 ns each:
# 0.3 s of an 8 MB report's parse), while the pattern's one-time compile is 4 ms.
# Paragraphs and labels stay under it, so the reader's start compiles nothing.
LONG_TEXT = 65_536


def _nothing_unsafe(text: str) -> bool:
    """Whether ``text`` certainly holds nothing ``strip_control`` removes."""
    if text.isprintable():
        return True
    if len(text) > LONG_TEXT:
        return _unsafe().search(text) is None
    return text.translate(_KEPT_UNPRINTABLE).isprintable()


# A number as a reader sees it: digits joined by one of - — ~ . / : · (a range,
# a date, a phone number, a ratio, a time), with the unit that follows it (a
# hanzi measure word or %). Never split across two lines.
_DIGITS = "0-9\uff10-\uff19"
_JOINERS = "\\-\u2010-\u2015~\uff5e.\uff0e/\uff0f:\uff1a\u00b7\u30fb\uff0d"
_WORD = "A-Za-z0-9\uff10-\uff19\uff21-\uff3a\uff41-\uff5a"
# Digits inside a Latin word (``A0``, ``30AM``) belong to that word's run instead.
_PERCENTS = "%\uff05\u2030\u2103\u00b0"
_HANZI_UNIT = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_NUMBER_RUN_PATTERN = (
    f"(?<![{_WORD}])(?>[{_DIGITS}]+(?:[{_JOINERS}]{{1,2}}[{_DIGITS}]+)*)(?![{_WORD}])"
    f"(?:[{_PERCENTS}]|[{_HANZI_UNIT}])?"
)
# The same grammar over text folded to Latin-1 by ``_FOLD`` (full-width digits and
# letters to ASCII ones, every other joiner to ``-``, every percent-like sign to
# ``%``): each character keeps its class, so the matches are the same, and a
# pattern of Latin-1 classes compiles in a tenth of the time. A hanzi unit is
# taken after the match (``_number_spans``).
_FOLD = {
    **{0xFF10 + k: ord("0") + k for k in range(10)},
    **{0xFF21 + k: ord("A") + k for k in range(26)},
    **{0xFF41 + k: ord("a") + k for k in range(26)},
    **dict.fromkeys(
        map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\uff5e\uff0e\uff0f\uff1a\u30fb\uff0d"),
        ord("-"),
    ),
    **dict.fromkeys(map(ord, "\uff05\u2030\u2103"), ord("%")),
}
_FOLDED_NUMBER = re.compile(
    r"(?<![A-Za-z0-9])(?>[0-9]+(?:[-~./:\u00b7]{1,2}[0-9]+)*)(?![A-Za-z0-9])[%\u00b0]?"
)


NUMBER_RUN: re.Pattern[str]  # made by __getattr__ below


def __getattr__(name: str) -> object:
    """``NUMBER_RUN``, compiled when first asked for (nothing on the reader's path asks)."""
    if name == "NUMBER_RUN":
        pattern = re.compile(_NUMBER_RUN_PATTERN)
        globals()["NUMBER_RUN"] = pattern
        return pattern
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _is_hanzi_unit(char: str) -> bool:
    return (
        "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf" or "\uf900" <= char <= "\ufaff"
    )


def _number_spans(text: str) -> list[tuple[int, int]]:
    """The spans of ``NUMBER_RUN.finditer(text)``, without compiling ``NUMBER_RUN``."""
    size = len(text)
    if size > LONG_TEXT:  # one compile beats a per-character fold (see LONG_TEXT)
        return [match.span() for match in __getattr__("NUMBER_RUN").finditer(text)]
    spans = []
    folded = text.translate(_FOLD)
    for match in _FOLDED_NUMBER.finditer(folded):
        start, end = match.span()
        if end < size and folded[end - 1] in "0123456789" and _is_hanzi_unit(text[end]):
            end += 1  # no percent sign: a hanzi may be the unit
        spans.append((start, end))
    return spans


# Character classes for line breaking.
_SPACE, _CLOSE, _OPEN, _ALNUM, _IDEO, _OTHER = range(6)
_DECIMAL_POINTS = frozenset(".．")


def ambiguous_width(environ: Mapping[str, str] | None = None) -> int:
    """Cells a terminal gives East Asian *ambiguous* characters (— “ ” … ·): 1 or 2.

    ``BRIEFING_AMBIGUOUS_WIDTH=1|2`` decides; otherwise the terminal's locale
    (``LC_ALL``, ``LC_CTYPE``, ``LANG``): a Chinese, Japanese or Korean locale
    draws them two cells wide, anything else one.
    """
    env = os.environ if environ is None else environ
    setting = env.get("BRIEFING_AMBIGUOUS_WIDTH", "").strip()
    if setting in ("1", "2"):
        return int(setting)
    locale = env.get("LC_ALL") or env.get("LC_CTYPE") or env.get("LANG") or ""
    return 2 if locale.lower().startswith(("zh", "ja", "ko")) else 1


@cache
def _default_ambiguous() -> int:
    return ambiguous_width()


def _is_ambiguous(char: str) -> bool:
    return unicodedata.east_asian_width(char) == "A"


def cell_width(text: str, ambiguous: int | None = None) -> int:
    """Width of ``text`` in terminal cells (CJK 2, ASCII 1, combining marks 0).

    ``ambiguous`` (default: ``ambiguous_width()``) is the width of East Asian
    ambiguous characters, which a terminal in a CJK locale draws two cells wide.
    """
    cells = cell_len(text)
    if (ambiguous or _default_ambiguous()) == 2 and not text.isascii():
        cells += sum(1 for char in text if _is_ambiguous(char) and cell_len(char) == 1)
    return cells


def fitting_prefix(text: str, cells: int, width: Callable[[str], int] = cell_width) -> int:
    """How many characters of ``text`` fit in ``cells`` cells, measured by ``width``."""
    used = 0
    for index, char in enumerate(text):
        used += width(char)
        if used > cells:
            return index
    return len(text)


def truncate_cells(
    text: str, cells: int, *, width: Callable[[str], int] = cell_width, pad: bool = False
) -> str:
    """``text`` in at most ``cells`` cells, ending in "…" when cut; with ``pad``,
    spaces after it fill the row to exactly ``cells`` (``Text.truncate`` put them
    before the "…", which then stood apart from the word it cuts: ``建设 …``).

    The "…" is measured by ``width`` too: in a CJK locale it is an ambiguous
    character two cells wide, and a cut that reserved one cell overflowed by one."""
    if width(text) <= cells:
        return text
    ellipsis = width("…")
    if cells < ellipsis:  # no room for the mark: as much of the text as fits
        kept = text[: fitting_prefix(text, cells, width)]
        return kept + (" " * (cells - width(kept)) if pad else "")
    kept = text[: fitting_prefix(text, cells - ellipsis, width)]
    return kept + "…" + (" " * (cells - ellipsis - width(kept)) if pad else "")


def strip_control(text: str) -> str:
    """Remove terminal escapes, control and invisible format characters.

    ``\\n`` and ``\\t`` are kept: newlines separate paragraphs, and
    ``line_text`` shows a tab as one space.
    """
    if _nothing_unsafe(text):
        return text
    return _unsafe().sub("", text)


def _strip_mapped(text: str) -> tuple[str, list[int] | None]:
    """``strip_control`` plus where each kept character came from (``None``: nothing removed).

    ``origin[i]`` is the index in ``text`` of ``clean[i]``; the last entry is
    ``len(text)``, so an offset ``p`` maps to ``bisect_left(origin, p)``.
    """
    if _nothing_unsafe(text) or _unsafe().search(text) is None:
        return text, None
    pieces: list[str] = []
    origin: list[int] = []
    kept_from = 0
    for match in _unsafe().finditer(text):
        pieces.append(text[kept_from : match.start()])
        origin.extend(range(kept_from, match.start()))
        kept_from = match.end()
    pieces.append(text[kept_from:])
    origin.extend(range(kept_from, len(text)))
    origin.append(len(text))
    return "".join(pieces), origin


# --------------------------------------------------------------------------
# Queries

# Said by the command line (exit 2) and the reader alike; translated where shown.
NOTHING_TO_SEARCH = N_("nothing to search for: give a query with hanzi, pinyin or digits")


def has_something_to_find(query: str) -> bool:
    """Whether ``query`` holds anything but spaces, punctuation and control characters.

    Such a query matched nothing, or every comma: the command line refuses it and
    the reader says so instead of marking every ``，`` of the report.  A terminal
    control sequence (``ESC ] 0 ; X BEL``) is not something to look for either.
    Here, not in ``briefing.search``: the reader checks it before that is loaded.
    """
    if not query.isprintable():
        query = strip_control(query)
    return any(unicodedata.category(ch)[0] not in "PZC" for ch in query)


# --------------------------------------------------------------------------
# Excerpts

_CLAUSE_ENDS = frozenset("，。；：！？、,;:!?\n")
# A name or a quotation closes here: after it is a sensible start when no clause
# break is near (``…2025年)》对…`` begins at ``对``).
_CLOSING_BRACKETS = frozenset("）》」』”’〕】〉)]}］｝〗〙〛〞»›")
# Characters of one Latin or Arabic token (``2021—2025``, ``98.4%``, ``GB/T``):
# an excerpt never begins inside one.
_TOKEN = frozenset(
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
    "０１２３４５６７８９.．%％‰—–-~～/:_"
)
#: A clause start (or the text's) this close before the cut is where the excerpt
#: begins: dropping one or two characters of a word saves nothing.
REACH_BACK = 2
#: The fewest characters of context a clause break late in it leaves before the hit.
_MIN_CLAUSE = 2
# Inside a long token, where one of its parts begins (chongqing-tongliang-2022-fazhi).
_TOKEN_JOINS = frozenset("-/_.:")
#: How far before the cut an excerpt may begin, to show the whole figure or
#: token a hit starts inside (``…2025年`` for a hit on ``25``).
_BACK = 12


def context_start(
    text: str,
    left: int,
    hit: int,
    figures: Sequence[tuple[int, int]] = (),
    *,
    reach_back: int = REACH_BACK,
) -> int:
    """Where an excerpt cut at ``left`` should begin: near ``left``, at most ``hit``.

    A cut made by counting characters began ``，按照《江苏省…`` or ``2025年)》…``.
    It begins after a clause break found in the first half of the context (the
    clause start); else after a closing bracket or at an opening one there; never
    inside a figure (``figures``: the ``(start, end)`` spans of the figures of
    ``text``, when the caller knows them) or a Latin or Arabic token, and never on
    closing punctuation or spaces. A hit that itself starts inside a figure or a
    token is shown with its beginning (up to ``_BACK`` characters before ``left``),
    and a cut ``reach_back`` characters or fewer after the start of the text or a
    clause begins there (0: a caller whose row has no room for more).
    ``text`` may be any sequence of characters that slices (the library's saved
    text decodes each index): it is sliced once.
    """
    if left <= 0 or hit <= left:
        return max(0, min(left, hit))
    base = max(0, left - _BACK)
    piece = text[base:hit]
    at = left - base  # the cut, in ``piece``
    end = len(piece)  # the hit, in ``piece``
    spans = [(s - base, e - base) for s, e in figures if s < hit and e > base]
    begin = _start_just_before(piece, at, base, reach_back)
    if begin is not None:  # a clause starts just before the cut (北京|市…): from there
        return base + _settled(piece, begin, end, spans, base > 0)
    clipped = base > 0
    at = _past_figure_or_token(piece, at, end, spans, clipped)  # cut inside one: from its end
    half = min(max(2, (end - at) // 2), end - at)
    begin = at
    for k in range(at + half - 1, at - 1, -1):
        if piece[k] in _CLAUSE_ENDS and not _in_token(piece, k):
            begin = k + 1
            break
    else:
        for k in range(at, at + half):  # after a name, or at the outermost one
            if piece[k] in _CLOSING_BRACKETS:
                begin = k + 1
            elif piece[k] in OPENING_PUNCTUATION and begin == at:
                begin = k
                break
        if begin == at:  # nothing near the cut: a clause nearer the hit, not mid-word (府建设…)
            for k in range(at + half, end - _MIN_CLAUSE):
                if piece[k] in _CLAUSE_ENDS and not _in_token(piece, k):
                    begin = k + 1
                    break
    return base + _settled(piece, begin, end, spans, clipped)


def _start_just_before(piece: str, at: int, base: int, reach: int) -> int | None:
    """The start of the text or of a clause at most ``reach`` characters before
    the cut ``at`` (in ``piece``, which begins at ``base`` of the text)."""
    for k in range(at - 1, max(at - reach, 0) - 1, -1):
        if k == 0 and base == 0:
            return 0
        if k > 0 and piece[k - 1] in _CLAUSE_ENDS and not _in_token(piece, k - 1):
            return k
    return None


def _settled(piece: str, begin: int, end: int, spans: list[tuple[int, int]], clipped: bool) -> int:
    """``begin`` moved out of figures and tokens and past closing punctuation and spaces."""
    for _ in range(4):  # a figure's end can fall inside a token, or the converse
        moved = _past_figure_or_token(piece, begin, end, spans, clipped)
        while moved < end and (piece[moved] in CLOSING_PUNCTUATION or piece[moved].isspace()):
            moved += 1
        if moved == begin:
            break
        begin = moved
    return begin


def _past_figure_or_token(
    piece: str, at: int, end: int, spans: list[tuple[int, int]], clipped: bool
) -> int:
    """``at`` moved out of the figure or Latin/Arabic token it is inside: to its end,
    or to its start when the hit (at ``end``) is inside it too. ``clipped``: the
    piece begins inside the text, so a token at its start may have begun before."""
    for s, e in spans:
        if s < at < e:
            at = e if e < end else max(s, 0)
    if at >= end or any(s == at for s, _ in spans) or not _in_token(piece, at):
        return at
    first = at  # the token's first letter or digit (``—2021``: at ``2``)
    while first > 0 and _in_token(piece, first - 1):
        first -= 1
    while first < at and not piece[first].isalnum():
        first += 1
    for _, e in spans:  # a figure ends inside the token (``7·20x``): from its end
        if first < e <= at:
            first = e
    if first == at:
        return at
    run_end = at
    while run_end < end and _in_token(piece, run_end):
        run_end += 1
    if run_end < end:
        return run_end
    if first == 0 and clipped and _in_token(piece, 0):
        # the token began before the piece: from a part of it (…-2022-fazhi)
        parts = [k + 1 for k in range(at) if piece[k] in _TOKEN_JOINS and piece[k + 1].isalnum()]
        return parts[0] if parts else end
    return first


def _in_token(piece: str, k: int) -> bool:
    """``piece[k]`` belongs to a Latin or Arabic token (``12,345``: its comma too)."""
    ch = piece[k]
    if ch in _TOKEN:
        return True
    if ch != "," or not 0 < k < len(piece) - 1:
        return False
    return piece[k - 1].isdigit() and piece[k + 1].isdigit()


# --------------------------------------------------------------------------
# Line breaking


def _char_class(char: str) -> int:
    if char in " \t":
        return _SPACE
    if char in CLOSING_PUNCTUATION:
        return _CLOSE
    if char in OPENING_PUNCTUATION:
        return _OPEN
    wide = unicodedata.east_asian_width(char) in "WF"
    if char.isalnum() and (not wide or "\uff10" <= char <= "\uff5a"):
        return _ALNUM  # Latin letters and digits, half or full width
    if wide:
        return _IDEO  # may break on either side
    return _OTHER


_class_of = cache(_char_class)  # reports repeat a few thousand characters: classify each once


def _classify_ascii_quotes(text: str, starts: list[int], classes: list[int]) -> None:
    """An ASCII ``"`` is an opening or a closing quote mark, like “ and ”.

    It could start a line when it closed a quote (``…法治政府"``). Opening when
    it follows a space, an opening mark or starts the text; closing when a
    space, closing mark or the end follows; otherwise the marks alternate.
    """
    opened = False
    at = text.find('"')
    while at != -1:
        k = bisect_left(starts, at)
        if k < len(classes) and starts[k] == at:
            before = _class_of(text[at - 1]) if at else _SPACE
            after = _class_of(text[at + 1]) if at + 1 < len(text) else _SPACE
            if before in (_SPACE, _OPEN):
                closing = False
            elif after in (_SPACE, _CLOSE):
                closing = True
            else:
                closing = opened
            classes[k] = _CLOSE if closing else _OPEN
            opened = not closing
        at = text.find('"', at + 1)


def _pair_ok(a: int, b: int, a_char: str) -> bool:
    """May a line break fall between classes ``a`` and ``b`` (ignoring 禁则)?"""
    if b == _SPACE:
        return False  # spaces hang at the end of the line
    if a == _SPACE:
        return True
    if a in (_IDEO, _CLOSE, _OPEN) or b in (_IDEO, _OPEN):
        return True  # (after an opening mark: only the punctuation rule forbids it)
    return a_char == "-" and b == _ALNUM


# ``_pair_ok`` for every pair of classes, looked up at ``a * 6 + b`` (one list
# index per character where wrapping a paragraph called a function): None
# where the answer depends on the character (a hyphen before a letter or digit).
_PAIR_OK: list[bool | None] = [
    None if _pair_ok(a, b, "-") != _pair_ok(a, b, "x") else _pair_ok(a, b, "x")
    for a in range(6)
    for b in range(6)
]


_JOINING = frozenset("\u200d\ufe0f")  # what split_graphemes joins to the character before
_SPACE_BYTE, _ALNUM_BYTE = bytes([_SPACE]), bytes([_ALNUM])


def _graphemes(text: str) -> list[tuple[int, int, int]]:
    """``rich.cells.split_graphemes(text)[0]``: ``(start, end, cells)`` per grapheme.

    Text whose every character has a width and none joins the one before (no
    combining mark, ZWJ or VS16: Chinese report text) is one grapheme a
    character; that case is built from the per-character widths in C loops,
    without split_graphemes' Python loop over every character.
    """
    # The key rich's own calls use: one cache of widths for the wrapper and rich.
    widths = list(map(get_character_cell_size, text, repeat("auto", len(text))))
    if 0 in widths or not _JOINING.isdisjoint(text):
        return split_graphemes(text)[0]
    offsets = range(len(text) + 1)
    return list(zip(offsets, offsets[1:], widths, strict=False))


def wrap_cells(
    text: str,
    width: int,
    *,
    keep_together: Sequence[tuple[int, int]] = (),
    ambiguous: int | None = None,
) -> list[tuple[int, int]]:
    """Break one paragraph into lines of at most ``width`` cells.

    Returns ``(start, end)`` offsets covering ``text`` in order.  Spaces at a
    break stay at the end of the line they follow and are not counted, so
    ``cell_width(text[start:end].rstrip(" \\t")) <= width``, unless a line
    is a single character wider than ``width``.

    Rules, dropped one by one only when a line cannot be filled otherwise:
    a run of Latin letters/digits (``98.4``, ``APP``), a number with its
    joiners and unit (``NUMBER_RUN``: ``2015-2020年``, ``0519-85681234``)
    and each ``keep_together`` span stay whole when they fit in ``width``; no line
    starts with closing punctuation or ends with opening punctuation; Latin
    text breaks at spaces.  CJK may break between any two characters.  The
    last legal break that fits is taken (greedy), so a character before a
    closing mark moves to the next line with it.  Breaks never fall inside a
    grapheme (a base character and its combining marks).  Overlapping
    ``keep_together`` spans whose union does not fit may be split.
    Widths count ambiguous characters as ``ambiguous`` cells (see ``cell_width``).
    """
    n = len(text)
    if n == 0:
        return []
    width = max(1, width)
    measured = text.replace("\t", " ")  # a tab is one cell here, as in line_text
    # The key rich's own calls use: one cache of widths for the wrapper and rich.
    widths = list(map(get_character_cell_size, measured, repeat("auto", n)))
    graphemes: list[tuple[int, int, int]] | None = None
    starts: Sequence[int]
    if 0 in widths or not _JOINING.isdisjoint(measured):
        graphemes = split_graphemes(measured)[0]
        count = len(graphemes)
        starts = [start for start, _end, _cells in graphemes]
        starts.append(n)
        cells = [grapheme_cells for _start, _end, grapheme_cells in graphemes]
    else:  # one character a grapheme (the usual case): no lookups by offset
        count = n
        starts = range(n + 1)
        cells = widths
    wide_ambiguous = (ambiguous or _default_ambiguous()) == 2 and not measured.isascii()
    if wide_ambiguous:
        cells = [cell_width(measured[start:end], 2) for start, end in pairwise(starts)]
    if graphemes is None:
        classes = list(map(_class_of, measured))
    else:
        classes = [_class_of(measured[start]) for start in starts[:-1]]
        for k, (start, end, _cells) in enumerate(graphemes):
            if end - start > 1 and classes[k] == _SPACE:
                classes[k] = _OTHER  # a space carrying a combining mark is seen: not hanging
    if '"' in measured:
        _classify_ascii_quotes(measured, starts, classes)
    kinds = bytes(classes)  # the classes as bytes: runs of a class are found in C

    # prefix[k]: cells before grapheme k; visible[k]: the same without the
    # spaces that end the text before grapheme k (both never decrease).
    prefix = list(accumulate(cells, initial=0))
    if _SPACE_BYTE in kinds:
        visible = [0] * (count + 1)
        for k in range(count):
            visible[k + 1] = visible[k] if classes[k] == _SPACE else prefix[k + 1]
    else:
        visible = prefix

    # Protections, per character position p (a break before text[p]).
    fit_guard = [0] * (n + 1)  # inside a run or span that fits: keep whole
    open_run = [False] * (n + 1)  # inside a run too wide: break anywhere

    def guard(start: int, end: int) -> None:
        if end - start < 2:
            return
        if cell_width(measured[start:end].rstrip(" \t"), ambiguous) <= width:
            fit_guard[start + 1] += 1
            fit_guard[end] -= 1

    # Latin runs: letters/digits joined by single decimal points.
    k = kinds.find(_ALNUM_BYTE)
    while k != -1:
        run_end = k + 1
        while run_end < count:
            if classes[run_end] == _ALNUM:
                run_end += 1
            elif (
                measured[starts[run_end]] in _DECIMAL_POINTS
                and run_end + 1 < count
                and classes[run_end + 1] == _ALNUM
            ):
                run_end += 2
            else:
                break
        start, end = starts[k], starts[run_end]
        if cell_width(measured[start:end], ambiguous) <= width:
            guard(start, end)
        else:
            for inner in range(k + 1, run_end):
                open_run[starts[inner]] = True
        k = kinds.find(_ALNUM_BYTE, run_end)

    for start, end in _number_spans(measured):
        guard(start, end)
        if not measured[end - 1].isdigit() and _class_of(measured[end - 1]) != _CLOSE:
            # the digits alone when the unit makes the run too wide: 0519-85681234 of
            # 0519-85681234或 (any hanzi after a number is taken as its unit). Not
            # before a closing mark (‰, %): that break is the worst one, so keeping
            # the digits whole would force it where a break inside them is legal.
            guard(start, end - 1)

    for span_start, span_end in keep_together:
        guard(max(0, span_start), min(n, span_end))

    fit_guard = list(accumulate(fit_guard))

    # A break before grapheme k is allowed at a level, strictest first: 0 strict,
    # 1 no closing mark first, 2 no punctuation rule, 3 inside a run; 4 never.
    # An opening mark left at a line's end is a lesser fault than a closing mark
    # starting the next line, so it is given up first. The levels nest, so each
    # line ends at the latest break of the strictest level that has one among the
    # breaks that fit: found looking back from the last break that fits (the
    # first one looked at is allowed for almost every line of Chinese text),
    # never by ranking every character.
    lines: list[tuple[int, int]] = []
    i = 0
    while i < count:
        # The last k whose line [i, k) fits (visible never decreases).
        last_fit = bisect_right(visible, width + prefix[i], i + 1, count + 1) - 1
        if last_fit >= count:
            lines.append((starts[i], n))
            break
        end = 0
        latest = [0, 0, 0, 0]  # by level: the latest allowed break seen so far
        k = last_fit
        while k > i:
            p = starts[k]
            if not fit_guard[p]:
                a, b = classes[k - 1], classes[k]
                ok = _PAIR_OK[a * 6 + b]
                if ok is None:
                    ok = measured[starts[k - 1]] == "-"
                if open_run[p] or ok:
                    level = 2 if b == _CLOSE else 1 if a == _OPEN else 0
                    if not level:
                        end = k
                        break
                else:
                    level = 3
                if not latest[level]:
                    latest[level] = k
            k -= 1
        if not end:  # else the latest that fits at all, else one grapheme
            end = latest[1] or latest[2] or latest[3] or max(last_fit, i + 1)
        lines.append((starts[i], starts[end]))
        i = end
    return lines


def wrap_paragraphs(
    text: str,
    width: int,
    keep_together: Sequence[tuple[int, int]] = (),
    *,
    ambiguous: int | None = None,
) -> list[tuple[int, int]]:
    """Wrap multi-line text: each ``\\n``-separated paragraph by ``wrap_cells``.

    Offsets are into the whole ``text`` and exclude the ``\\n`` itself; an
    empty paragraph (including the one after a final ``\\n``) gives one empty
    line ``(i, i)``.  ``keep_together`` spans are in whole-text offsets.
    """
    spans = sorted((s, e) for s, e in keep_together if e > s)
    lines: list[tuple[int, int]] = []
    offset = 0
    for paragraph in text.split("\n"):
        end = offset + len(paragraph)
        if not paragraph:
            lines.append((offset, offset))
        else:
            local = [
                (max(s, offset) - offset, min(e, end) - offset)
                for s, e in spans
                if s < end and e > offset
            ]
            lines.extend(
                (offset + s, offset + e)
                for s, e in wrap_cells(paragraph, width, keep_together=local, ambiguous=ambiguous)
            )
        offset = end + 1
    return lines


# --------------------------------------------------------------------------
# Styled display text


def safe_text(
    text: str,
    spans: Iterable[tuple[int, int, str | Style]] = (),
    *,
    style: str | Style = "",
    end: str = "\n",
) -> Text:
    """A ``rich.text.Text`` from plain text and styled spans, never from markup.

    ``[bold]`` or ``[@click=app.quit]`` stay literal characters.  Control
    characters and escape sequences are removed first; span offsets refer to
    ``text`` as given and are mapped onto what is left.  Spans are applied
    in order, so later ones (a search hit) paint over earlier ones (a figure).
    """
    from rich.text import Text

    clean, origin = _strip_mapped(text)
    result = Text(clean, style=style, end=end)
    size = len(clean)
    for start, stop, span_style in spans:
        if origin is not None:
            start, stop = bisect_left(origin, start), bisect_left(origin, stop)
        start, stop = max(0, start), min(size, stop)
        if stop > start:
            result.stylize(span_style, start, stop)
    return result


def line_text(
    text: str,
    start: int,
    end: int,
    spans: Iterable[tuple[int, int, str | Style]] = (),
    *,
    style: str | Style = "",
    strip_trailing: bool = True,
) -> Text:
    """The styled ``Text`` of one wrapped line ``text[start:end]``.

    ``spans`` are in ``text`` offsets (e.g. a section's figures, notes and
    search hits); each is clipped to the line, so a span that continues on
    the next line keeps its style there too.  Tabs become single spaces
    (offsets unchanged); the spaces a break left at the end of the line are
    dropped when ``strip_trailing``.  The result has ``end=""`` and
    ``no_wrap=True``, ready for ``Text.render``/``Strip``.
    """
    piece = text[start:end].replace("\t", " ")
    if strip_trailing:
        piece = piece.rstrip(" ")
    stop = start + len(piece)
    local = [
        (max(s, start) - start, min(e, stop) - start, span_style)
        for s, e, span_style in spans
        if s < stop and e > start
    ]
    result = safe_text(piece, local, style=style, end="")
    result.no_wrap = True
    return result
