"""``search`` ranks on packed integer keys and builds each ``Match`` when it is read
(``briefing.search.ranked``): the same hits, in the same order, as ranking
every hit as a ``(-score, start, end)`` tuple, which is the oracle here."""

from __future__ import annotations

from bisect import bisect_right

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import briefing
from briefing.model import Match
from briefing.search import FIELD_IDS, PinyinIndex
from briefing.search import ranked as ranked_module
from briefing.search.query import kind_of, normalize_query, query_forms, score_of

REPORT = briefing.load_report()
INDEX = PinyinIndex.build(REPORT)
HANZI = sorted({ch for s in REPORT.sections for ch in s.text if "\u4e00" <= ch <= "\u9fff"})[:60]

PROPERTY = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(autouse=True)
def _cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path / "cache"))


def oracle(index: PinyinIndex, query: str, fuzzy: bool = False) -> list[Match]:
    """Every hit, ranked the plain way: a tuple per hit, sorted; a Match per hit."""
    found: dict[tuple[int, int], int] = {}
    with index._lock:
        index._collect(normalize_query(query), fuzzy, None, found)
    ranked = sorted((-score_of(f, e - s), s, e, f) for (s, e), f in found.items())
    out = []
    for neg, start, end, flags in ranked:
        k = bisect_right(index._starts, start) - 1
        base = index._starts[k]
        section = index._ids[k]
        text = index._body[start:end]
        out.append(Match(section, start - base, end - base, text, kind_of(flags), -neg))
    return out


queries = st.one_of(
    st.text(alphabet="zhcsfjxyigaoneu", min_size=1, max_size=6),
    st.text(alphabet=st.sampled_from(HANZI), min_size=1, max_size=3),
    st.tuples(
        st.text(alphabet=st.sampled_from(HANZI), min_size=1, max_size=2),
        st.text(alphabet="zhisf", min_size=1, max_size=3),
    ).map("".join),
    st.sampled_from(["z", "zh", "s", "法治", "fzzf", "2021", "98.4", "app", "fa3"]),
)


@PROPERTY
@given(query=queries, fuzzy=st.booleans(), limit=st.integers(1, 40))
def test_ranked_hits_are_the_full_ranking(query, fuzzy, limit):
    if len(query_forms(query)) != 1:  # tone marks that split several ways merge forms
        return
    want = oracle(INDEX, query, fuzzy)
    got = INDEX.search(query, fuzzy=fuzzy)
    assert len(got) == len(want)
    assert list(got) == want
    assert got == want and want == got
    assert INDEX.search(query, fuzzy=fuzzy, limit=limit) == want[:limit]
    body = [m for m in want if m.section not in FIELD_IDS]
    assert INDEX.search(query, fuzzy=fuzzy, fields=False) == body
    assert INDEX.search(query, fuzzy=fuzzy, fields=False, limit=limit) == body[:limit]


def test_a_search_builds_only_the_matches_read(monkeypatch):
    built: list[int] = []
    real = ranked_module.RankedHits._build

    def counting(self, keys):
        built.append(len(keys))
        return real(self, keys)

    monkeypatch.setattr(ranked_module.RankedHits, "_build", counting)
    hits = INDEX.search("z")
    assert len(hits) > 300 and bool(hits)
    assert sum(built) == 0
    first, last = hits[0], hits[-1]
    assert sum(built) == 2
    assert first.score >= last.score
    for n, _ in enumerate(hits):
        if n == 2:
            break
    assert sum(built) <= 2 + 64  # iteration builds a chunk at a time


def test_ranked_hits_behave_as_a_read_only_list():
    hits = INDEX.search("fazhi")
    every = list(hits)
    assert len(every) > 3
    assert hits[1:3] == every[1:3] and isinstance(hits[1:3], list)
    assert hits[-1] == every[-1]
    assert hits + every[:1] == [*every, every[0]] and every[:1] + hits == [every[0], *every]
    assert hits != every[:-1]
    assert list(reversed(hits)) == every[::-1]
    assert every[2] in hits and hits.index(every[2]) == 2
    with pytest.raises(IndexError):
        hits[len(every)]
    assert INDEX.search("fzzf", limit=0) == [] and not INDEX.search("", limit=3)
    assert repr(INDEX.search("qqqqqq")) == "RankedHits([])"
