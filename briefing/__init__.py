"""briefing: a terminal reader for Chinese government reports."""

from __future__ import annotations

from typing import TYPE_CHECKING

__version__ = "0.1.0"

if TYPE_CHECKING:
    from pathlib import Path

    from briefing.model import Report

__all__ = ["__version__", "load_report"]


def load_report(path: str | Path | None = None) -> Report:
    """Read and parse a report file; the bundled report when ``path`` is None.

    Raises ``briefing.source.SourceError`` with a one-line message on bad input.
    """
    from briefing.parse import parse_report
    from briefing.resources import bundled_report_path
    from briefing.source import read_source

    source_path = bundled_report_path() if path is None else path
    text = read_source(source_path)
    report = parse_report(text, path=source_path)
    if not report.sections:
        from briefing.source import SourceError

        raise SourceError(f"{source_path} has no report text (only a header or page furniture)")
    return report
