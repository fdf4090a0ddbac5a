"""Theme files: loading, errors, user overrides, readable colours (briefing.themes)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from textual.color import Color
from textual.theme import Theme

from briefing.resources import themes_dir
from briefing.themes import (
    FIGURE_VARIABLES,
    KIND_VARIABLES,
    BriefingTheme,
    config_dir,
    contrast_ratio,
    default_variables,
    figure_backgrounds,
    find_theme,
    load_themes,
    readable_figures,
    readable_selection,
    readable_variables,
    theme_dirs,
)

BUNDLED = ("paper", "ink", "contrast", "hongtou")
GOOD = """\
name = "{name}"
dark = true
primary = "#336699"
background = "#101010"
foreground = "#eeeeee"
"""


@pytest.fixture(autouse=True)
def isolated_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Never read the real user's config dir."""
    config = tmp_path / "config"
    monkeypatch.setenv("BRIEFING_CONFIG_DIR", str(config))
    return config


def bundled_files() -> list[Path]:
    return sorted(themes_dir().glob("*.toml"))


def by_name(themes: list[Theme]) -> dict[str, Theme]:
    return {theme.name: theme for theme in themes}


def write(directory: Path, name: str, text: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------- bundled themes


def test_bundled_themes_load_cleanly() -> None:
    result = load_themes([themes_dir()])
    assert result.errors == []
    themes = by_name(result.themes)
    assert set(BUNDLED) <= set(themes)
    assert themes["hongtou"].display_name == "红头"
    for theme in result.themes:
        assert isinstance(theme, BriefingTheme)
        assert theme.label
        assert theme.source is not None and theme.source.parent == themes_dir()
        theme.to_color_system().generate()  # what App.register_theme will need
    assert themes["ink"].dark and themes["contrast"].dark
    assert not themes["paper"].dark and not themes["hongtou"].dark


@pytest.mark.parametrize("path", bundled_files(), ids=lambda p: p.name)
def test_bundled_files_define_every_reader_variable(path: Path) -> None:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    for key in ("name", "display_name", "dark", "primary", "foreground", "background"):
        assert key in data, key
    missing = [name for name in FIGURE_VARIABLES if name not in data["variables"]]
    assert missing == []
    for name in FIGURE_VARIABLES:
        Color.parse(data["variables"][name])  # a plain colour the reader can use directly


def test_hongtou_is_red_and_black_on_white() -> None:
    theme = by_name(load_themes([themes_dir()]).themes)["hongtou"]
    red = Color.parse(theme.primary)
    assert red.r >= 0xB0 and red.g < 0x20 and red.b < 0x20
    assert Color.parse(theme.foreground).brightness < 0.15
    assert Color.parse(theme.background).brightness > 0.95


@pytest.mark.parametrize("name", BUNDLED)
def test_bundled_contrast(name: str) -> None:
    theme = by_name(load_themes([themes_dir()]).themes)[name]
    background = theme.background
    assert background and theme.foreground
    variables = theme.variables
    assert contrast_ratio(theme.foreground, background) >= 4.5
    for hit in ("search-hit", "search-current"):
        assert contrast_ratio(theme.foreground, variables[hit]) >= 4.5, hit
    for key in FIGURE_VARIABLES:
        if key.startswith("search-"):
            continue
        # Figures are text: WCAG AA for text on the page.
        minimum = 4.5 if key.startswith("figure-") else 3
        assert contrast_ratio(variables[key], background) >= minimum, key
        if key.startswith("figure-"):
            # A figure inside a search hit stays readable too.
            assert contrast_ratio(variables[key], variables["search-hit"]) >= 3, key
    # The current hit stands out from the other hits.
    assert contrast_ratio(variables["search-current"], variables["search-hit"]) > 1.3


def app_variables(theme: Theme) -> dict[str, str]:
    """The variables the reader draws with (as ``BriefingApp.get_css_variables``)."""
    variables = {**theme.to_color_system().generate(), **theme.variables}
    variables.update(readable_selection(variables))
    return variables


@pytest.mark.parametrize("name", BUNDLED)
def test_figures_read_on_every_background_they_meet(name: str) -> None:
    """WCAG 4.5 for each figure colour on the page, a hit, the current hit, a selection."""
    variables = app_variables(by_name(load_themes([themes_dir()]).themes)[name])
    backgrounds = figure_backgrounds(variables)
    assert set(backgrounds) == {
        "background",
        "search-hit",
        "search-current",
        "screen-selection-background",
    }
    faint = {
        (kind, where): round(contrast_ratio(variables[kind], back), 2)
        for kind in KIND_VARIABLES.values()
        for where, back in backgrounds.items()
        if contrast_ratio(variables[kind], back) < 4.5
    }
    assert faint == {}
    # So the reader draws the theme's own colours, not corrected ones.
    assert readable_figures(variables) == {}


@pytest.mark.parametrize("dark", [True, False])
def test_a_user_theme_with_faint_figures_is_made_readable(dark: bool) -> None:
    page, hit, current = (
        ("#101010", "#303000", "#606000") if dark else ("#fafafa", "#f0e0a0", "#e0a040")
    )
    faint = "#404040" if dark else "#c0c0c0"
    variables = {
        "background": page,
        "search-hit": hit,
        "search-current": current,
        "screen-selection-background": "#335577aa" if dark else "#aaccee",
        **dict.fromkeys(KIND_VARIABLES.values(), faint),
        "figure-count": "#ff0000",
    }
    fixed = readable_figures(variables)
    assert set(fixed) == set(KIND_VARIABLES.values())
    variables.update(fixed)
    for kind in KIND_VARIABLES.values():
        for back in figure_backgrounds(variables).values():
            assert contrast_ratio(variables[kind], back) >= 4.5, kind
    # The hue is kept: red stays red.
    red = Color.parse(fixed["figure-count"])
    assert red.r > red.g and red.r > red.b


@pytest.mark.parametrize("name", BUNDLED)
def test_dates_are_quieter_than_metrics(name: str) -> None:
    variables = by_name(load_themes([themes_dir()]).themes)[name].variables
    saturation = {key: Color.parse(variables[key]).hsl.s for key in KIND_VARIABLES.values()}
    date = saturation.pop("figure-date")
    assert date < min(saturation.values())


def test_default_variables_cover_and_read_on_default_backgrounds() -> None:
    for dark, background in ((True, "#121212"), (False, "#e0e0e0")):
        variables = default_variables(dark)
        assert set(FIGURE_VARIABLES) <= set(variables)
        for key in FIGURE_VARIABLES:
            if not key.startswith("search-"):
                assert contrast_ratio(variables[key], background) >= 3, (dark, key)
    variables = default_variables(True)
    variables["figure-count"] = "x"
    assert default_variables(True)["figure-count"] != "x", "a fresh dict every time"


def test_contrast_ratio_known_values() -> None:
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1.0)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    # Translucent black over white is blended first.
    assert contrast_ratio(Color(0, 0, 0, 0.5), "#ffffff") < 21


# ---------------------------------------------------------------- user themes and errors


def test_broken_files_give_one_line_each_and_others_still_load(tmp_path: Path) -> None:
    user = tmp_path / "user"
    write(user, "a_good.toml", GOOD.format(name="good"))
    write(user, "bad_toml.toml", 'name = "x"\nprimary = "#fff"\nthis is = not toml\n')
    write(user, "no_name.toml", 'primary = "#336699"\ndark = true\n')
    write(
        user,
        "bad_colour.toml",
        'name = "bad"\ndark = true\nprimary = "#336699"\nbackground = "not-a-colour"\n',
    )
    write(
        user,
        "bad_variable.toml",
        GOOD.format(name="badvar") + '[variables]\nfigure-percent = "#12"\n',
    )
    write(user, "z_good.toml", GOOD.format(name="good2"))
    result = load_themes([themes_dir(), user])
    names = set(by_name(result.themes))
    assert {"good", "good2", *BUNDLED} <= names
    assert not {"x", "bad", "badvar"} & names
    assert len(result.errors) == 4, result.errors
    errors = {line.split(":", 1)[0].rsplit("/", 1)[-1]: line for line in result.errors}
    assert set(errors) == {"bad_toml.toml", "no_name.toml", "bad_colour.toml", "bad_variable.toml"}
    assert "line 3" in errors["bad_toml.toml"]
    assert "'name'" in errors["no_name.toml"]
    assert "line 4" in errors["bad_colour.toml"] and "not-a-colour" in errors["bad_colour.toml"]
    assert "figure-percent" in errors["bad_variable.toml"]
    for line in result.errors:
        assert "\n" not in line


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('name = ""\nprimary = "#fff"\n', "non-empty"),
        ('name = "n"\nprimary = 3\n', "colour string"),
        ('name = "n"\nprimary = "#fff"\ndark = "yes"\n', "true or false"),
        ('name = "n"\nprimary = "#fff"\nvariables = 1\n', "table"),
        ('name = "n"\nprimary = "#fff"\n[variables]\nblock-cursor-text-style = "shiny"\n', "style"),
        ('name = "n"\nprimary = "#fff"\n[variables]\nborder = "nope"\n', "colour"),
        ('name = "n"\nprimary = "#fff"\ntext_alpha = 7\n', "0 to 1"),
        ("\xff\xfe", "UTF-8"),
    ],
)
def test_each_kind_of_bad_file_is_reported(tmp_path: Path, text: str, words: str) -> None:
    path = tmp_path / "t.toml"
    if text == "\xff\xfe":
        path.write_bytes(b"\xff\xfe\x00garbage")
    else:
        path.write_text(text, encoding="utf-8")
    result = load_themes([tmp_path])
    assert result.themes == []
    assert len(result.errors) == 1
    assert words in result.errors[0]
    assert "t.toml" in result.errors[0]


def test_user_theme_overrides_bundled(isolated_config: Path) -> None:
    user = isolated_config / "themes"
    write(user, "my-ink.toml", GOOD.format(name="ink") + 'display_name = "我的墨"\n')
    assert theme_dirs() == [themes_dir(), user]
    assert config_dir() == isolated_config
    result = load_themes()
    assert result.errors == []
    themes = by_name(result.themes)
    assert themes["ink"].primary == "#336699"
    assert themes["ink"].display_name == "我的墨"
    assert [t.name for t in result.themes].count("ink") == 1
    # A user theme lacking the reader's variables gets the fallbacks.
    assert set(FIGURE_VARIABLES) <= set(themes["ink"].variables)
    assert themes["ink"].variables["figure-count"] == default_variables(True)["figure-count"]


def test_dark_guessed_from_background_and_unknown_keys_warned(tmp_path: Path) -> None:
    write(
        tmp_path,
        "light.toml",
        'name = "l"\nprimary = "#336699"\nbackground = "#fafafa"\ncolour = "#000"\n',
    )
    result = load_themes([tmp_path])
    (theme,) = result.themes
    assert theme.dark is False
    assert theme.variables == default_variables(False)
    assert len(result.errors) == 1 and "'colour'" in result.errors[0]
    assert "line 4" in result.errors[0]


def test_duplicate_names_in_one_dir_and_missing_dirs(tmp_path: Path) -> None:
    write(tmp_path, "a.toml", GOOD.format(name="same"))
    write(tmp_path, "b.toml", GOOD.format(name="same").replace("#336699", "#993366"))
    result = load_themes([tmp_path / "missing", tmp_path])
    assert [t.primary for t in result.themes] == ["#336699"]
    assert len(result.errors) == 1 and "b.toml" in result.errors[0]
    (tmp_path / "dir.toml").mkdir()
    assert any("not a file" in line for line in load_themes([tmp_path]).errors)


# ---------------------------------------------------------------- hostile files


def test_deeply_nested_file_is_one_error_not_a_crash(tmp_path: Path) -> None:
    write(tmp_path, "deep.toml", GOOD.format(name="deep") + "x = " + "[" * 60_000 + "]" * 60_000)
    write(tmp_path, "fine.toml", GOOD.format(name="fine"))
    result = load_themes([tmp_path])
    assert [t.name for t in result.themes] == ["fine"]
    assert len(result.errors) == 1 and "deep.toml" in result.errors[0]
    theme, problems = find_theme("deep", [tmp_path])
    assert theme is None and problems


@pytest.mark.parametrize(
    "value",
    ["red; } X {", "red }", "$nosuchvariable", "#fff; color: red", "x" * 500, "url(x)"],
)
def test_variable_values_that_are_not_colours_are_rejected(tmp_path: Path, value: str) -> None:
    text = GOOD.format(name="evil") + f"[variables]\nscrollbar = {value!r}\n".replace("'", '"')
    write(tmp_path, "evil.toml", text)
    result = load_themes([tmp_path])
    assert result.themes == []
    assert len(result.errors) == 1 and "scrollbar" in result.errors[0]
    assert "\n" not in result.errors[0]


def test_unknown_variables_are_ignored_with_a_warning(tmp_path: Path) -> None:
    text = GOOD.format(name="typo") + '[variables]\nscrolbar = "red"\nscrollbar = "$primary 50%"\n'
    write(tmp_path, "typo.toml", text)
    result = load_themes([tmp_path])
    (theme,) = result.themes
    assert "scrolbar" not in theme.variables and theme.variables["scrollbar"] == "$primary 50%"
    assert len(result.errors) == 1 and "scrolbar" in result.errors[0]


@pytest.mark.parametrize("name", ["two words", "a.b", "红头", "x" * 41, "-x"])
def test_theme_names_are_identifiers(tmp_path: Path, name: str) -> None:
    write(tmp_path, "n.toml", GOOD.format(name=name))
    result = load_themes([tmp_path])
    assert result.themes == [] and "'name'" in result.errors[0]


# ---------------------------------------------------------------- readable on screen


def effective(theme: Theme) -> dict[str, str]:
    """The CSS variables as the reader computes them (see BriefingApp.get_css_variables)."""
    variables = {
        **default_variables(theme.dark),
        **theme.to_color_system().generate(),
        **theme.variables,
    }
    variables.update(readable_variables(variables))
    return variables


def offered_themes() -> list[str]:
    """Every theme the picker offers: the bundled ones and Textual's own, but
    the ANSI ones, whose colours the terminal decides (nothing to measure)."""
    from textual.theme import BUILTIN_THEMES

    textual = [name for name in BUILTIN_THEMES if not name.startswith("ansi")]
    return [*BUNDLED, *sorted(textual)]


@pytest.mark.parametrize("name", offered_themes())
def test_every_offered_theme_reads_in_hits_selection_and_figures(name: str) -> None:
    """solarized, tokyo-night and atom-one-dark are offered in the picker too: the
    text in the current hit read at 2.3, figures in a selection at 2.1."""
    from textual.theme import BUILTIN_THEMES

    theme = by_name(load_themes([themes_dir()]).themes).get(name) or BUILTIN_THEMES[name]
    variables = effective(theme)
    page = Color.parse(variables["background"])
    text = Color.parse(variables["foreground"])
    hits = [Color.parse(variables[key]) for key in ("search-hit", "search-current")]
    for hit in hits:
        assert contrast_ratio(text, hit) >= 4.5
        assert hit.hex != page.hex, "a hit must show on the page"
    assert hits[0].hex != hits[1].hex, "the current hit must differ from the others"
    selected, back = selection_pair(variables)
    assert contrast_ratio(selected, back) >= 4.5
    assert contrast_ratio(back, page) >= 1.2
    faint = {
        (kind, where): round(contrast_ratio(variables[kind], colour), 2)
        for kind in KIND_VARIABLES.values()
        for where, colour in figure_backgrounds(variables).items()
        if contrast_ratio(variables[kind], colour) < 4.5
    }
    assert faint == {}


def selection_pair(variables: dict[str, str]) -> tuple[Color, Color]:
    background = Color.parse(variables["background"])
    back = Color.parse(variables["screen-selection-background"])
    if back.a < 1:
        back = background.blend(back.with_alpha(1), back.a)
    return Color.parse(variables["screen-selection-foreground"]), back


@pytest.mark.parametrize("name", [*BUNDLED, "textual-dark", "textual-light", "nord", "dracula"])
def test_selected_text_is_readable_and_visible(name: str) -> None:
    from textual.theme import BUILTIN_THEMES

    themes = by_name(load_themes([themes_dir()]).themes)
    theme = themes.get(name) or BUILTIN_THEMES[name]
    variables = effective(theme)
    text, back = selection_pair(variables)
    assert text.a == 1, "a transparent foreground takes the selection's colour"
    assert contrast_ratio(text, back) >= 4.5
    assert contrast_ratio(back, variables["background"]) >= 1.2, "the selection must show"


def test_a_theme_s_own_readable_selection_is_kept() -> None:
    variables = {
        "background": "#ffffff",
        "foreground": "#000000",
        "screen-selection-background": "#9999ff",
        "screen-selection-foreground": "#000000",
    }
    assert readable_selection(variables) == {}


def test_problems_are_said_in_the_interface_language(tmp_path: Path) -> None:
    from briefing import i18n

    write(
        tmp_path,
        "bad_colour.toml",
        'name = "bad"\ndark = true\nprimary = "#336699"\nbackground = "not-a-colour"\n',
    )
    i18n.set_language("zh")
    try:
        (line,) = load_themes([tmp_path]).errors
    finally:
        i18n.set_language("en")
    assert "第 4 行" in line and "不是颜色" in line and "not-a-colour" in line
    (line,) = load_themes([tmp_path]).errors
    assert "line 4" in line and "is not a colour" in line


async def test_the_reader_draws_a_user_themes_faint_figures_readably(
    isolated_config: Path, tmp_path: Path
) -> None:
    import briefing
    from briefing.store import Store
    from briefing.tui.app import BriefingApp

    write(
        isolated_config / "themes",
        "faint.toml",
        GOOD.format(name="faint") + '[variables]\nfigure-percent = "#303030"\n',
    )
    store = Store.open(tmp_path / "db.json")
    store.settings.set("theme", "faint")
    try:
        app = BriefingApp(briefing.load_report(), store)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert app.theme == "faint"
            variables = app.theme_variables
            for back in figure_backgrounds(variables).values():
                assert contrast_ratio(variables["figure-percent"], back) >= 4.5
    finally:
        store.close()
