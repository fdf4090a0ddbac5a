"""Plain command-line tables: widths in cells, styles only on a terminal, safe text."""

from __future__ import annotations

import io
import json
import re

from rich.cells import cell_len
from rich.console import Console

from briefing.cli.table import print_table

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def render(rows, *, terminal: bool, width: int = 80, right=()) -> str:
    out = io.StringIO()
    console = Console(
        file=out,
        force_terminal=terminal,
        width=width,
        color_system="standard" if terminal else None,
    )
    print_table(console, ["id", "section", "n"], rows, right=right)
    return out.getvalue()


ROWS = [
    [("1", "dim"), "一、加强法治政府建设保障", ("12", "dim")],
    [("1.10", "dim"), "  abc", ("3", "dim")],
]


def test_columns_are_padded_in_terminal_cells() -> None:
    lines = render(ROWS, terminal=False, right=[2]).splitlines()
    assert lines == [
        "id    section                    n",
        "1     一、加强法治政府建设保障  12",
        "1.10    abc                      3",
    ]
    assert len({cell_len(line) for line in lines}) == 1


def test_no_styles_and_whole_lines_off_a_terminal() -> None:
    long = [["1", "长" * 200, "9"]]
    text = render(long, terminal=False, width=40)
    assert not ANSI.search(text)
    assert "长" * 200 in text


def test_on_a_terminal_cells_are_styled_and_lines_cut_at_the_width() -> None:
    long = [[("1", "dim"), "长" * 200, ("9", "bold red")]]
    text = render(long, terminal=True, width=40)
    assert ANSI.search(text)
    for line in text.splitlines():
        assert cell_len(ANSI.sub("", line)) <= 40
    assert ANSI.sub("", text.splitlines()[1]).endswith("…")


def test_report_text_cannot_inject_escapes_or_markup() -> None:
    rows = [["1", "a\x1b[31mb[bold]c[/]\x07", "2\nx"]]
    text = render(rows, terminal=False)
    assert "\x1b" not in text and "\x07" not in text
    assert "ab[bold]c[/]" in text
    assert "2 x" in text


def test_no_rows_prints_the_header() -> None:
    assert render([], terminal=False).splitlines() == ["id  section  n"]


def test_figures_json_is_one_figure_a_line_and_an_empty_list_is_valid() -> None:
    from click.testing import CliRunner

    from briefing.cli import cli

    runner = CliRunner()
    out = runner.invoke(cli, ["figures", "--json"]).output
    lines = out.splitlines()
    assert lines[0] == "[" and lines[-1] == "]"
    figures = json.loads(out)
    assert len(lines) == len(figures) + 2
    assert json.loads(lines[1].rstrip(",")) == figures[0]
    assert json.loads(runner.invoke(cli, ["figures", "--json", "--section", "1"]).output) == []


def test_figures_table_lists_every_figure() -> None:
    from click.testing import CliRunner

    from briefing.cli import cli

    out = CliRunner().invoke(cli, ["figures", "--kind", "rank"]).output
    assert "全省第四" in out and "全国第二" in out
    assert out.rstrip().endswith("figures")


def test_figure_json_lines_are_what_json_dumps_writes() -> None:
    import briefing
    from briefing.cli.report_commands import _figure_json, _figure_json_line
    from briefing.figures import report_figures
    from briefing.model import Figure

    figures = [
        *report_figures(briefing.load_report()),
        Figure('a"\\\x01', 0, 1, "“x”\n", "count", None, "\u2028", True),
        Figure("1", 0, 1, "x", "rate", 1e-07, "", False),
        Figure("1", 0, 1, "x", "rate", 123456789012345.0, "/日", False),
    ]
    for figure in figures:
        assert _figure_json_line(figure) == json.dumps(_figure_json(figure), ensure_ascii=False)


def test_a_long_notes_listing_is_one_plain_line_a_note(tmp_path, monkeypatch) -> None:
    """Beyond ``RICH_TABLE_ROWS`` a listing takes no Rich table (~1.3 ms a row):
    one line a note, the whole note text, as ``sections`` and ``figures``."""
    import rich.table
    from click.testing import CliRunner

    import briefing
    from briefing.cli import cli
    from briefing.cli.notes_commands import RICH_TABLE_ROWS
    from briefing.store.annotations import now_iso
    from briefing.store.sample import seed_notes

    db = tmp_path / "notes.json"
    count = RICH_TABLE_ROWS + 1
    seed_notes(db, briefing.load_report(), count, stamp=now_iso())

    def no_table(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("a Rich table for a long listing")

    monkeypatch.setattr(rich.table.Table, "__init__", no_table)
    result = CliRunner().invoke(cli, ["--db", str(db), "notes"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) == count + 1
    assert lines[0].split() == ["id", "section", "status", "passage", "note"]
    notes = json.loads(CliRunner().invoke(cli, ["--db", str(db), "notes", "--json"]).output)
    for note in notes:
        assert any(line.startswith(note["id"][:8]) and note["text"] in line for line in lines)
