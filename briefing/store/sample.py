"""A database of many notes written in one go, for benchmarks and scaling tests.

Adding 50,000 notes one by one takes minutes; ``benchmarks/bench_store.py``
and the tests that check the store scales write them at once, the same way,
from this one helper.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from briefing.model import Report
from briefing.store.anchors import make_quote
from briefing.store.storage import encode_database

STAMP = "2024-05-01T10:00:00+08:00"


def sample_notes(report: Report, count: int, *, stamp: str = STAMP) -> dict[str, dict[str, Any]]:
    """``count`` note records spread over the report's sections, as ``Notes.add`` stores them."""
    sections = [s for s in report.sections if len(s.text) > 40]
    if not sections:
        raise ValueError("the report has no section long enough to quote")
    notes: dict[str, dict[str, Any]] = {}
    for i in range(count):
        section = sections[i % len(sections)]
        start = (i * 7) % (len(section.text) - 20)
        quote = make_quote(section.text, start, start + 12)
        notes[str(i + 1)] = {
            "id": f"{i:08d}-0000-4000-8000-000000000000",
            "report": report.sha256,
            "report_title": report.title,
            "section": section.id,
            "section_title": section.title,
            "section_number": section.number,
            "text": f"第 {i} 条笔记：这一段值得再看，尤其是其中的数字。",
            "quote": {"exact": quote.exact, "prefix": quote.prefix, "suffix": quote.suffix},
            "start": start,
            "end": start + 12,
            "status": "anchored",
            "created": stamp,
            "updated": stamp,
        }
    return notes


def seed_notes(path: Path, report: Report, count: int, *, stamp: str = STAMP) -> None:
    """Write a database holding ``count`` notes on ``report`` (and nothing else) to ``path``."""
    path.write_bytes(encode_database({"notes": sample_notes(report, count, stamp=stamp)}))
