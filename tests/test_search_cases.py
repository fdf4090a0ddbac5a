"""Issue 11 as a table: a query, the texts of a small report, the first hits expected.

One row per promise of §1–§3 (words before fragments, readings, query forms),
so that a reader's complaint maps to one line here. ``first`` lists the
``(section, text)`` of the leading hits in rank order; ``None`` as a section
means any section. ``absent`` lists hit texts that must not be found at all.
"""

from __future__ import annotations

import pytest

from briefing.model import Metadata, Report, Section
from briefing.search import PinyinIndex, source_text


@pytest.fixture(autouse=True)
def _cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path / "cache"))


def make_report(*texts: str, title: str = "test") -> Report:
    sections = tuple(Section(str(k), 1, "", f"s{k}", None, text) for k, text in enumerate(texts))
    return Report(Metadata(title=title), sections, sha256="cases-" + title + "|".join(texts))


Case = tuple[str, str, tuple[str, ...], list[tuple[str | None, str]], tuple[str, ...]]

CASES: list[Case] = [
    # §1 words before fragments: a hit that is a word (or a run of words) first
    ("sf: word before fragment", "sf", ("城市法治。", "推进司法改革。"),
     [("1", "司法"), ("0", "市法")], ()),
    ("fz: 法治 inside 依法治市 last", "fz", ("全面依法治市。", "建设法治政府。"),
     [("1", "法治"), ("0", "法治")], ()),
    ("zf: 政府 before 展法", "zf", ("发展法治。", "建设政府。"),
     [("1", "政府"), ("0", "展法")], ()),
    ("zf: word inside a compound after the word, before a fragment", "zf",
     ("发展法治。", "市政府召开。", "建设政府。"),
     [("2", "政府"), ("1", "政府"), ("0", "展法")], ()),
    ("a character inside a compound stays a fragment", "shi", ("市政府召开。", "市、县政府。"),
     [("1", "市"), ("0", "市")], ()),
    ("run of words counts as words", "fzzfjs", ("推进法治政府建设。",),
     [("0", "法治政府建设")], ()),
    # a span that begins inside a run of single characters (找/准: a word the list
    # lacks) is less sure than one that begins at a word
    ("span from a word boundary before one from inside a run", "市加强",
     ("我市加强管理。", "全市。市加强管理。"), [("1", "市加强"), ("0", "市加强")], ()),
    ("the same in pinyin", "shijiaqiang",
     ("我市加强管理。", "全市。市加强管理。"), [("1", "市加强"), ("0", "市加强")], ()),
    ("one-character word before one inside a word", "sh", ("城市建设。这事好。",),
     [("0", "事")], ()),
    ("one-character hanzi query: word first", "是", ("但是不行。", "这事是好事。"),
     [("1", "是"), ("0", "是")], ()),
    ("Latin inside a longer Latin word last", "app", ("下载apps。", "政务APP上线。"),
     [("1", "APP"), ("0", "app")], ()),
    ("Latin inside a word with diacritics last", "sh", ("落實(shí)。", "sh"),
     [("1", "sh")], ()),
    # §2 readings: the right reading is the context one (overrides), sandhi and light tone
    ("长效 read chang", "cx", ("建立长效机制。",), [("0", "长效")], ()),
    ("协调 read tiao", "xietiao", ("加强协调配合。",), [("0", "协调")], ()),
    ("sandhi: dictionary tone of 一", "jinyi1bu4", ("进一步加强。",), [("0", "进一步")], ()),
    ("light tone typed", "zhishi5", ("学习法律知识。",), [("0", "知识")], ()),
    ("light tone typed as 0", "zhi1shi0", ("学习法律知识。",), [("0", "知识")], ()),
    ("light tone in the override table, full tone typed", "zhi1shi2", ("学习法律知识。",),
     [("0", "知识")], ()),
    ("light tone stored, dictionary tone typed", "wo3men2", ("我们要学习。",), [("0", "我们")], ()),
    # §3 query forms
    ("one syllable with a tone reaches another reading", "fa1", ("发放补贴。",), [("0", "发")], ()),
    ("tone marks", "fǎzhì", ("推进法治。",), [("0", "法治")], ()),
    ("tone marks, several splits", "píngān", ("平安建设，品感。",), [("0", "平安")], ("品感",)),
    ("space over a line break ranks last", "fz zf", ("法治\n政府，法治政府建设。",),
     [("0", "法治政府"), ("0", "法治\n政府")], ()),
    ("letter-spaced text by initials", "zfgz", ("政 府 工 作 报 告",), [("0", "政 府 工 作")], ()),
    ("letter-spaced text by hanzi", "政府工作", ("政 府 工 作 报 告",), [("0", "政 府 工 作")], ()),
    ("letter-spaced label by full pinyin", "suoyinhao", ("索 引 号:001",), [("0", "索 引 号")], ()),
    ("Traditional text, Simplified query", "建设", ("推進法治政府建設。",), [("0", "建設")], ()),
    ("Simplified text, Traditional query", "建設", ("推进法治政府建设。",), [("0", "建设")], ()),
    ("Traditional text, pinyin query", "jianshe", ("推進法治政府建設。",), [("0", "建設")], ()),
]  # fmt: skip


@pytest.mark.parametrize(
    ("query", "texts", "first", "absent"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_case(query, texts, first, absent):
    report = make_report(*texts)
    index = PinyinIndex.build(report)
    hits = index.search(query)
    for m in hits:
        assert m.text == source_text(report, m.section)[m.start : m.end]
    got = [(m.section, m.text) for m in hits[: len(first)]]
    want = [(got[k][0] if sid is None else sid, text) for k, (sid, text) in enumerate(first)]
    assert got == want, [(m.section, m.text, m.kind, m.score) for m in hits]
    if len(first) > 1:  # a real ranking, not a tie broken by position
        assert hits[0].score > hits[len(first) - 1].score
    assert not {m.text for m in hits} & set(absent)
    assert hits[0].kind not in ("heteronym", "fuzzy")  # every row expects an exact reading
    # a limited search gives the same first hits
    assert [(m.section, m.text) for m in index.search(query, limit=len(first))] == got


def test_title_is_searched():
    report = make_report("推进法治政府建设。", title="静海区法治政府建设报告")
    index = PinyinIndex.build(report)
    hits = index.search("jinghai")
    assert [(m.section, m.text) for m in hits] == [("title", "静海")]
