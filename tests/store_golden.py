"""A notes database holding every kind of record the listing meets, for golden tests.

``tests/test_store_golden.py`` runs ``notes --json``, ``bookmarks --json``
and the export on it and compares with the bytes the code gave before the
fast paths (``tests/golden/``): usual notes, notes that moved, orphans,
other editions and other reports, missing fields, controls, bidi marks,
newlines, Markdown-looking text, records that do not fit, a huge integer.
Regenerate only on purpose: ``python -m tests.store_golden``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from briefing.model import Report
from briefing.store.sample import sample_notes
from briefing.store.storage import encode_database

GOLDEN = Path(__file__).parent / "golden"
STAMP = "2024-05-01T10:00:00+08:00"
LATER = "2024-06-02T11:30:00+08:00"
OTHER_SHA = "f" * 64
# The export's time line changes with every run: masked before comparing.
EXPORT_TIME = re.compile(r"导出时间：\d{4}-\d\d-\d\d \d\d:\d\d")


def golden_database(report: Report) -> dict[str, Any]:
    """The database: 60 usual notes, then one record of each odd kind."""
    notes: dict[str, Any] = sample_notes(report, 60, stamp=STAMP)
    base = dict(notes["1"])
    section = report.section(base["section"])
    text = section.text

    def add(**fields: Any) -> None:
        record = {**base, **fields}
        for key in [k for k, v in fields.items() if v is _DROP]:
            del record[key]
        notes[str(len(notes) + 1)] = record

    quote = base["quote"]
    add(id="moved-1", status="moved", text="已经移动过的笔记", updated=LATER)
    add(id="orphan-1", status="orphaned", text="找不到原文")
    add(id="other-edition-found", report=OTHER_SHA, start=0, end=len(quote["exact"]))
    add(
        id="other-edition-lost",
        report=OTHER_SHA,
        quote={"exact": "这段文字不在报告里面", "prefix": "前文", "suffix": "后文"},
    )
    add(id="other-report", report=OTHER_SHA, report_title="另一份报告")
    add(id="no-text", text=_DROP)
    add(id="null-text", text=None)
    add(id="no-section-title", section_title=_DROP, section_number=_DROP)
    add(id="no-quote", quote=_DROP)
    add(id="wrong-offsets", start=base["start"] + 3, end=base["end"] + 3)
    add(id="retitled", section_title="改过的标题")
    add(id="newline-text", text="第一行\n第二行\n\n# 不是标题\n> 不是引用")
    add(id="esc-text", text="危险\x1b[31m红色\x1b[0m文字\x07")
    add(id="bidi-text", text="方向\u202e反转\u200b零宽")
    add(id="esc-id\x1b[2J", text="编号里有控制字符")
    add(id="markdown", text="[链接](javascript:alert(1)) <b>粗</b> `代码` \\反斜杠")
    add(id="tab-text", text="制表\t符", created=LATER, updated=LATER)
    add(id="odd-stamp", created="昨天", updated="not a time")
    add(
        id="quote-controls",
        quote={"exact": quote["exact"], "prefix": "前\x1b[1m文", "suffix": quote["suffix"]},
    )
    add(id="extra-fields", original={"section": "9", "start": 1}, future={"x": [1, 2.5]})
    add(id="bad-start", start=-4)
    add(id=12345)
    notes[str(len(notes) + 1)] = "not a record"
    add(id="huge-start", start=10**20)
    add(id="float-end", end=2.5)
    add(id="status-unknown", status="lost")
    whole = {"exact": text[:40], "prefix": "", "suffix": text[40:72]}
    add(id="whole-start", quote=whole, start=0, end=40)
    bookmarks = {
        "1": {
            "id": "b1",
            "report": report.sha256,
            "report_title": report.title,
            "section": section.id,
            "section_title": section.title,
            "created": STAMP,
            "updated": STAMP,
        },
        "2": {
            "id": "b2",
            "report": report.sha256,
            "report_title": report.title,
            "section": "99.99",
            "section_title": "不存在的一节",
            "created": STAMP,
            "updated": STAMP,
        },
    }
    settings = {"1": {"key": "theme", "value": "nord", "updated": STAMP}}
    settings["2"] = {"key": "big", "value": 10**25, "updated": STAMP}
    settings["3"] = {"key": "ratio", "value": 0.25, "updated": STAMP}
    return {"notes": notes, "bookmarks": bookmarks, "settings": settings}


_DROP: Any = object()


def write_golden_database(path: Path, report: Report) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(encode_database(golden_database(report)))


def outputs(db: Path) -> dict[str, bytes]:
    """What the commands print (and leave in the file) for the golden database."""
    from click.testing import CliRunner

    from briefing.cli import cli

    runner = CliRunner()
    out: dict[str, bytes] = {}
    for name, args in (
        ("notes.json", ["notes", "--json"]),
        ("bookmarks.json", ["bookmarks", "--json"]),
        ("export.md", ["export", "-o", "-"]),
        ("notes-again.json", ["notes", "--json"]),
    ):
        result = runner.invoke(cli, ["--db", str(db), *args], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        body = result.stdout_bytes
        if name == "export.md":
            body = EXPORT_TIME.sub("导出时间：(time)", body.decode("utf-8")).encode("utf-8")
        out[name] = body
        out[name.split(".")[0] + ".stderr"] = result.stderr_bytes.replace(
            str(db).encode("utf-8"), b"(db)"
        )
    return out


def main() -> None:  # pragma: no cover - run by hand to regenerate
    import tempfile

    from briefing import load_report

    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "briefing.json"
        write_golden_database(db, load_report())
        GOLDEN.mkdir(exist_ok=True)
        for name, body in outputs(db).items():
            (GOLDEN / name).write_bytes(body)
        (GOLDEN / "after.db.json").write_bytes(db.read_bytes())


if __name__ == "__main__":
    main()
