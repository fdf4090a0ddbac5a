"""The lock file: re-entrant within a handle, exclusive across handles and processes."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.store.lock import LockFile, LockTimeout


def test_nested_acquire_is_counted(tmp_path: Path) -> None:
    lock = LockFile(str(tmp_path / "db.lock"), timeout=0.1)
    lock.acquire()
    lock.acquire()
    lock.release()
    other = LockFile(str(tmp_path / "db.lock"), timeout=0.05)
    with pytest.raises(LockTimeout):
        other.acquire()  # still held once
    lock.release()
    other.acquire()  # now free
    other.release()


def test_interoperates_with_filelock(tmp_path: Path) -> None:
    from filelock import FileLock

    path = str(tmp_path / "db.lock")
    theirs = FileLock(path, timeout=0)
    theirs.acquire()
    try:
        with pytest.raises(LockTimeout):
            LockFile(path, timeout=0.05).acquire()
    finally:
        theirs.release()
    ours = LockFile(path, timeout=0.05)
    ours.acquire()
    try:
        from filelock import Timeout

        with pytest.raises(Timeout):
            FileLock(path, timeout=0.05).acquire()
    finally:
        ours.release()


def test_release_without_acquire_is_harmless(tmp_path: Path) -> None:
    LockFile(str(tmp_path / "db.lock"), timeout=0).release()
