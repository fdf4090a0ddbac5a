"""Fuzz: random database contents and random paths through the store commands.

Whatever the file holds (wrong types, missing keys, huge strings, lone
surrogates, escape sequences, nested junk) and wherever ``--db`` and ``-o``
point (odd characters, ``~user``, folders, FIFOs, symlinks, devices), the
commands ``notes``, ``bookmarks``, ``export`` and ``note add`` end with status
0 or 2, never a traceback; status 2 is exactly one ``briefing:`` line on
stderr; nothing printed carries a control character.  Bounded by
``max_examples`` and a deadline so it runs in seconds.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import tempfile
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing import load_report
from briefing.cli import cli

REPORT = load_report()
SECTIONS = [s.id for s in REPORT.sections]
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
NASTY_TEXT = [
    "\x1b]0;PWNED\x07",
    "\x1b[2J\x1b[31m",
    "\x9b31m",
    "\ud800",
    "\udfff尾",
    "\u202e反向",
    "\x00\x07\x08",
    "长" * 5000,
    "# 标题\n> 引用\n---",
    "[x](javascript:1)",
]

text = st.one_of(st.sampled_from(NASTY_TEXT), st.text(max_size=30))
json_leaf = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    text,
)
junk = st.recursive(
    json_leaf,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)
section_id = st.one_of(st.sampled_from(SECTIONS), text, junk)


@st.composite
def record(draw: st.DrawFn) -> object:
    """A note or bookmark: mostly the right keys, any of them wrong or missing."""
    fields = {
        "id": draw(st.one_of(st.uuids().map(str), junk)),
        "report": draw(st.sampled_from([REPORT.sha256, "0" * 64]) | junk),
        "report_title": draw(st.sampled_from([REPORT.title, ""]) | junk),
        "section": draw(section_id),
        "section_title": draw(st.sampled_from([s.title for s in REPORT.sections]) | junk),
        "text": draw(text | junk),
        "quote": draw(
            st.fixed_dictionaries(
                {"exact": st.sampled_from(["93.46分", "法治", ""]) | text},
                optional={"prefix": text | junk, "suffix": text | junk},
            )
            | junk
        ),
        "start": draw(st.integers(-5, 10_000) | junk),
        "end": draw(st.integers(-5, 10_000) | junk),
        "status": draw(st.sampled_from(["anchored", "moved", "orphaned"]) | junk),
        "created": draw(st.sampled_from(["2024-05-01T10:00:00+08:00"]) | text | junk),
        "updated": draw(text | junk),
    }
    keep = draw(st.sets(st.sampled_from(sorted(fields))))
    doc = {k: v for k, v in fields.items() if k not in keep}
    return draw(st.one_of(st.just(doc), st.just(doc), junk))


table = st.one_of(
    st.dictionaries(st.one_of(st.integers(1, 99).map(str), text), record(), max_size=4),
    junk,
)
database = st.fixed_dictionaries(
    {},
    optional={
        "notes": table,
        "bookmarks": table,
        "reading_state": table,
        "settings": table,
        "other": junk,
    },
)

PATH_KINDS = [
    "plain",
    "odd name",
    "escape name",
    "tilde user",
    "folder",
    "fifo",
    "symlink",
    "dangling symlink",
    "symlink loop",
    "missing folder",
    "dash",
]


def make_path(base: Path, kind: str, name: str) -> str:
    """A path of the given kind inside ``base`` (created as needed)."""
    if kind == "plain":
        return str(base / name)
    if kind == "odd name":
        return str(base / f" 空 格 {name}\u3000.md")
    if kind == "escape name":
        return str(base / f"x\x1b]0;T\x07{name}")
    if kind == "tilde user":
        return f"~no-such-user-zz/{name}"
    if kind == "folder":
        folder = base / f"dir-{name}"
        folder.mkdir(exist_ok=True)
        return str(folder)
    if kind == "fifo":
        fifo = base / f"fifo-{name}"
        if not fifo.exists():
            os.mkfifo(fifo)
        return str(fifo)
    if kind == "symlink":
        real = base / f"real-{name}"
        link = base / f"link-{name}"
        if not link.is_symlink():
            link.symlink_to(real)
        return str(link)
    if kind == "dangling symlink":
        link = base / f"dangle-{name}"
        if not link.is_symlink():
            link.symlink_to(base / "nowhere" / name)
        return str(link)
    if kind == "symlink loop":
        loop = base / f"loop-{name}"
        if not loop.is_symlink():
            loop.symlink_to(loop)
        return str(loop)
    if kind == "missing folder":
        return str(base / "no" / "such" / name)
    return str(base / f"-{name}")


COMMANDS = st.sampled_from(
    ["notes", "notes --json", "bookmarks", "bookmarks --json", "export", "note add"]
)


def check(result) -> None:
    assert result.exit_code in (0, 2), (result.exit_code, result.output, result.exception)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    out, err = result.stdout, result.stderr
    assert "Traceback" not in out + err
    assert not CONTROL.search(out), out[:200]
    assert not CONTROL.search(err), err[:200]
    if result.exit_code == 2:
        assert err.startswith("briefing: ") and err.count("\n") == 1, err
    else:
        assert all(line.startswith("briefing: ") for line in err.splitlines()), err


@settings(
    max_examples=int(os.environ.get("BRIEFING_FUZZ_EXAMPLES", "60")),
    deadline=2000,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    data=database,
    command=COMMANDS,
    db_kind=st.sampled_from(PATH_KINDS),
    out_kind=st.sampled_from([*PATH_KINDS, "stdout"]),
    note_section=st.one_of(st.sampled_from(SECTIONS), text),
    note_text=text,
)
def test_store_commands_never_crash(
    data: dict, command: str, db_kind: str, out_kind: str, note_section: str, note_text: str
) -> None:
    base = Path(tempfile.mkdtemp(prefix="briefing-fuzz-"))
    try:
        db = make_path(base, db_kind, "briefing.json")
        real_db = Path(os.path.realpath(db)) if not db.startswith("~") else None
        if real_db is not None and real_db.parent.is_dir() and not real_db.exists():
            with contextlib.suppress(OSError):
                real_db.write_text(json.dumps(data), "ascii")
        args = ["--db", db, *command.split()]
        if command == "export":
            args += ["-o", "-" if out_kind == "stdout" else make_path(base, out_kind, "out.md")]
        elif command == "note add":
            args += [note_section, note_text]
        result = CliRunner().invoke(cli, args)
        check(result)
    finally:
        shutil.rmtree(base, ignore_errors=True)
