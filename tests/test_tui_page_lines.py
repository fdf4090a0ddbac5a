"""LineHeights: where each paragraph starts as heights change one at a time."""

from __future__ import annotations

import random
from bisect import bisect_right
from itertools import accumulate

from briefing.tui.page import LineHeights


def test_line_heights_match_running_sums() -> None:
    rng = random.Random(7)
    for size in (0, 1, 2, 3, 7, 127, 128, 129, 300):
        heights = [rng.randint(1, 5) for _ in range(size)]
        lines = LineHeights(heights)
        for _step in range(8):
            if size:
                index = rng.randrange(size)
                heights[index] = rng.randint(1, 9)
                lines.set(index, heights[index])
            starts = list(accumulate(heights, initial=0))
            assert lines.total == starts[-1]
            assert [lines.start(i) for i in range(size + 1)] == starts
            assert [lines[i] for i in range(size)] == heights
            for line in range(-1, starts[-1] + 2, 1 if size < 100 else 7):
                expected = max(0, min(size - 1, bisect_right(starts, line) - 1))
                assert lines.index_at(line) == (expected if size else 0)


def test_a_change_costs_no_pass_over_the_report() -> None:
    """Heights become exact one paragraph at a time: each change is O(log n)."""
    lines = LineHeights([1] * 200_000)
    ops = 0
    for index in range(0, 200_000, 997):
        lines.set(index, 3)
        ops += 1
    assert lines.total == 200_000 + 2 * ops
    assert lines.start(200_000) == lines.total
    assert lines.index_at(lines.start(150_000)) == 150_000


def test_a_line_s_segments_are_what_rich_makes_of_its_styled_text() -> None:
    """``_text_segments`` draws a line without a ``rich.text.Text`` (a third of the cost
    of a line): same runs, same styles (later spans over earlier), same offsets."""
    from rich.console import Console
    from rich.style import Style

    from briefing.text import line_text
    from briefing.tui.widgets.reader_view import _text_segments

    rng = random.Random(11)
    styles = [Style(bold=True), Style(color="red"), Style(bgcolor="blue"), Style(underline=True)]
    base = Style(color="white", bgcolor="black")
    console = Console()
    text = "法治政府建设\t98.4%的案件在24小时内办结，abc [bold] 一是加强。" * 3
    for _case in range(300):
        start = rng.randrange(0, len(text))
        end = rng.randrange(start, min(len(text), start + 40) + 1)
        spans = [(start, end, base)]
        for _span in range(rng.randrange(0, 5)):
            low = rng.randrange(0, len(text))
            spans.append((low, low + rng.randrange(0, 12), rng.choice(styles)))
        line_y = rng.randrange(1000)
        made: list = []
        cells = _text_segments(text, start, end, spans, line_y, made)
        rendered = line_text(text, start, end, spans, strip_trailing=False)
        expected, x = [], 0
        for piece, style, _control in rendered.render(console):
            offset = Style.from_meta({"offset": (x, line_y)})
            expected.append((piece, (style + offset) if style else offset))
            x += len(piece)
        assert cells == rendered.cell_len
        assert [(s.text, s.style) for s in made] == expected, (start, end, spans)
    assert _text_segments("a\x1b[31mb", 0, 8, [(0, 8, base)], 0, []) is None  # escapes: rich path
