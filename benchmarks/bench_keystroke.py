"""Keystrokes in the reader: UI-thread time per key, on small and 5 MB reports.

Runs the app headless (120x40) with the pinyin index loaded, on the bundled
report, a 5 MB report of many sections (the bundled body repeated) and a 5 MB
report that is one huge section (~7,600 paragraphs). Per report it types
search queries one character at a time, then Esc, and reads with j, Space,
PgUp, G, g, ] and [.

Times are CPU time of the UI thread (``time.thread_time``: the search itself
runs in a worker thread and is not the UI's cost), from the keystroke until
the frame that shows its result is painted, minus the harness's own cost of
an idle frame. A search key counts the key's own frame and, from the moment
the worker hands its results over, their frame; what the UI thread does
while the worker runs (the harness polling, the blinking cursor) is shown
apart as "search wait", and what the reader does in the pauses between keys
(draws the screen below, ``ReaderView._draw_ahead``; scrolls the contents to
a far section a search found, ``ContentsList._follow_later``) as "drawn
ahead". Target: every keystroke < 50 ms at p99 (one frame is 16.7 ms).
Like the real start-up (``run_reader``), objects made before the app runs are
frozen out of the garbage collector.

    python benchmarks/bench_keystroke.py [--only bundled|many|one]
    python benchmarks/bench_keystroke.py --only many --base /path/to/main [--runs 3]
    python benchmarks/bench_keystroke.py --only many --rounds 5 [--profile 30]

``--rounds N`` types the whole session N times (a fresh app each time, in one
process): the p99 of ~90 search keys is one session's max, noise; over N×keys
it is a figure. ``--profile MS`` runs cProfile on the UI thread during every
key and prints, summed over the keys that took ``MS`` or more, the functions
by own time, and the rows each widget drew for those keys.

``--base DIR`` measures the code in DIR (a checkout of another branch) and this
one, alternately, each run in a fresh process with this harness, and prints
before → after (medians over the runs of each figure).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import io
import json
import os
import pstats
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

CODE = os.environ.get("BENCH_KEYSTROKE_CODE") or str(Path(__file__).resolve().parent.parent)
sys.path.insert(0, CODE)  # the code measured (``--base`` runs another checkout's)

QUERIES = [
    "fzzf",
    "fazhizhengfu",
    "xingzheng",
    "lvshi",
    "tiaojie",
    "zhengwu",
    "jiandu",
    "法治",
    "98.4",
    "gongzuo",
    "shehui",
    "zfjs",
    "yingshang",
    "anquan",
    "jzx",
]
READING_KEYS = ["j"] * 10 + ["space"] * 10 + ["pageup"] * 3 + ["G", "g"] + ["k"] * 3 + [
    "right_square_bracket"] * 5 + ["left_square_bracket"] * 3  # fmt: skip
BIG = 5_000_000
FRAME = 1 / 60  # Textual paints at most this often


def make_reports(folder: Path) -> dict[str, Path]:
    """The bundled report, and two 5 MB reports made from its text."""
    from briefing.resources import bundled_report_path

    bundled = bundled_report_path()
    lines = bundled.read_text(encoding="utf-8").split("\n")
    header = lines[:12]
    body = lines[12:]
    many = list(header)
    while sum(len(x.encode()) + 1 for x in many) < BIG:
        many += body
    # One section: one heading, then long paragraphs stripped of their numbering.
    plain = [re.sub(r"^([一二三四五六七八九十]+是|[一二三四五六七八九十]+、)", "", x) for x in body]
    plain = [x for x in plain if len(x) > 100 and not x[0].isdigit()]
    plain = [x for x in plain if not x.startswith(("在总结", "下一步"))]
    one = [*header, "一、总体情况"]
    while sum(len(x.encode()) + 1 for x in one) < BIG:
        one += plain
    paths = {"bundled": bundled, "many": folder / "many-5mb.txt", "one": folder / "one-5mb.txt"}
    paths["many"].write_text("\n".join(many), encoding="utf-8")
    paths["one"].write_text("\n".join(one), encoding="utf-8")
    return paths


class Profiler:
    """cProfile over each key's window; keeps the slow keys' profiles and drawn rows."""

    def __init__(self, threshold_ms: float | None, *, profile: bool = True) -> None:
        self.threshold = threshold_ms
        self.profile = profile  # False: only the rows and time each widget drew
        self.drawing: dict[str, float] = {}  # ms each widget class drew, over the slow keys
        self._key_drawing: dict[str, float] = {}
        self.stats: pstats.Stats | None = None
        self.rows: dict[str, int] = {}  # rows drawn per widget class, over the slow keys
        self.slow_keys: list[str] = []
        self._key_rows: dict[str, int] = {}
        self._profile: cProfile.Profile | None = None

    def count_rows(self, screen: object) -> None:
        """Wrap every widget's ``render_lines`` on the screen to count the rows drawn."""
        if self.threshold is None:
            return
        for widget in screen.walk_children(with_self=True):  # type: ignore[attr-defined]
            if "render_lines" in vars(widget):
                continue
            drawn = widget.render_lines
            name = type(widget).__name__

            def counted(crop: object, drawn: object = drawn, name: str = name) -> object:
                self._key_rows[name] = self._key_rows.get(name, 0) + crop.height  # type: ignore[attr-defined]
                started = time.thread_time()
                try:
                    return drawn(crop)  # type: ignore[operator]
                finally:
                    spent = (time.thread_time() - started) * 1000
                    self._key_drawing[name] = self._key_drawing.get(name, 0.0) + spent

            widget.render_lines = counted

    def start(self) -> None:
        if self.threshold is None:
            return
        self._key_rows, self._key_drawing = {}, {}
        if self.profile:
            # CPU time of this thread: the waits in ``poll`` (the worker searching,
            # the frame timer) are not the UI's cost and would bury it
            self._profile = cProfile.Profile(time.thread_time)
            self._profile.enable()

    def stop(self, ms: float, key: str) -> None:
        if self.threshold is None:
            return
        if self._profile is not None:
            self._profile.disable()
        if ms >= self.threshold:
            self.slow_keys.append(f"{key} {ms:.0f}")
            if self._profile is None:
                pass
            elif self.stats is None:
                self.stats = pstats.Stats(self._profile, stream=io.StringIO())
            else:
                self.stats.add(self._profile)
            for name, rows in self._key_rows.items():
                self.rows[name] = self.rows.get(name, 0) + rows
            for name, spent in self._key_drawing.items():
                self.drawing[name] = self.drawing.get(name, 0.0) + spent
        self._profile = None

    def print(self, top: int = 35) -> None:
        if self.threshold is None:
            return
        print(f"  profiled slow keys (>= {self.threshold:.0f} ms): {len(self.slow_keys)}: "
              + ", ".join(self.slow_keys[:30]))  # fmt: skip
        per_key = max(1, len(self.slow_keys))
        print("  rows (ms) drawn per slow key, by widget: " + ", ".join(
            f"{name} {rows / per_key:.1f} ({self.drawing.get(name, 0.0) / per_key:.1f})"
            for name, rows in sorted(self.rows.items(), key=lambda item: -item[1])))  # fmt: skip
        if self.stats is None:
            return
        out = io.StringIO()
        self.stats.stream = out  # type: ignore[attr-defined]
        self.stats.sort_stats("tottime").print_stats(top)
        self.stats.sort_stats("cumulative").print_stats(top)
        dump = os.environ.get("BENCH_KEYSTROKE_PROFILE")
        if dump:
            self.stats.dump_stats(dump)  # for pstats / snakeviz
        print("\n".join("    " + line for line in out.getvalue().splitlines()[6:]))


class GcClock:
    """UI-thread CPU ms spent in the cyclic collector (``gc.callbacks``), by generation."""

    def __init__(self) -> None:
        self.thread = threading.get_ident()
        self.spent = [0.0, 0.0, 0.0]
        self._started = 0.0

    def __call__(self, phase: str, info: dict) -> None:
        if threading.get_ident() != self.thread:
            return  # the search worker's collections are not the UI thread's
        if phase == "start":
            self._started = time.thread_time()
        else:
            self.spent[info["generation"]] += (time.thread_time() - self._started) * 1000

    def total(self) -> float:
        return sum(self.spent)

    def since(self, then: list[float]) -> str:
        """What each generation took since ``then`` (a copy of ``spent``), for a key's label."""
        taken = [now - before for now, before in zip(self.spent, then, strict=True)]
        return " (gc " + "+".join(f"{ms:.0f}" for ms in taken) + ")" if sum(taken) >= 1 else ""


async def measure(
    path: Path,
    scratch: str,
    worst: list[tuple[float, str]],
    profiler: Profiler | None = None,
) -> dict[str, list[float]]:
    """Every keystroke's UI-thread ms, by kind; ``worst`` gets (ms, key) of each one."""
    profiler = profiler or Profiler(None)
    import briefing
    from briefing.search import load_index
    from briefing.store import Store
    from briefing.tui.app import BriefingApp

    report = briefing.load_report(path)
    load_index(report)  # warm: the index comes from the cache, as for a report seen before
    timings: dict[str, list[float]] = {
        "search key": [], "esc": [], "reading key": [], "idle": [], "search wait": [],
        "drawn ahead": [], "gc in search key": [], "gc in reading key": [],
        "paint in search key": [], "results handled": [], "ahead in search key": [],
    }  # fmt: skip
    collector_clock = GcClock()
    gc_label = [""]
    gc.callbacks.append(collector_clock)
    store = Store.open(os.path.join(scratch, f"db-{report.sha256[:8]}.json"))
    app = BriefingApp(report, store)
    gc.freeze()  # as run_reader does before app.run
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        for _ in range(500):
            await pilot.pause(0.01)
            if screen.index is not None and screen.figures:
                break
        await screen.ensure_panels()
        await pilot.pause()
        profiler.count_rows(screen)

        paints = [0]
        paint = screen._compositor_refresh

        painting = [0.0]  # UI-thread ms spent painting frames, all told

        def counted_paint() -> None:
            paints[0] += 1
            started = time.thread_time()
            try:
                paint()
            finally:
                painting[0] += (time.thread_time() - started) * 1000

        screen._compositor_refresh = counted_paint  # the screen's timer draws through it

        ahead = [0.0]  # UI-thread seconds spent drawing the next screen ahead, while idle
        view = screen.view
        if hasattr(view, "_draw_ahead"):
            draw_ahead = view._draw_ahead

            def timed_ahead() -> None:
                started = time.thread_time()
                try:
                    draw_ahead()
                finally:
                    ahead[0] += time.thread_time() - started

            view._draw_ahead = timed_ahead  # its timer calls it through the attribute
        contents = screen.contents
        if hasattr(contents, "_follow_later"):
            follow_later = contents._follow_later

            def timed_follow() -> None:
                started = time.thread_time()
                try:
                    follow_later()
                finally:
                    ahead[0] += time.thread_time() - started

            contents._follow_later = timed_follow  # the same: left to a pause in the typing

        async def painted() -> None:
            """Sleep (no UI-thread time) until what the key changed is on screen.

            ``pilot.pause`` returns once messages are handled, often before the
            screen's timer has drawn the frame, whose cost was then counted in the
            next key's baseline instead: wait until three frame periods pass
            without a paint.
            """
            quiet = 0
            while quiet < 3:
                before = paints[0]
                await asyncio.sleep(FRAME)
                quiet = quiet + 1 if paints[0] == before else 0

        async def idle(*, press: bool = False) -> float:
            """The harness's own UI-thread ms (a pilot pause, the waits) with nothing to do.

            Work the reader does ahead in such a pause (drawing the next screen) is
            not the harness's: it is counted apart (``ahead``), not subtracted from
            the next key. Done inside a key's own window, it counts as the key's.
            """
            started, before = time.thread_time(), ahead[0]
            if press:
                await pilot.pause()
            await painted()
            drawn = ahead[0] - before
            if drawn:
                timings["drawn ahead"].append(drawn * 1000)
            return (time.thread_time() - started - drawn) * 1000

        arrived: list[float] = []  # UI-thread clock when each search's results came
        results_done = screen._search_done

        handled = [0.0]  # UI-thread ms in the screen's handling of results, all told

        def results_came(*args: object, **kwargs: object) -> None:
            arrived.append(time.thread_time())
            try:
                results_done(*args, **kwargs)
            finally:
                handled[0] += (time.thread_time() - arrived[-1]) * 1000

        screen._search_done = results_came  # the worker hands its results over through it

        async def searched(query: str) -> float:
            """UI-thread ms of one search keystroke: from the key to its painted frame
            (the query, "…"), then from the results' arrival to their painted frame.

            The worker's own time is not the UI thread's; while it runs the UI
            thread is free (its CPU then, the harness's polling and the input's
            blinking cursor, goes to ``timings["search wait"]``, not to the key).
            """
            arrived.clear()
            profiler.start()
            collected, by_generation = collector_clock.total(), list(collector_clock.spent)
            painted_before, handled_before, ahead_before = painting[0], handled[0], ahead[0]
            started = time.thread_time()
            app.idle_collector.input_seen()  # as the key would: no idle collection now
            screen._run_search(query, move=True)
            await painted()
            typed = time.thread_time()
            while screen.search.pending:
                await asyncio.sleep(0.005)  # the worker searches; the UI thread waits
            waited = time.thread_time()
            await painted()
            finished = time.thread_time()
            if not arrived or arrived[-1] <= typed:  # the results came with the key's frame
                spent = finished - started
            else:
                spent = (typed - started) + (finished - arrived[-1])
                timings["search wait"].append(max(0.0, (waited - typed) * 1000))
            timings["gc in search key"].append(collector_clock.total() - collected)
            timings["paint in search key"].append(painting[0] - painted_before)
            timings["results handled"].append(handled[0] - handled_before)
            timings["ahead in search key"].append((ahead[0] - ahead_before) * 1000)
            gc_label[0] = collector_clock.since(by_generation)
            return max(0.0, spent * 1000 - timings["idle"][-1])

        await painted()
        screen.search_bar.open()
        await painted()  # the bar's own layout and paint are no keystroke's (nor "idle")
        for query in QUERIES:
            for end in range(1, len(query) + 1):
                timings["idle"].append(await idle())
                timings["search key"].append(await searched(query[:end]))
                profiler.stop(timings["search key"][-1], f"/{query[:end]}")
                worst.append((timings["search key"][-1], f"/{query[:end]}{gc_label[0]}"))
            timings["idle"].append(await idle())
            started = time.thread_time()
            app.idle_collector.input_seen()
            screen._run_search("", move=False)  # what Esc does to the hits
            await painted()
            timings["esc"].append((time.thread_time() - started) * 1000 - timings["idle"][-1])
        screen.search_bar.close_keeping_hits()
        screen.view.focus()
        await painted()
        for key in READING_KEYS:
            timings["idle"].append(await idle(press=True))
            profiler.start()
            collected, by_generation = collector_clock.total(), list(collector_clock.spent)
            started = time.thread_time()
            await pilot.press(key)
            await painted()
            spent = (time.thread_time() - started) * 1000 - timings["idle"][-1]
            timings["gc in reading key"].append(collector_clock.total() - collected)
            profiler.stop(spent, key)
            timings["reading key"].append(spent)
            worst.append((spent, key + collector_clock.since(by_generation)))
    store.close()
    gc.callbacks.remove(collector_clock)
    gc.unfreeze()
    return timings


def summary(values: list[float]) -> tuple[float, float, float]:
    """(median, p99, max) of one kind of keystroke."""
    values = sorted(values)
    p99 = values[min(len(values) - 1, int(0.99 * len(values)))]
    return statistics.median(values), p99, values[-1]


def run_one(
    name: str, path: Path, scratch: str, rounds: int = 1, profiler: Profiler | None = None
) -> dict:
    """The figures of ``rounds`` sessions on one report, their keys pooled."""
    worst: list[tuple[float, str]] = []
    timings: dict[str, list[float]] = {}
    for _round in range(rounds):
        for label, values in asyncio.run(measure(path, scratch, worst, profiler)).items():
            timings.setdefault(label, []).extend(values)
    return {
        "figures": {label: summary(values) for label, values in timings.items() if values},
        "counts": {label: len(values) for label, values in timings.items()},
        "worst": sorted(worst, reverse=True)[:5],
    }


def print_report(name: str, size: float, result: dict, rounds: int = 1) -> None:
    sessions = f", {rounds} sessions pooled" if rounds > 1 else ""
    print(f"{name} report ({size:.1f} MB), 120x40, UI-thread CPU ms per keystroke{sessions}")
    for label, (median, p99, top) in result["figures"].items():
        count = result["counts"][label]
        print(f"  {label:<19} n={count:<4} median {median:6.1f}   p99 {p99:6.1f}   max {top:6.1f}")
    print("  worst keys: " + ", ".join(f"{key} {ms:.0f}" for ms, key in result["worst"]))


def compare(name: str, base: str, runs: int, rounds: int = 1) -> None:
    """Before (``base``) and after (this checkout), alternated in fresh processes."""
    results: dict[str, list[dict]] = {"before": [], "after": []}
    for _run in range(runs):
        for side, code in (("before", base), ("after", CODE)):
            env = {**os.environ, "BENCH_KEYSTROKE_CODE": code}
            out = subprocess.run(
                [sys.executable, __file__, "--only", name, "--json", "--rounds", str(rounds)],
                env=env, capture_output=True, text=True, check=True,
            ).stdout  # fmt: skip
            results[side].append(json.loads(out.strip().splitlines()[-1])[name])
    print(f"{name} report, UI-thread CPU ms per keystroke, median / p99 / max"
          f" ({runs} runs each of {rounds} sessions)")  # fmt: skip
    print(f"  {'':<14} {'before':>22}   {'after':>22}")
    for label in results["after"][0]["figures"]:
        if any(label not in r["figures"] for side in results.values() for r in side):
            continue
        cells = []
        for side in ("before", "after"):
            medians = [r["figures"][label][0] for r in results[side]]
            p99s = [r["figures"][label][1] for r in results[side]]
            tops = [r["figures"][label][2] for r in results[side]]
            cells.append(
                f"{statistics.median(medians):6.1f} / {statistics.median(p99s):6.1f}"
                f" / {statistics.median(tops):6.1f}"
            )
        print(f"  {label:<14} {cells[0]:>22} → {cells[1]:>22}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=["bundled", "many", "one"], action="append")
    parser.add_argument("--base", help="a checkout of the code to compare with")
    parser.add_argument("--runs", type=int, default=1, help="runs of each side with --base")
    parser.add_argument(
        "--rounds", type=int, default=1, help="sessions per report, their keys pooled"
    )
    parser.add_argument(
        "--profile", type=float, metavar="MS", help="profile the keys that take MS or more"
    )
    parser.add_argument(
        "--widgets", type=float, metavar="MS",
        help="rows and ms each widget drew in the keys that take MS or more (no cProfile)",
    )  # fmt: skip
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    names = args.only or ["bundled", "many", "one"]
    if args.base:
        for name in names:
            compare(name, str(Path(args.base).resolve()), args.runs, args.rounds)
        print("  target: p99 < 50 ms per keystroke (one frame at 60 Hz = 16.7 ms)")
        return
    found: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as scratch:
        os.environ.setdefault("BRIEFING_CACHE_DIR", os.path.join(scratch, "cache"))
        paths = make_reports(Path(scratch))
        for name in names:
            profiler = (
                Profiler(args.widgets, profile=False)
                if args.widgets is not None
                else Profiler(args.profile)
            )
            found[name] = result = run_one(name, paths[name], scratch, args.rounds, profiler)
            if not args.json:
                print_report(name, paths[name].stat().st_size / 1e6, result, args.rounds)
                profiler.print()
    if args.json:
        print(json.dumps(found))
    else:
        print("  target: p99 < 50 ms per keystroke (one frame at 60 Hz = 16.7 ms)")


if __name__ == "__main__":
    main()
