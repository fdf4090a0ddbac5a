"""``count`` and ``search_range``: hits in document order without building them all."""

from __future__ import annotations

from dataclasses import replace

import pytest

import briefing
from briefing.model import Section
from briefing.search import PinyinIndex, sort_document_order
from briefing.search import index as index_module


@pytest.fixture(scope="module")
def report():
    return briefing.load_report()


@pytest.fixture(scope="module")
def index(report):
    return PinyinIndex.build(report)


QUERIES = ["z", "f", "fzzf", "fazhi", "法治", "xingzheng", "2021", "lvshi", "fa3", "zzz", ""]


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("fuzzy", [False, True])
def test_count_and_range_agree_with_search(index, report, query, fuzzy):
    every = index.search(query, fuzzy=fuzzy, fields=False)  # ranges cover sections only
    assert index.count(query, fuzzy=fuzzy) == len(every)
    in_order = sort_document_order(every, report)
    assert index.search_range(query, fuzzy=fuzzy) == in_order
    assert index.search_range(query, 0, len(report.sections), fuzzy=fuzzy) == in_order


@pytest.mark.parametrize("query", ["z", "fzzf", "法治"])
def test_ranges_split_the_report(index, report, query):
    in_order = sort_document_order(index.search(query, fields=False), report)
    order = {s.id: k for k, s in enumerate(report.sections)}
    pieces = []
    for k in range(len(report.sections)):
        part = index.search_range(query, k, k + 1)
        assert all(order[m.section] == k for m in part)
        assert index.count(query, start=k, stop=k + 1) == len(part)
        before = index.count(query, stop=k)
        assert before == sum(1 for m in in_order if order[m.section] < k)
        pieces.extend(part)
    assert pieces == in_order


def test_slice_rules(index, report):
    n = len(report.sections)
    assert index.count("z", start=3, stop=3) == 0
    assert index.count("z", start=5, stop=2) == 0
    assert index.count("z", start=-2) == index.count("z", start=n - 2)
    assert index.count("z", start=0, stop=n + 50) == index.count("z")
    assert index.search_range("z", n, n + 3) == []


def test_only_the_hits_asked_for_are_built(report, monkeypatch):
    big = replace(
        report,
        sections=tuple(
            Section(f"{k}.{s.id}", s.level, s.number, s.title, None, s.text)
            for k in range(20)
            for s in report.sections
        ),
        sha256="ranges",
    )
    index = PinyinIndex.build(big)
    built = 0
    real = index_module._new_match

    def counting(*args):
        nonlocal built
        built += 1
        return real(*args)

    monkeypatch.setattr(index_module, "_new_match", counting)
    total = index.count("z")
    assert total > 10_000
    assert built == 0
    part = index.search_range("z", 3, 4)
    assert built == len(part) == index.count("z", start=3, stop=4) < total / 20


# ---------------------------------------------------------------- what the reader asks


@pytest.mark.parametrize("query", ["z", "fzzf", "法治", "zzz"])
def test_hits_within_a_window_are_the_overlapping_hits(index, report, query):
    every = sort_document_order(index.search(query), report)
    for section in report.sections[:8]:
        size = len(section.text)
        for start, end in [(0, size), (0, 10), (5, 17), (size - 3, size + 40), (7, 7)]:
            want = [m for m in every if m.section == section.id and m.start < end and m.end > start]
            want = [m for m in want if start < end]
            assert index.hits_within(query, section.id, start, end) == want
    assert index.hits_within(query, report.sections[0].id) == [
        m for m in every if m.section == report.sections[0].id
    ]


def test_hits_within_reach_hits_that_begin_before_the_window():
    index = PinyinIndex.build(briefing_report("推进法治政府建设，法治政府。"))
    # the window starts inside the first 法治政府: it is still on screen
    assert [(m.start, m.text) for m in index.hits_within("fzzf", "0", 3, 5)] == [(2, "法治政府")]
    assert index.hits_within("fzzf", "0", 6, 9) == []
    with pytest.raises(KeyError):
        index.hits_within("fzzf", "no-such-section")


@pytest.mark.parametrize("query", ["z", "fzzf", "法治"])
def test_next_hit_walks_the_hits_in_document_order(index, report, query):
    in_order = index.search_range(query)
    total = index.count(query)
    assert total == len(in_order)
    first = report.sections[0].id
    walked = []
    step = index.next_hit(query, first, 0)
    while step is not None:
        number, match = step
        assert number == len(walked)
        walked.append(match)
        step = index.next_hit(query, match.section, match.start + 1)
    assert walked == in_order
    # backwards from the end of the last section
    last = report.sections[-1]
    back = []
    step = index.next_hit(query, last.id, len(last.text) + 1, backward=True)
    while step is not None:
        number, match = step
        assert number == total - 1 - len(back)
        back.append(match)
        step = index.next_hit(query, match.section, match.start, backward=True)
    assert back[::-1] == in_order


def test_next_hit_skips_title_hits_and_says_none_at_the_end():
    from briefing.model import Metadata, Report

    report = Report(
        Metadata(title="法治政府建设报告"),
        (Section("1", 1, "", "s", None, "推进法治政府建设。"),),
        sha256="next-hit",
    )
    index = PinyinIndex.build(report)
    assert [m.section for m in index.search("fzzf")] == ["title", "1"]
    number, match = index.next_hit("fzzf", "title", 0)
    assert (number, match.section, match.start) == (0, "1", 2)
    assert index.next_hit("fzzf", "1", 3) is None
    assert index.next_hit("fzzf", "1", 2, backward=True) is None
    assert index.next_hit("fzzf", "1", 3, backward=True)[1].start == 2


def briefing_report(*texts: str):
    from briefing.model import Metadata, Report

    sections = tuple(Section(str(k), 1, "", f"s{k}", None, t) for k, t in enumerate(texts))
    return Report(Metadata(title="t"), sections, sha256="ranges-" + "|".join(texts))
