"""briefing: a terminal reader for Chinese government reports."""

from __future__ import annotations

from typing import TYPE_CHECKING

__version__ = "0.1.0"

if TYPE_CHECKING:
    from pathlib import Path

    from briefing.model import Report

__all__ = ["__version__", "load_report"]


def load_report(
    path: str | Path | None = None, *, check_later: bool = False, name: str | None = None
) -> Report:
    """Read and parse a report file; the bundled report when ``path`` is None.

    A report opened before comes from the report cache without importing the
    parser (see ``briefing.report_cache``); it equals a fresh parse.
    Raises ``briefing.source.SourceError`` with a one-line message on bad input.

    ``check_later`` (the reader's start): a cached report is served after the
    cheap checks only; ``briefing.report_cache.check_deferred`` must then run
    (the reader does it right after its first paint) before it is trusted.

    ``name``: what messages call the file (the library parses its own copy of a
    file, but tells the user about the file they added), else its path.
    """
    from briefing.report_cache import load_cached, save_cached
    from briefing.resources import bundled_report_path

    source_path = bundled_report_path() if path is None else path
    cached = load_cached(source_path, check_later=check_later)
    if cached is not None:
        return cached

    from dataclasses import replace

    from briefing.parse import parse_report
    from briefing.source import SourceError, display_name, load_text, read_source_bytes

    data = read_source_bytes(source_path)
    name = display_name(source_path) if name is None else name
    decoded = load_text(data, name)
    report = parse_report(decoded.text, path=source_path)
    if not report.sections:
        from briefing.i18n import _

        raise SourceError(
            _("{name} has no report text (only a header or page furniture)").format(name=name)
        )
    if decoded.replaced:
        report = replace(report, warnings=decoded.warnings(name))
    save_cached(source_path, data, report)
    return report
