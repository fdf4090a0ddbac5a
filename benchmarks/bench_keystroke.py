"""Keystrokes in the reader: UI-thread time per key, on small and 5 MB reports.

Runs the app headless (120x40) with the pinyin index loaded, on the bundled
report, a 5 MB report of many sections (the bundled body repeated) and a 5 MB
report that is one huge section (~7,600 paragraphs). Per report it types
search queries one character at a time, then Esc, and reads with j, Space,
PgUp, G, g, ] and [.

Times are CPU time of the UI thread (``time.thread_time``: the search itself
runs in a worker thread and is not the UI's cost), from the keystroke until
the frame that shows its result is painted, minus the harness's own cost of
an idle frame. Target: every keystroke < 50 ms at p99 (one frame is 16.7 ms).
Like the real start-up (``run_reader``), objects made before the app runs are
frozen out of the garbage collector.

    python benchmarks/bench_keystroke.py [--only bundled|many|one]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

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


async def measure(path: Path, scratch: str) -> dict[str, list[float]]:
    import briefing
    from briefing.search import load_index
    from briefing.store import Store
    from briefing.tui.app import BriefingApp

    report = briefing.load_report(path)
    load_index(report)  # warm: the index comes from the cache, as for a report seen before
    timings: dict[str, list[float]] = {"search key": [], "esc": [], "reading key": [], "idle": []}
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

        paints = [0]
        paint = screen._compositor_refresh

        def counted_paint() -> None:
            paints[0] += 1
            paint()

        screen._compositor_refresh = counted_paint  # the screen's timer draws through it

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
            """The harness's own UI-thread ms (a pilot pause, the waits) with nothing to do."""
            started = time.thread_time()
            if press:
                await pilot.pause()
            await painted()
            return (time.thread_time() - started) * 1000

        async def searched(query: str) -> float:
            """UI-thread ms from the keystroke to the painted results."""
            started = time.thread_time()
            screen._run_search(query, move=True)
            while screen.search.pending:
                await asyncio.sleep(0.005)  # the worker searches; the UI thread waits
            await painted()
            return max(0.0, (time.thread_time() - started) * 1000 - timings["idle"][-1])

        await painted()
        screen.search_bar.open()
        for query in QUERIES:
            for end in range(1, len(query) + 1):
                timings["idle"].append(await idle())
                timings["search key"].append(await searched(query[:end]))
            timings["idle"].append(await idle())
            started = time.thread_time()
            screen._run_search("", move=False)  # what Esc does to the hits
            await painted()
            timings["esc"].append((time.thread_time() - started) * 1000 - timings["idle"][-1])
        screen.search_bar.close_keeping_hits()
        screen.view.focus()
        await painted()
        for key in READING_KEYS:
            timings["idle"].append(await idle(press=True))
            started = time.thread_time()
            await pilot.press(key)
            await painted()
            timings["reading key"].append(
                (time.thread_time() - started) * 1000 - timings["idle"][-1]
            )
    store.close()
    gc.unfreeze()
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=["bundled", "many", "one"], action="append")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        os.environ.setdefault("BRIEFING_CACHE_DIR", os.path.join(scratch, "cache"))
        paths = make_reports(Path(scratch))
        for name in args.only or ["bundled", "many", "one"]:
            timings = asyncio.run(measure(paths[name], scratch))
            size = paths[name].stat().st_size / 1e6
            print(f"{name} report ({size:.1f} MB), 120x40, UI-thread CPU ms per keystroke")

            def row(label: str, values: list[float]) -> None:
                values = sorted(values)
                p99 = values[min(len(values) - 1, int(0.99 * len(values)))]
                median = statistics.median(values)
                print(
                    f"  {label:<14} n={len(values):<4} median {median:6.1f}   p99 {p99:6.1f}"
                    f"   max {values[-1]:6.1f}"
                )

            for label, values in timings.items():
                row(label, values)
        print("  target: p99 < 50 ms per keystroke (one frame at 60 Hz = 16.7 ms)")


if __name__ == "__main__":
    main()
