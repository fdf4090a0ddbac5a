"""The on-disk readings cache: one JSON file per report and reading-data version.

Loading a cached file needs only ``json``; that is what keeps pypinyin off the
start-up path of a report already seen. Files are written atomically (temp file
in the same folder, then ``os.replace``) and a file that cannot be read is
ignored and rebuilt, never trusted.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from pathlib import Path

from briefing.search.readings import Readings, engine_version

CACHE_ENV = "BRIEFING_CACHE_DIR"


def cache_dir() -> Path:
    """``$BRIEFING_CACHE_DIR`` or the platform user cache folder for briefing."""
    override = os.environ.get(CACHE_ENV)
    if override:
        return Path(override)
    from briefing.paths import user_cache_dir

    return user_cache_dir()


def text_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def cache_path(report_sha256: str, version: str | None = None) -> Path:
    """Where the readings of a report are cached (the name is safe for any sha string)."""
    key = hashlib.sha256(report_sha256.encode("utf-8", "surrogatepass")).hexdigest()[:40]
    return cache_dir() / f"readings-{key}-{version or engine_version()}.json"


def load_readings(report_sha256: str, text: str) -> Readings | None:
    """The cached readings of ``text`` if a valid file exists; ``None`` otherwise."""
    path = cache_path(report_sha256)
    try:
        raw = path.read_bytes()
        data = json.loads(raw)
        if not isinstance(data, dict) or data.get("digest") != text_digest(text):
            return None
        readings = Readings.from_json(data)
    except (OSError, ValueError, UnicodeDecodeError, RecursionError):
        return None
    if len(readings.context) != len(text):
        return None
    return readings


def save_readings(report_sha256: str, text: str, readings: Readings) -> Path | None:
    """Write the cache file atomically; a read-only or full disk is not an error."""
    path = cache_path(report_sha256)
    payload = readings.to_json()
    payload["digest"] = text_digest(text)
    tmp_name = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=".readings-", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(payload, handle, ensure_ascii=False, separators=(",", ":"))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
        tmp_name = None
        return path
    except OSError:
        return None
    finally:
        if tmp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)
