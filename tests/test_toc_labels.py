"""Contents labels at narrow widths: cut by cells, as many hanzi as fit, "…" last.

At 60 columns the contents list is ~17 cells wide, so most labels are cut; a
label must never lose a character that fits, never spill past the row, and end
in one "…" when cut (the tour at 60x20 and 80x24).
"""

from __future__ import annotations

from pathlib import Path

import briefing
from briefing.store import Store
from briefing.text import cell_width
from briefing.tui.app import BriefingApp
from briefing.tui.widgets.toc import ContentsList, number_gap

TEXT = (
    "某某市行政规范性文件管理办法\n第一章 总则\n"
    "第一条 立法目的和依据。为了规范行政规范性文件管理，制定本办法。\n"
    "第二条 适用范围。本办法适用于本市各级行政机关。\n"
    "（一）执行本级人民代表大会的决议。\n（二）编制和执行国民经济计划。\n"
    "第二章 制定程序\n第三条 2024年起草单位应当开展调查研究。\n"
)


def check_rows(contents: ContentsList) -> int:
    """Check every row's label against the room it has; the number of cut labels."""
    width = contents.scrollable_content_region.width
    cut = 0
    for row, section in enumerate(contents.report.sections):
        drawn = "".join(
            segment.text for segment in contents.render_line(row - contents.scroll_offset.y)
        )
        assert cell_width(drawn, 1) == width, (drawn, width)
        label = contents.label_of(section.id, width - 1).plain
        number = section.number + number_gap(section.number)
        full = " " * 2 * (section.level - 1) + number + section.title
        assert drawn.rstrip().endswith(label.strip()[-3:]), (drawn, label)
        if label.endswith("…"):
            cut += 1
            kept = label.removesuffix("…")
            assert full.startswith(kept), (kept, full)
            next_char = full[len(kept)]
            # one more character and the "…" would not fit in the row
            assert cell_width(kept + next_char + "…", 1) > width - 1, (label, width)
        else:
            assert label == full, (label, full)
    return cut


async def test_labels_keep_every_character_that_fits_at_60_and_80(tmp_path: Path) -> None:
    path = tmp_path / "rules.txt"
    path.write_text(TEXT, encoding="utf-8")
    app = BriefingApp(briefing.load_report(path), Store.open(tmp_path / "db.json"))
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        contents = app.query_one(ContentsList)
        assert check_rows(contents) >= 3  # most labels are cut at 60 columns
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        check_rows(contents)


async def test_rows_of_a_report_not_from_the_cache_read_the_levels_once(
    tmp_path: Path, monkeypatch
) -> None:
    """A report parsed now has no level column: each row drawn read all the
    sections' levels again (~3 ms a row at 5 MB, 13 ms of a search key)."""
    from briefing.parse import parse_report
    from briefing.tui.widgets import toc

    report = parse_report(TEXT * 20)
    assert not hasattr(report.sections, "levels")  # the case: no table, no column
    read: list[str] = []
    real = toc.section_column

    def counted(sections, name):
        read.append(name)
        return real(sections, name)

    monkeypatch.setattr(toc, "section_column", counted)
    app = BriefingApp(report, Store.open(tmp_path / "db.json"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        contents = app.query_one(ContentsList)
        for section in report.sections:
            contents.label_of(section.id, 30)
        await pilot.press("end")
        await pilot.pause()
    assert read.count("level") <= 2, read
