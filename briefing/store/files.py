"""Writing a file so that nobody ever sees half of it, and refusing odd targets.

Shared by the notes database and the Markdown export.  Every write goes to a
temp file in the target's folder, is fsynced, then ``os.replace``d over the
target and the folder is fsynced.  A symlink is written through (its target
is replaced, the link stays), and a FIFO, device or socket is refused: a
FIFO would block forever and replacing ``/dev/null`` would be a disaster.

Temp files are named ``.briefing-tmp-<name tag>-<pid>-<random>.tmp`` so that
a sweep can tell its own leftovers (same target name, owner process gone,
older than a minute) from another database's or an export's write in flight.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import time
from pathlib import Path
from typing import Any

from briefing.i18n import _

TMP_PREFIX = ".briefing-tmp-"
TMP_SUFFIX = ".tmp"
# A leftover younger than this may belong to a writer that is still running.
STALE_AFTER_SECONDS = 60.0
_TMP_NAME = re.compile(r"^\.briefing-tmp-([0-9a-f]{12})-(\d+)-[^/]*\.tmp$")


class UnsafeTarget(OSError):
    """The path names something that is not a regular file (FIFO, device, folder)."""


def describe(error: OSError) -> str:
    """An ``OSError`` as a few words for the user (no errno numbers, no paths)."""
    if isinstance(error, UnsafeTarget):
        return str(error)
    known = {
        errno.ENOSPC: _("no space left on device"),
        errno.EDQUOT: _("disk quota exceeded"),
        errno.EACCES: _("permission denied"),
        errno.EPERM: _("permission denied"),
        errno.EROFS: _("read-only file system"),
        errno.ELOOP: _("too many levels of symbolic links"),
        errno.ENOENT: _("no such file or folder"),
        errno.ENOTDIR: _("a part of the path is not a folder"),
        errno.EISDIR: _("is a folder"),
        errno.ENAMETOOLONG: _("file name too long"),
    }
    return known.get(error.errno or 0) or error.strerror or type(error).__name__


def real_target(path: Path) -> Path:
    """Where a write to ``path`` must land: symlinks followed (loops raise ``ELOOP``)."""
    return Path(os.path.realpath(path, strict=False))


def kind_problem(path: Path) -> str | None:
    """Why ``path`` cannot be read or replaced as a file; ``None`` if it can (or is absent)."""
    try:
        mode = os.stat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):
        return None  # absent: creating it is the writer's problem
    except OSError as error:
        return describe(error)
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return _("is a folder, not a file")
    if stat.S_ISFIFO(mode):
        return _("is a FIFO (named pipe), not a file")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return _("is a device, not a file")
    if stat.S_ISSOCK(mode):
        return _("is a socket, not a file")
    return _("is not a regular file")


def name_tag(path: Path) -> str:
    """Twelve hex digits naming the target file (its name, not its folder)."""
    return _sha256(os.fsencode(path.name)).hexdigest()[:12]


def _sha256(data: bytes) -> Any:
    """SHA-256 from CPython's own module: ``hashlib`` loads OpenSSL first (~2 ms of
    every store opened, the reader's start-up included) for the same digest."""
    try:
        from _sha256 import sha256  # CPython 3.11
    except ImportError:  # pragma: no cover - other versions and implementations
        try:
            from _sha2 import sha256  # type: ignore[import-not-found,no-redef]  # CPython 3.12+
        except ImportError:
            from hashlib import sha256
    return sha256(data)


def current_umask() -> int:
    """The process umask, read without changing it where the system allows."""
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as handle:
            for line in handle:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o077)  # pragma: no cover - systems without /proc
    os.umask(mask)  # pragma: no cover
    return mask  # pragma: no cover


def fsync_dir(folder: Path) -> None:
    """Make a rename durable: fsync the folder (a no-op where unsupported)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def atomic_write_bytes(path: Path, data: bytes, *, new_mode: int | None = None) -> Path:
    """Write ``data`` to ``path`` so readers see the old or the new file, never a mix.

    A symlink is written through; an existing file keeps its permissions; a new
    one gets ``new_mode`` (default 0600, private).  Returns the file actually
    written.  Raises ``OSError`` (``UnsafeTarget`` for a FIFO, device or
    folder); on failure the old file is untouched and no temp file is left.
    """
    target = real_target(Path(path))
    problem = kind_problem(target)
    if problem is not None:
        raise UnsafeTarget(errno.EINVAL, problem)
    folder = target.parent
    import tempfile  # only when writing: keeps it off the reader's start-up path

    prefix = f"{TMP_PREFIX}{name_tag(target)}-{os.getpid()}-"
    fd, tmp_name = tempfile.mkstemp(prefix=prefix, suffix=TMP_SUFFIX, dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            mode = stat.S_IMODE(os.stat(target).st_mode)
        except FileNotFoundError:
            mode = new_mode
        if mode is not None:
            os.chmod(tmp_name, mode)
        os.replace(tmp_name, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    fsync_dir(folder)
    return target


def _process_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, but belongs to someone else
    return True


def sweep_temp_files(target: Path, *, now: float | None = None) -> list[Path]:
    """Delete this file's temp files whose writer is gone; returns what was deleted.

    Only files with ``target``'s name tag, whose process id no longer runs,
    and untouched for a minute: another database's or an export's temp file,
    or one still being written, is never touched.  Best effort, never raises.
    """
    tag = name_tag(target)
    moment = time.time() if now is None else now
    removed: list[Path] = []
    try:
        entries = list(os.scandir(target.parent))
    except OSError:
        return removed
    for entry in entries:
        match = _TMP_NAME.match(entry.name)
        if match is None or match.group(1) != tag:
            continue
        if _process_alive(int(match.group(2))):
            continue
        try:
            if moment - entry.stat(follow_symlinks=False).st_mtime < STALE_AFTER_SECONDS:
                continue
            os.unlink(entry.path)
        except OSError:
            continue
        removed.append(Path(entry.path))
    return removed
