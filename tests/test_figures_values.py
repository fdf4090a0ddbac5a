"""A figure's value is worked out without Decimal where that is exact: the very
same float as the Decimal arithmetic it replaces, for every numeral."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from briefing import figures
from briefing.figures import _MULTIPLIERS, _NOT_A_NUMBER, _POWERS, _as_float, _number, _scaled


def _reference(numeral: str, mult: str | None) -> object:
    """What ``_quantity`` computed before: Decimal, then one float."""
    value = _number(numeral)
    if value is None:
        return _NOT_A_NUMBER
    if mult:
        value *= _MULTIPLIERS[mult]
    return _as_float(value)


def _check(numeral: str, mult: str | None) -> None:
    got = _scaled(numeral, _POWERS[mult] if mult else 0)
    want = _reference(numeral, mult)
    assert got is want if want is _NOT_A_NUMBER or want is None else got == want, numeral
    if isinstance(want, float):
        assert type(got) is float and got.hex() == want.hex()


MULTS = st.sampled_from([None, *_MULTIPLIERS])
ARABIC = st.builds(
    lambda whole, fraction: whole + (f".{fraction}" if fraction else ""),
    st.from_regex(r"[0-9]{1,30}", fullmatch=True),
    st.one_of(st.just(""), st.from_regex(r"[0-9]{1,25}", fullmatch=True)),
)
GROUPED = st.from_regex(r"[1-9][0-9]{0,2}(,[0-9]{3}){1,6}(\.[0-9]{1,9})?", fullmatch=True)
CHINESE = st.text(alphabet="〇零一二三四五六七八九十两百千万亿", min_size=1, max_size=12)


@given(st.one_of(ARABIC, GROUPED, CHINESE), MULTS)
def test_the_value_is_the_float_decimal_gave(numeral: str, mult: str | None) -> None:
    _check(numeral, mult)


@pytest.mark.parametrize(
    "numeral",
    [
        "0.07",
        "1.8",
        "386.4",
        "0.1",
        "0.3",
        "2.675",
        "1,234.5",
        "9007199254740993",
        "90071992547409931",
        "12345678901234567890",
        "123456789012345678901",
        "0.000000000001",
        "99999999999999999999",
        "1.00000000000000000001",
        "007",
        "2999.9999999999999999",
        "一",
        "十九",
        "两万三千",
        "一百零五",
        "九千九百九十九万亿",
        "二〇二一",
        "一一",
    ],
)
@pytest.mark.parametrize("mult", [None, "万", "亿", "万亿", "千", "百"])
def test_edge_numerals(numeral: str, mult: str | None) -> None:
    _check(numeral, mult)


def test_values_of_figures_in_text() -> None:
    found = figures.find_figures("增加0.07万件，1.8万件，386.4亿元，近9万件，2.7万余次，两万三千人")
    assert [f.value for f in found] == [700.0, 18000.0, 38640000000.0, 90000.0, 27000.0, 23000.0]
    assert Decimal("0.07") * 10000 == 700
