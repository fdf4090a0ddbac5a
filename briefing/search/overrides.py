"""Readings pypinyin gets wrong in government reports, corrected from a small table.

pypinyin's phrase data segments text by forward maximum matching, so 签署长三角
is read 署长 (zhang3) and 协调 diao2; a few common report words are simply
missing (长效, 应诉, 接种). ``data/reading-overrides.toml`` lists words with their
readings (tone digits); wherever a listed word occurs, its characters take those
readings, whatever pypinyin said. Longer words win over shorter ones that start
at the same place. Applied in ``readings.compute_readings``, on every path that
computes readings, so the cache always holds corrected readings (the table's
digest is part of the reading-data version).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from briefing.resources import data_dir
from briefing.search.digest import sha256_hex

OVERRIDES_FILE = "reading-overrides.toml"
_SYLLABLE = r"^([a-z]+)([1-5])$"
_LOADED: dict[str, tuple[tuple[str, int], ...]] | None = None


def overrides_digest() -> str:
    """A short digest of the table's bytes: part of the cache key, so an edited table
    recomputes readings. Cheap (no TOML parsing): it is on every cached load."""
    try:
        raw = (data_dir() / OVERRIDES_FILE).read_bytes()
    except OSError:  # pragma: no cover
        raw = b""
    return sha256_hex(raw)[:8]


def parse_overrides(raw: str) -> dict[str, tuple[tuple[str, int], ...]]:
    """``{word: ((syllable, tone), ...)}`` from the TOML text; ``ValueError`` if malformed."""
    import tomllib  # only when readings are computed: its import compiles regexes

    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as error:
        raise ValueError(f"reading overrides: {error}") from None
    words = data.get("words", {})
    if not isinstance(words, dict):
        raise ValueError("reading overrides: [words] must be a table")
    out: dict[str, tuple[tuple[str, int], ...]] = {}
    for word, pinyin in words.items():
        if not isinstance(pinyin, str):
            raise ValueError(f"reading overrides: {word}: pinyin must be a string")
        parts = pinyin.split()
        found = [re.match(_SYLLABLE, p) for p in parts]
        if len(parts) != len(word) or not all(found):
            raise ValueError(f"reading overrides: {word} = {pinyin!r}: one syllable+tone per hanzi")
        out[word] = tuple((m.group(1), int(m.group(2))) for m in found if m)
    return out


def load_overrides() -> dict[str, tuple[tuple[str, int], ...]]:
    """The bundled table, read once."""
    global _LOADED
    if _LOADED is None:
        try:
            raw = (data_dir() / OVERRIDES_FILE).read_text(encoding="utf-8")
        except OSError:  # pragma: no cover - a broken install: pypinyin's readings stand
            raw = ""
        _LOADED = parse_overrides(raw)
    return _LOADED


def override_spans(
    text: str, table: dict[str, tuple[tuple[str, int], ...]]
) -> list[tuple[int, tuple[tuple[str, int], ...]]]:
    """(start, readings) of every listed word in ``text``, leftmost-longest, in order."""
    if not table:
        return []
    from briefing.search.script import to_simplified

    # Matched in Simplified form (a one-for-one fold): 適應 is corrected like 适应.
    words = {to_simplified(w): r for w, r in table.items()}
    pattern = re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))
    return [(m.start(), words[m.group()]) for m in pattern.finditer(to_simplified(text))]


def apply_overrides(
    text: str, key_chars: str, key_for: Callable[[str, tuple[str, int]], int]
) -> str:
    """``key_chars`` (one key id per character of ``text``, as code points) with the
    keys of every listed word's characters replaced; ``key_for(ch, (syllable, tone))``
    gives a key id."""
    spans = override_spans(text, load_overrides())
    if not spans:
        return key_chars
    parts: list[str] = []
    last = 0
    for start, readings in spans:
        parts.append(key_chars[last:start])
        for k, pair in enumerate(readings):
            parts.append(chr(key_for(text[start + k], pair)))
        last = start + len(readings)
    parts.append(key_chars[last:])
    return "".join(parts)
