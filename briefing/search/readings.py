"""Per-character readings of a text: the context reading and the other common ones.

pypinyin is imported here, lazily, and only when readings must be computed: a
report already seen loads its readings from the cache (``cache.py``) instead.

The context reading comes from pypinyin's phrase data (行政 xing, 银行 hang).
Other readings come from the 《通用规范汉字表》 data set of pypinyin-dict
(kTGHZ2013; 《现代汉语词典》 kXHC1983 for characters it lacks): pypinyin's own
heteronym list carries rare readings (是 ti, 机 wei, 众 yin) and so does
kXHC1983 (市 fu, 广 an), which would only produce noise. Without pypinyin-dict
only the context reading is used.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Any

FORMAT_VERSION = 2  # 2: word boundaries (``breaks``)
NO_READING = -1

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


@dataclass
class Readings:
    """Readings of one text, compact enough to cache as JSON.

    ``table[id]`` is ``(syllable, tone)``; ``context[i]`` the id of character
    ``i``'s context reading (``NO_READING`` for non-hanzi); ``common[ch]`` the ids
    of every common reading of hanzi ``ch``; ``breaks`` the word boundaries
    (``words.word_breaks``; empty: unknown).
    """

    table: list[tuple[str, int]]
    context: list[int]
    common: dict[str, list[int]] = field(default_factory=dict)
    breaks: bytes = b""

    def to_json(self) -> dict[str, Any]:
        import base64

        return {
            "table": [f"{s}{t}" for s, t in self.table],
            "context": self.context,
            "common": self.common,
            "breaks": base64.b64encode(self.breaks).decode("ascii"),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Readings:
        """Rebuild from ``to_json`` output; ``ValueError`` if it does not fit."""
        try:
            table = [(str(s[:-1]), int(s[-1])) for s in data["table"]]
            context = data["context"]
            common = data["common"]
            breaks = _decode_breaks(data.get("breaks", ""))
        except (KeyError, TypeError, ValueError, IndexError) as error:
            raise ValueError(f"bad readings data: {error}") from None
        if not isinstance(context, list) or not isinstance(common, dict):
            raise ValueError("bad readings data")
        for syllable, tone in table:
            if not (syllable.isascii() and syllable.isalpha() and syllable.islower()):
                raise ValueError(f"bad readings data: syllable {syllable!r}")
            if not 0 <= tone <= 5:
                raise ValueError(f"bad readings data: tone {tone}")
        size = len(table)
        for value in context:
            if not isinstance(value, int) or value >= size or value < NO_READING:
                raise ValueError("bad readings data: context id")
        for ids in common.values():
            if not isinstance(ids, list) or any(
                not isinstance(v, int) or not 0 <= v < size for v in ids
            ):
                raise ValueError("bad readings data: common id")
        if breaks and len(breaks) != (len(context) >> 3) + 1:
            raise ValueError("bad readings data: breaks")
        return cls(table, context, common, breaks)


def _decode_breaks(text: object) -> bytes:
    import base64
    import binascii

    if not isinstance(text, str):
        raise ValueError("breaks")
    try:
        return base64.b64decode(text, validate=True)
    except binascii.Error as error:
        raise ValueError(str(error)) from None


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
        _ENGINE_VERSION = "-".join(
            [
                f"f{FORMAT_VERSION}",
                _dist_version("pypinyin", "pypinyin"),
                _dist_version("pypinyin_dict", "pypinyin-dict"),
            ]
        )
    return _ENGINE_VERSION


def _common_tables() -> list[dict[int, str]]:
    try:
        from pypinyin_dict.pinyin_data import ktghz2013, kxhc1983
    except ImportError:  # pragma: no cover - depends on the environment
        return []
    return [ktghz2013.pinyin_dict, kxhc1983.pinyin_dict]


def compute_readings(text: str) -> Readings:
    """Readings for every character of ``text`` (imports pypinyin on first use)."""
    from pypinyin import Style, lazy_pinyin

    ids: dict[tuple[str, int], int] = {}
    table: list[tuple[str, int]] = []
    parsed: dict[str, int] = {}

    def reading_id(marked: str) -> int:
        if marked in parsed:
            return parsed[marked]
        pair = split_tone(marked)
        if pair is None:
            rid = NO_READING
        else:
            rid = ids.get(pair, NO_READING)
            if rid == NO_READING:
                rid = ids[pair] = len(table)
                table.append(pair)
        parsed[marked] = rid
        return rid

    def no_pinyin(chars: str) -> list[str]:
        return [""] * len(chars)

    marked = lazy_pinyin(text, style=Style.TONE, errors=no_pinyin)
    if len(marked) != len(text):  # pragma: no cover - defensive: per-character fallback
        marked = [(lazy_pinyin(ch, style=Style.TONE, errors=no_pinyin) or [""])[0] for ch in text]
    context = [reading_id(m) if m else NO_READING for m in marked]

    common: dict[str, list[int]] = {}
    tables = _common_tables()
    for ch, rid in zip(text, context, strict=True):
        if rid == NO_READING or ch in common:
            continue
        found: list[int] = [rid]
        for data in tables:
            listed = data.get(ord(ch))
            if not listed:
                continue
            for item in listed.split(","):
                other = reading_id(item) if item else NO_READING
                if other != NO_READING and other not in found:
                    found.append(other)
            break  # the first data set that knows the character decides
        common[ch] = found
    from briefing.search.words import word_breaks

    return Readings(table, context, common, word_breaks(text))
