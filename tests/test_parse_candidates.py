"""The run-together splitter looks only at numbers ``_INLINE_CANDIDATE`` finds in C.

It must find every number that ``split_run_together`` could cut before: each
``_INLINE_NUMBER`` match after white space, a sentence's end or a colon, and
every bracketed one, at the same place and with the same text.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from briefing import parse

ALPHABET = "一二三四五六七八九十是、，。！？!?:：（）() \t\u3000第章12.．3工作加强"


def _could_cut(line: str) -> list[tuple[int, str]]:
    """The numbers the splitter would not skip at once (its own first tests)."""
    found = []
    for match in parse._INLINE_NUMBER.finditer(line):
        boundary = parse._boundary(line, match.start())
        if boundary not in ("start", "none") or match.group()[0] in "（(":
            found.append((match.start(), match.group()))
    return found


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=60))
def test_candidates_hold_every_number_that_could_start_a_heading(line: str) -> None:
    candidates = set(parse.inline_candidates(line))
    for place in _could_cut(line):
        assert place in candidates


# What ``_INLINE_CANDIDATE`` looked for before it began with a class of first
# characters: ``inline_candidates`` must find exactly its matches.
_PLAIN = re.compile(
    rf"(?<=[\s{parse._STOP_BEFORE_HEADING}:：])(?:{parse._INLINE_NUMBER.pattern})"
    rf"|[（(][{parse._CN}]{{1,3}}[）)]"
)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=ALPHABET + "\n百〇零٣", max_size=60))
def test_candidates_are_the_plain_patterns_matches(line: str) -> None:
    assert list(parse.inline_candidates(line)) == [
        (m.start(), m.group()) for m in _PLAIN.finditer(line)
    ]


def test_the_candidate_pattern_begins_with_a_class() -> None:
    """So the engine skips in C to each place a number can begin."""
    assert parse._INLINE_CANDIDATE.pattern.startswith("[\\s")
    assert list(parse.inline_candidates("工作。二、深化（一）加强 3.落实")) == [
        (3, "二、"),
        (7, "（一）"),
        (13, "3."),
    ]


def test_a_flattened_line_is_still_cut() -> None:
    line = "总体情况良好。二、深化改革。（一）加强领导。三是落实。 三、强化保障"
    pieces = parse.split_run_together("一、" + line)
    assert "".join(pieces) == "一、" + line
    assert pieces[1].startswith("二、") and pieces[-1].startswith("三、")


def _scheme_of_one_by_one(line: str):
    """``scheme_of`` as the schemes read it, one pattern after another."""
    for scheme in parse.SCHEMES:
        match = scheme.pattern.match(line)
        if match and len(line) > match.end():
            return scheme, match.group(0)
    return None


SCHEME_ALPHABET = "一二三四五六七八九十百〇是第章节部分篇条、，,．.（）()①⑳12 \u3000工作"


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=SCHEME_ALPHABET, max_size=12))
def test_one_pattern_finds_the_scheme_the_schemes_find(line: str) -> None:
    assert parse.scheme_of(line) == _scheme_of_one_by_one(line)


def test_a_number_alone_falls_through_to_a_later_scheme() -> None:
    # "一、" alone is no heading; every listed shape still is
    assert parse.scheme_of("一、") is None
    shapes = [("第一章 总则", "chapter"), ("（二）加强", "paren_cn"), ("三是落实", "item")]
    for line, name in shapes:
        found = parse.scheme_of(line)
        assert found is not None and found[0].name == name
