"""Our XDG shortcut must name the same folders platformdirs would."""

from __future__ import annotations

from pathlib import Path

import platformdirs
import pytest

from briefing import paths

CASES = [
    {},
    {"XDG_DATA_HOME": "/srv/data", "XDG_CACHE_HOME": "/srv/cache", "XDG_CONFIG_HOME": "/srv/cfg"},
    {"XDG_DATA_HOME": "relative/ignored", "XDG_CACHE_HOME": "", "XDG_CONFIG_HOME": "  "},
]


@pytest.mark.parametrize("env", CASES)
def test_same_folders_as_platformdirs(monkeypatch: pytest.MonkeyPatch, env: dict) -> None:
    for name in ("XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert paths.user_data_dir() == Path(platformdirs.user_data_dir("briefing"))
    assert paths.user_cache_dir() == Path(platformdirs.user_cache_dir("briefing"))
    assert paths.user_config_dir() == Path(platformdirs.user_config_dir("briefing"))


def test_other_systems_ask_platformdirs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(paths.sys, "platform", "darwin")
    assert paths.user_data_dir() == Path(platformdirs.user_data_dir("briefing"))
