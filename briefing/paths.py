"""Where briefing keeps the user's data, caches and configuration.

On Linux and other XDG systems these are the XDG base directories, computed
here directly: ``platformdirs`` gives the same answer (a test checks it) but
importing it costs ~7 ms on the reader's start-up path. Elsewhere (macOS,
Windows) ``platformdirs`` decides.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP = "briefing"
_XDG = {
    "data": ("XDG_DATA_HOME", ".local/share"),
    "cache": ("XDG_CACHE_HOME", ".cache"),
    "config": ("XDG_CONFIG_HOME", ".config"),
}


def _uses_xdg() -> bool:
    return sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd"))


def _user_dir(kind: str) -> Path:
    if _uses_xdg():
        variable, default = _XDG[kind]
        value = os.environ.get(variable, "").strip()
        base = Path(value) if value and os.path.isabs(value) else Path.home() / default
        return base / APP
    import platformdirs

    finder = {
        "data": platformdirs.user_data_dir,
        "cache": platformdirs.user_cache_dir,
        "config": platformdirs.user_config_dir,
    }[kind]
    return Path(finder(APP))


def user_data_dir() -> Path:
    return _user_dir("data")


def user_cache_dir() -> Path:
    return _user_dir("cache")


def user_config_dir() -> Path:
    return _user_dir("config")
