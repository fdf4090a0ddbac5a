"""Full garbage collections wait for the reader's quiet moments (briefing/tui/idle_gc.py)."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from briefing.tui.idle_gc import (
    BUSY_FULL_AFTER,
    FULL_EVERY,
    MIDDLE_EVERY,
    QUIET_INPUT,
    TICK,
    YOUNG_EVERY,
    IdleCollector,
)


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
    assert gc.get_threshold()[:2] == (max(before[0], YOUNG_EVERY), MIDDLE_EVERY)
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


def test_a_burst_of_allocations_sets_off_no_full_collection(clocks: Clocks) -> None:
    """Searches on a big report allocate enough for a hundred younger collections
    every twenty-odd keys: none of them escalates to a walk of everything."""
    collector = _collector(clocks)
    full: list[int] = []

    def seen(phase: str, info: dict) -> None:
        if phase == "stop" and info["generation"] == 2:
            full.append(1)

    kept: list[list] = []
    gc.callbacks.append(seen)
    try:
        for _round in range(3):  # ~1,700 young and ~170 older collections
            kept.append([[i] for i in range(400_000)])  # lists stay tracked: survivors
    finally:
        gc.callbacks.remove(seen)
        collector.stop()
    assert not full


def test_a_reader_never_quiet_still_collects_once_in_a_while(clocks: Clocks) -> None:
    """Keys without a pause for a minute: one collection between two keys, then
    none again until another ``BUSY_FULL_AFTER`` seconds."""
    collector = _collector(clocks)
    collected: list[float] = []
    started = clocks.wall
    while clocks.wall - started < 2.5 * BUSY_FULL_AFTER:
        _something_reached_the_old_generation()
        collector.input_seen()
        clocks.pass_time(TICK, busy=0.5 * TICK)
        if collector.tick():
            collected.append(clocks.wall - started)
    assert len(collected) == 2
    assert collected[0] >= BUSY_FULL_AFTER
    assert collected[1] - collected[0] >= BUSY_FULL_AFTER


def test_awaited_work_is_no_pause_and_quiet_counts_from_its_end(clocks: Clocks) -> None:
    """A search running in its worker will move the page: nothing is drawn ahead,
    and no full collection walks everything, until its results came."""
    searching = [False]
    collector = _collector(clocks)
    collector.awaiting(lambda: searching[0])
    _something_reached_the_old_generation()
    collector.input_seen()
    searching[0] = True
    clocks.pass_time(QUIET_INPUT + TICK)  # a slow search: long past a pause
    assert collector.quiet_for() == 0.0
    assert not collector.tick()
    searching[0] = False  # the results came
    clocks.pass_time(0.05)
    assert collector.quiet_for() == pytest.approx(0.05)  # not the search's whole time
    assert not collector.tick()
    clocks.pass_time(QUIET_INPUT + TICK)
    assert collector.tick()


def test_a_frame_s_worth_of_short_lived_objects_sets_off_no_young_collection(
    clocks: Clocks,
) -> None:
    """A keystroke's frame keeps a few thousand objects alive until the next one
    (its strips, each with seven caches): no collection walks them meanwhile."""
    collector = _collector(clocks)
    young: list[int] = []

    def seen(phase: str, info: dict) -> None:
        if phase == "start":
            young.append(info["generation"])

    gc.collect()
    frame: list[list] = []
    gc.callbacks.append(seen)
    try:
        frame = [[i] for i in range(4_000)]  # alive until the next frame
    finally:
        gc.callbacks.remove(seen)
        collector.stop()
    assert len(frame) == 4_000
    assert not young


def test_an_overdue_collection_waits_for_a_gap_after_a_key(clocks: Clocks) -> None:
    """Overdue, the walk still comes between two keys, not right after one (its
    frame not yet painted) nor while the search it started runs: in the first
    gap after a key, or, with none at all, once twice as late."""
    from briefing.tui.idle_gc import OVERDUE_GAP

    searching = [False]
    collector = _collector(clocks)
    collector.awaiting(lambda: searching[0])
    clocks.pass_time(BUSY_FULL_AFTER + TICK)
    _something_reached_the_old_generation()
    collector.input_seen()
    clocks.pass_time(OVERDUE_GAP / 4, busy=OVERDUE_GAP / 4)
    assert not collector.tick()  # just after a key
    searching[0] = True
    clocks.pass_time(OVERDUE_GAP * 2, busy=OVERDUE_GAP)
    assert not collector.tick()  # its search runs
    searching[0] = False
    clocks.pass_time(1.5 * OVERDUE_GAP, busy=1.5 * OVERDUE_GAP)
    assert collector.tick()  # a gap, however busy the reader was


def test_an_overdue_collection_with_no_gap_at_all_comes_twice_as_late(clocks: Clocks) -> None:
    collector = _collector(clocks)
    started = clocks.wall
    collected_at = None
    while collected_at is None and clocks.wall - started < 3 * BUSY_FULL_AFTER:
        _something_reached_the_old_generation()
        collector.input_seen()  # a key at every tick, never a gap
        clocks.pass_time(0.01)
        if collector.tick():
            collected_at = clocks.wall - started
        clocks.pass_time(TICK - 0.01)
    assert collected_at is not None
    assert collected_at >= 2 * BUSY_FULL_AFTER
