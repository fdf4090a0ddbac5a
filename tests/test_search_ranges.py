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
