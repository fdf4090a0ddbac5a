"""One policy for errors raised by what the user asked for.

An action (a key, a palette command, a dialog's answer) that raises must not
end the reader: the error becomes one line on screen and the reader stays
where it was. Errors the user can act on (a store or export failure, an OS
error such as a missing folder) are shown as they are; anything else is a bug:
it is shown as an internal error and its traceback is written to a log file,
and under test (``strict``) it is raised again so that no bug hides behind
a notification.
"""

from __future__ import annotations

import sys
import traceback
from datetime import datetime
from pathlib import Path

LOG_NAME = "errors.log"
MAX_LOG_BYTES = 512 * 1024


def is_user_error(error: BaseException) -> bool:
    """Errors whose message tells the user what went wrong and what to do."""
    from briefing.store import StoreError

    if isinstance(error, StoreError | OSError):
        return True
    export = sys.modules.get("briefing.export")  # not imported: cannot be its error
    return export is not None and isinstance(error, export.ExportError)


def log_path() -> Path:
    """Next to the caches (``$BRIEFING_CACHE_DIR`` or the user cache folder)."""
    from briefing.report_cache import cache_dir

    return cache_dir() / LOG_NAME


def write_log(error: BaseException, where: str) -> Path | None:
    """Append the traceback to the error log (kept small); None if it cannot be written."""
    path = log_path()
    stamp = datetime.now().astimezone().isoformat(timespec="seconds")
    lines = "".join(traceback.format_exception(error))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists() and path.stat().st_size > MAX_LOG_BYTES:
            path.replace(path.with_suffix(".log.1"))
        with path.open("a", encoding="utf-8") as log:
            log.write(f"--- {stamp} {where}\n{lines}\n")
    except OSError:
        return None
    return path


def describe(error: BaseException) -> str:
    """The line shown for an error: its own message, or its kind when it has none."""
    message = str(error).strip() or type(error).__name__
    return " ".join(message.split())[:300]
