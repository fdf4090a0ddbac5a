"""Lock-free reads of a settled database reuse what was parsed, without reading the bytes.

The reader looks up several settings at start; each lookup read the whole
file (36 MB at 50,000 notes) to compare it with what was parsed.  A file that
had last changed well before it was read, and whose inode, size, mtime and
ctime are unchanged, is the one parsed: a later change moves the ctime.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest

from briefing.store import Store
from briefing.store import storage as storage_module


def _count_reads(store: Store) -> list[int]:
    reads: list[int] = []
    real = store.storage._read_file

    def counted() -> dict[str, Any]:
        reads.append(1)
        return real()

    store.storage._read_file = counted  # type: ignore[method-assign]
    return reads


def _settle_everything(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every file counts as settled (a test cannot wait for a real ctime to age)."""
    monkeypatch.setattr(storage_module, "SETTLED_NS", -(10**15))


def test_settings_lookups_read_a_settled_file_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "briefing.json"
    Store.open(db).settings.set("theme", "dark")
    _settle_everything(monkeypatch)
    store = Store.open(db)
    reads = _count_reads(store)
    for _ in range(5):
        assert store.settings.get("theme") == "dark"
        assert store.settings.get("language") is None
    assert reads == []


def test_a_settled_file_changed_in_place_with_its_mtime_put_back_is_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "briefing.json"
    Store.open(db).settings.set("theme", "dark")
    _settle_everything(monkeypatch)
    store = Store.open(db)
    assert store.settings.get("theme") == "dark"
    time.sleep(0.05)  # past the file system's timestamp tick: the ctime moves
    before = db.stat()
    raw = db.read_bytes().replace(b'"dark"', b'"lite"')
    with open(db, "r+b") as handle:
        handle.write(raw)
    os.utime(db, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert store.settings.get("theme") == "lite"


def test_a_file_changed_just_before_it_was_read_is_compared_again(tmp_path: Path) -> None:
    """Not settled (changed within the last two seconds): every read compares the bytes."""
    db = tmp_path / "briefing.json"
    store = Store.open(db)
    store.settings.set("theme", "dark")
    reads = _count_reads(store)
    assert store.settings.get("theme") == "dark"
    assert store.settings.get("theme") == "dark"
    assert len(reads) == 2


def test_a_write_under_the_lock_always_reads_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No stale copy is written back: the transaction reads the bytes even when settled."""
    db = tmp_path / "briefing.json"
    Store.open(db).settings.set("theme", "dark")
    _settle_everything(monkeypatch)
    store = Store.open(db)
    reads = _count_reads(store)
    store.settings.set("language", "zh")
    assert len(reads) >= 1
    assert Store.open(db).settings.all() == {"theme": "dark", "language": "zh"}
