"""The line breaker as it was before its greedy fill looked back from the last fit
(``briefing.text.wrap_cells`` must give exactly what this gives): a Python step per
character per rule. Kept for ``tests/test_text_wrap_same.py`` only."""

from __future__ import annotations

from collections.abc import Sequence

from briefing.text import (
    _ALNUM,
    _CLOSE,
    _DECIMAL_POINTS,
    _OPEN,
    _OTHER,
    _PAIR_OK,
    _SPACE,
    _class_of,
    _classify_ascii_quotes,
    _default_ambiguous,
    _graphemes,
    _number_spans,
    cell_width,
)


def reference_wrap_cells(
    text: str,
    width: int,
    *,
    keep_together: Sequence[tuple[int, int]] = (),
    ambiguous: int | None = None,
) -> list[tuple[int, int]]:
    """Break one paragraph into lines of at most ``width`` cells.

    Returns ``(start, end)`` offsets covering ``text`` in order.  Spaces at a
    break stay at the end of the line they follow and are not counted, so
    ``cell_width(text[start:end].rstrip(" \\t")) <= width``, unless a line
    is a single character wider than ``width``.

    Rules, dropped one by one only when a line cannot be filled otherwise:
    a run of Latin letters/digits (``98.4``, ``APP``), a number with its
    joiners and unit (``NUMBER_RUN``: ``2015-2020年``, ``0519-85681234``)
    and each ``keep_together`` span stay whole when they fit in ``width``; no line
    starts with closing punctuation or ends with opening punctuation; Latin
    text breaks at spaces.  CJK may break between any two characters.  The
    last legal break that fits is taken (greedy), so a character before a
    closing mark moves to the next line with it.  Breaks never fall inside a
    grapheme (a base character and its combining marks).  Overlapping
    ``keep_together`` spans whose union does not fit may be split.
    Widths count ambiguous characters as ``ambiguous`` cells (see ``cell_width``).
    """
    n = len(text)
    if n == 0:
        return []
    width = max(1, width)
    measured = text.replace("\t", " ")  # a tab is one cell here, as in line_text
    graphemes = _graphemes(measured)
    count = len(graphemes)
    starts = [start for start, _end, _cells in graphemes]
    starts.append(n)
    wide_ambiguous = (ambiguous or _default_ambiguous()) == 2 and not measured.isascii()
    if wide_ambiguous:
        cells = [cell_width(measured[start:end], 2) for start, end, _cells in graphemes]
    else:  # the grapheme's own width (what cell_len gives its text)
        cells = [grapheme_cells for _start, _end, grapheme_cells in graphemes]
    if count == n:  # one character a grapheme (the usual case): no lookups by offset
        classes = list(map(_class_of, measured))
    else:
        classes = [_class_of(measured[start]) for start in starts[:-1]]
    if count < n:  # some grapheme holds several characters (rare: no cost otherwise)
        for k, (start, end, _cells) in enumerate(graphemes):
            if end - start > 1 and classes[k] == _SPACE:
                classes[k] = _OTHER  # a space carrying a combining mark is seen: not hanging
    if '"' in measured:
        _classify_ascii_quotes(measured, starts, classes)

    # prefix[k]: cells before grapheme k; visible[k]: the same without the
    # spaces that end the text before grapheme k.
    prefix = [0] * (count + 1)
    visible = [0] * (count + 1)
    for k in range(count):
        prefix[k + 1] = prefix[k] + cells[k]
        visible[k + 1] = visible[k] if classes[k] == _SPACE else prefix[k + 1]

    # Protections, per character position p (a break before text[p]).
    fit_guard = [0] * (n + 1)  # inside a run or span that fits: keep whole
    open_run = [False] * (n + 1)  # inside a run too wide: break anywhere

    def guard(start: int, end: int) -> None:
        if end - start < 2:
            return
        if cell_width(measured[start:end].rstrip(" \t"), ambiguous) <= width:
            fit_guard[start + 1] += 1
            fit_guard[end] -= 1

    # Latin runs: letters/digits joined by single decimal points.
    k = 0
    while k < count:
        if classes[k] != _ALNUM:
            k += 1
            continue
        run_end = k + 1
        while run_end < count:
            if classes[run_end] == _ALNUM:
                run_end += 1
            elif (
                measured[starts[run_end]] in _DECIMAL_POINTS
                and run_end + 1 < count
                and classes[run_end + 1] == _ALNUM
            ):
                run_end += 2
            else:
                break
        start, end = starts[k], starts[run_end]
        if cell_width(measured[start:end], ambiguous) <= width:
            guard(start, end)
        else:
            for inner in range(k + 1, run_end):
                open_run[starts[inner]] = True
        k = run_end

    for start, end in _number_spans(measured):
        guard(start, end)
        if not measured[end - 1].isdigit() and _class_of(measured[end - 1]) != _CLOSE:
            # the digits alone when the unit makes the run too wide: 0519-85681234 of
            # 0519-85681234或 (any hanzi after a number is taken as its unit). Not
            # before a closing mark (‰, %): that break is the worst one, so keeping
            # the digits whole would force it where a break inside them is legal.
            guard(start, end - 1)

    for span_start, span_end in keep_together:
        guard(max(0, span_start), min(n, span_end))

    running = 0
    for p in range(n + 1):
        running += fit_guard[p]
        fit_guard[p] = running

    # allowed[level][k] for a break before grapheme k, strictest level first.
    # An opening mark left at a line's end is a lesser fault than a closing
    # mark starting the next line, so it is given up first.
    # The levels nest (a break allowed at one is allowed at every later one), so
    # each break keeps only the strictest level allowing it: 0 strict, 1 no
    # closing mark first, 2 no punctuation rule, 3 inside a run; 4 never.
    rank = [4] * (count + 1)
    for k in range(1, count):
        p = starts[k]
        if fit_guard[p]:
            continue
        a, b = classes[k - 1], classes[k]
        ok = _PAIR_OK[a * 6 + b]
        if ok is None:
            ok = measured[starts[k - 1]] == "-"
        if open_run[p] or ok:
            rank[k] = 2 if b == _CLOSE else 1 if a == _OPEN else 0
        else:
            rank[k] = 3

    lines: list[tuple[int, int]] = []
    i = 0
    while i < count:
        last = [0, 0, 0, 0, 0]  # the last break that fits, by its rank
        any_fit = 0
        k = i + 1
        limit = width + prefix[i]
        while k <= count and visible[k] <= limit:
            if k == count:
                last = [k, k, k, k, k]
                any_fit = k
                break
            any_fit = k
            last[rank[k]] = k
            k += 1
        # The latest break allowed at the strictest level that has one.
        end = (
            last[0]
            or max(last[0], last[1])
            or max(last[0], last[1], last[2])
            or max(last[0], last[1], last[2], last[3])
            or any_fit
            or i + 1
        )
        lines.append((starts[i], starts[end]))
        i = end
    return lines
