"""briefing.text compiles its costly patterns only when they are needed.

Each class of a pattern holding a character past U+00FF costs ``re`` a 64K
table: compiled on import, the number grammar and the control-character
pattern cost every start ~4 ms. The reader's first paint needs neither, so
they are compiled on first use; these tests pin that the shortcuts that stand
in for them (a Latin-1 form of the number grammar, ``str.isprintable``) give
exactly what the patterns give.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from hypothesis import example, given, settings
from hypothesis import strategies as st

from briefing import text as T

REPO = Path(__file__).resolve().parents[1]

# Every character class the number grammar tells apart, and look-alikes it must not take.
NUMBER_ALPHABET = (
    "0123456789０１２３４５６７８９AZazＡＺａｚ"  # digits, ASCII and full-width letters
    "-‐‑‒–—―~～.．/／:：·・－"  # every joiner
    "%％‰℃°"  # every percent-like unit
    "年万件法㐀䶵豈﫿一鿿"  # hanzi units, the ends of each range
    "〇二²٣۴…，。 \t\n@_Ａ"  # digits and signs that are not in the grammar
)
CONTROL_ALPHABET = (
    "ab法 ，\t\n\u00a0\u3000\u2003\u202f"  # text and the spaces kept
    "\x00\x07\x1b\x7f\x85\x9b\u00ad\u061c\u180e\u200b\u200f\u2028\u202e\u2060\u2066"
    "\ufeff\ufffb\U000e0001\U000e007f[]0;mP\\^_]"  # escapes, controls, format chars
    "\ue000\U0010fffd\u0378"  # private use and unassigned: not printable, yet kept
)


def _number_pattern() -> re.Pattern[str]:
    return re.compile(T._NUMBER_RUN_PATTERN)


@settings(max_examples=1500)
@given(st.text(alphabet=st.sampled_from(NUMBER_ALPHABET), max_size=30))
@example("2015-2020年，0519-85681234或98.4%与１２年")
@example("A0与30AM和２０２１—２０２５年")
def test_the_latin1_number_grammar_finds_what_number_run_finds(text: str) -> None:
    assert T._number_spans(text) == [m.span() for m in _number_pattern().finditer(text)]


@settings(max_examples=1500)
@given(st.text(alphabet=st.sampled_from(CONTROL_ALPHABET), max_size=30))
@example("a\x1b[31mred\x1b[0m\x07b\x1b]0;title\x07c\x9b2Jd")
def test_strip_control_without_the_pattern_is_strip_control_with_it(text: str) -> None:
    pattern = re.compile(f"{T._ESCAPE}|{T._CONTROL}")
    assert T.strip_control(text) == pattern.sub("", text)
    clean, origin = T._strip_mapped(text)
    assert clean == pattern.sub("", text)
    assert (origin is None) == (pattern.search(text) is None)


@settings(max_examples=300)
@given(
    st.text(alphabet=st.sampled_from(NUMBER_ALPHABET + CONTROL_ALPHABET), max_size=40),
    st.integers(min_value=0, max_value=8),
)
def test_long_texts_take_the_compiled_patterns_and_find_the_same(text: str, cut: int) -> None:
    """Past ``LONG_TEXT`` both checks use the compiled patterns: a per-character
    ``str.translate`` of an 8 MB report cost its parse 0.3 s."""
    short = (T.strip_control(text), T._number_spans(text))
    real = T.LONG_TEXT
    try:
        T.LONG_TEXT = cut
        assert (T.strip_control(text), T._number_spans(text)) == short
    finally:
        T.LONG_TEXT = real


def test_no_character_the_pattern_removes_passes_for_printable() -> None:
    pattern = re.compile(T._CONTROL)
    kept = [
        hex(code)
        for code in range(sys.maxunicode + 1)
        if pattern.fullmatch(chr(code)) and T._nothing_unsafe(chr(code))
    ]
    assert kept == []
    assert not T._nothing_unsafe("\x1b") and not T._nothing_unsafe("\x9b")


def test_importing_and_wrapping_compiles_neither_pattern() -> None:
    probe = (
        "import briefing.text as t\n"
        "t.wrap_paragraphs('按照《纲要(2015-2020年)》，电话0519-85681234。\\n全年98.4%。', 12)\n"
        "t.line_text('全市　可办率 98.4%', 0, 11)\n"
        "print('NUMBER_RUN' in vars(t), t._unsafe.cache_info().currsize)\n"
        "print(t.NUMBER_RUN.pattern == t._NUMBER_RUN_PATTERN, 'NUMBER_RUN' in vars(t))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPO, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "0", "True", "True"]


GRAPHEME_ALPHABET = "法治A1 ，\u3000\u0301\u0300e\u00e9\u200d\ufe0f\u2764😀\U0001f3fb\x00\x1b\u200b"


@settings(max_examples=1500)
@given(st.text(alphabet=st.sampled_from(GRAPHEME_ALPHABET), max_size=20))
@example("法治\u200d政府")
@example("\u0301法")
def test_graphemes_are_those_rich_splits(text: str) -> None:
    """The wrapper's shortcut for text of one grapheme a character gives what
    ``rich.cells.split_graphemes`` gives, whatever the text."""
    from rich.cells import split_graphemes

    assert T._graphemes(text) == split_graphemes(text)[0]
