"""What a fresh ``briefing`` command imports: only what that command uses.

``briefing search QUERY --all`` must answer in a fresh process in well under a
second (issue 13), and ``notes``/``export`` count their imports too (issue 8).
The click group loads a command's module only when that command runs
(``briefing.cli.COMMAND_MODULES``); rich is imported only to print styled text
or a table, never for JSON. A module below that shows up again is a regression
even when a timing run is too noisy to show it (no timed test here).
"""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from briefing import __version__
from briefing.cli import COMMAND_MODULES, SUBCOMMANDS

REPO = Path(__file__).resolve().parents[1]

# Runs ``briefing ARGS`` as the console script does and writes the names of the
# loaded modules to a file when the process ends (an exit handler also keeps
# ``briefing.cli.main`` from ending the process early).
LOADED = r"""
import atexit, sys
out = sys.argv[1]
atexit.register(lambda: open(out, "w", encoding="utf-8").write("\n".join(sorted(sys.modules))))
from briefing.cli import main
main(sys.argv[2:])
"""


def loaded_by(args: list[str], tmp_path: Path, env: dict[str, str]) -> set[str]:
    out = tmp_path / "modules.txt"
    result = subprocess.run(
        [sys.executable, "-c", LOADED, str(out), *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return set(out.read_text(encoding="utf-8").split())


def test_every_command_module_is_mapped() -> None:
    """The lazy map names every command of every module, and nothing else."""
    found: dict[str, str] = {}
    for module_name in sorted(set(COMMAND_MODULES.values())):
        module = importlib.import_module(f"briefing.cli.{module_name}")
        for command in module.COMMANDS:
            assert command.name not in found, command.name
            found[command.name] = module_name
    assert found == COMMAND_MODULES
    assert frozenset(found) == SUBCOMMANDS


def test_help_lists_every_command_with_its_help() -> None:
    from briefing.cli.commands import cli

    result = CliRunner().invoke(cli, ["--help"], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    listed = result.stdout.split("Commands:", 1)[1].splitlines()
    rows = {line.split()[0]: line.split(None, 1)[1] for line in listed if line.strip()}
    assert set(rows) == SUBCOMMANDS
    for name, shown in rows.items():
        command = cli.get_command(click.Context(cli), name)
        assert command is not None
        summary = command.get_short_help_str(limit=45).rstrip(".")
        assert summary and shown.startswith(summary[:20]), (name, shown)


HEAVY_FOR_EVERY_COMMAND = {
    "textual",
    "pypinyin",
    "briefing.parse",  # reports seen before come from the report cache
    "briefing.figures",
    "briefing.export",
    "briefing.tui",
}
# The modules of commands that did not run, and rich beyond what line breaking needs.
OTHER_COMMANDS = {f"briefing.cli.{name}" for name in set(COMMAND_MODULES.values())}
RICH_OUTPUT = {"rich.console", "rich.table", "rich.text", "rich.style", "rich.progress"}


def cli_env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["BRIEFING_LIBRARY"] = str(tmp_path / "library")
    env["BRIEFING_DB"] = str(tmp_path / "notes.json")
    return env


def test_version_imports_no_command(tmp_path: Path) -> None:
    """``--version`` alone needs not even click; with ``--db`` click answers, loading no command."""
    env = cli_env(tmp_path)
    unwanted = HEAVY_FOR_EVERY_COMMAND | OTHER_COMMANDS | RICH_OUTPUT
    unwanted |= {"briefing.model", "briefing.store", "briefing.search", "briefing.library"}
    loaded = loaded_by(["--version"], tmp_path, env)
    assert sorted((unwanted | {"click", "briefing.cli.commands"}) & loaded) == []
    loaded = loaded_by(["--db", str(tmp_path / "x.json"), "--version"], tmp_path, env)
    assert "briefing.cli.commands" in loaded
    assert sorted(unwanted & loaded) == []


def test_version_says_what_click_says(capsys) -> None:
    from briefing.cli import main
    from briefing.cli.commands import cli

    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    fast = capsys.readouterr().out
    result = CliRunner().invoke(cli, ["--version"], prog_name="briefing")
    assert result.exit_code == 0 and fast == result.stdout == f"briefing, version {__version__}\n"


def test_search_all_json_imports_only_the_search(tmp_path: Path) -> None:
    """``search --all --json``: the library and its index, no store, no tables, no rich."""
    env = cli_env(tmp_path)
    warm = ["search", "fazhi", "--all", "--json", "--limit", "3"]
    loaded_by(warm, tmp_path, env)  # the first run builds the library's index (pypinyin)
    loaded = loaded_by(warm, tmp_path, env)
    assert {"briefing.cli.search_command", "briefing.library.index"} <= loaded
    unwanted = HEAVY_FOR_EVERY_COMMAND | RICH_OUTPUT | {"tinydb", "briefing.store", "difflib"}
    unwanted |= OTHER_COMMANDS - {"briefing.cli.search_command", "briefing.cli.library_commands"}
    # Adding and removing need these; a search does not (OpenSSL alone is ~3 ms).
    unwanted |= {"shutil", "_hashlib", "tempfile"}
    assert sorted(unwanted & loaded) == []


def test_notes_json_imports_no_search_and_no_rich(tmp_path: Path) -> None:
    env = cli_env(tmp_path)
    loaded_by(["note", "add", "1", "a note"], tmp_path, env)  # a database and a cached report
    loaded = loaded_by(["notes", "--json"], tmp_path, env)
    assert "briefing.store.annotations" in loaded
    unwanted = HEAVY_FOR_EVERY_COMMAND | RICH_OUTPUT | {"briefing.search", "briefing.library"}
    unwanted |= OTHER_COMMANDS - {"briefing.cli.notes_commands"}
    assert sorted(unwanted & loaded) == []
