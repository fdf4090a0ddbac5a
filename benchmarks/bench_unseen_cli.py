"""Each real report through the command line: ``sections``, ``figures``, ``search``.

Run: ``python benchmarks/bench_unseen_cli.py [--repeat N] [SLUG_PREFIX ...]``. For every
hand-marked report in tests/reports/real (or those whose slug starts with a prefix
given), each command runs in a fresh process, as a user runs it, ``--repeat`` times
(default 5) with a fresh cache folder each time (a first open, the slow case); the
table gives the median wall time and the median CPU time of the child process. The
target is under 1 s each; the slowest row is printed last. ``--tables-kept`` gives each
fresh cache the reading data's prepared tables (``search/prepared.py``), as any machine
has them after its first search: a new report on a machine already used.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.real_reports import iter_real_reports  # noqa: E402

COMMANDS = {
    "sections": ["sections"],
    "figures": ["figures"],
    "search": ["search", "fazhi"],
}


def run_once(args: list[str], path: Path, tables: Path | None = None) -> tuple[float, float]:
    """Wall and CPU seconds of one ``briefing`` process (fresh cache and store; the
    prepared tables copied from ``tables`` if given)."""
    with tempfile.TemporaryDirectory() as scratch:
        if tables is not None:
            shutil.copytree(tables, f"{scratch}/cache/tables")
        env = dict(
            os.environ,
            BRIEFING_CACHE_DIR=f"{scratch}/cache",
            BRIEFING_CONFIG_DIR=f"{scratch}/config",
            BRIEFING_DB=f"{scratch}/data/briefing.json",
            XDG_DATA_HOME=f"{scratch}/xdg",
        )
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "briefing", *args, str(path)],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--tables-kept", action="store_true", help="each fresh cache has the prepared tables"
    )
    parser.add_argument("prefixes", nargs="*", help="slug prefixes (default: every report)")
    args = parser.parse_args(argv)
    tables = None
    if args.tables_kept:
        kept = Path(tempfile.mkdtemp(prefix="bench-tables-"))
        subprocess.run(
            [sys.executable, "-m", "briefing", "search", "fazhi", "--limit", "1"],
            env=dict(os.environ, BRIEFING_CACHE_DIR=str(kept)),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        tables = kept / "tables"
    rows = []
    for slug, path, _marks in iter_real_reports():
        if args.prefixes and not slug.startswith(tuple(args.prefixes)):
            continue
        for name, command in COMMANDS.items():
            runs = [run_once(command, path, tables) for _ in range(args.repeat)]
            wall = statistics.median(w for w, _ in runs)
            cpu = statistics.median(c for _, c in runs)
            rows.append((slug, name, wall, cpu))
    print(f"{'report':42} {'command':9} {'wall s':>7} {'cpu s':>6}")
    for slug, name, wall, cpu in rows:
        print(f"{slug:42} {name:9} {wall:7.3f} {cpu:6.3f}")
    if rows:
        slug, name, wall, cpu = max(rows, key=lambda row: row[2])
        print(f"slowest: {slug} {name} {wall:.3f} s wall, {cpu:.3f} s cpu (target < 1 s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
