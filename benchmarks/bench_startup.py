"""Start-up: time to the first painted screen, briefing vs an empty Textual app.

Each run is a fresh Python process (imports included), timed from spawn until
the app has mounted its screen and completed its first refresh, in headless
mode (interpreter shutdown is not counted). The two are run alternately so
that machine noise hits both alike.

    python benchmarks/bench_startup.py [--runs 15] [--report PATH] [--search] [--base DIR]
                                       [--instructions]

Prints median and p90 for each, the ratio (target: briefing <= 1.25x empty),
and whether pypinyin was imported before the first paint (it must not be).
The process CPU time to the first paint is printed too: on a shared machine
it is steadier than the wall clock. ``--search`` also times, in the same
runs, how long after the first paint a search shows its hits (index loaded
from the cache in its worker, then ``fazhi`` searched), the target being
< 1 s at 5 MB. ``--base DIR`` also times the briefing of another checkout
(``git worktree add --detach /tmp/startup-base main``) in the same runs,
alternating empty / base / this one, and prints the before/after table.
``--instructions`` counts instead the instructions each start executes to its
first paint (valgrind's ``Ir``, one run each: the same count every time, so a
change of a percent shows even on a machine too busy for the clock).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

EMPTY_APP = r"""
import os, sys, time
from textual.app import App
from textual.widgets import Footer, Header, Static

class Empty(App):
    def compose(self):
        yield Header()
        yield Static("hello")
        yield Footer()

    def on_mount(self):
        self.call_after_refresh(self.painted)

    def painted(self):
        print("painted", time.time() - float(os.environ["BENCH_T0"]), "pypinyin" in sys.modules,
              time.process_time(), flush=True)
        self.exit()

Empty().run(headless=True, size=(120, 40))
"""

BRIEFING_APP = r"""
import os, sys, time
from briefing import startup_gc

# ``briefing`` holds the cyclic collector (briefing.cli.open_reader) before it
# imports the reader; this script imports the reader first, to swap the app
# class, so it holds the collector first too (imported with the collector on,
# Textual and the reader paid ~20 ms of collections that a user never does).
startup_gc.hold()
import briefing.tui.app
from briefing.tui.app import BriefingApp
from briefing.tui.screens.reader import ReaderScreen

# The same path as `briefing` with no arguments: briefing.cli.main ->
# open_reader -> load_report -> run_reader; only the app class is swapped.

class TimedScreen(ReaderScreen):
    # Textual calls on_mount of every class in the MRO, subclass first: this
    # callback is queued before the screen's own after-paint work.
    def on_mount(self):
        self.call_after_refresh(self.painted)

    def painted(self):
        assert self.title == self.app.report.title and self.query_one("ContentsList").sections
        print("painted", time.time() - float(os.environ["BENCH_T0"]), "pypinyin" in sys.modules,
              time.process_time(), flush=True)
        if not os.environ.get("BENCH_SEARCH"):
            self.app.exit()
            return
        self._painted_at = time.monotonic()
        self._painted_cpu = time.process_time()
        self.set_interval(0.01, self.search_when_ready)

    def search_when_ready(self):
        # What a reader who presses / and types at once gets: hits as soon as they can be.
        if self.index is None:
            return
        if not self.search.query:
            self._run_search("fazhi", move=False)
        elif not self.search.pending and self.search.count:
            print("searched", time.monotonic() - self._painted_at,
                  time.process_time() - self._painted_cpu, flush=True)
            self.app.exit()


class Timed(BriefingApp):
    def get_default_screen(self):
        return TimedScreen(self.report, self.store)


_run_reader = briefing.tui.app.run_reader
briefing.tui.app.run_reader = lambda report, db, **options: _run_reader(
    report, db, app_class=Timed, headless=True, size=(120, 40), **options
)
from briefing.cli import main
main([os.environ["BENCH_REPORT"]] if os.environ.get("BENCH_REPORT") else [])
"""


def time_once(
    source: str, env: dict[str, str], code: str | None = None
) -> tuple[float, bool, float, float | None]:
    """Seconds from spawning the process to its first paint (shutdown excluded),
    whether pypinyin was imported, CPU seconds to the first paint, and seconds
    from the first paint to a search's hits (``BENCH_SEARCH`` set, else None).
    ``code``: import briefing from this checkout instead of the installed one.
    The process CPU seconds from the paint to the hits (every thread: steadier
    than the wall clock on a shared machine) are kept in ``LAST_SEARCH_CPU``."""
    env = {**env, "BENCH_T0": repr(time.time())}
    if code is not None:
        env["PYTHONPATH"] = os.pathsep.join(x for x in (code, env.get("PYTHONPATH")) if x)
    result = subprocess.run(
        [sys.executable, "-c", source],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        cwd=code or None,
    )
    lines = result.stdout.splitlines()
    line = next((x for x in lines if x.startswith("painted")), None)
    if result.returncode != 0 or line is None:
        raise SystemExit(f"run failed:\n{result.stdout}\n{result.stderr}")
    _, elapsed, pinyin, cpu = line.split()
    found = next((x.split() for x in lines if x.startswith("searched")), None)
    searched = float(found[1]) if found else None
    LAST_SEARCH_CPU[:] = [float(found[2])] if found else []
    return float(elapsed), pinyin == "True", float(cpu), searched


LAST_SEARCH_CPU: list[float] = []  # the CPU seconds of time_once's last search, if any


def instructions_once(source: str, env: dict[str, str], code: str | None = None) -> int:
    """Instructions a fresh process executes to its first paint (valgrind's ``Ir``).

    Deterministic where the clock is not: the count moves by a few parts in ten
    thousand between runs, while a busy machine moves the CPU time by tens of
    percent. It weighs every instruction alike (an import's file reads, done
    by the kernel, are not counted), so it is a companion to the clock, not a
    replacement."""
    import re
    import shutil

    valgrind = shutil.which("valgrind")
    if valgrind is None:
        raise SystemExit("--instructions needs valgrind")
    env = {**env, "BENCH_T0": "0"}
    if code is not None:
        env["PYTHONPATH"] = os.pathsep.join(x for x in (code, env.get("PYTHONPATH")) if x)
    tool = ["--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null"]
    result = subprocess.run(
        [valgrind, *tool, sys.executable, "-c", source],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        cwd=code or None,
    )
    found = re.search(r"I\s+refs:\s+([\d,]+)", result.stderr)
    if result.returncode != 0 or "painted" not in result.stdout or found is None:
        raise SystemExit(f"run failed:\n{result.stdout}\n{result.stderr[-2000:]}")
    return int(found.group(1).replace(",", ""))


def print_instructions(
    env: dict[str, str], base: str | None, label: str, base_env: dict[str, str]
) -> None:
    """One count each: the empty app, the base checkout (``--base``, with its own
    caches: ``base_env``), this one."""
    empty = instructions_once(EMPTY_APP, env)
    rows = [("empty Textual app", empty)]
    if base:
        rows.append((f"base ({base})", instructions_once(BRIEFING_APP, base_env, base)))
    rows.append((f"this ({label})", instructions_once(BRIEFING_APP, env)))
    print("instructions to the first paint (valgrind Ir), one run each, headless 120x40")
    for name, count in rows:
        print(f"  {name:<40} {count / 1e6:9.1f} M   {count / empty:.3f}x empty")
    if base:
        before, after = rows[1][1], rows[2][1]
        print(
            f"  change {100 * (after - before) / before:+.1f}% of the start, "
            f"{100 * (after - before) / (before - empty):+.1f}% of what it costs over the empty app"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--report", help="open this report instead of the bundled one (warm)")
    parser.add_argument("--search", action="store_true", help="time a search after the paint")
    parser.add_argument("--base", help="a checkout to compare with (before/after table)")
    parser.add_argument(
        "--instructions", action="store_true", help="count instructions (valgrind) instead"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        env = dict(os.environ)
        # Measure what a user gets: bytecode cached after the first run.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        # A user's own folders, found the default way (no BRIEFING_* overrides),
        # but in a scratch home so the benchmark never touches real notes.
        for name in ("BRIEFING_DB", "BRIEFING_CACHE_DIR", "BRIEFING_CONFIG_DIR"):
            env.pop(name, None)
        env["HOME"] = scratch
        for name, sub in (
            ("XDG_DATA_HOME", "data"),
            ("XDG_CACHE_HOME", "cache"),
            ("XDG_CONFIG_HOME", "config"),
        ):
            env[name] = os.path.join(scratch, sub)
        # Warm up both (disk cache, .pyc) and build the search index cache once,
        # as a user who has opened the report before would have it.
        if args.report:
            env["BENCH_REPORT"] = os.path.abspath(args.report)
        warm = (
            "import os, briefing, briefing.search as s;"
            "s.load_index(briefing.load_report(os.environ.get('BENCH_REPORT') or None))"
        )
        subprocess.run([sys.executable, "-c", warm], env=env, check=True)
        time_once(EMPTY_APP, env)
        time_once(BRIEFING_APP, env)
        base = os.path.abspath(args.base) if args.base else None
        # The base checkout keeps caches of its own: a report cache entry is keyed by
        # the parser's code, and each checkout replaced the other's (so one of them
        # parsed the report at every start whenever the parser files differ).
        base_env = {**env, "XDG_CACHE_HOME": os.path.join(scratch, "cache-base")}
        if base:
            code = {**base_env, "PYTHONPATH": base}
            subprocess.run([sys.executable, "-c", warm], env=code, check=True, cwd=base)
            time_once(BRIEFING_APP, base_env, base)
        if args.instructions:
            label = os.path.basename(args.report) if args.report else "bundled report"
            print_instructions(env, base, label, base_env)
            return
        empty, ours, pinyin_seen = [], [], False
        empty_cpu, ours_cpu, searches = [], [], []
        base_wall: list[float] = []
        base_cpu: list[float] = []
        for _ in range(args.runs):
            if base:
                elapsed, _pinyin, cpu, _ = time_once(BRIEFING_APP, base_env, base)
                base_wall.append(elapsed)
                base_cpu.append(cpu)
            elapsed, _pinyin, cpu, _ = time_once(EMPTY_APP, env)
            empty.append(elapsed)
            empty_cpu.append(cpu)
            search_env = {**env, "BENCH_SEARCH": "1"} if args.search else env
            elapsed, pinyin, cpu, searched = time_once(BRIEFING_APP, search_env)
            ours.append(elapsed)
            ours_cpu.append(cpu)
            if searched is not None:
                searches.append(searched)
            pinyin_seen |= pinyin

    def row(name: str, values: list[float]) -> str:
        values = sorted(values)
        p90 = values[int(0.9 * (len(values) - 1))]
        median = statistics.median(values) * 1000
        return f"{name:<28} median {median:7.1f} ms   p90 {p90 * 1000:7.1f} ms"

    print(f"start-up to first paint, {args.runs} runs each, fresh processes, headless 120x40")
    print(row("empty Textual app", empty))
    print(
        row(
            f"briefing ({os.path.basename(args.report) if args.report else 'bundled report'})", ours
        )
    )
    ratio = statistics.median(ours) / statistics.median(empty)
    print(f"ratio (median) {ratio:.2f}x   target <= 1.25x   {'OK' if ratio <= 1.25 else 'MISSED'}")
    print(row("CPU: empty Textual app", empty_cpu))
    print(row("CPU: briefing", ours_cpu))
    print(f"CPU ratio (median) {statistics.median(ours_cpu) / statistics.median(empty_cpu):.2f}x")
    if searches:
        print(row("search hits after the paint", searches))
    if base_wall:
        print(f"before/after in the same runs (base: {args.base})")
        for label, before, after, ref in (
            ("wall", base_wall, ours, empty),
            ("CPU", base_cpu, ours_cpu, empty_cpu),
        ):
            b, a, e = (statistics.median(x) for x in (before, after, ref))
            print(
                f"  {label:<5} base {b * 1000:7.1f} ms ({b / e:.2f}x)   "
                f"this {a * 1000:7.1f} ms ({a / e:.2f}x)   change {100 * (a - b) / b:+.1f}%"
            )
    print(f"pypinyin imported before first paint: {'YES (wrong)' if pinyin_seen else 'no'}")


if __name__ == "__main__":
    main()
