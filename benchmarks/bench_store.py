"""Time the notes store and the commands that read it, up to 50,000 notes.

Two tables:

* in process, per database size: open (read, parse, check every record),
  add a note, list the notes, render the export -- CPU milliseconds
  (``time.process_time``), medians;
* the command line with 50,000 notes: ``notes --json``, ``export -o FILE``,
  ``note add`` -- CPU seconds of a fresh process each time, Python's start
  included (user + system), and wall seconds, medians of 5.  CPU time is
  what the targets are checked against: the machine is shared, so wall time
  is noisy.  With ``--baseline`` both checkouts run in turn, the same database
  each time, so before/after is compared in one run.

Targets with 50,000 notes: ``notes --json`` < 1.5 s, ``export`` < 2 s,
``note add`` < 1 s; adding a note with 10,000 notes < 100 ms.  Reads take
no lock, so a listing never holds up a writer.

Run: ``python benchmarks/bench_store.py [--sizes 10,1000,10000,50000]
[--baseline /path/to/other/checkout]`` (the baseline runs the same commands
with ``python -m briefing`` from that folder, for a before/after in one run).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bytecode import compile_bytecode  # benchmarks/, beside this script

from briefing import load_report
from briefing.export import render_markdown
from briefing.model import Report
from briefing.store import Store
from briefing.store.annotations import now_iso
from briefing.store.sample import seed_notes

CLI_TARGETS = {"notes --json": 1.5, "export": 2.0, "note add": 1.0}
RUNS = 5


def seed(path: Path, report: Report, count: int) -> None:
    """Write a database of ``count`` notes in one go (adding them one by one takes minutes)."""
    seed_notes(path, report, count, stamp=now_iso())


def cpu_ms(action: Callable[[], object], repeat: int) -> list[float]:
    """CPU milliseconds of this process, one per run."""
    samples = []
    for _ in range(repeat):
        begin = time.process_time()
        action()
        samples.append((time.process_time() - begin) * 1000)
    return samples


class Row:
    """One database size: CPU milliseconds of each step (medians; the worst add)."""

    def __init__(self, report: Report, count: int) -> None:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "briefing.json"
            seed(path, report, count)
            self.count = count
            self.size = path.stat().st_size
            self.open = statistics.median(cpu_ms(lambda: Store.open(path), 3))
            store = Store.open(path)
            repeat = 15 if count <= 10_000 else 5
            adds = cpu_ms(lambda: store.notes.add(report, "1.3", "新笔记", quote="93.46分"), repeat)
            self.add, self.add_worst = statistics.median(adds), max(adds)
            self.list = statistics.median(cpu_ms(lambda: store.notes.list(report), 3))
            notes = store.notes.list(report)
            marks = store.bookmarks.list(report)
            self.render = statistics.median(
                cpu_ms(lambda: render_markdown(report, notes, marks), 3)
            )


def run_cli(args: list[str], cwd: Path | None) -> tuple[float, float]:
    """``(cpu seconds, wall seconds)`` of one ``python -m briefing`` run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    begin = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "briefing", *args],
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=True,
    )
    wall = time.perf_counter() - begin
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall


def cli_table(report: Report, count: int, checkouts: dict[str, Path | None]) -> None:
    for checkout in checkouts.values():
        compile_bytecode(checkout)
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        master = base / "master.json"
        seed(master, report, count)
        print(
            f"\ncommand line with {count:,} notes, medians of {RUNS} (CPU s / wall s; "
            "bytecode compiled first):"
        )
        print(f"  {'command':<14}" + "".join(f"{name:>22}" for name in checkouts) + "  target")
        verdicts: list[str] = []
        for label, args in (
            ("notes --json", ["notes", "--json"]),
            ("export", ["export", "-o", str(base / "out.md")]),
            ("note add", ["note", "add", "1.3", "新笔记", "--quote", "93.46分"]),
        ):
            cells = []
            samples: dict[str, list[tuple[float, float]]] = {name: [] for name in checkouts}
            for _ in range(RUNS):  # interleaved: load on the machine hits both alike
                for name, cwd in checkouts.items():
                    db = base / f"{name}.json"
                    db.write_bytes(master.read_bytes())
                    samples[name].append(run_cli(["--db", str(db), *args], cwd))
            for name, runs in samples.items():
                cpu = statistics.median(r[0] for r in runs)
                wall = statistics.median(r[1] for r in runs)
                cells.append(f"{cpu:>10.2f} / {wall:>7.2f}")
                if name == "this":
                    target = CLI_TARGETS[label]
                    met = "met" if cpu < target else "NOT MET"
                    verdicts.append(f"  {label:<14} {cpu:5.2f} s CPU (target < {target} s)  {met}")
            print(
                f"  {label:<14}"
                + "".join(f"{c:>22}" for c in cells)
                + f"  < {CLI_TARGETS[label]} s"
            )
        print("targets (CPU time of the command):")
        print("\n".join(verdicts))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,1000,10000,50000")
    parser.add_argument("--cli-notes", type=int, default=50_000)
    parser.add_argument("--baseline", type=Path, help="another checkout to compare with")
    options = parser.parse_args()
    report = load_report()
    sizes = [int(s) for s in options.sizes.split(",") if s]
    rows = [Row(report, count) for count in sizes]
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs; in process, CPU ms (medians)")
    print(
        f"{'notes':>7} {'db size':>10} {'open':>8} {'add note':>9} {'worst':>8} "
        f"{'list':>8} {'render':>8}"
    )
    for r in rows:
        print(
            f"{r.count:>7,} {r.size / 1024:>8.0f}KB {r.open:>8.1f} {r.add:>9.1f} "
            f"{r.add_worst:>8.1f} {r.list:>8.1f} {r.render:>8.1f}"
        )
    print("open = read, parse and check every record (what each command pays first)")
    ten_k = next((r for r in rows if r.count == 10_000), None)
    if ten_k is not None:
        met = "met" if ten_k.add < 100 else "NOT MET"
        print(f"add a note with 10,000 notes: {ten_k.add:.1f} ms CPU (target < 100 ms)  {met}")
    checkouts: dict[str, Path | None] = {"this": Path(__file__).resolve().parent.parent}
    if options.baseline:
        checkouts["baseline"] = options.baseline.resolve()
    if options.cli_notes:
        cli_table(report, options.cli_notes, checkouts)


if __name__ == "__main__":
    main()
