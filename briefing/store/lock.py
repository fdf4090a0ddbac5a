"""An exclusive, re-entrant lock file shared by every running copy of briefing.

On POSIX this is ``flock`` on ``<database>.lock`` (the same lock that the
``filelock`` package takes, so the two interoperate); elsewhere it falls back
to ``filelock``. Kept this small because it sits on the reader's start-up
path, where importing ``filelock`` alone costs about 10 ms.
"""

from __future__ import annotations

import os
import time

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

POLL_SECONDS = 0.01


class LockTimeout(Exception):
    """Another process held the lock for longer than the timeout."""


class LockFile:
    """``acquire``/``release`` an exclusive lock on ``path``; nested calls count."""

    def __init__(self, path: str, timeout: float) -> None:
        self.path = path
        self.timeout = timeout
        self._fd: int | None = None
        self._depth = 0
        self._fallback = None

    def acquire(self, timeout: float | None = None) -> None:
        """Take the lock, waiting at most ``timeout`` (default: ``self.timeout``)."""
        if self._depth:
            self._depth += 1
            return
        wait = self.timeout if timeout is None else timeout
        if fcntl is None:  # pragma: no cover - Windows
            self._acquire_fallback(wait)
        else:
            self._fd = self._acquire_flock(wait)
        self._depth = 1

    def release(self) -> None:
        if self._depth == 0:
            return
        self._depth -= 1
        if self._depth:
            return
        if self._fallback is not None:  # pragma: no cover - Windows
            self._fallback.release()
            return
        fd, self._fd = self._fd, None
        if fd is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_UN)
            finally:
                os.close(fd)

    def _acquire_flock(self, timeout: float) -> int:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        deadline = time.monotonic() + max(timeout, 0)
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return fd
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    os.close(fd)
                    raise LockTimeout(self.path) from None
                time.sleep(POLL_SECONDS)
            except BaseException:
                os.close(fd)
                raise

    def _acquire_fallback(self, timeout: float) -> None:  # pragma: no cover - Windows
        from filelock import FileLock, Timeout

        if self._fallback is None:
            self._fallback = FileLock(self.path, timeout=timeout)
        self._fallback.timeout = timeout
        try:
            self._fallback.acquire()
        except Timeout:
            raise LockTimeout(self.path) from None
