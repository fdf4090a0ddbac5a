"""The theme chosen at start-up comes from the theme cache: same theme, no TOML parse."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing import theme_cache, themes
from briefing.resources import themes_dir


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("BRIEFING_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path


def user_theme(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "config" / "themes"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "mine.toml"
    path.write_text(text, encoding="utf-8")
    return path


def no_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(path: Path) -> None:
        raise AssertionError(f"{path} parsed again")

    monkeypatch.setattr(themes, "_load_file", fail)


@pytest.mark.parametrize("path", sorted(themes_dir().glob("*.toml")), ids=lambda p: p.stem)
def test_a_cached_theme_equals_the_parsed_one(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    parsed, problems = themes._load_file(path)
    assert parsed is not None and problems == []
    assert themes.find_theme(path.stem) == (parsed, [])  # a miss: parses and saves
    no_parse(monkeypatch)
    cached, problems = themes.find_theme(path.stem)
    assert cached == parsed and problems == []
    assert type(cached) is type(parsed) and cached.source == path
    assert cached.to_color_system().generate() == parsed.to_color_system().generate()


def test_an_edited_theme_file_is_read_again(tmp_path: Path) -> None:
    path = user_theme(tmp_path, 'name = "mine"\nprimary = "#112233"\n')
    assert themes.find_theme("mine")[0].primary == "#112233"
    assert theme_cache.load(path) is not None
    path.write_text('name = "mine"\nprimary = "#445566"\n', encoding="utf-8")
    assert theme_cache.load(path) is None
    assert themes.find_theme("mine")[0].primary == "#445566"


def test_a_broken_theme_file_is_never_served_from_the_cache(tmp_path: Path) -> None:
    path = user_theme(tmp_path, 'name = "mine"\nprimary = "#112233"\n')
    assert themes.find_theme("mine")[0] is not None
    path.write_text('name = "mine"\nprimary = "not a colour at all"\n', encoding="utf-8")
    theme, problems = themes.find_theme("mine")
    assert theme is None and "mine.toml" in problems[0]


def test_a_theme_with_warnings_is_not_cached(tmp_path: Path) -> None:
    path = user_theme(tmp_path, 'name = "mine"\nprimary = "#112233"\nshade = 3\n')
    assert "unknown key" in themes._load_file(path)[1][0]
    theme = themes.find_theme("mine")[0]
    assert theme is not None and theme_cache.load(path) is None
    assert themes.find_theme("mine")[0] == theme


@pytest.mark.parametrize("content", [b"", b"{not json", b'{"path": 1}', b"[]", b'{"fields": 3}'])
def test_a_damaged_cache_entry_is_a_miss(tmp_path: Path, content: bytes) -> None:
    path = user_theme(tmp_path, 'name = "mine"\nprimary = "#112233"\n')
    expected = themes.find_theme("mine")[0]
    (entry,) = (tmp_path / "cache").glob("theme-*.json")
    entry.write_bytes(content)
    assert theme_cache.load(path) is None
    assert themes.find_theme("mine") == (expected, [])


def test_bad_cached_fields_fall_back_to_the_file(tmp_path: Path) -> None:
    path = user_theme(tmp_path, 'name = "mine"\nprimary = "#112233"\n')
    expected = themes.find_theme("mine")[0]
    theme_cache.save(path, {"name": "mine", "no_such_field": 1})
    assert themes.find_theme("mine") == (expected, [])


def test_an_unwritable_cache_is_quiet(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "blocked"
    blocker.write_text("a file, not a folder")
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(blocker / "cache"))
    user_theme(tmp_path, 'name = "mine"\nprimary = "#112233"\n')
    assert themes.find_theme("mine")[0] is not None
    assert themes.find_theme("mine")[0] is not None


@pytest.mark.parametrize(
    "edit",
    [
        {"primary": "red; } X {"},
        {"variables": {"scrollbar": "red; } X {"}},
        {"variables": {"no-such-variable": "#ffffff"}},
        {"name": "../x"},
        {"variables": "#fff"},
    ],
    ids=["colour", "variable", "unknown-variable", "name", "variables-type"],
)
def test_an_edited_cache_entry_is_checked_like_a_file(tmp_path: Path, edit: dict) -> None:
    """A hand-edited entry with valid JSON but a bad value never reaches the stylesheet."""
    path = user_theme(tmp_path, 'name = "mine"\nprimary = "#112233"\n')
    expected = themes.find_theme("mine")[0]
    assert expected is not None
    cached = theme_cache.load(path)
    assert cached is not None
    theme_cache.save(path, {**cached, **edit})
    assert themes.find_theme("mine") == (expected, [])
