"""``briefing open``, ``briefing sections`` and ``briefing figures``."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from json.encoder import encode_basestring as _json_str
from typing import TYPE_CHECKING

import click

from briefing.cli.common import (
    BriefingError,
    emit_json,
    emit_json_lines,
    load_or_exit,
    pause_collector,
    report_summary,
)
from briefing.model import FIGURE_KINDS, Figure, Report

if TYPE_CHECKING:
    from rich.console import Console

FIGURE_STYLES = {
    "percent": "bold magenta",
    "count": "bold cyan",
    "score": "bold green",
    "duration": "bold yellow",
    "rate": "bold blue",
    "magnitude": "bold red",
    "rank": "bold bright_red",
    "date": "dim",
    "ratio": "bold magenta",
}

path_argument = click.argument(
    "path", required=False, type=click.Path(dir_okay=True, path_type=str)
)


@click.command("open")
@path_argument
@click.pass_context
def open_reader(ctx: click.Context, path: str | None) -> None:
    """Open the reader on PATH (the bundled report if none)."""
    from briefing.cli import open_reader

    ctx.exit(open_reader(path, ctx.obj.get("db")))


@click.command("sections")
@path_argument
@click.option("--json", "as_json", is_flag=True, help="Print JSON (DESIGN §7).")
def sections(path: str | None, as_json: bool) -> None:
    """List the report's sections (table of contents)."""
    report = load_or_exit(path)
    if as_json:
        emit_json(
            {
                "report": {**report_summary(report), "title_source": report.metadata.title_source},
                "sections": [
                    {
                        "id": s.id,
                        "level": s.level,
                        "number": s.number,
                        "title": s.title,
                        "parent": s.parent,
                        "text": s.text,
                    }
                    for s in report.sections
                ],
            }
        )
        return
    from briefing.cli.table import print_table

    console = _print_report_heading(report)
    print_table(
        console,
        ["id", "section", "chars"],
        (
            [(s.id, "dim"), "  " * (s.level - 1) + s.label, (str(len(s.text)), "dim")]
            for s in report.sections
        ),
        right=[2],
    )


@click.command("figures")
@path_argument
@click.option("--json", "as_json", is_flag=True, help="Print JSON (DESIGN §7).")
@click.option("--kind", type=click.Choice(FIGURE_KINDS), help="Only figures of this kind.")
@click.option("--section", "section_id", metavar="ID", help="Only figures in this section.")
@click.pass_context
def figures(
    ctx: click.Context, path: str | None, as_json: bool, kind: str | None, section_id: str | None
) -> None:
    """List the key figures: percentages, counts, ranks, durations, dates…"""
    from briefing.report_cache import report_figures_cached

    # An 8 MB report makes ~70,000 figures and their lines, none of them in a
    # cycle: the collector's passes over them were ~0.2 s of a first run.
    pause_collector(ctx)
    report = load_or_exit(path)
    if section_id is not None and not report.has_section(section_id):
        raise BriefingError(f"no section {section_id!r} in this report (see `briefing sections`)")
    found = [
        f
        for f in report_figures_cached(report)
        if (kind is None or f.kind == kind) and (section_id is None or f.section == section_id)
    ]
    if as_json:
        emit_json_lines(_figure_json_lines(found))
        return
    from briefing.cli.table import print_table

    console = _print_report_heading(report)
    print_table(
        console,
        ["section", "figure", "kind", "value", "unit"],
        (
            [(f.section, "dim"), (f.text, FIGURE_STYLES.get(f.kind, "")), f.kind, _value(f), f.unit]
            for f in found
        ),
        right=[3],
    )
    from rich.text import Text

    console.print(Text(f"{len(found)} figures", style="dim"))


def _value(figure: Figure) -> str:
    if figure.value is None:
        return ""
    return ("≈" if figure.approx else "") + f"{figure.value:g}"


def _figure_json_line(figure: Figure) -> str:
    """``json.dumps(_figure_json(figure), ensure_ascii=False)``, about ten times faster.

    ``json.dumps`` builds an encoder for every call: 3 s of a 67,000-figure
    report. Strings go through json's own string encoder, numbers as json
    writes them (values are finite).
    """
    return next(_figure_json_lines([figure]))


def _figure_json_lines(figures: Iterable[Figure]) -> Iterator[str]:
    """``_figure_json_line`` of each figure. Section ids, kinds and units repeat
    (~16,000 sections, 9 kinds and a few dozen units for 67,000 figures at 8 MB):
    each is encoded once, only a figure's text every time."""
    encoded: dict[str, str] = {}
    get = encoded.get
    number = float.__repr__
    for figure in figures:
        section, kind, unit, value = figure.section, figure.kind, figure.unit, figure.value
        if (section_json := get(section)) is None:
            section_json = encoded[section] = _json_str(section)
        if (kind_json := get(kind)) is None:
            kind_json = encoded[kind] = _json_str(kind)
        if (unit_json := get(unit)) is None:
            unit_json = encoded[unit] = _json_str(unit)
        yield (
            f'{{"section": {section_json}, "start": {figure.start:d}, '
            f'"end": {figure.end:d}, "text": {_json_str(figure.text)}, "kind": '
            f'{kind_json}, "value": {"null" if value is None else number(value)}, '
            f'"unit": {unit_json}, "approx": {"true" if figure.approx else "false"}}}'
        )


def _figure_json(figure: Figure) -> dict[str, object]:
    return {
        "section": figure.section,
        "start": figure.start,
        "end": figure.end,
        "text": figure.text,
        "kind": figure.kind,
        "value": figure.value,
        "unit": figure.unit,
        "approx": figure.approx,
    }


def _print_report_heading(report: Report) -> Console:
    """Print the report's title and details; the console for what follows.

    rich is imported here, not with the module: JSON output never needs it.
    """
    from rich.console import Console
    from rich.text import Text

    console = Console()
    meta = report.metadata
    console.print(Text(meta.title or "(untitled report)", style="bold"))
    details = " · ".join(x for x in (meta.publisher, meta.date, meta.index_no) if x)
    if details:
        console.print(Text(details, style="dim"))
    console.print()
    return console


COMMANDS = [open_reader, sections, figures]
