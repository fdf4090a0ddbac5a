"""``Library``: the user's reports, kept as copies and listed in a catalogue.

Layout of the library folder (``paths.user_data_dir()/"library"``, or
``$BRIEFING_LIBRARY``):

* ``catalogue.json`` — one record per report (``catalogue.py``);
* ``files/<id>/<name>`` — the copy of each added file, ``id`` the sha256 of
  its bytes, ``name`` the file's own name (the parser may take the title
  from it, and its suffix says HTML/DOCX/PDF);
* ``index/`` — the combined search index of the whole library (``index.py``);
* ``.lock`` — held by every writer (``store/lock.py``).

Adding does the slow work (parse, readings) outside the lock, then commits
each report to the catalogue under it, so a kill loses at most the report
being added and two running copies never lose each other's entries.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefing.i18n import _
from briefing.library.catalogue import (
    LibraryEntry,
    LibraryError,
    decode_catalogue,
    encode_catalogue,
    entry_to_record,
    record_to_entry,
)

if TYPE_CHECKING:
    from briefing.library.search import LibraryHit, LibrarySearcher
    from briefing.model import Report

LIBRARY_ENV = "BRIEFING_LIBRARY"
CATALOGUE = "catalogue.json"
FILES = "files"
LOCK_SECONDS = 30.0
SHORT_ID = 12  # how many hex digits of an id are shown

#: ``progress(done, total, path)``: called after each file of an ``add``.
Progress = Callable[[int, int, str], None]


def default_folder() -> Path:
    """``$BRIEFING_LIBRARY``, else ``library`` in the user data folder."""
    env = os.environ.get(LIBRARY_ENV)
    if env:
        from briefing.paths import PathProblem, expand_user

        try:
            return expand_user(env)
        except PathProblem as error:
            raise LibraryError(_("library folder: {error}").format(error=error)) from None
    from briefing.paths import user_data_dir

    return user_data_dir() / "library"


def short(entry_id: str) -> str:
    return entry_id[:SHORT_ID]


def _shown(text: object) -> str:
    from briefing.text import strip_control

    return " ".join(strip_control(str(text)).split())


def _sha256(data: bytes) -> str:
    """The hex sha256 of ``data`` (a library id). ``hashlib`` loads OpenSSL (~4 ms of
    every command, for the bundled report's id); Python's own sha256 gives the same."""
    try:
        from _sha256 import sha256  # type: ignore[import-not-found]  # CPython < 3.12
    except ImportError:  # pragma: no cover - other Pythons
        try:
            from _sha2 import sha256  # type: ignore[import-not-found,no-redef]  # CPython 3.12+
        except ImportError:
            from hashlib import sha256
    return sha256(data).hexdigest()


def _rmtree(folder: Path) -> None:
    import shutil  # only when something is removed

    shutil.rmtree(folder, ignore_errors=True)


def _stored_name(path: Path) -> str:
    """The copy's file name: the original name, cleaned and not too long."""
    from briefing.text import strip_control

    name = strip_control(path.name).replace(os.sep, "_").strip() or "report.txt"
    if name in (".", ".."):
        name = "report.txt"
    if len(name.encode("utf-8", "surrogatepass")) > 160:
        stem, suffix = os.path.splitext(name)
        name = stem[:40] + suffix[:16]
    return name


class Library:
    """The catalogue of the user's reports and what is done with it (see LIBRARY_API)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.catalogue_path = folder / CATALOGUE
        self._lock: Any = None
        #: Messages for the user (damaged records skipped, a catalogue moved aside).
        self.warnings: list[str] = []
        self._records: dict[str, Any] = {}
        self._entries: dict[str, LibraryEntry] = {}
        self._damaged: dict[str, str] = {}
        self._signature: tuple[int, int, int] | None = None
        self._bundled: LibraryEntry | None = None
        self._searcher: LibrarySearcher | None = None

    @classmethod
    def open(cls, folder: Path | None = None) -> Library:
        """The library in ``folder`` (default: ``default_folder()``); nothing is created yet."""
        target = Path(folder) if folder is not None else default_folder()
        if target.exists() and not target.is_dir():
            raise LibraryError(
                _("library folder {path} is not a folder").format(path=_shown(target))
            )
        library = cls(target)
        library._refresh()
        return library

    # ------------------------------------------------------------------ reading
    def _signature_now(self) -> tuple[int, int, int] | None:
        try:
            st = os.stat(self.catalogue_path)
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_size, st.st_ino)

    def _refresh(self) -> None:
        """Re-read the catalogue if it changed on disk (another process wrote it)."""
        signature = self._signature_now()
        if signature is not None and signature == self._signature:
            return
        records: dict[str, Any] = {}
        if signature is not None:
            try:
                raw = self.catalogue_path.read_bytes()
                records = decode_catalogue(raw)
            except OSError as error:
                from briefing.store.files import describe  # not at import: it loads the store

                raise LibraryError(
                    _("cannot read the library catalogue: {reason}").format(reason=describe(error))
                ) from None
            except ValueError as error:
                self._recover(str(error))
                return
        self._load_records(records)
        self._signature = signature

    def _load_records(self, records: dict[str, Any]) -> None:
        entries: dict[str, LibraryEntry] = {}
        damaged: dict[str, str] = {}
        for key, record in records.items():
            try:
                entry = record_to_entry(record, self.folder)
                if entry.id != key:
                    raise ValueError(_("id does not match its key"))
            except ValueError as error:
                damaged[str(key)] = str(error)
                continue
            entries[entry.id] = entry
        for key, reason in damaged.items():
            if key not in self._damaged:
                self.warnings.append(
                    _("library entry {id} is damaged ({reason}): skipped").format(
                        id=_shown(short(key)), reason=reason
                    )
                )
        self._records = records
        self._entries = entries
        self._damaged = damaged

    def _recover(self, reason: str) -> None:
        """A catalogue that cannot be read: moved aside, rebuilt from the stored copies."""
        from datetime import datetime

        from briefing.store.files import describe

        with self._locked():
            # Another process may have recovered it while we waited.
            try:
                records = decode_catalogue(self.catalogue_path.read_bytes())
            except (OSError, ValueError):
                stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
                aside = self.catalogue_path.with_name(f"{CATALOGUE}.corrupt-{stamp}")
                try:
                    os.replace(self.catalogue_path, aside)
                except OSError as error:
                    raise LibraryError(
                        _(
                            "library catalogue is damaged ({reason}) and cannot be moved aside: "
                            "{error}"
                        ).format(reason=reason, error=describe(error))
                    ) from None
                self.warnings.append(
                    _(
                        "the library catalogue was damaged ({reason}); it was moved to "
                        "{path} and rebuilt from the stored copies"
                    ).format(reason=_shown(reason), path=_shown(aside))
                )
                records = self._rebuilt_records()
                self._write(records)
            self._load_records(records)
            self._signature = self._signature_now()

    def _rebuilt_records(self) -> dict[str, Any]:
        """Records for every stored copy found under ``files/`` (the origin is unknown)."""
        records: dict[str, Any] = {}
        base = self.folder / FILES
        try:
            folders = sorted(p for p in base.iterdir() if p.is_dir())
        except OSError:
            return records
        for folder in folders:
            copies = [p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")]
            if len(copies) != 1:
                continue
            try:
                data = copies[0].read_bytes()
                if _sha256(data) != folder.name:
                    continue
                entry = self._describe(folder.name, copies[0], data, "")
            except (OSError, LibraryError):
                continue
            records[entry.id] = entry_to_record(entry, self.folder)
        return records

    def entries(self) -> list[LibraryEntry]:
        """Every report of the library, the bundled one first, then in the order added."""
        self._refresh()
        # Catalogue order is the order of adding (a timestamp has ties within a
        # second); new entries come last, which lets the index be appended to.
        found = list(self._entries.values())
        bundled = self.bundled_entry()
        return [bundled, *(e for e in found if e.id != bundled.id)]

    def bundled_entry(self) -> LibraryEntry:
        """The bundled report's entry (described once, then kept in the catalogue)."""
        if self._bundled is not None:
            return self._bundled
        from briefing.resources import bundled_report_path

        path = bundled_report_path()
        try:
            data = path.read_bytes()
        except OSError as error:
            from briefing.store.files import describe

            raise LibraryError(
                _("the bundled report cannot be read: {reason}").format(reason=describe(error))
            ) from None
        entry_id = _sha256(data)
        known = self._entries.get(entry_id)
        if known is not None and known.bundled and known.stored_path == path:
            self._bundled = known
            return known
        entry = self._describe(entry_id, path, data, str(path), bundled=True)
        self._bundled = entry
        # A read-only library still lists the bundled report.
        with contextlib.suppress(LibraryError):
            self._commit({entry.id: entry_to_record(entry, self.folder)}, drop=self._old_bundled())
        return entry

    def _old_bundled(self) -> list[str]:
        return [k for k, e in self._entries.items() if e.bundled]

    def resolve(self, id_or_prefix: str) -> LibraryEntry:
        """The one entry whose id starts with ``id_or_prefix``; ``LibraryError`` otherwise."""
        prefix = id_or_prefix.strip().lower()
        if not prefix:
            raise LibraryError(_("an empty library id"))
        entries = self.entries()
        exact = [e for e in entries if e.id == prefix]
        if exact:
            return exact[0]
        hits = [e for e in entries if e.id.startswith(prefix)]
        damaged = [k for k in self._damaged if k.startswith(prefix)]
        if len(hits) + len(damaged) > 1:
            shown = ", ".join(short(e.id) for e in hits[:5])
            raise LibraryError(
                _(
                    "library id {id} is ambiguous: it starts {count} entries ({ids}); "
                    "type more of it"
                ).format(id=repr(_shown(id_or_prefix)), count=len(hits) + len(damaged), ids=shown)
            )
        if damaged:
            raise LibraryError(
                _(
                    "library entry {id} is damaged ({reason}); remove it and add the file again"
                ).format(id=_shown(short(damaged[0])), reason=_shown(self._damaged[damaged[0]]))
            )
        if not hits:
            raise LibraryError(
                _("no report with id {id} in the library (see `briefing library`)").format(
                    id=repr(_shown(id_or_prefix))
                )
            )
        return hits[0]

    def load(self, entry: LibraryEntry) -> Report:
        """The parsed report of ``entry`` (from the report cache when it was seen)."""
        from briefing import load_report
        from briefing.source import SourceError

        if not entry.stored_path.is_file():
            raise LibraryError(
                _(
                    "the stored copy of {title} ({id}) is missing: "
                    "remove it with `briefing library remove {id}` and add it again"
                ).format(title=_shown(entry.title), id=short(entry.id))
            )
        try:
            return load_report(entry.stored_path)
        except SourceError as error:
            raise LibraryError(f"{short(entry.id)}: {error}") from None

    # ------------------------------------------------------------------ writing
    def _locked(self) -> Any:
        from contextlib import contextmanager

        from briefing.store.files import describe
        from briefing.store.lock import LockFile, LockTimeout

        @contextmanager
        def hold() -> Any:
            try:
                self.folder.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise LibraryError(
                    _("cannot create the library folder: {reason}").format(reason=describe(error))
                ) from None
            if self._lock is None:
                self._lock = LockFile(str(self.folder / ".lock"), LOCK_SECONDS)
            try:
                self._lock.acquire()
            except LockTimeout:
                raise LibraryError(
                    _("the library is busy (another briefing is changing it); try again")
                ) from None
            except OSError as error:
                raise LibraryError(
                    _("cannot lock the library: {reason}").format(reason=describe(error))
                ) from None
            try:
                yield
            finally:
                self._lock.release()

        return hold()

    def _write(self, records: dict[str, Any]) -> None:
        from briefing.store.files import atomic_write_bytes, describe

        try:
            atomic_write_bytes(self.catalogue_path, encode_catalogue(records), new_mode=0o644)
        except OSError as error:
            raise LibraryError(
                _("cannot write the library catalogue: {reason}").format(reason=describe(error))
            ) from None

    def _commit(self, new: dict[str, Any], drop: Iterable[str] = ()) -> None:
        """Merge records into the catalogue on disk, under the lock (re-read first)."""
        with self._locked():
            self._signature = None
            self._refresh()
            records = dict(self._records)
            for key in drop:
                records.pop(key, None)
            records.update(new)
            self._write(records)
            self._load_records(records)
            self._signature = self._signature_now()

    def _describe(
        self,
        entry_id: str,
        stored: Path,
        data: bytes,
        source: str,
        *,
        bundled: bool = False,
        shown: str | None = None,
    ) -> LibraryEntry:
        """Parse a stored copy once and note what the catalogue lists about it.
        ``shown``: the file as the user named it, for messages (else the copy's path)."""
        from briefing import load_report
        from briefing.report_cache import report_figures_cached
        from briefing.source import SourceError
        from briefing.store.annotations import now_iso

        try:
            # Messages name the file the user added, not the library's copy of it.
            report = load_report(stored, name=shown)
        except SourceError as error:
            raise LibraryError(str(error)) from None
        meta = report.metadata
        return LibraryEntry(
            id=entry_id,
            report_sha256=report.sha256,
            title=meta.title,
            publisher=meta.publisher,
            date=meta.date,
            size=len(data),
            sections=len(report.sections),
            figures=len(report_figures_cached(report)),
            characters=sum(len(s.text) for s in report.sections),
            source_path=source,
            stored_path=stored,
            added=now_iso(),
            bundled=bundled,
        )

    def add(
        self, path: str | os.PathLike[str], *, progress: Progress | None = None
    ) -> LibraryEntry:
        """Add one file (a copy is kept); the same bytes twice give the same entry."""
        result = self.add_many([path], progress=progress)[0]
        if isinstance(result, LibraryError):
            raise result
        return result

    def add_many(
        self, paths: Iterable[str | os.PathLike[str]], *, progress: Progress | None = None
    ) -> list[LibraryEntry | LibraryError]:
        """Add each file; a file that cannot be added gives its ``LibraryError`` in its place."""
        todo = list(paths)
        out: list[LibraryEntry | LibraryError] = []
        added = False
        for done, path in enumerate(todo, 1):
            try:
                entry, fresh = self._add_one(Path(os.fspath(path)))
                added = added or fresh
                out.append(entry)
            except LibraryError as error:
                out.append(error)
            if progress is not None:
                progress(done, len(todo), os.fspath(path))
        if added:
            self._index_changed()
        return out

    def _add_one(self, path: Path) -> tuple[LibraryEntry, bool]:
        from briefing.paths import PathProblem, expand_user
        from briefing.source import SourceError, display_name, read_source_bytes

        try:
            path = expand_user(path)
            data = read_source_bytes(path)
        except (SourceError, PathProblem) as error:
            raise LibraryError(str(error)) from None
        entry_id = _sha256(data)
        self._refresh()
        known = self._entries.get(entry_id) or (
            self.bundled_entry() if self.bundled_entry().id == entry_id else None
        )
        if known is not None and known.stored_path.is_file():
            return known, False
        stored = self.folder / FILES / entry_id / _stored_name(path)
        from briefing.store.files import atomic_write_bytes, describe

        try:
            stored.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(stored, data, new_mode=0o644)
        except OSError as error:
            raise LibraryError(
                _("cannot copy {path} into the library: {reason}").format(
                    path=_shown(path), reason=describe(error)
                )
            ) from None
        try:
            entry = self._describe(
                entry_id, stored, data, str(path.absolute()), shown=display_name(path)
            )
            self._prepare_index(entry)
        except LibraryError as error:
            _rmtree(stored.parent)
            raise LibraryError(f"{error}") from None
        self._commit({entry.id: entry_to_record(entry, self.folder)})
        return entry, True

    def remove(self, id_or_prefix: str) -> LibraryEntry:
        """Take a report out of the library (its copy goes; the user's notes stay)."""
        prefix = id_or_prefix.strip().lower()
        damaged = [k for k in self._damaged if k == prefix or (prefix and k.startswith(prefix))]
        if len(damaged) == 1 and not any(e.id.startswith(prefix) for e in self.entries()):
            # A damaged record can always be removed (its folder too, if it has one).
            key = damaged[0]
            self._commit({}, drop=damaged)
            self._remove_files(key)
            self._index_changed()
            return LibraryEntry(
                id=key,
                report_sha256="",
                title="(a damaged entry)",
                publisher="",
                date="",
                size=0,
                sections=0,
                figures=0,
                characters=0,
                source_path="",
                stored_path=self.folder / FILES / key,
                added="",
            )
        entry = self.resolve(id_or_prefix)
        if entry.bundled:
            raise LibraryError(
                _("the bundled report is always in the library and cannot be removed")
            )
        self._commit({}, drop=[entry.id])
        self._remove_files(entry.id)
        self._index_changed()
        return entry

    def _remove_files(self, entry_id: str) -> None:
        folder = self.folder / FILES / entry_id
        if folder.parent == self.folder / FILES:
            _rmtree(folder)

    # ------------------------------------------------------------------ search
    def _prepare_index(self, entry: LibraryEntry) -> None:
        """Compute what the search index needs of a new report (outside the lock): its
        readings, cached, so that merging them into the combined index is cheap."""
        from briefing.library.search import report_readings

        report_readings(self.load(entry))

    def _index_changed(self) -> None:
        """Rebuild the combined index now, so that the next search opens it at once."""
        from briefing.library.search import ensure_index

        self._searcher = None
        ensure_index(self, rebuild=True)

    def searcher(self) -> LibrarySearcher:
        """A searcher over every report, loaded once (keep it for search-as-you-type)."""
        from briefing.library.search import LibrarySearcher

        if self._searcher is None:
            self._searcher = LibrarySearcher.load(self)
        return self._searcher

    def search(
        self, query: str, *, fuzzy: bool = False, limit: int | None = None
    ) -> list[LibraryHit]:
        """Hits of ``query`` in every report of the library, best first."""
        return self.searcher().search(query, fuzzy=fuzzy, limit=limit)
