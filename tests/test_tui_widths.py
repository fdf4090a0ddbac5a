"""Every cut label fits its column as the terminal draws it, at both ambiguous widths.

In a CJK locale (``BRIEFING_AMBIGUOUS_WIDTH=2``) the "…" a cut ends in, the "·"
and "★" of the rows and the quotes “ ” are two cells wide. A cut that reserved
one cell for its "…" (``truncate_cells``, rich's ``Text.truncate``) ran one cell
past its column: contents labels, the status line, search results.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.text import Text

import briefing
import briefing.text as text_module
from briefing.store import Store
from briefing.text import cell_width, truncate_cells
from briefing.tui.app import BriefingApp
from briefing.tui.cells import fit_text
from briefing.tui.places import TITLE_CELLS, place_of
from briefing.tui.widgets.notes_panel import _one_line
from briefing.tui.widgets.quote import Quote
from briefing.tui.widgets.reading_status import ReadingStatus
from briefing.tui.widgets.search_bar import ResultsList
from briefing.tui.widgets.toc import ContentsList
from tests.conftest import reader_ready, search_settled

SAMPLES = [
    "法治政府建设“放管服”改革——98.4%…",
    "“一网通办”·“最多跑一次”★",
    "abc def 法治 ghi",
    "一二三四五六七八九十" * 3,
    "x",
]

REPORT = (
    "某某市2023年法治政府建设“放管服”改革——“一网通办”情况的报告\n"
    "在总结“一网通办”·“最多跑一次”改革经验的基础上，全市法治政府建设取得新进展。\n"
    "一、深入推进“放管服”改革——持续优化法治化营商环境·提升政务服务水平\n"
    "一是深化“一网通办”改革——政务服务事项网上可办率达到98.4%以上。全年办理“一件事”6963项。\n"
    "二是推进“最多跑一次”·“跑零次”改革。企业开办时间压缩至0.61个工作日。\n"
    "二、严格规范公正文明执法——“双随机、一公开”监管全覆盖·执法案卷评查合格率100%\n"
    "一是全面推行行政执法“三项制度”。全年开展“双随机、一公开”抽查1.8万件。\n"
)


@pytest.fixture(params=[1, 2], ids=["ambiguous1", "ambiguous2"])
def ambiguous(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch):
    """The width a terminal gives ambiguous characters, for the whole test."""
    monkeypatch.setenv("BRIEFING_AMBIGUOUS_WIDTH", str(request.param))
    text_module._default_ambiguous.cache_clear()
    yield request.param
    text_module._default_ambiguous.cache_clear()


def test_truncate_cells_fits_at_both_ambiguous_widths() -> None:
    for wide in (1, 2):

        def width(text: str, wide: int = wide) -> int:
            return cell_width(text, wide)

        for sample in SAMPLES:
            for cells in range(1, 45):
                cut = truncate_cells(sample, cells, width=width)
                assert width(cut) <= cells, (sample, cells, wide, cut)
                if cut != sample:
                    padded = truncate_cells(sample, cells, width=width, pad=True)
                    assert width(padded) == cells, (sample, cells, wide, padded)
                    if cells > 2:
                        assert cut.endswith("…"), (sample, cells, cut)
                        # one more character would not have fitted
                        kept = cut.removesuffix("…")
                        grown = sample[: len(kept) + 1] + "…"
                        assert width(grown) > cells, (sample, cells, cut)


def test_fit_text_keeps_styles_and_fits(ambiguous: int) -> None:
    for sample in SAMPLES:
        row = Text("▸ ", end="")
        row.append(sample, "bold")
        for cells in range(1, 45):
            cut = fit_text(row, cells)
            assert cell_width(cut.plain, ambiguous) <= cells, (sample, cells, cut.plain)
            assert cut.plain.removesuffix("…") == row.plain[: len(cut.plain.removesuffix("…"))]
            padded = fit_text(row, cells, pad=True)
            assert cell_width(padded.plain, ambiguous) == cells or cells < 2
            if len(cut.plain) > 3:
                assert cut.spans, "the styles are kept"


def test_short_places_and_one_line_notes_fit(ambiguous: int, tmp_path: Path) -> None:
    path = tmp_path / "r.txt"
    path.write_text(REPORT, encoding="utf-8")
    report = briefing.load_report(path)
    for section in report.sections:
        assert cell_width(place_of(report, section.id), ambiguous) <= max(
            TITLE_CELLS, cell_width(section.number, ambiguous) * 3
        )
    for sample in SAMPLES:
        for limit in (8, 30, 34):
            assert cell_width(_one_line(sample * 3, limit), ambiguous) <= limit


def test_a_quote_cut_to_its_lines_fits_the_width(ambiguous: int) -> None:
    quote = Quote("“一网通办”·" * 40, max_lines=2)
    for width in (10, 17, 30, 41):
        lines = quote.lines(width)
        assert len(lines) == 2 and lines[-1].endswith("…")
        for line in lines:
            assert cell_width(line, ambiguous) <= width, (width, line)


@pytest.mark.parametrize("size", [(60, 20), (80, 24)])
async def test_reader_labels_fit_at_60_and_80_columns(
    ambiguous: int, size: tuple[int, int], tmp_path: Path
) -> None:
    path = tmp_path / "r.txt"
    path.write_text(REPORT, encoding="utf-8")
    app = BriefingApp(briefing.load_report(path), Store.open(tmp_path / "db.json"))
    async with app.run_test(size=size) as pilot:
        await reader_ready(app, pilot)
        screen = app.screen
        bookmarked = {s.id for s in screen.report.sections}
        contents = app.query_one(ContentsList)
        contents.set_markers(bookmarked, {s.id: 12 for s in screen.report.sections})
        width = contents.scrollable_content_region.width - 1
        for section in screen.report.sections:
            label = contents.label_of(section.id, width).plain
            assert cell_width(label, ambiguous) <= width, (label, width)
        status = app.query_one(ReadingStatus)
        drawn = status.render().plain.rstrip()
        assert cell_width(drawn, ambiguous) <= status.content_region.width, drawn
        await pilot.press("slash")
        await pilot.press(*"yiwang")
        await search_settled(app, pilot)
        results = app.query_one(ResultsList)
        shown = results.scrollable_content_region.width
        assert results.row_count if hasattr(results, "row_count") else True
        for index in range(len(screen.search.hits)):
            row = results.render_row(index, shown).plain
            assert cell_width(row, ambiguous) <= shown, (row, shown)


def test_the_padding_of_a_cut_follows_its_ellipsis() -> None:
    """``建设 …`` read as a gap in the text: the "…" stays against the word it cuts,
    the spaces that fill the column come after it."""
    for wide in (1, 2):

        def width(text: str, wide: int = wide) -> int:
            return cell_width(text, wide)

        cut = truncate_cells("法治政府建设示范", 9 + wide, width=width, pad=True)
        assert cut.startswith("法治政府…"), (wide, cut)
        assert width(cut) == 9 + wide and cut.endswith(" "), (wide, cut)
    row = fit_text(Text("法治政府建设示范"), 10, pad=True)
    assert row.plain.rstrip(" ").endswith("府…") and cell_width(row.plain) == 10
