"""Where the text's own layout should not stop a match: spaces inside runs of hanzi.

Portal pages letter-space labels and headings (``索 引 号``, ``政 府 工 作 报 告``);
a reader types ``suoyinhao`` or ``索引号`` and expects to find them. A space (or a
tab, a full-width space) with a CJK character on both sides on the same line is
*transparent*: queries step over it as if it were not there. A line break is not.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
#: Runs of blanks other than a line break. The CJK test is done in Python on the
#: few neighbours: a character class with the astral ranges costs ~30 ms to
#: compile, on the start-up path of every cached load.
_BLANKS = re.compile(r"[^\S\n]+")


def is_cjk(ch: str) -> bool:
    """A CJK ideograph (the ranges of ``_CJK``)."""
    o = ord(ch)
    return (
        0x4E00 <= o <= 0x9FFF
        or 0x3400 <= o <= 0x4DBF
        or 0xF900 <= o <= 0xFAFF
        or 0x20000 <= o <= 0x3134F
    )


def _blank(ch: str) -> bool:
    return ch.isspace() and ch != "\n"


def spaced_runs(text: str, gaps: list[int] | None = None) -> list[tuple[int, int]]:
    """(start, end) of every run of hanzi that holds transparent spaces, in order.

    Grown outwards from the gaps (``transparent_gaps``), so the cost follows the
    few letter-spaced runs, not the length of the text.
    """
    if gaps is None:
        gaps = transparent_gaps(text)
    out: list[tuple[int, int]] = []
    for g in gaps:
        if out and g < out[-1][1]:
            continue  # inside the run just found
        start = g
        while start > 0 and (is_cjk(text[start - 1]) or _blank(text[start - 1])):
            start -= 1
        end = g
        while end < len(text) and (is_cjk(text[end]) or _blank(text[end])):
            end += 1
        while start < g and not is_cjk(text[start]):
            start += 1  # do not begin or end on a space
        while end > g and not is_cjk(text[end - 1]):
            end -= 1
        if out and start <= out[-1][1]:
            start = out.pop()[0]
        out.append((start, end))
    return out


def transparent_gaps(text: str, chars: str | None = None) -> list[int]:
    """Positions of the transparent whitespace characters of ``text``, in order.

    ``chars``: every distinct character of ``text``, when known (``Readings.chars``).
    Then only the blanks among them are looked for, each with ``str.find`` (C,
    a memory scan), instead of a regular expression tried at every position:
    ~70 ms of opening the index of an 8 MB report, where blanks are few.
    """
    if chars is not None:
        blanks = [ch for ch in chars if ch != "\n" and ch.isspace()]
        if sum(map(text.count, blanks)) * 64 < len(text):
            return _gaps_of(text, _blank_runs(text, blanks))
    return _gaps_of(text, (m.span() for m in _BLANKS.finditer(text)))


def _blank_runs(text: str, blanks: list[str]) -> list[tuple[int, int]]:
    """(start, end) of every run of ``blanks`` in ``text``, in order (as ``_BLANKS``
    finds them when ``blanks`` are all the blanks ``text`` holds)."""
    found: list[int] = []
    for ch in blanks:
        at = text.find(ch)
        while at >= 0:
            found.append(at)
            at = text.find(ch, at + 1)
    found.sort()
    runs: list[tuple[int, int]] = []
    for at in found:
        if runs and runs[-1][1] == at:
            runs[-1] = (runs[-1][0], at + 1)
        else:
            runs.append((at, at + 1))
    return runs


def _gaps_of(text: str, runs: Iterable[tuple[int, int]]) -> list[int]:
    """The positions of the runs of blanks that have a CJK character on both sides."""
    out: list[int] = []
    last = len(text) - 1
    for start, end in runs:
        if start > 0 and end <= last and is_cjk(text[start - 1]) and is_cjk(text[end]):
            out.extend(range(start, end))
    return out


# ------------------------------------------------------------------ word boundaries
#
# A hit that is a word (司法) should rank above one that starts or ends inside a
# word (市法 in 城市法治). Word boundaries are found once, when readings are
# computed, by the most probable segmentation of each run of hanzi over a word
# list with frequencies (jieba's dictionary without its HMM, ``data/words.txt.gz``,
# loaded only then), and cached with the readings as bits per position.

WORDS_FILE = "words.txt.gz"
PROGRESS_EVERY = 4095  # long loops tell their progress once per 4,096 steps (a mask)
#: Letters and digits that make one word: ASCII, Latin with diacritics (the pinyin
#: some reports print after a character: 實(shí)), combining marks, full width.
_LATIN_WORD = (
    "[A-Za-z0-9\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0300-\u036f"
    "\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]+"
)
_CJK_RUN: re.Pattern[str] | None = None
_WORDS: tuple[dict[str, float], int, float] | None = None
_PREFIXES: frozenset[str] | None = None
#: Part of the key of the tables kept on disk (``prepared.py``).
_WORDS_TABLES_VERSION = 1


def _load_words() -> tuple[dict[str, float], int, float]:
    """word -> cost (minus log probability), the longest word, the cost of an unknown one."""
    if _WORDS is None:
        _load_tables()
    return _WORDS  # type: ignore[return-value]


def _word_prefixes() -> frozenset[str]:
    """Every beginning (2 characters or more) of a longer word: where to stop looking."""
    if _PREFIXES is None:
        _load_tables()
    return _PREFIXES  # type: ignore[return-value]


def _load_tables() -> None:
    """The word list's tables, kept on disk once prepared (``prepared.py``): reading
    and preparing the list costs ~0.2 s, loading what it makes a third of that."""
    global _WORDS, _PREFIXES
    from briefing.resources import data_dir
    from briefing.search.digest import sha256_hex
    from briefing.search.prepared import is_tuple_of, load_or_build

    try:
        packed = (data_dir() / WORDS_FILE).read_bytes()
    except OSError:  # pragma: no cover - broken install
        packed = b""
    key = f"{sha256_hex(packed)}-w{_WORDS_TABLES_VERSION}"

    def valid(value: object) -> bool:
        return is_tuple_of(value, dict, int, float, frozenset)

    costs, longest, unknown, prefixes = load_or_build(
        "words", key, lambda: _prepare_tables(packed), valid
    )
    _WORDS = (costs, longest, unknown)
    _PREFIXES = prefixes


def _prepare_tables(packed: bytes) -> tuple[dict[str, float], int, float, frozenset[str]]:
    """The word list (gzip, lines of a frequency bucket and its words) as look-up tables."""
    import gzip
    import math

    groups: list[tuple[float, list[str]]] = []
    try:
        raw = gzip.decompress(packed).decode("utf-8")
    except (OSError, EOFError, UnicodeDecodeError):  # pragma: no cover - broken install
        raw = ""
    for line in raw.splitlines():
        if not line or line.startswith("#"):
            continue
        bucket, _, words = line.partition("\t")
        groups.append((2.0 ** (int(bucket) / 2), words.split()))
    total = sum(freq * len(words) for freq, words in groups) or 1.0
    log_total = math.log(total)
    costs = {w: log_total - math.log(freq) for freq, words in groups for w in words}
    longest = max((len(w) for w in costs), default=1)
    prefixes = frozenset(w[:k] for w in costs for k in range(2, len(w)))
    return costs, longest, log_total, prefixes


def segment(run: str) -> list[int]:
    """Word lengths of the most probable split of a run of hanzi (unknown: one character).

    At each character the candidate words stop at the first piece that is neither
    a word nor the beginning of one (about 3 instead of ``longest``): the same
    split, five times faster on a large report.
    """
    costs, longest, unknown = _load_words()
    prefixes = _word_prefixes()
    n = len(run)
    best = [0.0] * (n + 1)
    step = [1] * (n + 1)
    for i in range(n - 1, -1, -1):
        top = best[i + 1] + costs.get(run[i], unknown)
        size = 1
        for k in range(2, min(longest, n - i) + 1):
            piece = run[i : i + k]
            cost = costs.get(piece)
            if cost is None:
                if piece not in prefixes:
                    break
                continue
            if cost + best[i + k] < top:
                top = cost + best[i + k]
                size = k
        best[i] = top
        step[i] = size
    out: list[int] = []
    i = 0
    while i < n:
        out.append(step[i])
        i += step[i]
    return out


def word_breaks(text: str, progress: Callable[[float], None] | None = None) -> bytes:
    """Two bitmaps of one bit per position ``0..len(text)`` (``(n >> 3) + 1`` bytes
    each, one after the other): where a word boundary falls before the position,
    then the same with the boundaries of the shorter words inside compounds
    (``_run_flags``: a hit on 政府 in 市政府 is less a fragment than 市政).

    Everything but the inside of a multi-character word is a boundary: punctuation
    and single-character words stand alone; a run of Latin letters and digits
    (half or full width) is one word, so ``app`` inside ``apps`` is a fragment.
    ``progress`` is told the fraction of ``text`` done, now and then (for an
    indexing counter).
    """
    global _CJK_RUN
    if _CJK_RUN is None:
        _CJK_RUN = re.compile(rf"[{_CJK}]+|{_LATIN_WORD}")
    from briefing.search.script import to_simplified

    text = to_simplified(text)  # the word list is Simplified; one character for one
    n = len(text)
    size = (n >> 3) + 1
    # One "1"/"0" character per position, joined and read as a binary number in C:
    # no Python step per character.
    pieces: list[str] = []
    inner: list[str] = []
    last = 0
    memo: dict[str, tuple[str, str]] = {}  # reports repeat their phrases
    for number, m in enumerate(_CJK_RUN.finditer(text)):
        at, end = m.span()
        if progress is not None and not number & PROGRESS_EVERY:
            progress(at / (n or 1))
        if end - at < 2:
            continue
        run = m.group()
        flags = memo.get(run)
        if flags is None and not is_cjk(run[0]):
            word = "1" + "0" * (end - at - 1)  # a Latin word (app in apps) or a number
            flags = (word, word)
        elif flags is None:
            if len(memo) >= 100_000:
                memo.clear()
            flags = memo[run] = _run_flags(run)
        gap = "1" * (at - last)
        pieces.append(gap)
        pieces.append(flags[0])
        inner.append(gap)
        inner.append(flags[1])
        last = end
    tail = "1" * (size * 8 - last)
    pieces.append(tail)
    inner.append(tail)
    return int("".join(pieces)[::-1], 2).to_bytes(size, "little") + int(
        "".join(inner)[::-1], 2
    ).to_bytes(size, "little")


def _run_flags(run: str) -> tuple[str, str]:
    """A run's word starts, and the same with the boundaries of the words inside
    its compounds (政府 in 市政府, 法治 in 法治政府: two- and three-character words
    of the list), as "1"/"0" strings."""
    costs = _load_words()[0]
    outer: list[str] = []
    inner: list[str] = []
    at = 0
    for k in segment(run):
        outer.append("1" + "0" * (k - 1))
        if k < 3:
            inner.append(outer[-1])
        else:
            piece = run[at : at + k]
            marks = ["1"] + ["0"] * (k - 1)
            for size in (2, 3) if k > 3 else (2,):
                for j in range(k - size + 1):
                    if piece[j : j + size] in costs:
                        marks[j] = "1"
                        if j + size < k:
                            marks[j + size] = "1"
            inner.append("".join(marks))
        at += k
    return "".join(outer), "".join(inner)


def is_break(bits: bytes, p: int) -> bool:
    """Whether ``word_breaks`` marked a boundary before position ``p`` (yes when unknown)."""
    k = p >> 3
    return k >= len(bits) or bool(bits[k] >> (p & 7) & 1)


def one_char_levels(outer: bytes, inner: bytes, sure: bytes) -> bytes:
    """One byte per character (``len(outer) * 8``): 2 where it is a word by itself,
    surely; 1 where it is one less surely, ranked between a word and a fragment
    (``query.WEAK``); 0 inside a word.

    ``outer`` and ``inner`` are the two bitmaps of ``word_breaks``; ``sure`` is
    ``outer`` without the boundaries between two one-character pieces of a run of
    hanzi (``index._sure_breaks``). Weak: a one-character piece next to another
    (是 in 一是, 市 in 我市: the segmenter splits what it does not know), and a
    character that begins or ends a compound beside a word of it (省 in 湖北省,
    市 in 市政府, 式 in 中国式); a hit on 政 inside 市政府 stays a fragment. The
    same levels as a longer hit's edges (``index._edge``), computed once per index
    with big-integer and bytes operations (in C), so a query only reads a byte.
    """
    sure_whole, weak = one_char_level_masks(outer, inner, sure)
    size = len(outer) * 8
    # Bit p -> byte p: the binary digits, lowest first, as bytes 0/2 and 0/1; the two
    # sets are disjoint, so adding them as big numbers never carries.
    twos = f"{sure_whole:0{size}b}"[::-1].encode("ascii").translate(_DIGIT_TWO)
    ones = f"{weak:0{size}b}"[::-1].encode("ascii").translate(_DIGIT_ONE)
    total = int.from_bytes(twos, "little") + int.from_bytes(ones, "little")
    return total.to_bytes(size, "little")


def one_char_level_masks(outer: bytes, inner: bytes, sure: bytes) -> tuple[int, int]:
    """The characters at level 2 and at level 1 of ``one_char_levels``, as bitsets:
    what a limited search splits its bitsets with. A few big-integer operations;
    going through the byte per character costs ten times more on a large text."""
    o = int.from_bytes(outer, "little")
    i = int.from_bytes(inner, "little")
    s = int.from_bytes(sure, "little")
    whole = o & (o >> 1)
    sure_whole = s & (s >> 1) & whole
    component = i & (i >> 1) & (o | (o >> 1)) & ~whole
    return sure_whole, (whole & ~sure_whole) | component


_DIGIT_TWO = bytes.maketrans(b"01", b"\x00\x02")
_DIGIT_ONE = bytes.maketrans(b"01", b"\x00\x01")
