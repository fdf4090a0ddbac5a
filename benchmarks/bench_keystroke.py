"""Search as you type in the reader: time from a keystroke to the screen updated.

Runs the app headless on the bundled report with the pinyin index loaded, then
types queries one character at a time. For each keystroke it times the
screen's search handler (engine, hit marks, results list, jump to the hit)
and the refresh that paints it. Target: within one frame (16.7 ms at 60 Hz).

    python benchmarks/bench_keystroke.py
"""

from __future__ import annotations

import asyncio
import os
import statistics
import tempfile
import time

QUERIES = ["fzzf", "fazhizhengfu", "xingzheng", "lvshi", "tiaojie", "zhengwu", "jiandu",
           "法治", "98.4", "gongzuo", "shehui", "zfjs", "yingshang", "anquan", "jzx"]


async def measure() -> list[float]:
    import briefing
    from briefing.store import Store
    from briefing.tui.app import BriefingApp

    with tempfile.TemporaryDirectory() as scratch:
        os.environ.setdefault("BRIEFING_CACHE_DIR", os.path.join(scratch, "cache"))
        store = Store.open(os.path.join(scratch, "db.json"))
        app = BriefingApp(briefing.load_report(), store)
        timings: list[float] = []
        async with app.run_test(size=(120, 40)) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            screen = app.screen
            await screen.ensure_panels()
            screen.search_bar.open()
            for query in QUERIES:
                for end in range(1, len(query) + 1):
                    started = time.perf_counter()
                    screen._run_search(query[:end], move=True)
                    screen._compositor_refresh()  # paint now, as the next frame would
                    timings.append((time.perf_counter() - started) * 1000)
                    await pilot.pause()
        store.close()
    return timings


def main() -> None:
    timings = sorted(asyncio.run(measure()))
    p99 = timings[min(len(timings) - 1, int(0.99 * len(timings)))]
    print(f"reader search-as-you-type, {len(timings)} keystrokes on the bundled report, 120x40")
    print(f"  keystroke to painted screen: median {statistics.median(timings):.1f} ms, "
          f"p99 {p99:.1f} ms, max {timings[-1]:.1f} ms   target < 16.7 ms (one frame)")


if __name__ == "__main__":
    main()
