"""Accuracy of context readings on the hand-checked heteronym list.

Run: ``python benchmarks/bench_heteronyms.py [--phrases NAME]`` (issue 11 §3).

Every entry of tests/reports/heteronyms.toml is a word, its context (an exact
substring of a sample report) and the pinyin a careful reader gives it. The
readings of the whole report text are computed as the index computes them, and
the word's are compared with the hand pinyin: syllables only, and syllables
with tones (一/不 sandhi tones count as their citation tone, as in search).
Printed for pypinyin alone and with data/reading-overrides.toml. ``--phrases
cc_cedict`` (or another pypinyin-dict phrase data set) first loads that phrase
data into pypinyin, to measure it; run each in its own process.
"""

from __future__ import annotations

import argparse
import sys
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SANDHI = {"一": {1, 2, 4}, "不": {2, 4}}


def sample_texts() -> dict[str, str]:
    paths = [ROOT / "data" / "changzhou-2021-fazhi-zhengfu.txt"]
    paths += sorted((ROOT / "tests" / "reports" / "real").glob("*.txt"))
    return {p.stem: p.read_text(encoding="utf-8") for p in paths}


def entries() -> list[dict]:
    with (ROOT / "tests" / "reports" / "heteronyms.toml").open("rb") as handle:
        return tomllib.load(handle)["words"]


def hand_pinyin(entry: dict) -> list[tuple[str, int]]:
    return [(p[:-1], int(p[-1])) for p in entry["pinyin"].split()]


def evaluate(with_table: bool) -> tuple[int, int, int, list[str]]:
    from briefing.search import overrides
    from briefing.search.readings import compute_readings

    saved = overrides._LOADED
    overrides._LOADED = None if with_table else {}
    try:
        texts = sample_texts()
        cache: dict[str, object] = {}
        ok_syl = ok_tone = total = 0
        wrong: list[str] = []
        for entry in entries():
            word, context = entry["word"], entry["context"]
            name = next((n for n, t in texts.items() if context in t), None)
            if name is None or word not in context:
                print(f"  skipped (context not found): {word} / {context}")
                continue
            text = texts[name]
            if name not in cache:
                cache[name] = compute_readings(text)
            readings = cache[name]
            at = text.index(context) + context.index(word)
            got = []
            for k in range(len(word)):
                _, rid = readings.keys[readings.positions[at + k]]
                got.append(readings.table[rid] if rid >= 0 else ("", 0))
            want = hand_pinyin(entry)
            total += 1
            if [s for s, _ in got] == [s for s, _ in want]:
                ok_syl += 1
            same = all(
                g == w or (ch in SANDHI and g[0] == w[0] and g[1] in SANDHI[ch])
                for ch, g, w in zip(word, got, want, strict=True)
            )
            if same:
                ok_tone += 1
            else:
                shown = " ".join(f"{s}{t}" for s, t in got)
                wrong.append(f"{word} ({context}): {shown}, hand {entry['pinyin']}")
        return ok_syl, ok_tone, total, wrong
    finally:
        overrides._LOADED = saved


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--phrases", help="a pypinyin_dict.phrase_pinyin_data module to load")
    parser.add_argument("--show", action="store_true", help="list the entries read wrong")
    args = parser.parse_args()
    label = "pypinyin"
    if args.phrases:
        import importlib

        start = time.process_time()
        module = importlib.import_module(f"pypinyin_dict.phrase_pinyin_data.{args.phrases}")
        module.load()
        print(f"  load {args.phrases}: {(time.process_time() - start) * 1000:.0f} ms CPU")
        label += f" + {args.phrases}"
    for with_table in (False, True):
        start = time.process_time()
        ok_syl, ok_tone, total, wrong = evaluate(with_table)
        cpu = (time.process_time() - start) * 1000
        name = label + (" + overrides" if with_table else "")
        print(
            f"  {name:<40} syllables {ok_syl}/{total} = {100 * ok_syl / total:.1f} %   "
            f"with tones {ok_tone}/{total} = {100 * ok_tone / total:.1f} %   ({cpu:.0f} ms CPU)"
        )
        if args.show:
            for line in wrong:
                print("     ", line)


if __name__ == "__main__":
    main()
