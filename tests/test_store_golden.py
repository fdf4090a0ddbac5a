"""The store's listing and the export give the same bytes as before the fast paths.

The golden files were made by the code before ``notes``/``export`` got their
one-pass listing (``tests/store_golden.py`` says how): every kind of record,
usual or odd, must come out exactly as it did.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing import load_report
from tests.store_golden import GOLDEN, outputs, write_golden_database


@pytest.fixture(scope="module")
def produced(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, bytes], bytes]:
    db = tmp_path_factory.mktemp("golden") / "briefing.json"
    write_golden_database(db, load_report())
    return outputs(db), db.read_bytes()


@pytest.mark.parametrize(
    "name",
    [
        "notes.json",
        "notes.stderr",
        "bookmarks.json",
        "bookmarks.stderr",
        "export.md",
        "export.stderr",
        "notes-again.json",
        "notes-again.stderr",
    ],
)
def test_same_bytes_as_before(produced: tuple[dict[str, bytes], bytes], name: str) -> None:
    assert produced[0][name] == (GOLDEN / name).read_bytes()


def test_same_database_after_the_listings(produced: tuple[dict[str, bytes], bytes]) -> None:
    """What the listings wrote back (re-anchored notes) is what they wrote before."""
    assert produced[1] == (GOLDEN / "after.db.json").read_bytes()


def test_golden_files_are_not_trivial() -> None:
    notes = (GOLDEN / "notes.json").read_text(encoding="utf-8")
    for kind in ("moved-1", "other-edition-found", "esc-id", "huge-start", "whole-start"):
        assert kind in notes
    assert "\x1b" not in notes and "\u202e" not in notes
    assert "skipped 5 records" in (GOLDEN / "notes.stderr").read_text(encoding="utf-8")
    assert Path(GOLDEN / "export.md").read_text(encoding="utf-8").count("\n> ") > 60
