"""Very large reports: time and peak memory of the CLI, each run in a fresh process.

Run: ``python benchmarks/bench_big.py [--sizes 8,20] [--no-utf16] [--keep DIR]``.

``--before DIR --alternate [--runs N]`` (without ``--reader``): ``sections`` and first-time
``figures`` of another checkout (say ``/work/main``) and of this tree, alternating
fresh processes, median CPU before -> after (what parsing and figures cost).

``--reader [--before DIR] [--runs N] [--instructions]``: the reader instead of the command
line (``--instructions``: valgrind's instruction counts to the first paint, one run each).
For reports of 5 and 19 MB (``--sizes`` to choose) and a 5 MB report that is
one section, with every cache warm, fresh processes alternate: an empty
Textual app, the reader of this tree, and (``--before``) the reader of another
checkout (say ``/work/main``), each with its own cache folder. Prints the
median time to the first paint (wall and CPU) against the empty app (targets:
≤ 1.2× at 5 MB, ≤ 1.5× at 19 MB) and how long after the paint a search
(``fazhi``) shows its hits (target < 1 s at 5 MB).

Builds reports of about 8 MB and 20 MB (UTF-8 bytes) from the bundled
report's paragraphs, varied so that no two chapters are the same text:
chapters ``第N章`` each holding the six parts renumbered in a shuffled order,
their items shuffled, and numbers in the text changed. Then, for each report
(and its UTF-16 copy), runs the ``briefing`` command line in a fresh process
with its own empty cache folder:

- ``sections`` (cold: parses and fills the report cache),
- ``figures`` cold (no figures cached yet) and warm (cached),
- ``search`` cold (readings computed) and warm (a repeated search),
- what a person reads, every cache warm: ``figures`` as a table, ``search
  法治`` with no limit (~15,000 hits at 8 MB) as text and as JSON: the text
  should cost about what the JSON costs (target: at most 1.3x it),

and prints the CPU time, wall time and peak RSS of each child (from
``os.wait4``), beside the targets (judged on CPU time): 8 MB — sections < 2 s, figures < 4 s,
first search < 10 s, repeated search < 1 s, peak < 600 MB; 20 MB — every
command finishes, peak < 1.2 GB. Timing on a shared machine is noisy: the CPU
column (user + system of the child) is the one to compare; the warm rows are
the median of ``--repeat`` runs (3).

Bytecode is compiled first (``bytecode.compile_bytecode``), as an installed
package has it. ``--before DIR``: also run another checkout (say
``/work/main``) on the same reports, alternating with this one, and print its
CPU time beside this tree's.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bytecode import compile_bytecode  # benchmarks/, beside this script

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "data" / "changzhou-2021-fazhi-zhengfu.txt"
MB = 1_000_000

_CN_DIGITS = "零一二三四五六七八九"
_PART = re.compile(r"^[一二三四五六七八九十]+、")
_ITEM = re.compile(r"^[一二三四五六七八九十]+是")
_COUNT = re.compile(r"(?<![0-9.])[0-9]+(?=[项个件家名人次支条类场所])")


def chinese(n: int) -> str:
    """1 → 一, 12 → 十二, 23 → 二十三 (1 ≤ n < 100)."""
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _CN_DIGITS[tens] + "十")
    return head + (_CN_DIGITS[ones] if ones else "")


def _bundled_parts() -> tuple[list[str], list[tuple[str, list[str]]]]:
    """The bundled report as header lines and (heading words, item paragraphs) parts.

    Lines after the last item (closing words, page furniture) are left out.
    """
    lines = [line for line in BUNDLED.read_text("utf-8").splitlines() if line.strip()]
    header: list[str] = []
    parts: list[tuple[str, list[str]]] = []
    for line in lines:
        if _PART.match(line):
            parts.append((_PART.sub("", line), []))
        elif parts and _ITEM.match(line):
            parts[-1][1].append(_ITEM.sub("", line))
        else:
            header.append(line)
    return header, parts


def _vary_numbers(text: str, rng: random.Random) -> str:
    """Change the counts of a paragraph so chapters are different texts (dates stay)."""
    return _COUNT.sub(lambda m: str(rng.randint(2, 9999)), text)


def build_report(target_bytes: int, seed: int = 8) -> str:
    """A report of about ``target_bytes`` UTF-8 bytes made from the bundled one."""
    rng = random.Random(seed)
    header, parts = _bundled_parts()
    pieces = ["\n".join(header)]
    size = len(pieces[0].encode("utf-8"))
    chapter = 0
    while size < target_bytes:
        chapter += 1
        chunk = [f"第{chapter}章 法治政府建设工作(第{chapter}部分)"]
        order = list(range(len(parts)))
        rng.shuffle(order)
        for number, index in enumerate(order, 1):
            heading, items = parts[index]
            chunk.append(f"{chinese(number)}、{heading}")
            items = items[:]
            rng.shuffle(items)
            for item_number, item in enumerate(items, 1):
                chunk.append(f"{chinese(item_number)}是{_vary_numbers(item, rng)}")
        text = "\n".join(chunk)
        encoded = len(text.encode("utf-8")) + 1
        if size + encoded > target_bytes and chapter > 1:
            break
        pieces.append(text)
        size += encoded
    return "\n".join(pieces) + "\n"


@dataclass
class Run:
    label: str
    cpu: float
    wall: float
    peak_mb: float
    status: int
    stderr: str


def run_cli(args: list[str], cache: Path, label: str, tree: Path = ROOT) -> Run:
    """Run ``briefing ARGS`` of checkout ``tree`` in a fresh process; CPU, wall time
    and peak RSS of that child."""
    env = dict(os.environ, BRIEFING_CACHE_DIR=str(cache), PYTHONDONTWRITEBYTECODE="1")
    env["BRIEFING_DB"] = str(cache / "briefing.json")
    env["PYTHONPATH"] = str(tree)
    command = [sys.executable, "-m", "briefing", *args]
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=err, env=env, cwd=tree)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        message = err.read().decode("utf-8", "replace").strip().splitlines()
    peak = usage.ru_maxrss / 1024  # kilobytes on Linux
    return Run(
        label,
        usage.ru_utime + usage.ru_stime,
        wall,
        peak,
        child.returncode,
        message[-1] if message else "",
    )


OUTPUT_QUERY = "法治"  # ~15,000 hits at 8 MB: what a person's output costs


def measure(path: Path, scratch: Path, trees: list[Path], repeat: int) -> list[list[Run]]:
    """The runs in the order a user meets them, for each of ``trees`` (alternating).

    ``sections`` gets a cache folder of its own (it parses); the others share
    a second empty one, so ``figures cold`` parses the report and finds its
    figures, and everything after it may use what the earlier runs cached.
    Warm rows: the median of ``repeat`` runs (by CPU time).
    """
    name = str(path)
    caches = [
        (Path(tempfile.mkdtemp(prefix="cache-", dir=scratch)), Path(tempfile.mkdtemp(dir=scratch)))
        for _ in trees
    ]
    steps: list[tuple[str, list[str], bool, int]] = [  # label, args, own cache, runs
        ("sections (cold)", ["sections", name], True, 1),
        ("figures cold", ["figures", "--json", name], False, 1),
        ("figures warm", ["figures", "--json", name], False, repeat),
        ("search cold", ["search", "fzzf", name, "--json", "--limit", "50"], False, 1),
        ("search warm", ["search", "xingzheng", name, "--json", "--limit", "50"], False, repeat),
        ("figures text", ["figures", name], False, repeat),
        ("search all json", ["search", OUTPUT_QUERY, name, "--json"], False, repeat),
        ("search all text", ["search", OUTPUT_QUERY, name], False, repeat),
    ]
    runs: list[list[Run]] = [[] for _ in trees]
    for label, args, own, count in steps:
        tried: list[list[Run]] = [[] for _ in trees]
        for _ in range(count):
            for k, tree in enumerate(trees):
                first, cache = caches[k]
                tried[k].append(run_cli(args, first if own else cache, label, tree))
        for k in range(len(trees)):
            runs[k].append(sorted(tried[k], key=lambda run: run.cpu)[len(tried[k]) // 2])
    return runs


# (label prefix, time limit in seconds or None) per 8 MB row; 20 MB only has to finish.
TARGETS_8MB = {
    "sections": 2.0,
    "figures cold": 4.0,
    "figures warm": None,
    "search cold": 10.0,
    "search warm": 1.0,
    "figures text": None,
    "search all json": None,
    "search all text": None,  # judged against "search all json" (TEXT_OVER_JSON)
}
TEXT_OVER_JSON = 1.3


def _target(size_mb: int, label: str) -> tuple[float | None, float]:
    if size_mb > 10:
        return None, 1200.0
    for prefix, limit in TARGETS_8MB.items():
        if label.startswith(prefix):
            return limit, 600.0
    return None, 600.0


def report_rows(
    size_mb: int, encoding: str, runs: list[Run], before: list[Run] | None = None
) -> list[str]:
    rows = []
    json_cpu = next((run.cpu for run in runs if run.label == "search all json"), None)
    for k, run in enumerate(runs):
        limit, memory = _target(size_mb, run.label)
        if run.label == "search all text" and json_cpu is not None:
            limit = TEXT_OVER_JSON * json_cpu
        # CPU time, not wall time: the machine is shared (see the module docstring)
        ok = run.status == 0 and run.peak_mb < memory and (limit is None or run.cpu < limit)
        target = (f"< {limit:.2g} s, " if limit else "finishes, ") + f"< {memory:g} MB"
        verdict = "ok" if ok else ("FAIL " + run.stderr[:60] if run.status else "over")
        row = (
            f"{size_mb:>3} MB {encoding:<7} {run.label:<16} {run.cpu:8.2f} {run.wall:8.2f}"
            f" {run.peak_mb:9.0f}   {target:<22} {verdict}"
        )
        if before is not None:
            row += f"   before {before[k].cpu:6.2f} s cpu"
            if run.cpu > 0:
                row += f" ({before[k].cpu / run.cpu:4.2f}x)"
        rows.append(row)
    return rows


def one_section_report(target_bytes: int) -> str:
    """A report that is one huge section: long paragraphs, no numbering."""
    header, parts = _bundled_parts()
    paragraphs = [item for _, items in parts for item in items if len(item) > 100]
    lines = [*header, "一、总体情况"]
    size = sum(len(x.encode("utf-8")) + 1 for x in lines)
    while size < target_bytes:
        for paragraph in paragraphs:
            lines.append(paragraph)
            size += len(paragraph.encode("utf-8")) + 1
    return "\n".join(lines) + "\n"


def reader_env(scratch: Path, name: str, tree: Path, report: Path) -> dict[str, str]:
    """A user of their own (home, caches, notes) for one source tree, report opened."""
    home = scratch / name
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFING_")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.update(HOME=str(home), PYTHONPATH=str(tree), BENCH_REPORT=str(report))
    for variable, sub in (
        ("XDG_DATA_HOME", "data"),
        ("XDG_CACHE_HOME", "cache"),
        ("XDG_CONFIG_HOME", "config"),
    ):
        env[variable] = str(home / sub)
    return env


def reader_envs(report: Path, trees: dict[str, Path], scratch: Path) -> dict[str, dict]:
    """Each tree's reader environment, its report cache, index and figures made
    warm (as for a report read before), run in its own tree: ``python -c`` puts
    the working folder first on sys.path."""
    envs = {
        name: reader_env(scratch, f"{report.stem}-{name}", tree, report)
        for name, tree in trees.items()
    }
    warm = (
        "import os, briefing, briefing.search as s; from briefing.report_cache import "
        "report_figures_cached as f; r = briefing.load_report(os.environ['BENCH_REPORT']);"
        " s.load_index(r); f(r)"
    )
    for name, env in envs.items():
        subprocess.run([sys.executable, "-c", warm], env=env, check=True, cwd=str(trees[name]))
    return envs


def measure_reader(report: Path, trees: dict[str, Path], runs: int, scratch: Path) -> None:
    """First paint and search after it, alternating fresh processes; prints a table."""
    import statistics

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from bench_startup import BRIEFING_APP, EMPTY_APP, LAST_SEARCH_CPU, time_once

    # Each reader runs in its own tree as the working folder: ``python -c`` puts the
    # working folder first on sys.path, so run from a checkout every reader was that
    # checkout's code (``--before`` compared this tree with itself).
    codes = {name: str(tree) for name, tree in trees.items()}
    envs = reader_envs(report, trees, scratch)
    for name, env in envs.items():
        time_once(BRIEFING_APP, env, codes[name])
    empty_env = envs[next(iter(envs))]
    walls: dict[str, list[float]] = {"empty": [], **{name: [] for name in envs}}
    cpus: dict[str, list[float]] = {name: [] for name in walls}
    searches: dict[str, list[float]] = {name: [] for name in envs}
    search_cpus: dict[str, list[float]] = {name: [] for name in envs}
    for _ in range(runs):
        wall, _pinyin, cpu, _ = time_once(EMPTY_APP, empty_env, str(scratch))
        walls["empty"].append(wall)
        cpus["empty"].append(cpu)
        for name, env in envs.items():
            search_env = {**env, "BENCH_SEARCH": "1"}
            wall, _pinyin, cpu, searched = time_once(BRIEFING_APP, search_env, codes[name])
            walls[name].append(wall)
            cpus[name].append(cpu)
            if searched is not None:
                searches[name].append(searched)
                search_cpus[name] += LAST_SEARCH_CPU
    med = statistics.median
    size = report.stat().st_size / MB
    print(f"{report.name} ({size:.1f} MB), {runs} runs, median ms (x empty app)")
    for name in walls:
        wall, cpu = med(walls[name]) * 1000, med(cpus[name]) * 1000
        wall_x, cpu_x = wall / med(walls["empty"]) / 1000, cpu / med(cpus["empty"]) / 1000
        line = f"  {name:<8} first paint wall {wall:7.0f} ({wall_x:4.2f}x)"
        line += f"  cpu {cpu:6.0f} ({cpu_x:4.2f}x)"
        if searches.get(name):
            line += f"   search after paint {med(searches[name]) * 1000:6.0f}"
            line += f" (cpu {med(search_cpus[name]) * 1000:5.0f})"
        print(line, flush=True)


def reader_instructions(report: Path, trees: dict[str, Path], scratch: Path) -> None:
    """As ``measure_reader``, counting instructions to the first paint (valgrind,
    one run each: deterministic where the clock is not)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from bench_startup import BRIEFING_APP, EMPTY_APP, instructions_once, time_once

    envs = reader_envs(report, trees, scratch)
    for name, env in envs.items():
        time_once(BRIEFING_APP, env, str(trees[name]))
    empty = instructions_once(EMPTY_APP, envs[next(iter(envs))], str(scratch))
    size = report.stat().st_size / MB
    print(f"{report.name} ({size:.1f} MB), instructions to the first paint (x empty app)")
    print(f"  {'empty':<8} {empty / 1e6:9.1f} M")
    for name, env in envs.items():
        count = instructions_once(BRIEFING_APP, env, str(trees[name]))
        print(f"  {name:<8} {count / 1e6:9.1f} M ({count / empty:.3f}x)", flush=True)


def main_reader(args: argparse.Namespace) -> int:
    sizes = [int(s) for s in (args.sizes if args.sizes != "8,20" else "5,19").split(",") if s]
    trees = {"this": ROOT}
    if args.before:
        trees = {"before": args.before.resolve(), "after": ROOT}
    with tempfile.TemporaryDirectory(prefix="bench-reader-") as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        reports = []
        for size in sizes:
            reports.append(folder / f"reader-{size}mb.txt")
            reports[-1].write_text(build_report(size * MB), encoding="utf-8")
        reports.append(folder / "reader-5mb-one-section.txt")
        reports[-1].write_text(one_section_report(5 * MB), encoding="utf-8")
        for report in reports:
            if args.instructions:
                reader_instructions(report, trees, Path(scratch))
            else:
                measure_reader(report, trees, args.runs, Path(scratch))
    print(
        "targets: first paint <= 1.2x the empty app at 5 MB, <= 1.5x at 19 MB;"
        " search < 1 s after the paint at 5 MB"
    )
    return 0


def compare_cli(path: Path, before: Path, runs: int, scratch: Path) -> list[str]:
    """``sections`` and first-time ``figures`` of another checkout and of this tree,
    alternating fresh processes with empty caches: median CPU s, before -> after."""
    import statistics

    cpu: dict[tuple[str, str], list[float]] = {}
    commands = {"sections": ["sections"], "figures cold": ["figures", "--json"]}
    for _ in range(runs):
        for name, tree in (("before", before), ("after", ROOT)):
            for label, args in commands.items():
                cache = Path(tempfile.mkdtemp(prefix="cache-", dir=scratch))
                run = run_cli([*args, str(path)], cache, label, tree)
                if run.status:
                    raise SystemExit(f"{name} {label} failed: {run.stderr}")
                cpu.setdefault((name, label), []).append(run.cpu)
    rows = []
    for label in commands:
        was, now = (statistics.median(cpu[(name, label)]) for name in ("before", "after"))
        rows.append(
            f"  {path.name:<20} {label:<14} {was:6.2f} -> {now:6.2f} s CPU ({now / was:.2f}x)"
        )
    return rows


def main_compare(args: argparse.Namespace) -> int:
    sizes = [int(s) for s in args.sizes.split(",") if s]
    encodings = ["utf-8"] + ([] if args.no_utf16 else ["utf-16"])
    # Both trees with their bytecode, as installed: runs set PYTHONDONTWRITEBYTECODE, so a
    # tree whose .pyc files are missing or stale compiled them again in every run.
    for tree in (ROOT, args.before.resolve()):
        compile_bytecode(tree)
    print(f"median CPU of {args.runs} alternating runs: {args.before} -> this tree")
    with tempfile.TemporaryDirectory(prefix="bench-big-") as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        for size in sizes:
            text = build_report(size * MB)
            for encoding in encodings:
                path = folder / f"big-{size}mb-{encoding}.txt"
                path.write_bytes(text.encode(encoding))
                for row in compare_cli(path, args.before.resolve(), args.runs, Path(scratch)):
                    print(row, flush=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="8,20", help="report sizes in MB (default 8,20)")
    parser.add_argument("--no-utf16", action="store_true", help="skip the UTF-16 copies")
    parser.add_argument("--keep", type=Path, help="write the reports to this folder and keep them")
    parser.add_argument("--reader", action="store_true", help="the reader's first paint instead")
    parser.add_argument(
        "--instructions",
        action="store_true",
        help="with --reader: count instructions to the first paint (valgrind), one run each",
    )
    parser.add_argument("--before", type=Path, help="another checkout to compare")
    parser.add_argument("--runs", type=int, default=7, help="with --reader or --alternate: runs")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each warm row (median)")
    parser.add_argument(
        "--alternate",
        action="store_true",
        help="with --before: only sections and first-time figures, the two trees alternated",
    )
    args = parser.parse_args(argv)
    if args.reader:
        return main_reader(args)
    if args.before and args.alternate:
        return main_compare(args)
    trees = [ROOT] + ([args.before.resolve()] if args.before else [])
    for tree in trees:
        compile_bytecode(tree)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    encodings = ["utf-8"] + ([] if args.no_utf16 else ["utf-16"])
    header = (
        f"{'size':>6} {'input':<7} {'command':<16} {'cpu s':>8} {'wall s':>8}"
        f" {'peak MB':>9}   {'target':<22} verdict"
    )
    print(header)
    print("-" * len(header))
    with tempfile.TemporaryDirectory(prefix="bench-big-") as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        for size in sizes:
            text = build_report(size * MB)
            for encoding in encodings:
                path = folder / f"big-{size}mb-{encoding}.txt"
                path.write_bytes(text.encode(encoding))
                runs = measure(path, Path(scratch), trees, max(1, args.repeat))
                before = runs[1] if len(runs) > 1 else None
                for row in report_rows(size, encoding, runs[0], before):
                    print(row, flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
