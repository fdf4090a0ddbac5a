"""Where the text's own layout should not stop a match: spaces inside runs of hanzi.

Portal pages letter-space labels and headings (``索 引 号``, ``政 府 工 作 报 告``);
a reader types ``suoyinhao`` or ``索引号`` and expects to find them. A space (or a
tab, a full-width space) with a CJK character on both sides on the same line is
*transparent*: queries step over it as if it were not there. A line break is not.
"""

from __future__ import annotations

import re

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_GAP = re.compile(rf"(?<=[{_CJK}])[^\S\n]+(?=[{_CJK}])")


def transparent_gaps(text: str) -> list[int]:
    """Positions of the transparent whitespace characters of ``text``, in order."""
    out: list[int] = []
    for m in _GAP.finditer(text):
        out.extend(range(m.start(), m.end()))
    return out
