"""``notes``/``export``/``note add`` end the process without freeing what they built.

With 50,000 notes they hold about two million objects; freeing them one by
one on the way out cost a quarter of the command's CPU time.  The console
entry point ends such a process with ``os._exit`` after flushing its output;
other commands, and commands run in a process that goes on, exit as usual.
"""

from __future__ import annotations

import atexit
import gc
import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from briefing import cli as cli_module
from briefing.cli import common


class Exited(Exception):
    def __init__(self, code: int) -> None:
        self.code = code


@pytest.fixture
def exits(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    codes: list[int] = []
    collecting = gc.isenabled()

    def fake_exit(code: int) -> None:
        codes.append(code)
        collectors_at_exit.append(gc.isenabled())
        raise Exited(code)

    monkeypatch.setattr(os, "_exit", fake_exit)
    monkeypatch.setattr(atexit, "_ncallbacks", lambda: 0)  # pytest registers its own
    yield codes
    if collecting:  # a real process would have ended with the collector off
        gc.enable()


collectors_at_exit: list[bool] = []


def _main(*args: str) -> int | None:
    try:
        cli_module.main(list(args))
    except Exited as done:
        return done.code
    except SystemExit as done:
        return done.code if isinstance(done.code, int) else 0
    return None


def test_listing_notes_ends_without_teardown_after_all_output(
    tmp_path: Path, exits: list[int], capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "briefing.json")
    assert _main("--db", db, "note", "add", "1.3", "一条笔记", "--quote", "93.46分") == 0
    assert exits == [0]
    capsys.readouterr()
    assert _main("--db", db, "notes", "--json") == 0
    assert exits == [0, 0]
    listed = json.loads(capsys.readouterr().out)
    assert [n["text"] for n in listed] == ["一条笔记"]
    out = tmp_path / "out.md"
    assert _main("--db", db, "export", "-o", str(out)) == 0
    assert exits == [0, 0, 0]
    assert "一条笔记" in out.read_text("utf-8")


def test_other_commands_and_failures_exit_as_usual(
    tmp_path: Path, exits: list[int], capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "briefing.json")
    assert _main("--db", db, "note", "add", "1.3", "一条笔记") == 0
    assert _main("--db", db, "sections", "--json") == 0
    assert _main("--db", db, "note", "add", "no-such-section", "x") == 2
    assert exits == [0]  # only the first: nothing kept by the others
    assert "no section" in capsys.readouterr().err


def test_a_process_that_goes_on_keeps_only_the_last_command_s_results() -> None:
    common.keep_until_exit([1], [2])
    common.keep_until_exit([3])
    assert common._kept == [[3]]
    common.forget_kept()
    assert not common.kept_anything()


def test_exit_handlers_registered_get_the_usual_exit(
    tmp_path: Path, exits: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(atexit, "_ncallbacks", lambda: 1)
    db = str(tmp_path / "briefing.json")
    assert _main("--db", db, "note", "add", "1.3", "一条笔记") == 0
    assert exits == []


def test_a_store_command_ends_with_the_collector_still_off(
    tmp_path: Path, exits: list[int]
) -> None:
    """The collector is off for the whole command: turned back on, it would walk
    the million objects the command built just before the process ends."""
    db = str(tmp_path / "briefing.json")
    collectors_at_exit.clear()
    assert _main("--db", db, "note", "add", "1.3", "一条笔记") == 0
    assert _main("--db", db, "notes", "--json") == 0
    assert collectors_at_exit == [False, False]


def test_a_process_that_goes_on_gets_its_collector_back(tmp_path: Path) -> None:
    """In a process that goes on (exit handlers registered), the collector is
    resumed when the command closes."""
    assert gc.isenabled()
    db = str(tmp_path / "briefing.json")
    assert _main("--db", db, "note", "add", "1.3", "一条笔记") == 0
    assert _main("--db", db, "notes", "--json") == 0
    assert gc.isenabled()
    assert not common.will_exit_fast()
