"""``briefing search QUERY [PATH]``: hanzi or pinyin search from the command line."""

from __future__ import annotations

from collections.abc import Callable

import click

from briefing.cli.common import BriefingError, emit_json, load_or_exit, one_line, require_query
from briefing.model import Match, Report

SNIPPET_WIDTH = 40
HIT_STYLE = "bold reverse"


def _check_limit(ctx: click.Context, param: click.Parameter, value: int | None) -> int | None:
    if value is not None and value <= 0:
        raise BriefingError(f"--limit must be a positive number, not {value}")
    return value


@click.command("search")
@click.argument("query")
@click.argument("path", required=False, type=click.Path(dir_okay=True, path_type=str))
@click.option("--json", "as_json", is_flag=True, help="Print JSON (DESIGN §7).")
@click.option("--fuzzy", is_flag=True, help="Also accept z/zh, n/l, an/ang … (ranked lower).")
@click.option(
    "--limit", type=int, default=None, callback=_check_limit, metavar="N", help="At most N hits."
)
@click.option(
    "--order",
    type=click.Choice(["score", "document"]),
    default="score",
    show_default=True,
    help="Best hits first, or in reading order.",
)
@click.option("--all", "every", is_flag=True, help="Search every report of the library.")
def search(
    query: str,
    path: str | None,
    as_json: bool,
    fuzzy: bool,
    limit: int | None,
    order: str,
    every: bool,
) -> None:
    """Find QUERY in the report: hanzi, full pinyin, initials or a mix.

    Examples: 法治政府, fazhizhengfu, fzzf, fazhizf, 法zhi, lvshi, fa3 (tone 3).
    With --all, every report of the library (best hits first, each naming its report).
    """
    require_query(query)
    if every:
        if path is not None:
            raise BriefingError("give either a PATH or --all, not both")
        if order != "score":
            raise BriefingError("--all lists the best hits first; --order does not apply")
        from briefing.cli.library_commands import search_all

        search_all(query, as_json, fuzzy, limit)
        return

    from briefing.search import load_index, snippet, sort_document_order

    report = load_or_exit(path)
    index = load_index(report)
    if index is None:  # pragma: no cover - load_index builds when missing
        raise BriefingError("could not build the search index")
    matches = index.search(query, fuzzy=fuzzy, limit=limit)
    if order == "document":
        matches = sort_document_order(matches, report)
    figures = FigureSpans(report)
    if as_json:
        emit_json([_match_json(report, m, figures) for m in matches])
        return
    _print_matches(report, query, matches, limit, snippet, figures)


class FigureSpans:
    """The figures' spans by section, so that no excerpt begins inside a figure.

    Read from the figures cache (a file read) the first time an excerpt is cut;
    a report whose figures were never found is not scanned for them (the figure
    grammar costs ~0.16 s to load): its cuts still avoid numbers and names.
    """

    def __init__(self, report: Report) -> None:
        self._report = report
        self._spans: dict[str, list[tuple[int, int]]] | None = None

    def __call__(self, section: str) -> list[tuple[int, int]]:
        if self._spans is None:
            from briefing.report_cache import load_figure_spans

            self._spans = load_figure_spans(self._report) or {}
        return self._spans.get(section, [])


def _match_json(report: Report, match: Match, figures: FigureSpans) -> dict[str, object]:
    from briefing.search import snippet

    text, _, _ = snippet(report, match, width=SNIPPET_WIDTH, figures=figures(match.section))
    return {
        "section": match.section,
        "start": match.start,
        "end": match.end,
        "text": match.text,
        "kind": match.kind,
        "score": match.score,
        "snippet": text,
    }


def _print_matches(
    report: Report,
    query: str,
    matches: list[Match],
    limit: int | None,
    snippet: Callable[..., tuple[str, int, int]],
    figures: FigureSpans,
) -> None:
    from rich.console import Console

    from briefing.cli.lines import LineWriter

    out = LineWriter(Console())
    # Hanzi take two cells: fit the snippet on one line of the terminal.
    width = max(10, (out.width - 4) // 2)
    for match in matches:
        out.line(
            [
                (match.section, "dim"),
                ("  ", ""),
                (_place(report, match), "bold"),
                (f"  {match.kind}", "dim italic"),
            ]
        )
        text, start, end = snippet(report, match, width=width, figures=figures(match.section))
        out.line([("  " + text[:start], ""), (text[start:end], HIT_STYLE), (text[end:], "")])
    count = [
        (f"{len(matches)} hit{'s' if len(matches) != 1 else ''} for ", ""),
        (one_line(query), "bold"),
    ]
    if limit is not None and len(matches) >= limit:
        count.append((f" (first {limit})", "dim"))
    out.line(count, base="dim")
    out.flush()


def _place(report: Report, match: Match) -> str:
    """What to call where a hit is: the section label, 标题 for the title, the
    field label for a hit in the metadata header (``索 引 号``)."""
    from briefing.search.index import META_ID, TITLE_ID, source_text

    if report.has_section(match.section):
        return report.section(match.section).label
    if match.section == TITLE_ID:
        return "标题"
    if match.section == META_ID:
        text = source_text(report, match.section)
        line = text[text.rfind("\n", 0, match.start) + 1 :].split("\n", 1)[0]
        return line.split(":", 1)[0]
    return match.section


COMMANDS = [search]
