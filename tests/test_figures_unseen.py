"""Figure shapes first met in the unseen reports (qa5's set in tests/reports/real)."""

from __future__ import annotations

from briefing.figures import find_figures


def texts(text: str) -> list[str]:
    return [figure.text for figure in find_figures(text)]


def test_a_book_title_left_open_at_the_end_of_its_line_hides_its_year() -> None:
    text = "本作品收录于《某某常务委员会公报/2020年/第四号\n2016年8月,印发意见。"
    assert texts(text) == ["2016年8月"]


def test_an_open_book_title_does_not_hide_a_long_line() -> None:
    text = "印发《某某办法,全年受理案件" + "依法办理," * 20 + "办结率达98.5%。"
    assert "98.5%" in texts(text)
