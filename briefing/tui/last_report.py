"""The report read last: ``briefing`` with no path opens it again.

The setting ``last_report`` is a library entry id (sha256 of the stored file),
the path of a file outside the library, or absent for the bundled report.
For an id the reader also keeps ``last_report_copy``, the path of the
library's copy: when that file still has exactly the id's bytes it is opened
directly, so the start-up path does not import or open the library (about
60 ms); otherwise the library resolves the id. Plain Python: the command line
reads this before any Textual import.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from briefing.model import Report
    from briefing.store import Store

SETTING = "last_report"
COPY_SETTING = "last_report_copy"


def is_entry_id(value: str) -> bool:
    """Whether a ``last_report`` value is a library entry id (sha256 hex), not a path."""
    return len(value) == 64 and all(c in "0123456789abcdef" for c in value)


def path_origin(path: str | Path) -> str | None:
    """The ``last_report`` value of a file named on the command line (None: the bundled one)."""
    from briefing.resources import bundled_report_path

    resolved = Path(path).expanduser().resolve()
    return None if resolved == bundled_report_path().resolve() else str(resolved)


def _copy_of(entry_id: str, hint: object) -> Path | None:
    """The remembered library copy, if it still holds exactly the entry's bytes."""
    if not isinstance(hint, str) or not hint:
        return None
    try:
        data = Path(hint).read_bytes()
    except OSError:
        return None
    import hashlib  # only for a library entry: OpenSSL stays off a plain start

    return Path(hint) if hashlib.sha256(data).hexdigest() == entry_id else None


def _open(store: Store, value: str, check_later: bool = False) -> Report:
    from briefing import load_report

    if not is_entry_id(value):
        return load_report(value, check_later=check_later)
    copy = _copy_of(value, store.settings.get(COPY_SETTING))
    if copy is not None:
        return load_report(copy, check_later=check_later)
    from briefing.library import Library

    library = Library.open()
    return library.load(library.resolve(value))


def choose(
    store: Store, notices: list[str], *, check_later: bool = False
) -> tuple[Report, str | None]:
    """``(report, origin)`` of the report read last, or of the bundled one.

    ``check_later``: as for ``briefing.load_report`` (the reader checks after its paint).

    A report that cannot be opened any more (a file moved, an entry removed
    from the library, a damaged copy) adds a line to ``notices`` and gives the
    bundled report instead: never a traceback at start-up.
    """
    from briefing import load_report

    value = store.settings.get(SETTING)
    if isinstance(value, str) and value:
        try:
            return _open(store, value, check_later), value
        except Exception as error:
            from briefing.i18n import _

            reason = str(error).splitlines()[0] if str(error) else type(error).__name__
            notices.append(
                _(
                    "The report read last could not be opened ({reason}); here is the bundled one."
                ).format(reason=reason)
            )
    return load_report(None, check_later=check_later), None


def remembered(store: Store, origin: str | None, path: Path | None) -> bool:
    """Whether the store already says ``origin`` (and its copy) was read last."""
    if store.settings.get(SETTING) != origin:
        return False
    if origin is None or not is_entry_id(origin) or path is None:
        return True
    return store.settings.get(COPY_SETTING) == str(path)


def remember(store: Store, origin: str | None, path: Path | None) -> None:
    """Save ``origin`` as the report read last (with the copy's ``path`` for an id)."""
    store.settings.set(SETTING, origin)
    if origin is not None and is_entry_id(origin) and path is not None:
        store.settings.set(COPY_SETTING, str(path))
