"""Load the hand-marked real reports in tests/reports/real (no tests here).

Each report is `<slug>.txt` with its marks in `<slug>.marks.toml` (format:
tests/reports/real/README.md). Other tests import `iter_real_reports()` to measure
the parser and the figure grammar against what a careful reader marked.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

REAL_DIR = Path(__file__).parent / "reports" / "real"

LEVELS = frozenset({"省", "市", "区县", "部门", "乡镇"})
FIGURE_KINDS = frozenset(
    {"percent", "count", "score", "duration", "rate", "magnitude", "rank", "date", "ratio"}
)


def load_marks(path: Path) -> dict[str, Any]:
    """The marks of one report, as TOML gives them (lists default to empty)."""
    with path.open("rb") as handle:
        marks = tomllib.load(handle)
    for key in ("headings", "figures", "not_figures"):
        marks.setdefault(key, [])
    return marks


def iter_real_reports() -> Iterator[tuple[str, Path, dict[str, Any]]]:
    """Yield (slug, text path, marks) for every marked report, sorted by slug."""
    for marks_path in sorted(REAL_DIR.glob("*.marks.toml")):
        slug = marks_path.name.removesuffix(".marks.toml")
        yield slug, REAL_DIR / f"{slug}.txt", load_marks(marks_path)
