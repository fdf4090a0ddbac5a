"""Where bundled files live, in a source checkout and in an installed wheel."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

BUNDLED_REPORT = "changzhou-2021-fazhi-zhengfu.txt"


def _bundled_dir(name: str) -> Path:
    """``data``/``themes`` inside the wheel, or beside the package in a checkout."""
    packaged = resources.files("briefing") / "_bundled" / name
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parent.parent / name


def data_dir() -> Path:
    return _bundled_dir("data")


def themes_dir() -> Path:
    return _bundled_dir("themes")


def bundled_report_path() -> Path:
    return data_dir() / BUNDLED_REPORT
