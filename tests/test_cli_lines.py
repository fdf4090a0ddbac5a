"""Styled lines without Rich's layout per line: the same bytes as ``Console.print``,
in a few writes however many lines."""

from __future__ import annotations

import io
import random

import pytest
from rich.console import Console
from rich.text import Text

from briefing.cli.lines import LineWriter

PIECES = [
    "法治政府",
    "…",
    "  ",
    "abc ",
    "98.4%",
    "，。",
    "\u3000",
    "ｆｕｌｌ",
    "é",
    "👍",
    "👍\u200d👍",
    "x\ufe0f",
    "[bold]x[/]",
    "\x1b[31m",
    "a\tb",
    "\x07",
    "长" * 30,
]
STYLES = ["", "dim", "bold", "dim italic", "bold reverse", "bold magenta", "red on white"]


def _console(kind: str, out: io.StringIO, width: int) -> Console:
    if kind == "terminal":
        return Console(file=out, force_terminal=True, color_system="standard", width=width)
    if kind == "truecolor":
        return Console(file=out, force_terminal=True, color_system="truecolor", width=width)
    if kind == "no color":
        return Console(
            file=out, force_terminal=True, color_system="standard", no_color=True, width=width
        )
    return Console(file=out, force_terminal=False, width=width)


def _lines(seed: int) -> list[tuple[list[tuple[str, str]], str]]:
    rng = random.Random(seed)
    lines = []
    for _ in range(60):
        parts = [(rng.choice(PIECES), rng.choice(STYLES)) for _ in range(rng.randint(0, 5))]
        lines.append((parts, rng.choice(["", "dim"])))
    return lines


@pytest.mark.parametrize("kind", ["terminal", "truecolor", "no color", "pipe"])
@pytest.mark.parametrize("width", [80, 24])
def test_lines_are_what_console_print_writes(kind: str, width: int) -> None:
    for seed in range(5):
        lines = _lines(seed)
        by_rich, by_writer = io.StringIO(), io.StringIO()
        rich_console = _console(kind, by_rich, width)
        for parts, base in lines:
            text = Text(style=base)
            for piece, style in parts:
                text.append(piece, style=style or None)
            rich_console.print(text)
        writer = LineWriter(_console(kind, by_writer, width))
        for parts, base in lines:
            writer.line(parts, base)
        writer.flush()
        assert by_writer.getvalue() == by_rich.getvalue()


class CountingFile(io.StringIO):
    writes = 0

    def write(self, text: str) -> int:
        self.writes += 1
        return super().write(text)


def test_many_lines_take_a_few_writes() -> None:
    out = CountingFile()
    writer = LineWriter(Console(file=out, force_terminal=True, color_system="standard"))
    for n in range(10_000):
        writer.line([(str(n), "dim"), ("  法治政府", ""), ("建设", "bold reverse")])
    writer.flush()
    assert out.getvalue().count("\n") == 10_000
    assert out.writes <= 10


def test_search_output_is_written_in_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """A search prints its hits through a few writes, not one or more per hit."""
    from click.testing import CliRunner

    from briefing.cli import cli

    writes: list[int] = []
    original = LineWriter.flush

    def counting_flush(self: LineWriter) -> None:
        writes.append(len(self._lines))
        original(self)

    monkeypatch.setattr(LineWriter, "flush", counting_flush)
    result = CliRunner().invoke(cli, ["search", "fz"])
    assert result.exit_code == 0
    lines = result.output.count("\n")
    assert lines > 100
    assert len(writes) <= 2 and sum(writes) == lines
