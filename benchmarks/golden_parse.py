"""Golden check for speed work on parsing and figures: results must not change.

Run: ``python benchmarks/golden_parse.py --write FILE`` with the code before a
change, then ``python benchmarks/golden_parse.py --check FILE`` after it.
``--big`` adds the bench_big reports (8 MB UTF-8 and UTF-16, the 5 MB
one-section report; slow), ``--tree DIR`` reads the code of another checkout.

For every report under tests/ and data/ (and the big ones) it decodes the bytes
the way the loader does, parses, finds the figures, and records a digest of
the metadata, the sections (id, level, number, title, parent, text) and the
figures (section, span, text, kind, value, unit, approx), per section so that a
difference names the first section and figure that changed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MB = 1_000_000


def _digest(value: object) -> str:
    data = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:16]


def inputs(big: bool) -> dict[str, bytes]:
    """Name → bytes of every report to check."""
    found: dict[str, bytes] = {}
    for folder in (ROOT / "tests", ROOT / "data"):
        for path in sorted(folder.rglob("*.txt")):
            found[str(path.relative_to(ROOT))] = path.read_bytes()
    # the decoder's other paths: other encodings, a BOM, CRLF, damage, control characters
    bundled = (ROOT / "data" / "changzhou-2021-fazhi-zhengfu.txt").read_text("utf-8")
    for codec in ("gb18030", "utf-16-le", "utf-16-be", "utf-32", "big5hkscs"):
        found[f"bundled-{codec}"] = bundled.encode(codec, "replace")
    found["bundled-bom-crlf"] = bundled.replace("\n", "\r\n").encode("utf-8-sig")
    found["bundled-cr"] = bundled.replace("\n", "\r").encode("utf-8")
    found["bundled-damaged"] = bundled.encode("utf-8")[:-7] + b"\xff" + bundled.encode()[-6:]
    found["bundled-controls"] = bundled.replace("。", "。\x1b[31m\x07\u200b\ufeff", 9).encode()
    found["bundled-nbsp-tabs"] = bundled.replace("、", "\u3000\t\u00a0 ").encode("utf-16")
    if big:
        sys.path.insert(0, str(ROOT / "benchmarks"))
        from bench_big import build_report, one_section_report

        text = build_report(8 * MB)
        found["big-8mb-utf-8"] = text.encode("utf-8")
        found["big-8mb-utf-16"] = text.encode("utf-16")
        found["one-section-5mb"] = one_section_report(5 * MB).encode("utf-8")
    return found


def results(name: str, data: bytes) -> dict[str, object]:
    """Digests of what the loader, the parser and the figures make of ``data``."""
    from briefing.figures import report_figures
    from briefing.parse import parse_report
    from briefing.source import SourceError, load_text

    try:
        decoded = load_text(data, name)
    except SourceError as error:
        return {"refused": str(error)}
    report = parse_report(decoded.text)
    meta = report.metadata
    sections = {}
    figures_by_section: dict[str, list[object]] = {}
    for figure in report_figures(report):
        figures_by_section.setdefault(figure.section, []).append(
            [
                figure.start,
                figure.end,
                figure.text,
                figure.kind,
                figure.value,
                figure.unit,
                figure.approx,
            ]
        )
    for section in report.sections:
        row = [
            section.id,
            section.level,
            section.number,
            section.title,
            section.parent,
            section.text,
        ]
        sections[section.id] = [_digest(row), _digest(figures_by_section.get(section.id, []))]
    return {
        "metadata": _digest(
            [meta.title, meta.publisher, meta.date, meta.index_no, meta.fields, meta.title_source]
        ),
        "sha256": report.sha256,
        "replaced": decoded.replaced,
        "order": _digest(list(sections)),
        "sections": sections,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--write", type=Path)
    mode.add_argument("--check", type=Path)
    parser.add_argument("--big", action="store_true", help="add the bench_big reports (slow)")
    parser.add_argument("--tree", type=Path, help="the code of another checkout")
    args = parser.parse_args(argv)
    sys.path.insert(0, str((args.tree or ROOT).resolve()))
    got = {name: results(name, data) for name, data in inputs(args.big).items()}
    if args.write:
        args.write.write_text(json.dumps(got, ensure_ascii=False, indent=0), "utf-8")
        print(f"{len(got)} reports written to {args.write}")
        return 0
    want = json.loads(args.check.read_text("utf-8"))
    bad = 0
    for name, result in got.items():
        if name not in want:
            print(f"new (not in the golden file): {name}")
            continue
        expected = want[name]
        if result == expected:
            continue
        bad += 1
        diffs = [key for key in result if key != "sections" and result[key] != expected.get(key)]
        mine, theirs = result.get("sections", {}), expected.get("sections", {})
        for sid in theirs:
            if mine.get(sid) != theirs[sid]:
                part = "text" if mine.get(sid, [None])[0] != theirs[sid][0] else "figures"
                diffs.append(f"section {sid} ({part})")
                break
        print(f"CHANGED {name}: {', '.join(diffs) or 'sections'}")
    print(f"{len(got)} reports checked, {bad} changed")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
