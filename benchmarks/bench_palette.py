"""First command-palette open: CPU time from ctrl+p to the first list, and to the
first pinyin hit ("daochu" -> 导出笔记), with the reader's provider and with
Textual's own (fuzzy only, no pinyin), alternately, each run a fresh process
(the names' readings are computed once per process, when a palette opens).

    python benchmarks/bench_palette.py [--runs 7]

CPU time (time.process_time, all threads) rather than wall time: the machine
is shared. Prints medians.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile

CHILD = r"""
import asyncio, os, sys, time
os.environ["BRIEFING_LANG"] = "zh"
import briefing
from briefing.store import Store
from briefing.tui.app import BriefingApp
from textual.command import CommandList
from textual.system_commands import SystemCommandsProvider

if sys.argv[2] == "textual":
    BriefingApp.COMMANDS = {SystemCommandsProvider}

async def first_option(pilot):
    while True:
        await pilot.pause(0.005)
        lists = pilot.app.screen.query(CommandList)
        if lists and lists.first().option_count:
            return lists.first()

async def main():
    app = BriefingApp(briefing.load_report(), Store.open(sys.argv[1]))
    async with app.run_test() as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        t0 = time.process_time()
        await pilot.press("ctrl+p")
        await first_option(pilot)
        opened = time.process_time() - t0
        await pilot.press(*"daochu")
        found = ""
        for _ in range(2000):
            options = await first_option(pilot)
            prompt = options.get_option_at_index(0).prompt
            found = str(getattr(prompt, "plain", prompt))
            if "导出" in found or "No matches" in found:
                break
        hit = time.process_time() - t0
        print(opened, hit, "导出" in found)

asyncio.run(main())
"""


def run(kind: str, db: str) -> tuple[float, float, bool]:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, db, kind], capture_output=True, text=True, check=True
    ).stdout.split()
    return float(out[0]), float(out[1]), out[2] == "True"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    db = os.path.join(tempfile.mkdtemp(), "bench.json")
    # The report's own readings are cached first: only the palette's are measured.
    subprocess.run(
        [sys.executable, "-c", "import briefing, briefing.search as s\n"
         "s.load_index(briefing.load_report())"], check=True)  # fmt: skip
    results: dict[str, list[tuple[float, float, bool]]] = {"briefing": [], "textual": []}
    for _ in range(args.runs):
        for kind in results:
            results[kind].append(run(kind, db))
    for kind, rows in results.items():
        opened = statistics.median(r[0] for r in rows) * 1000
        hit = statistics.median(r[1] for r in rows) * 1000
        found = all(r[2] for r in rows)
        print(f"{kind:9} open {opened:6.0f} ms CPU   'daochu' answered {hit:6.0f} ms CPU"
              f"   finds 导出笔记: {found}")  # fmt: skip


if __name__ == "__main__":
    main()
