"""The page model (``briefing.tui.page``): lazy columns give what one pass per
section gives, on every real report and on shapes that stress the columns."""

from __future__ import annotations

import pytest

import briefing
from briefing.model import Metadata, Report, Section
from briefing.tui.page import Page, section_paragraphs
from tests.real_reports import iter_real_reports
from tests.scaling import MAX_RATIO, measured_ratio


def _eager(report: Report) -> tuple[list, list[int], list[int]]:
    """Paragraphs, cell estimates and spacers as the definition says, section by section."""
    paragraphs = [p for s in report.sections for p in section_paragraphs(s)]
    cells = [
        (len(report.section(p.section).text[p.start : p.end].encode("utf-8", "surrogatepass"))
         + p.end - p.start) // 2
        for p in paragraphs
    ]  # fmt: skip
    spacers = [
        int(p.is_heading or (k + 1 < len(paragraphs) and paragraphs[k + 1].section != p.section))
        for k, p in enumerate(paragraphs)
    ]
    return paragraphs, cells, spacers


def _report(*sections: Section) -> Report:
    return Report(Metadata(title="t"), tuple(sections), "0" * 64)


def _reports() -> list[Report]:
    real = [briefing.load_report(path) for _slug, path, _marks in iter_real_reports()]
    odd = _report(
        Section("0", 0, "", "", None, "前言\n\n空行之后"),
        Section("1", 1, "一、", "总体", None, "一、总体\nabc 😀\ud800x"),
        Section("1.1", 2, "一是", "单行", "1", "一是单行。"),
        Section("2", 1, "二、", "标题不同", None, "别的第一行\n第二行"),
        Section("3", 1, "", "", None, ""),
    )
    return [briefing.load_report(), *real, odd]


@pytest.mark.parametrize("report", _reports(), ids=lambda r: r.title[:12] or "odd")
def test_page_columns_match_the_definition(report: Report) -> None:
    page = Page(report)
    paragraphs, cells, spacers = _eager(report)
    assert len(page) == len(paragraphs)
    assert list(page.paragraphs) == paragraphs
    assert page.paragraphs[-1] == paragraphs[-1]
    assert list(page.cells) == cells
    assert page.paragraphs.spacers() == spacers
    for k, p in enumerate(paragraphs):
        assert page.index_at(p.section, p.start) == k
        assert page.index_at(p.section, p.end) == k  # the newline belongs to its line
    for section in report.sections:
        first = page.first_of(section.id)
        assert paragraphs[first].section == section.id and paragraphs[first].index_in_section == 0
        assert page.index_at(section.id, -5) == first
        assert paragraphs[page.index_at(section.id, 10**9)].section == section.id
    assert page.index_at("no such section", 3) == 0


def test_page_of_a_big_report_makes_no_paragraph_objects_up_front() -> None:
    """Opening a 19 MB report built ~40,000 paragraphs before the first paint."""
    text = "\n".join(f"第{k}行，共{k * 7}项工作。" * 3 for k in range(40))
    sections = tuple(Section(str(k), 1, "", f"s{k}", None, text) for k in range(2000))
    report = _report(*sections)
    page = Page(report)
    assert len(page) == 80_000 and not page.paragraphs._made
    assert page.paragraphs[79_999].index_in_section == 39

    halves = {n: _report(*sections[:n]) for n in (1000, 2000)}
    ratio = measured_ratio(lambda: Page(halves[1000]), lambda: Page(halves[2000]))
    assert ratio <= MAX_RATIO  # linear in the report


def test_the_page_finds_a_paragraphs_section_by_bisection() -> None:
    """Before the first paint of a 19 MB report the page made a column of one entry
    per paragraph (~6 ms): a paragraph's section is now found by bisection."""
    from briefing.section_table import ParagraphLayout

    briefing.load_report()
    report = briefing.load_report()  # from the cache: the layout is stored with it
    paragraphs = Page(report).paragraphs
    layout = ParagraphLayout.of(report.sections)
    assert list(layout.cells) == list(paragraphs.cells)
    expected = [k for k, count in enumerate(layout.counts) for _ in range(count)]
    assert [paragraphs.section_of(i) for i in range(len(paragraphs))] == expected
    for index in (-1, len(paragraphs)):
        with pytest.raises(IndexError):
            paragraphs.section_of(index)


def test_estimated_heights_are_the_wrapped_line_counts_plus_spacers() -> None:
    from briefing.tui.page import estimated_heights

    cells = [0, 1, 39, 40, 41, 80, 81, 1000]
    spacers = [1, 0, 0, 1, 0, 0, 1, 0]
    expected = [max(1, -(-c // 40)) + s for c, s in zip(cells, spacers, strict=True)]
    assert estimated_heights(cells, spacers, 40) == expected == [2, 1, 1, 2, 2, 2, 4, 25]
    assert estimated_heights([], [], 10) == []
    with pytest.raises(ValueError):
        estimated_heights([1], [], 10)


def test_a_word_numbered_heading_keeps_its_space_and_is_styled_as_a_heading() -> None:
    """Regulations and plans number by words (第一章　总则, 第三条 …): the label ran
    them together (第一章总则) and, the space being in the text, the heading line
    was not recognised as the heading (drawn as body text)."""
    from briefing.parse import parse_report
    from briefing.tui.page import section_paragraphs

    report = parse_report(
        "某市行政执法监督办法\n第一章　总则\n第一条　为了加强行政执法监督，制定本办法。\n"
        "第二章  监 督 内 容\n第二条 本办法适用于本市。\n一、其他事项\n（一）附则。\n"
    )
    labels = {s.number: s.label for s in report.sections}
    assert labels["第一章"] == "第一章 总则"
    assert labels["第一条"].startswith("第一条 为了加强行政执法监督")
    assert labels["第二章"] == "第二章 监督内容"
    assert labels.get("一、", "一、其他事项") == "一、其他事项"
    for number in ("第一章", "第二章"):
        section = next(s for s in report.sections if s.number == number)
        assert section_paragraphs(section)[0].is_heading, number


def test_the_page_lays_out_only_the_sections_it_is_asked_about() -> None:
    """Where each paragraph starts in its section is made per section when first asked
    for, and the top-level parts are listed once each: before the first paint of a
    5 MB report the page made both as columns of one entry per paragraph/section."""
    sections = [Section("0", 0, "", "", None, "前言")]
    for k in range(1, 301):
        sections.append(
            Section(str(k), 1, f"{k}.", f"部分{k}", None, f"{k}.部分{k}\n第一段\n第二段")
        )
        sections.append(Section(f"{k}.1", 2, "一是", "细", str(k), "一是细。\n又一段"))
    report = _report(*sections)
    page = Page(report)
    assert not page.paragraphs._starts and page.top_count == 301
    assert page.index_at("150.1", 5) == page.first_of("150.1") + 1  # past "一是细。\n"
    assert page.paragraphs[page.first_of("7") + 2].start == len("7.部分7\n第一段\n")
    assert set(page.paragraphs._starts) == {report.index_of("150.1"), report.index_of("7")}
    assert [page.top_number(s.id) for s in sections[:5]] == [1, 2, 2, 3, 3]


def test_an_id_column_answers_as_the_list_of_ids() -> None:
    """``IdColumn`` (the report cache's ids, never split before the first paint) reads,
    finds and iterates as the list it stands for: ``Report.position`` scans ranges of it."""
    from itertools import accumulate

    from briefing.section_table import IdColumn

    ids = ["0", "1", "1.1", "1.1.1", "11", "2", "2.1", "10", "1.11"]
    parts = [i.encode() for i in ids]
    column = IdColumn(b"\n".join(parts), [end - 1 for end in accumulate(len(p) + 1 for p in parts)])
    assert len(column) == len(ids) and list(column) == ids and column == ids
    assert [column[k] for k in range(-len(ids), len(ids))] == ids + ids
    assert column[2:5] == ids[2:5]
    for value in [*ids, "1.", ".1", "", "3", "1\n1.1", "\ud800", 1]:
        for start, stop in [(0, None), (0, 3), (2, 6), (4, 100), (5, 2), (-3, None), (0, 0)]:
            try:
                expected: int | None = ids.index(value, start, len(ids) if stop is None else stop)
            except (ValueError, TypeError):
                expected = None
            try:
                got: int | None = column.index(value, start, stop)
            except ValueError:
                got = None
            assert got == expected, (value, start, stop)
        assert (value in column) == (value in ids)
    with pytest.raises(IndexError):
        column[len(ids)]
    empty = IdColumn(b"", [])
    assert len(empty) == 0 and list(empty) == [] and "0" not in empty


def test_the_page_and_the_view_compile_no_methods_on_import() -> None:
    """``@dataclass`` and ``NamedTuple`` compile methods from source at import (~2 M
    instructions a class before every first paint): the page's ``Paragraph`` and the
    view's ``_Line`` and ``_Pass`` write theirs out, and behave as before."""
    import subprocess
    import sys

    script = (
        "import collections, dataclasses\n"
        "made = []\n"
        "process = dataclasses._process_class\n"
        "def watched(cls, *args, **kwargs):\n"
        "    made.append(cls.__module__)\n"
        "    return process(cls, *args, **kwargs)\n"
        "dataclasses._process_class = watched\n"
        "tuple_class = collections.namedtuple\n"
        "def watched_tuple(*args, module=None, **kwargs):\n"
        "    made.append(module or sys._getframe(1).f_globals.get('__name__'))\n"
        "    return tuple_class(*args, module=module, **kwargs)\n"
        "import sys\n"
        "collections.namedtuple = watched_tuple\n"
        "import briefing.tui.widgets.reader_view\n"
        "mine = ('briefing.tui.page', 'briefing.tui.widgets.reader_view')\n"
        "print(sorted(set(m for m in made if m in mine)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]", result.stdout

    from briefing.tui.page import Paragraph
    from briefing.tui.widgets.reader_view import _Line

    one = Paragraph("1", 0, 5, 0, False)
    assert one == Paragraph("1", 0, 5, 0, False) and one != Paragraph("1", 0, 5, 0, True)
    assert repr(one) == (
        "Paragraph(section='1', start=0, end=5, index_in_section=0, is_heading=False)"
    )
    with pytest.raises(TypeError):
        hash(one)
    line = _Line(3, 4, 9, first=True)
    assert (line.paragraph, line.start, line.end, line.first, line.spacer) == (3, 4, 9, True, False)
    assert line == _Line(3, 4, 9, True) and hash(line) == hash(_Line(3, 4, 9, True, False))


def test_the_kept_heights_are_for_the_view_s_default_measure() -> None:
    """The report cache keeps the heights at ``DEFAULT_WIDTH``: the width the view
    lays the page out at on any terminal wide enough for its default measure."""
    from briefing.section_table import DEFAULT_WIDTH
    from briefing.tui.widgets.reader_view import DEFAULT_MEASURE

    assert DEFAULT_WIDTH == 2 * DEFAULT_MEASURE
