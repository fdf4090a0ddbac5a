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
