"""briefing.startup_gc: the collector is off from launch to the first paint, and back after."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from briefing import startup_gc
from briefing.cli import main


@pytest.fixture(autouse=True)
def _collector_restored() -> Iterator[None]:
    was = gc.isenabled()
    yield
    startup_gc.resume()
    if was:
        gc.enable()
    gc.unfreeze()


def test_hold_then_resume_turns_the_collector_off_and_on_once() -> None:
    gc.enable()
    startup_gc.hold()
    assert not gc.isenabled() and startup_gc.held()
    startup_gc.hold()  # held already: still one hold
    startup_gc.resume()
    assert gc.isenabled() and not startup_gc.held()
    gc.disable()
    startup_gc.resume()  # nothing held any more: someone else's choice stays
    assert not gc.isenabled()


def test_a_collector_already_off_is_left_off() -> None:
    gc.disable()
    startup_gc.hold()
    assert not startup_gc.held()
    startup_gc.resume()
    assert not gc.isenabled()


def test_a_reader_that_cannot_start_gives_the_collector_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gc.enable()
    with pytest.raises(SystemExit) as done:
        main([str(tmp_path / "missing.txt"), "--db", str(tmp_path / "notes.json")])
    assert done.value.code == 2
    assert "briefing:" in capsys.readouterr().err
    assert gc.isenabled() and not startup_gc.held()
