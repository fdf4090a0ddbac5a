"""AtomicJSONStorage: a TinyDB storage that never leaves a half-written file.

TinyDB's own ``JSONStorage`` rewrites the file in place, so a crash or a second
writer can leave it truncated.  Here every write goes to a temp file in the same
folder, is fsynced, then ``os.replace``d over the database (``files``), under
an exclusive lock file.  A file that cannot be read as a database is moved
aside (never overwritten) and a fresh database starts.

Reads take no lock: every write replaces the whole file at once, so a reader
sees the old or the new database, never a mix, and a listing of 50,000 notes
never holds up a writer.  Read-modify-write happens in ``transaction()``,
which re-reads the file under the lock, so no stale copy is ever written back
over another process's changes.  Reading needs no write access at all: a
read-only file or folder only stops writes, with one line.

Parsed data is reused only when the bytes on disk are exactly the bytes that
were parsed (or written); any failure inside a transaction drops it.  Size,
mtime and inode alone are not trusted for that (an editor or sync tool may
rewrite the file in place with the same size and put the mtime back).  A
lock-free read may skip reading the bytes when the file had settled before it
was parsed (its ctime well in the past) and its inode, size, mtime and ctime
are unchanged (``_settled``); a read under the lock always compares the
bytes.  Writes are never deferred.

Every record is checked when the file is parsed (``records``); one that does
not fit is skipped with a warning and kept in the file.
"""

from __future__ import annotations

import codecs
import contextlib
import json
import os
import stat
import threading
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from briefing.i18n import _
from briefing.store.bulk import collector_paused
from briefing.store.files import (
    UnsafeTarget,
    atomic_write_bytes,
    describe,
    fsync_dir,
    kind_problem,
    real_target,
    sweep_temp_files,
)
from briefing.store.lock import POLL_SECONDS as LOCK_POLL_SECONDS
from briefing.store.lock import LockFile, LockTimeout

try:
    import orjson as _orjson
except ImportError:  # pragma: no cover - orjson is a dependency; stay correct without it
    _orjson = None

__all__ = [
    "AtomicJSONStorage",
    "StoreDamaged",
    "StoreError",
    "atomic_write_bytes",
    "decode_database",
    "encode_database",
    "fsync_dir",
]

# Values the standard library refuses (dataclasses, datetimes) must fail the
# same way here instead of being quietly saved as something else.
_ORJSON_OPTIONS = (
    _orjson.OPT_PASSTHROUGH_DATACLASS | _orjson.OPT_PASSTHROUGH_DATETIME if _orjson else 0
)
# orjson reads integers beyond 64 bits as floats: a file with a run of 19
# digits takes the slow path.  Found by mapping digits to "0" and everything
# else to " " (bytes.translate is C speed; a regex took 0.5 s on 36 MB).
_DIGIT_MAP = bytes(0x30 if 0x30 <= b <= 0x39 else 0x20 for b in range(256))
_LONG_RUN = b"0" * 19

LOCK_TIMEOUT = 15.0
# A re-anchoring write-back done while listing waits this long at most.
WRITE_BACK_LOCK_TIMEOUT = 0.5

Signature = tuple[int, int, int, int]
# A file whose last change (ctime) is older than this when it is read can be
# reused by lock-free reads while its signature stays the same (``_settled``):
# more than any file system's timestamp granularity.
SETTLED_NS = 2_000_000_000


class StoreError(Exception):
    """The database cannot be opened, read or saved; the message is one line."""


class StoreDamaged(StoreError):
    """The database was found damaged while open: moved aside, a fresh one started.

    Raised once, by the call that found it, before that call did anything;
    ``moved_to`` is where the damaged file now is.  Tell the user, then reload
    everything shown from the store (it is empty now) and retry the call.
    """

    def __init__(self, message: str, moved_to: Path) -> None:
        super().__init__(message)
        self.moved_to = moved_to


def _valid_shape(data: Any) -> bool:
    """A database is a JSON object; what is inside is checked record by record."""
    return isinstance(data, dict)


def decode_database(raw: bytes) -> dict[str, Any] | None:
    """Parse database bytes; ``None`` if they are not a TinyDB database.

    A UTF-8 byte-order mark (left by some editors) is accepted and the data kept:
    it is harmless, and refusing it would move the user's notes aside for nothing.
    orjson parses about three times faster; what it refuses or would read
    differently (lone surrogates, NaN, very deep nesting, huge integers) goes
    to the standard library.
    """
    return _decode(raw, check_numbers=True)[0]


def _long_integer(raw: bytes) -> bool:
    """Whether ``raw`` has a run of 19 digits (an integer orjson may read as a float)."""
    return _LONG_RUN in raw.translate(_DIGIT_MAP)


def _decode(raw: bytes, *, check_numbers: bool) -> tuple[dict[str, Any] | None, bool]:
    """``(data, unchecked)``: ``decode_database``, or without looking for long integers.

    ``check_numbers=False`` lets orjson parse without the 19-digit search
    (0.1 s of every command at 50,000 notes); ``unchecked`` then says the
    data must be parsed again exactly if it holds a float (``records.Scan``).
    """
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    data: Any = None
    parsed = unchecked = False
    with collector_paused():
        if _orjson is not None and not (check_numbers and _long_integer(raw)):
            with contextlib.suppress(ValueError):  # orjson.JSONDecodeError is a ValueError
                data, parsed = _orjson.loads(raw), True
                unchecked = not check_numbers
        if not parsed:
            try:
                data = json.loads(raw.decode("utf-8"))
            except (UnicodeDecodeError, ValueError, RecursionError):
                return None, False
    return (data, unchecked) if _valid_shape(data) else (None, False)


def _encode_stdlib(data: dict[str, Any]) -> bytes:
    """The slow, always-available encoder: compact UTF-8 JSON."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), check_circular=False)
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        # A lone surrogate (read from a hand-edited "\ud800" escape) has no UTF-8
        # form: escape everything instead, which reads back as the same text.
        return json.dumps(data, separators=(",", ":")).encode("ascii")


def encode_database(data: dict[str, Any]) -> bytes:
    """Compact UTF-8 JSON of the whole database, as ``json.dumps`` would write it.

    ``orjson`` is about 15 times faster (4 ms instead of 60 ms for 10,000 notes,
    which was most of the time it took to add a note) and writes the same bytes,
    but for the spelling of some floats (``1e-7`` for ``1e-07``).  It refuses a
    few values that the standard library takes (integers beyond 64 bits, keys
    that are not strings, lone surrogates, nesting deeper than 254); those, and
    a missing ``orjson``, fall back to the standard library, so whatever was
    saved before is still saved.  (NaN and infinities, which are not JSON, are
    saved as ``null``; ``Settings.set`` refuses them.)
    """
    if _orjson is not None:
        try:
            return _orjson.dumps(data, option=_ORJSON_OPTIONS)
        except TypeError:  # orjson.JSONEncodeError is a TypeError
            pass
    try:
        return _encode_stdlib(data)
    except RecursionError:
        raise StoreError(_("the database is nested too deeply to be saved")) from None


def next_key(table: dict[str, Any]) -> str:
    """The key TinyDB gives the next record: the highest number + 1."""
    try:
        return str(max(map(int, table), default=0) + 1)  # C speed: 50,000 keys
    except (TypeError, ValueError):
        pass  # a key that is not a number (hand-edited): skip it
    numbers = []
    for key in table:
        try:
            numbers.append(int(key))
        except (TypeError, ValueError):
            continue
    return str(max(numbers, default=0) + 1)


def _spliced(raw: bytes, data: dict[str, Any], table: str, key: str, record: Any) -> bytes | None:
    """``raw`` with ``record`` added as the last member of ``table``, or ``None``.

    Only when ``raw`` is, around that table, exactly what ``encode_database``
    writes: the tables before it and after it encode to the bytes that start
    and end the file.  ``raw`` parsed to the data as it was, so what lies
    between is the table's object, and the record goes before its closing
    brace (into the last copy of the table, the one a reader keeps, should a
    hand-edited file hold two).
    """
    names = list(data)
    at = names.index(table)
    head = encode_database({name: data[name] for name in names[:at]})
    tail = encode_database({name: data[name] for name in names[at + 1 :]})
    member = encode_database({table: 0})[1:-2]  # b'"notes":'
    prefix = head[:-1] + (b"," if len(head) > 2 else b"") + member
    suffix = b"," + tail[1:] if len(tail) > 2 else b"}"
    end = len(raw) - len(suffix)
    if end <= len(prefix) or not raw.startswith(prefix) or not raw.endswith(suffix):
        return None
    if raw[end - 1 : end] != b"}":
        return None
    entry = encode_database({key: record})[1:-1]
    comma = b"," if data[table] else b""
    return b"".join((raw[: end - 1], comma, entry, b"}", suffix))


# ``(rejected keys per table, warnings, whether a float is anywhere)``: ``records.scan``.
Validator = Callable[[dict[str, Any], str], tuple[dict[str, set[str]], list[str], bool]]


class AtomicJSONStorage:
    """TinyDB storage: atomic replace, exclusive lock for writes, lock-free reads.

    It has TinyDB's storage interface (``read``, ``write``, ``close``: TinyDB
    takes any object that has them) without subclassing ``tinydb.Storage``,
    whose import (the whole ``tinydb`` package, ~4 ms) would fall on the
    reader's start-up path for an abstract base class and nothing else.
    """

    def __init__(
        self,
        path: str | Path,
        *,
        lock_timeout: float = LOCK_TIMEOUT,
        validate: Validator | None = None,
    ) -> None:
        self.path = Path(path)
        self.warnings: list[str] = []
        self.recovered_from: Path | None = None
        self._validate = validate
        self._memo: dict[str, Any] | None = None
        self._parsed: tuple[bytes, dict[str, Any]] | None = None
        self._rejected: dict[str, set[str]] = {}
        self._signature: Signature | None = None
        self._settled_signature: Signature | None = None
        self._depth = 0
        self._pinned = 0
        self._open = False
        # Threads of one process take this first; the file lock excludes other processes.
        self._thread_lock = threading.RLock()
        try:
            self.target = real_target(self.path)
        except OSError as error:  # pragma: no cover - realpath does not raise on loops
            raise StoreError(
                _("cannot open {path}: {reason}").format(path=self.path, reason=describe(error))
            ) from None
        problem = kind_problem(self.target)
        if problem is not None:
            raise StoreError(
                _("{path} {problem}; give a database file").format(path=self.path, problem=problem)
            )
        self.lock = LockFile(str(self.target) + ".lock", timeout=lock_timeout)
        self._create_if_possible()
        sweep_temp_files(self.target)
        self.read()
        self._open = True

    # -- setup -------------------------------------------------------------
    def _create_if_possible(self) -> None:
        """Start an empty database file; where that is not allowed, reads still work."""
        if self.target.exists():
            return
        try:
            self.target.parent.mkdir(parents=True, exist_ok=True)
        except OSError:
            return
        if not os.access(self.target.parent, os.W_OK | os.X_OK):
            return
        with contextlib.suppress(StoreError), self.transaction():
            if not self.target.exists():
                self._write({})

    # -- locking -----------------------------------------------------------
    @contextlib.contextmanager
    def transaction(self, timeout: float | None = None) -> Iterator[None]:
        """Hold the lock for a read-modify-write; reads inside are memoised."""
        self._lock_both(timeout)
        try:
            self._depth += 1
            try:
                yield
            except BaseException:
                self._parsed = None  # the data may have been changed and not saved
                raise
            finally:
                self._depth -= 1
                if self._depth == 0:
                    self._memo = None
                self.lock.release()
        finally:
            self._thread_lock.release()

    def _lock_both(self, timeout: float | None) -> None:
        """Take the thread lock and the file lock; return holding both.

        While another program holds the file, wait WITHOUT the thread lock:
        holding it through that wait (up to the timeout) froze every reader of
        this process, the reader's UI thread among them, while a note's save
        waited in its thread.  The file lock is only touched under the thread
        lock, so its nesting count stays the business of one thread.
        """
        wait = self.lock.timeout if timeout is None else timeout
        deadline = time.monotonic() + max(wait, 0)
        while True:
            self._thread_lock.acquire()
            try:
                if self._acquire():
                    return
            except BaseException:
                self._thread_lock.release()
                raise
            self._thread_lock.release()
            if time.monotonic() >= deadline:
                raise StoreError(
                    _("the database {path} is locked by another briefing; try again").format(
                        path=self.path
                    )
                )
            time.sleep(LOCK_POLL_SECONDS)

    @contextlib.contextmanager
    def snapshot(self) -> Iterator[None]:
        """Reads inside see the file as first read here: one read and parse for a command.

        For a command that only reads (list notes, then bookmarks, then
        render): the 36 MB of 50,000 notes is read once, not once per list,
        and the lists come from the same database.  Writes inside lock,
        re-read and save as always, and later reads see what they saved.
        """
        with self._thread_lock:
            self._pinned += 1
        try:
            yield
        finally:
            with self._thread_lock:
                self._pinned -= 1

    def _acquire(self) -> bool:
        """Take the file lock if it is free now (``False`` if it is not)."""
        folder = self.target.parent
        if not self._depth and not folder.is_dir():
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise StoreError(
                    _("cannot save {path}: cannot create folder {folder}: {reason}").format(
                        path=self.path, folder=folder, reason=describe(error)
                    )
                ) from None
        try:
            self.lock.acquire(0)
        except LockTimeout:
            return False
        except OSError as error:
            raise StoreError(
                _("cannot save {path}: cannot lock it in {folder} ({reason})").format(
                    path=self.path, folder=folder, reason=describe(error)
                )
            ) from None
        return True

    # -- Storage interface -------------------------------------------------
    def read(self) -> dict[str, Any]:
        """The whole database; the caller must not change it outside a transaction."""
        with self._thread_lock:
            if self._depth:
                if self._memo is None:
                    # A shallow copy: tables are copied before they change (see
                    # ``table_for_writing``), so the parsed data that lock-free
                    # readers share is never changed in place.
                    self._memo = dict(self._read_file())
                return self._memo
            if self._pinned and self._parsed is not None:
                return self._parsed[1]
            if self._parsed is not None and self._settled():
                return self._parsed[1]
            return self._read_file()

    def write(self, data: dict[str, Any]) -> None:
        with self.transaction():
            self._write(data)
            self._memo = data

    def close(self) -> None:
        self._memo = None
        self._parsed = None

    # -- records -----------------------------------------------------------
    def records(self, table: str) -> list[tuple[str, dict[str, Any]]]:
        """``(key, record)`` for every record of ``table`` that fits (see ``records``).

        The records are shared with other readers: never change one in place.
        """
        with self._thread_lock:
            raw = self.read().get(table)
            if not isinstance(raw, dict):
                return []
            rejected = self._rejected.get(table)
            if not rejected:
                return list(raw.items())
            return [(k, d) for k, d in raw.items() if k not in rejected]

    def rejected(self, table: str) -> set[str]:
        """Keys of ``table`` whose records do not fit, as of the last parse."""
        return self._rejected.get(table, set())

    def table_for_writing(self, table: str) -> dict[str, Any]:
        """Inside a transaction: the table's own copy to change, created if missing.

        Replace records rather than change them in place.  A table that is not
        a table (hand-edited junk) is kept as it is and the write refused.
        """
        if not self._depth:
            raise RuntimeError("table_for_writing outside a transaction")
        data = self.read()
        raw = data.get(table)
        if raw is None:
            raw = data[table] = {}
        elif isinstance(raw, dict):
            raw = data[table] = dict(raw)
        if not isinstance(raw, dict):
            raise StoreError(
                _(
                    "cannot save to {path}: its {table} table is not a table; "
                    "repair or move the file"
                ).format(path=self.path, table=repr(table))
            )
        return raw

    # -- change detection ----------------------------------------------------
    def changed(self) -> bool:
        """Whether the file on disk is not the one last read or written here.

        Cheap (one ``stat``): for a reader that wants to reload when a sync
        program or another briefing changed the database.
        """
        return self._stat_signature() != self._signature

    def _stat_signature(self) -> Signature | None:
        try:
            st = os.stat(self.target)
        except OSError:
            return None
        return (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)

    def _settled(self) -> bool:
        """Whether a lock-free read may reuse the parsed data without reading the bytes.

        Only when the file is the very one parsed (same inode, size, mtime and
        ctime) and it had last changed well before that read (``SETTLED_NS``):
        a change after our read gives a later ctime, which nobody can set back
        (unlike the mtime).  A file changed just before it was read is read and
        compared again, as writes always are.  The reader's start-up looks up
        several settings: each was a read of the whole file (36 MB at 50,000
        notes).
        """
        if self._settled_signature is None:
            return False
        return self._stat_signature() == self._settled_signature

    # -- internals ---------------------------------------------------------
    def _read_file(self) -> dict[str, Any]:
        def opener(path: str, flags: int) -> int:
            # Non-blocking: a FIFO put in the database's place must not hang us.
            return os.open(path, flags | getattr(os, "O_NONBLOCK", 0))

        self._settled_signature = None
        began = time.time_ns()
        try:
            with open(self.target, "rb", buffering=0, opener=opener) as handle:
                st = os.fstat(handle.fileno())
                if not stat.S_ISREG(st.st_mode):
                    problem = kind_problem(self.target) or _("is not a regular file")
                    raise StoreError(
                        _("{path} {problem}; give a database file").format(
                            path=self.path, problem=problem
                        )
                    )
                raw = handle.read()
        except (FileNotFoundError, NotADirectoryError):
            self._signature = None
            self._parsed = None
            self._rejected = {}
            return {}
        except OSError as error:
            raise StoreError(
                _("cannot read {path}: {reason}").format(path=self.path, reason=describe(error))
            ) from None
        self._signature = (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
        settled = st.st_ctime_ns < began - SETTLED_NS
        if self._parsed is not None and self._parsed[0] == raw:
            if settled:
                self._settled_signature = self._signature
            return self._parsed[1]
        self._parsed = None
        data, unchecked = _decode(raw, check_numbers=self._validate is None)
        if data is None:
            return self._damaged(raw)
        data = self._accept(raw, data, unchecked=unchecked)
        if settled:
            self._settled_signature = self._signature
        return data

    def _accept(
        self, raw: bytes, data: dict[str, Any], *, unchecked: bool = False
    ) -> dict[str, Any]:
        """Remember freshly parsed data and check its records.

        ``unchecked``: parsed without looking for long integers (``_decode``);
        if the data holds a float and the bytes a long run of digits, orjson
        may have read an integer beyond 64 bits as a float: parsed again
        exactly.  Returns the data kept.
        """
        self._rejected = {}
        if self._validate is not None:
            rejected, warnings, floats = self._validate(data, str(self.path))
            if unchecked and floats and _long_integer(raw):
                exact = decode_database(raw)
                if exact is not None:  # always: what orjson read, json reads
                    data = exact
                    rejected, warnings, floats = self._validate(data, str(self.path))
            self._rejected = rejected
            for warning in warnings:
                if warning not in self.warnings:
                    self.warnings.append(warning)
        self._parsed = (raw, data)
        return data

    def _damaged(self, raw: bytes) -> dict[str, Any]:
        """Move a damaged file aside under the lock (unless someone fixed it meanwhile)."""
        try:
            with self.transaction():
                try:
                    again = self.target.read_bytes()
                except FileNotFoundError:
                    again = b"{}"
                if again != raw:
                    data = decode_database(again)
                    if data is not None:
                        self._accept(again, data)
                        self._memo = data
                        return data
                moved = self._move_aside()
                self._write({})
                self._rejected = {}
                data = {}
                self._memo = data
        except StoreError as error:
            raise StoreError(
                _("{path} is damaged and cannot be moved aside: {error}").format(
                    path=self.path, error=error
                )
            ) from None
        message = _(
            "The notes database {path} could not be read; it was moved to "
            "{moved} and a new, empty database was started."
        ).format(path=self.path, moved=moved)
        if self._open:
            raise StoreDamaged(message, moved)
        self.warnings.append(message)
        return data

    def _move_aside(self) -> Path:
        stamp = datetime.now().strftime("%Y%m%dT%H%M%S")
        target = self.target.with_name(f"{self.target.name}.corrupt-{stamp}")
        counter = 1
        while target.exists():
            target = self.target.with_name(f"{self.target.name}.corrupt-{stamp}-{counter}")
            counter += 1
        try:
            os.replace(self.target, target)
        except FileNotFoundError:
            return target
        except OSError as error:
            raise StoreError(describe(error)) from None
        fsync_dir(self.target.parent)
        self.recovered_from = target
        return target

    def append(self, table: str, record: dict[str, Any]) -> str:
        """Add ``record`` to ``table`` under the next free key (TinyDB's: highest + 1) and save.

        The file is written as its bytes with the new record spliced in when
        they are exactly what this module writes around that table and nothing
        else changed in this transaction: encoding 50,000 other notes again
        cost a tenth of ``note add``.  Anything else (a hand-edited layout, a
        byte-order mark, a new table) is saved whole.  Returns the key.
        """
        with self.transaction():
            data = self.read()
            parsed = self._parsed
            unchanged = (
                parsed is not None
                and parsed[1] is not data
                and isinstance(parsed[1].get(table), dict)
                and data == parsed[1]  # a shallow copy: compares by identity
            )
            rows = self.table_for_writing(table)
            key = next_key(rows)
            rows[key] = record
            payload = None
            if unchanged and parsed is not None:
                payload = _spliced(parsed[0], parsed[1], table, key, record)
            if payload is None:
                self.write(data)
            else:
                self._write(data, payload)
                self._memo = data
        return key

    def _write(self, data: dict[str, Any], payload: bytes | None = None) -> None:
        """Save ``data`` (``payload``: its bytes, when already made)."""
        self._parsed = None
        self._settled_signature = None
        self._refuse_read_only()
        if payload is None:
            payload = encode_database(data)
        try:
            atomic_write_bytes(self.target, payload)
        except UnsafeTarget as error:
            raise StoreError(
                _("{path} {problem}; give a database file").format(
                    path=self.path, problem=error.strerror
                )
            ) from None
        except OSError as error:
            raise StoreError(
                _("cannot save {path}: {reason}").format(path=self.path, reason=describe(error))
            ) from None
        self._parsed = (payload, data)
        self._signature = self._stat_signature()

    def _refuse_read_only(self) -> None:
        """A file the user made read-only is not replaced behind their back."""
        try:
            mode = os.stat(self.target).st_mode
        except OSError:
            return
        if not mode & 0o222 or not os.access(self.target, os.W_OK):
            raise StoreError(
                _("cannot save {path}: the file is read-only (make it writable to save)").format(
                    path=self.path
                )
            )
