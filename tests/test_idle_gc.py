"""Full garbage collections wait for the reader's quiet moments (briefing/tui/idle_gc.py)."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from briefing.tui.idle_gc import FULL_EVERY, QUIET_INPUT, TICK, IdleCollector


class Clocks:
    """A wall clock and a UI-thread CPU clock the test moves by hand."""

    def __init__(self) -> None:
        self.wall = 100.0
        self.cpu = 10.0

    def pass_time(self, seconds: float, *, busy: float = 0.0) -> None:
        self.wall += seconds
        self.cpu += busy


@pytest.fixture
def clocks() -> Iterator[Clocks]:
    thresholds = gc.get_threshold()
    yield Clocks()
    gc.set_threshold(*thresholds)


def _collector(clocks: Clocks) -> IdleCollector:
    collector = IdleCollector(clock=lambda: clocks.wall, cpu=lambda: clocks.cpu)
    collector.start()
    return collector


def _something_reached_the_old_generation() -> None:
    gc.collect(1)  # counts as one younger collection since the last full one


def test_start_makes_automatic_full_collections_rare_and_stop_restores_them(
    clocks: Clocks,
) -> None:
    before = gc.get_threshold()
    collector = _collector(clocks)
    assert gc.get_threshold()[2] == max(before[2], FULL_EVERY)
    assert gc.get_threshold()[:2] == before[:2]
    collector.stop()
    assert gc.get_threshold() == before


def test_an_idle_reader_collects_once(clocks: Clocks) -> None:
    collector = _collector(clocks)
    _something_reached_the_old_generation()
    clocks.pass_time(QUIET_INPUT + TICK)
    assert collector.tick()
    assert gc.get_count()[2] == 0
    clocks.pass_time(TICK)
    assert not collector.tick()  # nothing new since: no second walk of everything
    assert collector.collections == 1


def test_no_collection_right_after_a_key(clocks: Clocks) -> None:
    collector = _collector(clocks)
    _something_reached_the_old_generation()
    clocks.pass_time(QUIET_INPUT + TICK)
    collector.input_seen()
    clocks.pass_time(QUIET_INPUT / 2)
    assert not collector.tick()
    clocks.pass_time(QUIET_INPUT + TICK)
    assert collector.tick()


def test_no_collection_while_the_ui_thread_is_busy(clocks: Clocks) -> None:
    """A search typed by a program (a paste), or the screen redrawing: no key
    came, but the UI thread is working."""
    collector = _collector(clocks)
    _something_reached_the_old_generation()
    clocks.pass_time(QUIET_INPUT + TICK, busy=0.3 * (QUIET_INPUT + TICK))
    assert not collector.tick()
    clocks.pass_time(TICK, busy=0.001)
    assert collector.tick()


def test_a_stopped_collector_never_collects(clocks: Clocks) -> None:
    collector = _collector(clocks)
    collector.stop()
    _something_reached_the_old_generation()
    clocks.pass_time(10 * TICK)
    assert not collector.tick()


def test_no_collection_while_a_key_waits(clocks: Clocks) -> None:
    """A key typed after a quiet moment is not held up behind a walk of everything."""
    waiting: list[str] = ["j"]
    collector = IdleCollector(
        clock=lambda: clocks.wall, cpu=lambda: clocks.cpu, pending=lambda: bool(waiting)
    )
    collector.start()
    _something_reached_the_old_generation()
    clocks.pass_time(QUIET_INPUT + TICK)
    assert not collector.tick()
    waiting.clear()  # the key was handled
    clocks.pass_time(TICK)
    assert collector.tick()


def test_quiet_for_counts_from_the_last_input_and_is_zero_while_a_key_waits(
    clocks: Clocks,
) -> None:
    """Work done ahead of time (the reader drawing the next screen) asks how long
    input has been quiet: never while a key waits to be handled."""
    waiting = [False]
    collector = IdleCollector(
        clock=lambda: clocks.wall, cpu=lambda: clocks.cpu, pending=lambda: waiting[0]
    )
    collector.input_seen()
    clocks.pass_time(0.25)
    assert collector.quiet_for() == pytest.approx(0.25)
    waiting[0] = True
    assert collector.quiet_for() == 0.0
