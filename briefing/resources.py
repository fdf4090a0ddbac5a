"""Where bundled files live, in a source checkout and in an installed wheel.

Plain paths next to this file, not ``importlib.resources``: that import costs
several milliseconds on the reader's start-up path, and the bundled files are
read as ordinary files anyway (a zipped install could not serve them).
"""

from __future__ import annotations

from pathlib import Path

BUNDLED_REPORT = "changzhou-2021-fazhi-zhengfu.txt"
_PACKAGE_DIR = Path(__file__).resolve().parent


def _bundled_dir(name: str) -> Path:
    """``data``/``themes`` inside the wheel (``briefing/_bundled``), or beside the package."""
    packaged = _PACKAGE_DIR / "_bundled" / name
    if packaged.is_dir():
        return packaged
    return _PACKAGE_DIR.parent / name


def data_dir() -> Path:
    return _bundled_dir("data")


def themes_dir() -> Path:
    return _bundled_dir("themes")


def bundled_report_path() -> Path:
    return data_dir() / BUNDLED_REPORT
