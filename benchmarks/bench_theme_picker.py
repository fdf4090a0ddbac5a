"""The theme picker (`t`): CPU time of its first open and of later opens.

    python benchmarks/bench_theme_picker.py [--runs 5] [--before DIR]

Each run is a fresh process on the bundled report with its own cache folder:
"cold" has never computed the theme names' readings (the first open ever, or
after a new theme file or a language change), "warm" has. CPU time
(time.process_time, all threads) from the key to the listed themes, after the
reader's own loading has finished; medians. ``--before DIR`` runs a checkout
of another commit (e.g. ``git worktree add /tmp/before main``) alternately with
this one and prints both columns.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import asyncio, os, statistics, sys, time
import briefing
from briefing.store import Store
from briefing.tui.app import BriefingApp
from textual.command import CommandList, CommandPalette

async def opened(pilot):
    start = time.process_time()
    await pilot.press("t")
    while True:
        await pilot.pause(0.005)
        found = pilot.app.screen.query(CommandList)
        if isinstance(pilot.app.screen, CommandPalette) and found and found.first().option_count:
            break
    await pilot.app.workers.wait_for_complete()  # what the open started (an index build)
    return time.process_time() - start

async def main():
    app = BriefingApp(briefing.load_report(), Store.open(sys.argv[1]))
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause(0.5)
        first = await opened(pilot)
        later = []
        for _ in range(5):
            await pilot.press("escape")
            await pilot.pause(0.3)
            later.append(await opened(pilot))
    print(first, statistics.median(later))

asyncio.run(main())
"""


def run(tree: Path, cold: bool, cache: str) -> tuple[float, float]:
    env = {**os.environ, "BRIEFING_LANG": "zh", "PYTHONPATH": str(tree)}
    env["BRIEFING_CACHE_DIR"] = cache
    with tempfile.TemporaryDirectory() as scratch:
        if cold:
            env["BRIEFING_CACHE_DIR"] = os.path.join(scratch, "cache")
            warm = "import briefing, briefing.search as s; s.load_index(briefing.load_report())"
            subprocess.run([sys.executable, "-c", warm], env=env, check=True, cwd=scratch)
        out = subprocess.run(
            [sys.executable, "-c", CHILD, os.path.join(scratch, "db.json")],
            env=env,
            check=True,
            capture_output=True,
            text=True,
            cwd=scratch,
        ).stdout.split()
    return float(out[0]), float(out[1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--before", type=Path, help="a checkout of the code to compare with")
    args = parser.parse_args()
    trees = {"now": ROOT} if args.before is None else {"before": args.before, "now": ROOT}
    results: dict[tuple[str, str], list[tuple[float, float]]] = {}
    with tempfile.TemporaryDirectory() as warm_caches:
        for name, tree in trees.items():  # the warm caches hold the names' readings
            run(tree, False, os.path.join(warm_caches, name))
        for _ in range(args.runs):
            for name, tree in trees.items():
                for mode in ("cold", "warm"):
                    cache = os.path.join(warm_caches, name)  # kept between warm runs
                    results.setdefault((name, mode), []).append(run(tree, mode == "cold", cache))
    print(f"theme picker, CPU s, median of {args.runs} fresh processes")
    print("| tree | names' readings | first open | later opens |")
    print("| --- | --- | --- | --- |")
    for (name, mode), rows in results.items():
        first = statistics.median(r[0] for r in rows)
        later = statistics.median(r[1] for r in rows)
        print(f"| {name} | {mode} | {first:.3f} | {later:.3f} |")


if __name__ == "__main__":
    main()
