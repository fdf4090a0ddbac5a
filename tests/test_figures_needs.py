"""The scan skips a rule where what it ``needs`` does not come before the next barrier.

That is only safe if (1) no match of any rule holds a barrier character and
(2) every match of a rule holds a match of its ``needs``. (1) is checked on
the grammar itself, (2) on every match in the sample reports, and the scan
with the skips must find what trying every rule everywhere finds.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing import figures
from briefing.figures import BARRIERS, RULES

try:
    from re import _constants as C  # type: ignore[attr-defined]
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # Python < 3.11
    import sre_constants as C  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

ROOT = Path(__file__).resolve().parent.parent


def _class_holds(items: list, char: str) -> bool:
    """Whether a character class (``IN`` items) can match ``char``."""
    code = ord(char)
    negate = False
    held = False
    for op, av in items:
        if op is C.NEGATE:
            negate = True
        elif op is C.LITERAL:
            held = held or av == code
        elif op is C.RANGE:
            held = held or av[0] <= code <= av[1]
        elif op is C.CATEGORY:
            pattern = {C.CATEGORY_DIGIT: r"\d", C.CATEGORY_SPACE: r"\s", C.CATEGORY_WORD: r"\w"}
            held = held or bool(re.fullmatch(pattern.get(av, "."), char))
        else:
            return True  # unknown: assume the worst
    return held != negate


def _consumes(tree, char: str) -> bool:
    """Whether a parsed pattern can consume ``char`` (look-arounds consume nothing)."""
    for op, av in tree:
        if op in (C.ASSERT, C.ASSERT_NOT, C.AT, C.GROUPREF):
            continue  # a back-reference repeats what its group consumed
        if op is C.LITERAL:
            if av == ord(char):
                return True
        elif op in (C.NOT_LITERAL, C.ANY):
            if op is C.ANY or av != ord(char):
                return True
        elif op is C.IN:
            if _class_holds(av, char):
                return True
        elif op is C.BRANCH:
            if any(_consumes(branch, char) for branch in av[1]):
                return True
        elif op is C.SUBPATTERN:
            if _consumes(av[-1], char):
                return True
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", None)):
            if _consumes(av[2], char):
                return True
        elif op is getattr(C, "ATOMIC_GROUP", None):
            if _consumes(av, char):
                return True
        elif op is C.GROUPREF_EXISTS:
            if any(p is not None and _consumes(p, char) for p in av[1:]):
                return True
        else:
            return True  # an operation this check does not know: assume the worst
    return False


@pytest.mark.parametrize("index", range(len(RULES)))
def test_no_rule_matches_a_barrier(index: int) -> None:
    tree = sre_parse.parse(RULES[index].pattern.pattern)
    for char in BARRIERS:
        assert not _consumes(tree, char), (index, char)


def test_the_check_sees_a_barrier() -> None:
    # the checker itself: it must notice a rule that could consume a barrier
    assert _consumes(sre_parse.parse(r"[0-9]+[^a]"), "。")
    assert _consumes(sre_parse.parse(r"(?:x|[，,])"), "，")
    assert not _consumes(sre_parse.parse(r"(?<=。)[0-9]+(?=\n)"), "。")


def _sample_texts() -> list[str]:
    paths = sorted((ROOT / "tests" / "reports").rglob("*.txt"))
    paths.append(ROOT / "data" / "changzhou-2021-fazhi-zhengfu.txt")
    return [path.read_text("utf-8") for path in paths]


def test_every_match_holds_what_its_rule_needs() -> None:
    checked = 0
    for text in _sample_texts():
        prepared = figures._prepare(text)
        for rule in RULES:
            if rule.needs is None:
                continue
            for at in range(len(prepared)):
                if prepared[at] not in rule.first:
                    continue
                match = rule.pattern.match(prepared, at)
                if match is None or match.end() == at:
                    continue
                checked += 1
                assert rule.needs.search(match.group()), (rule.kind, match.group())
    assert checked > 100


NEEDS_ALPHABET = (
    "0123456789.%‰一二三四五六七八九十两百千万亿个项件名人次家年月日分之成半级:/前第全省市国排名"
    "工作小时天周星期秒度多余近约超以上下至—-" + BARRIERS
)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=NEEDS_ALPHABET, max_size=60))
def test_skips_lose_nothing(text: str) -> None:
    prepared = figures._prepare(text)
    fast = figures._scan(text, prepared, "x")
    assert fast == figures._scan(text, prepared, "x", exhaustive=True)
