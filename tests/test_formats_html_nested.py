"""A saved page whose paragraphs each sit in a <div> the editor never closed.

Such a page nests the article one level deeper a paragraph (16 MB: ~190,000 levels).
Every <p> start looked 256 levels up for an open <p> (seconds of the reading), and
the article search let the paragraphs vote only for their own parent div, so the
"article" was the last two paragraphs. The article is the whole chain, read in
time linear in the page.
"""

from __future__ import annotations

import time

import pytest

from briefing.formats.html import _TreeBuilder, html_to_text
from tests.format_samples import nested_page
from tests.scaling import MAX_RATIO, measured_ratio

PARAGRAPH = "第{i}段，依法行政工作取得新进展，全年办理案件{i}件。"


@pytest.mark.parametrize("shape", ["div-span", "div-p", "div-text"])
@pytest.mark.parametrize("closed", [False, True])
def test_the_whole_nested_article_is_found(shape: str, closed: bool) -> None:
    lines = html_to_text(nested_page(3000, shape, closed=closed)).text.splitlines()
    assert lines[0] == "标题:某市2023年法治政府建设情况报告"
    assert lines[1:] == [PARAGRAPH.format(i=i) for i in range(3000)]


def test_the_nested_article_is_read_in_linear_time() -> None:
    small, large = nested_page(20_000, "div-p"), nested_page(40_000, "div-p")
    assert measured_ratio(lambda: html_to_text(small), lambda: html_to_text(large)) <= MAX_RATIO


def test_asking_what_is_open_does_not_walk_the_nesting() -> None:
    """The builder knows which tags are open: a <p> start or a stray end tag under
    20,000 unclosed <div>s costs what it costs at the top of the page."""
    tail = "<p>第一段</p></span></font>" * 20_000

    def feed_time(depth: int) -> float:
        best = float("inf")
        for _round in range(3):
            builder = _TreeBuilder()
            builder.feed("<body>" + "<div>" * depth)
            started = time.process_time()
            builder.feed(tail)
            best = min(best, time.process_time() - started)
        return best

    assert feed_time(20_000) <= 3 * feed_time(1) + 0.05
    deep = _TreeBuilder()
    deep.feed("<body>" + "<div>" * 20_000 + "<p>第一段</p></span><p>第二段")
    assert deep.open.get("p") == 1 and deep.open["div"] == 20_000
    deep.feed("</p></div>")
    assert not deep.open.get("p") and deep.open["div"] == 19_999


def test_wrappers_and_lists_beside_an_article_stay_out_of_it() -> None:
    """The chain goes on only through a div that holds paragraphs of its own: a
    wrapper div, or a div beside a list of links, does not swallow its neighbours."""
    page = (
        "<html><body><div class='main'><ul><li><a>相关链接一</a></li><li><a>相关链接二</a></li>"
        "</ul><div class='text'>"
        + "".join(f"<p>第{i}段，依法行政工作取得新进展，全年办理案件{i}件。</p>" for i in range(5))
        + "</div></div></body></html>"
    ).encode()
    text = html_to_text(page).text
    assert "第4段" in text and "相关链接" not in text
