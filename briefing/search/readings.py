"""Per-character readings of a text: the context reading and the other common ones.

pypinyin is imported here, lazily, and only when readings must be computed: a
report already seen loads its readings from the cache (``cache.py``) instead.

The context reading is exactly what ``pypinyin.lazy_pinyin(text, Style.TONE)``
gives (phrase data: 行政 xing, 银行 hang), computed without calling it on the
whole text, which cost 3.8 µs and several Python objects per character:

* every character first gets its single-character reading (pypinyin's
  ``pinyin_dict``, first entry), all at once with ``str.translate``;
* a *heteronym* here is a character that some phrase of pypinyin's phrase data
  reads otherwise than its single-character reading. Only runs of hanzi that
  contain one are segmented, with pypinyin's own segmenter (forward maximum
  matching over the phrase data, exactly as ``lazy_pinyin`` does), and only
  the readings that differ are written; a run seen before is not segmented
  again. ``tests/test_search_readings.py`` checks the result is identical to
  ``lazy_pinyin`` on the bundled report and on a large varied sample.

When pypinyin's internals do not look as expected (another version) the slow
exact path, ``lazy_pinyin`` itself, is used.

Other readings come from the 《通用规范汉字表》 data set of pypinyin-dict
(kTGHZ2013; 《现代汉语词典》 kXHC1983 for characters it lacks): pypinyin's own
heteronym list carries rare readings (是 ti, 机 wei, 众 yin) and so does
kXHC1983 (市 fu, 广 an), which would only produce noise. Without pypinyin-dict
only the context reading is used.

Layout (compact, no Python object per character): a *key* is a pair
(character, context reading); ``Readings.positions`` holds one key id per
character of the text in an ``array``. Key ids are code points (the surrogate
range is skipped), so ``key_text`` can view the positions as a ``str`` that
regular expressions scan in C.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

#: 3: word boundaries in ``breaks``, the override table; 4: Latin words; 5: words in
#: compounds; 6: Latin words with diacritics
FORMAT_VERSION = 6
NO_READING = -1
#: Key id 0: a character without a reading (not hanzi, or hanzi pypinyin cannot read).
NO_KEY = 0
_SURROGATES = (0xD800, 0xE000)

_TONE_MARKS = {
    "ā": ("a", 1), "á": ("a", 2), "ǎ": ("a", 3), "à": ("a", 4),
    "ē": ("e", 1), "é": ("e", 2), "ě": ("e", 3), "è": ("e", 4),
    "ī": ("i", 1), "í": ("i", 2), "ǐ": ("i", 3), "ì": ("i", 4),
    "ō": ("o", 1), "ó": ("o", 2), "ǒ": ("o", 3), "ò": ("o", 4),
    "ū": ("u", 1), "ú": ("u", 2), "ǔ": ("u", 3), "ù": ("u", 4),
    "ǖ": ("v", 1), "ǘ": ("v", 2), "ǚ": ("v", 3), "ǜ": ("v", 4),
    "ü": ("v", 0), "ń": ("n", 2), "ň": ("n", 3), "ǹ": ("n", 4), "ḿ": ("m", 2),
}  # fmt: skip


def split_tone(marked: str) -> tuple[str, int] | None:
    """``'xíng'`` -> ``('xing', 2)``; neutral tone is 5. ``None`` if not pinyin."""
    tone = 5
    letters: list[str] = []
    for ch in unicodedata.normalize("NFC", marked.strip().lower()):
        if "a" <= ch <= "z":
            letters.append(ch)
        elif ch in _TONE_MARKS:
            base, mark = _TONE_MARKS[ch]
            letters.append(base)
            if mark:
                tone = mark
        elif ch == "ê":
            letters.append("e")
        elif unicodedata.combining(ch):
            continue
        else:
            return None
    return ("".join(letters), tone) if letters else None


def typecode_for(key_count: int) -> str:
    """The array type that holds key ids below ``key_count``."""
    return "H" if key_count <= 0x10000 else "I"


def key_text(positions: array) -> str:
    """The key ids as a ``str`` (one character per position), decoded in C."""
    data = positions.tobytes()
    if positions.itemsize == 2:
        return data.decode("utf-16-le") if data else ""
    return data.decode("utf-32-le") if data else ""


@dataclass
class Readings:
    """Readings of one text, in a compact layout (see the module docstring).

    ``table[id]`` is ``(syllable, tone)``; ``keys[k]`` is ``(character, context
    reading id)`` (``keys[0]`` and the unused ids of the surrogate range are
    ``("", NO_READING)``); ``positions[i]`` the key of character ``i``;
    ``common[ch]`` the ids of every common reading of hanzi ``ch`` (its first
    context reading first); ``chars`` every distinct character of the text.
    """

    table: list[tuple[str, int]]
    keys: list[tuple[str, int]]
    positions: array
    common: dict[str, list[int]]
    chars: str
    #: The positions of each key, key by key (``postings_of``): the inverted index,
    #: so that a syllable's positions are a slice, not a scan of the text.
    postings: array
    #: ``ends[k]``: where key ``k``'s postings end (key 0, no reading, has none).
    ends: array
    #: Optional per-position bits stored with the readings (``words.word_breaks``: two
    #: bitmaps of one bit per position ``0..n``, ``(n >> 3) + 1`` bytes each); empty
    #: when not computed.
    breaks: bytes = b""

    def postings_of(self, kid: int) -> array:
        """Sorted positions of key ``kid`` (a copy of one slice, made in C)."""
        if kid <= 0:
            return array("I")
        return self.postings[self.ends[kid - 1] : self.ends[kid]]

    @property
    def context(self) -> list[int]:
        """The context reading id of every character (``NO_READING`` for none); for tests."""
        keys = self.keys
        return [keys[k][1] for k in self.positions]

    def validate(self, length: int) -> None:
        """``ValueError`` unless every part fits together and covers ``length`` characters."""
        if len(self.positions) != length:
            raise ValueError("bad readings data: length")
        if self.positions.typecode != typecode_for(len(self.keys)):
            raise ValueError("bad readings data: key type")
        for syllable, tone in self.table:
            if not (
                isinstance(syllable, str)
                and syllable.isascii()
                and syllable.isalpha()
                and syllable.islower()
            ):
                raise ValueError(f"bad readings data: syllable {syllable!r}")
            if not (isinstance(tone, int) and 0 <= tone <= 5):
                raise ValueError(f"bad readings data: tone {tone!r}")
        size = len(self.table)
        if not self.keys or self.keys[0] != ("", NO_READING):
            raise ValueError("bad readings data: key 0")
        for ch, rid in self.keys[1:]:
            if not (isinstance(ch, str) and isinstance(rid, int)):
                raise ValueError("bad readings data: key")
            if ch == "":
                if rid != NO_READING:
                    raise ValueError("bad readings data: key")
            elif len(ch) != 1 or not 0 <= rid < size:
                raise ValueError("bad readings data: key")
        for ch, ids in self.common.items():
            if not (isinstance(ch, str) and isinstance(ids, list)) or any(
                not isinstance(v, int) or not 0 <= v < size for v in ids
            ):
                raise ValueError("bad readings data: common id")
        if not isinstance(self.chars, str):
            raise ValueError("bad readings data: chars")
        if self.breaks and len(self.breaks) not in ((length >> 3) + 1, 2 * ((length >> 3) + 1)):
            raise ValueError("bad readings data: breaks")
        ends = self.ends
        if (
            self.postings.typecode != "I"
            or ends.typecode != "I"
            or len(ends) != len(self.keys)
            or ends[0] != 0
            or ends[-1] != len(self.postings)
            or any(ends[k] > ends[k + 1] for k in range(len(ends) - 1))
            or len(self.postings) > length
            or not _all_below(self.postings, length)
        ):
            raise ValueError("bad readings data: postings")
        if length and _key_beyond(len(self.keys)).search(key_text(self.positions)):
            raise ValueError("bad readings data: key id")

    def to_header(self) -> dict[str, Any]:
        """Everything but ``positions`` and ``breaks``, as JSON-ready data."""
        return {
            "table": [f"{s}{t}" for s, t in self.table],
            "keys": [[ch, rid] for ch, rid in self.keys],
            "common": self.common,
            "chars": self.chars,
            "typecode": self.positions.typecode,
        }

    @classmethod
    def from_header(
        cls,
        data: dict[str, Any],
        positions: array,
        postings: array,
        ends: array,
        breaks: bytes = b"",
    ) -> Readings:
        """Rebuild from ``to_header`` output; ``ValueError`` if it does not fit."""
        try:
            table = [(str(s[:-1]), int(s[-1])) for s in data["table"]]
            keys = [(ch, rid) for ch, rid in data["keys"]]
            common = data["common"]
            chars = data["chars"]
        except (KeyError, TypeError, ValueError, IndexError) as error:
            raise ValueError(f"bad readings data: {error}") from None
        if not isinstance(common, dict):
            raise ValueError("bad readings data: common")
        return cls(table, keys, positions, common, chars, postings, ends, breaks)


def _all_below(values: array, limit: int) -> bool:
    """Whether every value of an array of 32-bit unsigned integers is below ``limit``.

    ``max`` makes an int of each of the ~2.3 million postings of an 8 MB report
    (60 ms of every repeated search). Here the bytes do it, in C: the top byte
    of every value must be 0 and the next at most that of ``limit - 1``; only
    the values that share it (at most 65,536 in valid data) are compared one by one.
    """
    if not values:
        return True
    top = limit - 1
    if values.typecode != "I" or values.itemsize != 4 or not 0 <= top < 1 << 24:
        return limit > 0 and max(values) < limit
    raw = values.tobytes()
    high, third = (raw[3::4], raw[2::4]) if sys.byteorder == "little" else (raw[0::4], raw[1::4])
    if high.count(0) != len(high):
        return False
    edge = top >> 16
    above = third.translate(None, bytes(range(edge)))  # the third bytes >= edge's
    if above.count(edge) != len(above):
        return False
    at = third.find(edge)
    while at >= 0:
        if values[at] > top:
            return False
        at = third.find(edge, at + 1)
    return True


def _key_beyond(count: int) -> re.Pattern[str]:
    """Matches a key character whose id is ``count`` or more (not a valid key).

    Written as the complement of the valid range: a class up to U+10FFFF takes
    the regular expression compiler tens of milliseconds, on the start-up path.
    """
    if count > 0x10FFFF:
        return re.compile(r"(?!)")
    if count <= 0:
        return re.compile(r"(?s:.)")
    return re.compile(f"[^\\x00-\\U{count - 1:08x}]")


_ENGINE_VERSION: str | None = None


def _dist_version(module: str, dist: str) -> str:
    """A distribution's version from its ``.dist-info`` folder name, without importing it.

    ``importlib.metadata`` costs ~20 ms to import and scan; this is on the start-up
    path of every cached load, so look next to the module first.
    """
    import importlib.util
    import os

    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError):
        spec = None
    if spec is None or not spec.origin:
        return "none"
    site = os.path.dirname(os.path.dirname(spec.origin))
    prefix = dist.replace("-", "_") + "-"
    try:
        for name in os.listdir(site):
            if name.startswith(prefix) and name.endswith(".dist-info"):
                return name[len(prefix) : -len(".dist-info")]
    except OSError:
        pass
    from importlib import metadata

    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "unknown"


def engine_version() -> str:
    """Versions of the reading data, part of the cache key; does not import pypinyin."""
    global _ENGINE_VERSION
    if _ENGINE_VERSION is None:
        from briefing.search.overrides import overrides_digest

        _ENGINE_VERSION = "-".join(
            [
                f"f{FORMAT_VERSION}",
                _dist_version("pypinyin", "pypinyin"),
                _dist_version("pypinyin_dict", "pypinyin-dict"),
                f"o{overrides_digest()}",
            ]
        )
    return _ENGINE_VERSION


_COMMON_TABLES: tuple[dict[int, str], ...] | None = None


def _common_tables() -> tuple[dict[int, str], ...]:
    """pypinyin-dict's two data sets, kept on disk once read (``prepared.py``):
    importing them imports pypinyin (~0.5 s)."""
    global _COMMON_TABLES
    if _COMMON_TABLES is None:
        from briefing.search.prepared import load_or_build

        _COMMON_TABLES = load_or_build(
            "common",
            f"{engine_version()}-c1",
            _import_common_tables,
            lambda value: type(value) is tuple and all(type(data) is dict for data in value),
        )
    return _COMMON_TABLES


def _import_common_tables() -> tuple[dict[int, str], ...]:
    try:
        from pypinyin_dict.pinyin_data import ktghz2013, kxhc1983
    except ImportError:  # pragma: no cover - depends on the environment
        return ()
    return (ktghz2013.pinyin_dict, kxhc1983.pinyin_dict)


class _Builder:
    """Reading and key ids, allocated as readings are met."""

    def __init__(self) -> None:
        self.table: list[tuple[str, int]] = []
        self.keys: list[tuple[str, int]] = [("", NO_READING)]
        self._reading_ids: dict[tuple[str, int], int] = {}
        self._parsed: dict[str, int] = {}
        self._key_ids: dict[tuple[str, int], int] = {}

    def reading_id(self, marked: str) -> int:
        rid = self._parsed.get(marked)
        if rid is None:
            pair = split_tone(marked) if marked else None
            if pair is None:
                rid = NO_READING
            else:
                rid = self._reading_ids.get(pair)
                if rid is None:
                    rid = self._reading_ids[pair] = len(self.table)
                    self.table.append(pair)
            self._parsed[marked] = rid
        return rid

    def pair_id(self, pair: tuple[str, int]) -> int:
        """The id of reading ``(syllable, tone)``, allocated if new."""
        rid = self._reading_ids.get(pair)
        if rid is None:
            rid = self._reading_ids[pair] = len(self.table)
            self.table.append(pair)
        return rid

    def key_id(self, ch: str, rid: int) -> int:
        if rid == NO_READING:
            return NO_KEY
        key = (ch, rid)
        kid = self._key_ids.get(key)
        if kid is None:
            if len(self.keys) == _SURROGATES[0]:  # key ids are code points: skip surrogates
                self.keys.extend([("", NO_READING)] * (_SURROGATES[1] - _SURROGATES[0]))
            kid = self._key_ids[key] = len(self.keys)
            self.keys.append(key)
        return kid

    def positions(self, key_chars: str) -> array:
        """``key_chars`` (one key id per character, as code points) as an array."""
        code = typecode_for(len(self.keys))
        encoding = "utf-16-le" if code == "H" else "utf-32-le"
        return array(code, key_chars.encode(encoding))


#: What ``_Engine`` is made from: the hanzi class of pypinyin's ``RE_HANS``, each
#: character's first single reading, the phrases, every beginning of a phrase, and
#: per phrase the (offset, reading) where it differs from single readings.
EngineTables = tuple[
    str, dict[int, str], frozenset[str], frozenset[str], dict[str, tuple[tuple[int, str], ...]]
]
#: Part of the key of the tables kept on disk (``prepared.py``): bump it when
#: ``prepare_engine_tables`` changes what it makes.
ENGINE_TABLES_VERSION = 1


def prepare_engine_tables() -> EngineTables:
    """pypinyin's data as ``_Engine`` looks it up (imports pypinyin: ~0.5 s)."""
    from pypinyin.constants import PHRASES_DICT, PINYIN_DICT, RE_HANS
    from pypinyin.seg import mmseg

    pattern = RE_HANS.pattern
    if not (pattern.startswith("^(?:[") and pattern.endswith("])+$")):
        raise LookupError("unexpected pypinyin RE_HANS")
    if type(mmseg.seg) is not mmseg.Seg or not getattr(mmseg.seg, "_no_non_phrases", False):
        raise LookupError("unexpected pypinyin segmenter")
    first = {code: listed.split(",")[0] for code, listed in PINYIN_DICT.items() if listed}
    prefixes: set[str] = set()
    differs: dict[str, tuple[tuple[int, str], ...]] = {}
    for word, items in PHRASES_DICT.items():
        if len(word) != len(items):
            raise LookupError("unexpected pypinyin phrase data")
        for k in range(1, len(word) + 1):
            prefixes.add(word[:k])
        found = tuple(
            (k, item[0]) for k, item in enumerate(items) if item[0] != first.get(ord(word[k]), "")
        )
        if found:
            differs[word] = found
    return pattern[4:-3], first, frozenset(PHRASES_DICT), frozenset(prefixes), differs


def _engine_tables_valid(value: object) -> bool:
    from briefing.search.prepared import is_tuple_of

    return is_tuple_of(value, str, dict, frozenset, frozenset, dict)


class _Engine:
    """pypinyin's data, prepared once per process for ``_fast_key_chars``."""

    def __init__(self, tables: EngineTables) -> None:
        self.hans_class, self.single, self.phrases, self.prefixes, self.differs = tables
        self.is_hans = re.compile(self.hans_class).fullmatch
        heteronyms = {word[k] for word, found in self.differs.items() for k, _ in found}
        if not all(map(self.is_hans, heteronyms)):  # a run is hanzi only, as in pypinyin
            raise LookupError("unexpected pypinyin phrase data")
        self.heteronyms = frozenset(heteronyms)
        if heteronyms:
            # A whole run of hanzi that holds a heteronym. Anchored at the run's start,
            # so a run without one is scanned once, not from every character.
            cls = self.hans_class
            het = "[" + "".join(sorted(heteronyms)) + "]"
            self.runs_with_heteronym = re.compile(f"(?<!{cls}){cls}*?{het}{cls}*")
        else:  # pragma: no cover - pypinyin without phrase data
            self.runs_with_heteronym = re.compile("(?!)")

    def first(self, ch: str) -> str:
        """The single-character reading of ``ch`` (``""`` if pypinyin has none)."""
        return self.single.get(ord(ch), "")

    def words(self, run: str) -> Iterator[tuple[int, int]]:
        """``pypinyin.seg.mmseg.seg.cut(run)`` as (start, end) spans, without copying.

        Forward maximum matching over the phrase data, with the segmenter's own
        rule for a tail that is a prefix of some phrase but holds none: every
        character on its own (``no_non_phrases``). pypinyin's version slices off
        the rest of the run after each word, quadratic on a long run.
        """
        prefixes, phrases = self.prefixes, self.phrases
        n = len(run)
        start = 0
        while start < n:
            valid = 0
            end = start
            while end < n:
                word = run[start : end + 1]
                if word not in prefixes:
                    break
                if word in phrases:
                    valid = end + 1
                end += 1
            if valid:
                yield start, valid
                start = valid
            elif end < n:
                yield start, start + 1
                start += 1
            else:
                for at in range(start, n):
                    yield at, at + 1
                return

    def exceptions(self, run: str) -> list[tuple[int, str]]:
        """(offset, reading) where the phrase data reads a character of ``run`` otherwise."""
        out: list[tuple[int, str]] = []
        differs = self.differs
        for start, end in self.words(run):
            found = differs.get(run[start:end])
            if found is not None:
                out.extend((start + k, marked) for k, marked in found)
        return out


_ENGINE: _Engine | None = None
_ENGINE_FAILED = False


def _engine() -> _Engine | None:
    global _ENGINE, _ENGINE_FAILED
    if _ENGINE is None and not _ENGINE_FAILED:
        from briefing.search.prepared import load_or_build

        try:
            tables = load_or_build(
                "pinyin",
                f"{engine_version()}-t{ENGINE_TABLES_VERSION}",
                prepare_engine_tables,
                _engine_tables_valid,
            )
            _ENGINE = _Engine(tables)
        except (LookupError, ImportError, AttributeError, ValueError):  # pragma: no cover
            _ENGINE_FAILED = True
    return _ENGINE


#: Distinct runs remembered while computing (reports repeat their phrases a lot).
_RUN_MEMO_SIZE = 200_000


def compute_readings(
    text: str, *, corrected: bool = True, progress: Callable[[float], None] | None = None
) -> Readings:
    """Readings for every character of ``text`` (imports pypinyin on first use), and
    its word boundaries (``words.word_breaks``).

    ``corrected=False`` leaves out the override table (``overrides.py``): exactly
    what pypinyin says, for tests that compare with it. ``progress`` is told the
    fraction done (0 to 1, now and then): the stages weighted by their measured
    share of the time on a 5 MB report, the two long ones step by step.
    """

    def stage(low: float, high: float) -> Callable[[float], None] | None:
        if progress is None:
            return None
        return lambda done: progress(low + (high - low) * done)

    if progress is not None:
        progress(0.0)
    engine = _engine()
    if progress is not None:
        progress(0.25)
    builder = _Builder()
    chars = set(text)
    if engine is None:  # pragma: no cover - another pypinyin
        context_of = _slow_context(text, builder)
        key_chars = "".join(
            chr(builder.key_id(ch, rid)) for ch, rid in zip(text, context_of, strict=True)
        )
    else:
        key_chars = _fast_key_chars(text, chars, engine, builder, stage(0.25, 0.45))
    if corrected:
        key_chars = _corrected(text, key_chars, builder)
    if progress is not None:
        progress(0.6)
    positions = builder.positions(key_chars)
    del key_chars
    common = _common_readings(text, positions, builder)
    postings, ends = _invert(positions, len(builder.keys))
    from briefing.search.words import word_breaks

    breaks = word_breaks(text, stage(0.7, 0.97))
    if progress is not None:
        progress(0.97)
    return Readings(
        builder.table,
        builder.keys,
        positions,
        common,
        "".join(sorted(chars)),
        postings,
        ends,
        breaks,
    )


def _corrected(text: str, key_chars: str, builder: _Builder) -> str:
    """The readings of ``overrides.py``'s table replace pypinyin's where its words occur."""
    from briefing.search.overrides import apply_overrides

    touched: set[str] = set()

    def key_for(ch: str, pair: tuple[str, int]) -> int:
        rid = builder.pair_id(pair)
        kid = builder.key_id(ch, rid)
        builder.keys[kid] = (ch, rid)  # a key dropped as unused is used again
        touched.add(ch)
        return kid

    fixed = apply_overrides(text, key_chars, key_for)
    if fixed is not key_chars:
        # A key the corrections replaced everywhere is dropped (see _fast_key_chars).
        used = set(fixed)
        for kid, (ch, _) in enumerate(builder.keys):
            if ch in touched and chr(kid) not in used:
                builder.keys[kid] = ("", NO_READING)
    return fixed


def _invert(positions: array, key_count: int) -> tuple[array, array]:
    """Every position, grouped by key, each group sorted: one pass, no int kept."""
    buckets = [array("I") for _ in range(key_count)]
    appends = [bucket.append for bucket in buckets]
    for at, kid in enumerate(positions):
        if kid:
            appends[kid](at)
    postings = array("I")
    ends = array("I", [0]) * key_count
    for kid, bucket in enumerate(buckets):
        postings.extend(bucket)
        ends[kid] = len(postings)
    return postings, ends


def _fast_key_chars(
    text: str,
    chars: set[str],
    engine: _Engine,
    builder: _Builder,
    progress: Callable[[float], None] | None = None,
) -> str:
    """One key character per character of ``text``: single readings, then phrase exceptions."""
    from briefing.search.words import PROGRESS_EVERY

    size = len(text) or 1
    mapping: dict[int, str] = {}
    for ch in sorted(chars):
        rid = builder.reading_id(engine.first(ch)) if engine.is_hans(ch) else NO_READING
        mapping[ord(ch)] = chr(builder.key_id(ch, rid))
    key_chars = text.translate(mapping)
    memo: dict[str, list[tuple[int, str]]] = {}
    changes: list[tuple[int, str]] = []
    for number, match in enumerate(engine.runs_with_heteronym.finditer(text)):
        if progress is not None and not number & PROGRESS_EVERY:
            progress(match.start() / size)
        run = match.group()
        found = memo.get(run)
        if found is None:
            if len(memo) >= _RUN_MEMO_SIZE:
                memo.clear()
            found = memo[run] = engine.exceptions(run)
        if found:
            base = match.start()
            for offset, marked in found:
                at = base + offset
                changes.append((at, chr(builder.key_id(text[at], builder.reading_id(marked)))))
    if not changes:
        return key_chars
    # Splice the exceptions in, in order, in one pass.
    parts: list[str] = []
    last = 0
    for at, key in changes:
        parts.append(key_chars[last:at])
        parts.append(key)
        last = at + 1
    parts.append(key_chars[last:])
    key_chars = "".join(parts)
    # A character read otherwise wherever it occurs leaves its single reading unused:
    # drop that key, so no syllable is indexed that the text never has.
    for ch in {text[at] for at, _ in changes}:
        single = mapping[ord(ch)]
        if single != "\x00" and single not in key_chars:
            builder.keys[ord(single)] = ("", NO_READING)
    return key_chars


def _slow_context(text: str, builder: _Builder) -> list[int]:  # pragma: no cover
    """``lazy_pinyin`` on the whole text: exact with any pypinyin, slow and memory hungry."""
    from pypinyin import Style, lazy_pinyin

    def no_pinyin(chars: str) -> list[str]:
        return [""] * len(chars)

    marked = lazy_pinyin(text, style=Style.TONE, errors=no_pinyin)
    if len(marked) != len(text):
        marked = [(lazy_pinyin(ch, style=Style.TONE, errors=no_pinyin) or [""])[0] for ch in text]
    return [builder.reading_id(m) if m else NO_READING for m in marked]


def _common_readings(text: str, positions: array, builder: _Builder) -> dict[str, list[int]]:
    """Every common reading of each hanzi, its first context reading first."""
    first_key: dict[str, int] = {}
    keys = builder.keys
    # A character's first context reading is the key at its first occurrence that
    # has one (a key may be unused: every occurrence read otherwise in phrases).
    by_char: dict[str, list[int]] = {}
    for kid, (ch, _) in enumerate(keys):
        if ch:
            by_char.setdefault(ch, []).append(kid)
    for ch, kids in by_char.items():
        if len(kids) == 1:
            first_key[ch] = kids[0]
            continue
        at = text.find(ch)
        while positions[at] == NO_KEY:  # a hanzi read only inside some phrases
            at = text.find(ch, at + 1)
        first_key[ch] = positions[at]
    tables = _common_tables()
    common: dict[str, list[int]] = {}
    for ch in sorted(first_key):
        found = [keys[first_key[ch]][1]]
        for data in tables:
            listed = data.get(ord(ch))
            if not listed:
                continue
            for item in listed.split(","):
                other = builder.reading_id(item) if item else NO_READING
                if other != NO_READING and other not in found:
                    found.append(other)
            break  # the first data set that knows the character decides
        common[ch] = found
    return common
