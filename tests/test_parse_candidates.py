"""The run-together splitter looks only at numbers ``_INLINE_CANDIDATE`` finds in C.

It must find every number that ``split_run_together`` could cut before: each
``_INLINE_NUMBER`` match after white space, a sentence's end or a colon, and
every bracketed one, at the same place and with the same text.
"""

from __future__ import annotations

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
    candidates = {(m.start(), m.group()) for m in parse._INLINE_CANDIDATE.finditer(line)}
    for place in _could_cut(line):
        assert place in candidates


def test_a_flattened_line_is_still_cut() -> None:
    line = "总体情况良好。二、深化改革。（一）加强领导。三是落实。 三、强化保障"
    pieces = parse.split_run_together("一、" + line)
    assert "".join(pieces) == "一、" + line
    assert pieces[1].startswith("二、") and pieces[-1].startswith("三、")
