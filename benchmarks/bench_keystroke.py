"""Search as you type in the reader: time from a keystroke to the screen updated.

Runs the app headless on the bundled report with the pinyin index loaded, then
types queries one character at a time. For each keystroke it times the
screen's search handler (engine, hit marks, results list, jump to the hit)
until the app is idle again, i.e. the refresh that paints it is done, in CPU
time (the wait for idle sleeps between frames, which costs no work); the
harness's own cost of an idle frame is printed for comparison.
Target: within one frame (16.7 ms at 60 Hz).
Like the real start-up (``run_reader``), objects made before the app runs are
frozen out of the garbage collector.

    python benchmarks/bench_keystroke.py
"""

from __future__ import annotations

import asyncio
import gc
import os
import statistics
import tempfile
import time

QUERIES = ["fzzf", "fazhizhengfu", "xingzheng", "lvshi", "tiaojie", "zhengwu", "jiandu",
           "法治", "98.4", "gongzuo", "shehui", "zfjs", "yingshang", "anquan", "jzx"]


async def measure() -> dict[str, list[float]]:
    import briefing
    from briefing.store import Store
    from briefing.tui.app import BriefingApp

    timings: dict[str, list[float]] = {"handler": [], "painted": [], "idle": []}
    with tempfile.TemporaryDirectory() as scratch:
        os.environ.setdefault("BRIEFING_CACHE_DIR", os.path.join(scratch, "cache"))
        store = Store.open(os.path.join(scratch, "db.json"))
        app = BriefingApp(briefing.load_report(), store)
        gc.freeze()  # as run_reader does before app.run
        async with app.run_test(size=(120, 40)) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            screen = app.screen
            await screen.ensure_panels()
            screen.search_bar.open()
            for query in QUERIES:
                for end in range(1, len(query) + 1):
                    await pilot.pause()
                    started = time.process_time()
                    await pilot.pause()  # the test harness's own cost of a frame
                    timings["idle"].append((time.process_time() - started) * 1000)
                    started = time.process_time()
                    screen._run_search(query[:end], move=True)
                    timings["handler"].append((time.process_time() - started) * 1000)
                    await pilot.pause()  # until idle again: the new frame is painted
                    timings["painted"].append((time.process_time() - started) * 1000)
        store.close()
    return timings


def main() -> None:
    timings = asyncio.run(measure())
    count = len(timings["handler"])
    print(f"reader search-as-you-type, {count} keystrokes on the bundled report, 120x40, CPU ms")

    def row(label: str, values: list[float]) -> None:
        values = sorted(values)
        p99 = values[min(len(values) - 1, int(0.99 * len(values)))]
        print(f"  {label:<46} median {statistics.median(values):5.1f}   p99 {p99:5.1f}")

    row("search handler (engine, marks, list, jump)", timings["handler"])
    row("keystroke to painted frame (incl. harness)", timings["painted"])
    row("harness alone (an idle frame)", timings["idle"])
    print("  one frame at 60 Hz = 16.7 ms")


if __name__ == "__main__":
    main()
