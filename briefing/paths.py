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

from briefing.i18n import _

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


class PathProblem(ValueError):
    """A path the user gave cannot be used; the message is one line."""


def expand_user(path: str | os.PathLike[str]) -> Path:
    """``~`` and ``~user`` expanded; ``PathProblem`` (not ``RuntimeError``) if they cannot be.

    Only a leading ``~`` is special, as in the shell: ``a/~b`` is a plain name.
    """
    text = os.fspath(path)
    if not text.startswith("~"):
        return Path(text)
    expanded = os.path.expanduser(text)
    if expanded.startswith("~"):
        user = text[1:].split(os.sep, 1)[0]
        from briefing.text import strip_control

        shown = strip_control(user) or "~"
        if user:
            raise PathProblem(_("cannot expand ~{user}: no such user").format(user=shown))
        raise PathProblem(_("cannot expand ~: no home folder is known"))
    return Path(expanded)


def expand_user_as_typed(path: str) -> Path:
    """``~`` expanded where possible; an unknown ``~user`` is left as typed.

    For a path typed into a dialog that is checked before it is written:
    ``write_export`` then expands it again and says in one line why it cannot.
    """
    return Path(os.path.expanduser(path))
