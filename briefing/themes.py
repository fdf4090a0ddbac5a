"""Themes as files: ``themes/*.toml`` -> ``textual.theme.Theme``.

Bundled themes ship in the wheel; a user puts more (or overrides) in
``<config dir>/themes``.  A broken file never stops the reader: it becomes
one line in ``ThemeLoadResult.errors`` (for a notification) and is skipped.

A theme file holds Textual's theme colours plus a ``[variables]`` table with
the reader's own colours (``FIGURE_VARIABLES``), each a plain colour string
that ``textual.color.Color.parse`` accepts, so the reader can use them in
CSS (``$figure-percent``) or turn them into Rich styles directly.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from textual.color import Color, ColorParseError
from textual.theme import Theme

from briefing.i18n import _
from briefing.model import FIGURE_KINDS
from briefing.resources import themes_dir
from briefing.text import strip_control

__all__ = [
    "FIGURE_VARIABLES",
    "KIND_VARIABLES",
    "BriefingTheme",
    "ThemeLoadResult",
    "config_dir",
    "contrast_ratio",
    "default_variables",
    "find_theme",
    "known_variables",
    "load_theme_named",
    "load_themes",
    "readable_figures",
    "readable_search",
    "readable_selection",
    "readable_variables",
    "theme_dirs",
    "theme_label",
]

# figure kind -> theme variable ("percent" -> "figure-percent")
KIND_VARIABLES: dict[str, str] = {kind: f"figure-{kind}" for kind in FIGURE_KINDS}
FIGURE_VARIABLES: tuple[str, ...] = (
    *KIND_VARIABLES.values(),
    "search-hit",  # background of a search hit
    "search-current",  # background of the current hit: stronger
    "note-marker",
    "bookmark-marker",
)

COLOR_KEYS = (
    "primary",
    "secondary",
    "accent",
    "foreground",
    "background",
    "surface",
    "panel",
    "success",
    "warning",
    "error",
    "boost",
)
REQUIRED_KEYS = ("name", "primary")
OTHER_KEYS = ("dark", "display_name", "luminosity_spread", "text_alpha", "variables")
MAX_THEME_BYTES = 64 * 1024
MAX_VALUE_CHARS = 64  # a colour, a style or a variable reference is short
MAX_NAME_CHARS = 40
# A theme name becomes a CSS class (-theme-<name>): an identifier, nothing else.
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
_VARIABLE_REFERENCE = re.compile(r"\$[a-z][a-z0-9-]*")

_TEXT_STYLE_WORDS = frozenset(
    [
        "none",
        "not",
        "bold",
        "b",
        "dim",
        "d",
        "italic",
        "i",
        "underline",
        "u",
        "underline2",
        "uu",
        "blink",
        "blink2",
        "reverse",
        "r",
        "strike",
        "s",
        "overline",
        "o",
        "conceal",
    ]
)
_ALPHA_SUFFIX = re.compile(r"\s+\d{1,3}(?:\.\d+)?%$")
_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")

_DARK_DEFAULTS = {
    "figure-percent": "#ff9e64",
    "figure-count": "#7dcfff",
    "figure-score": "#bb9af7",
    "figure-duration": "#9ece6a",
    "figure-rate": "#e0af68",
    "figure-magnitude": "#f7768e",
    "figure-rank": "#73daca",
    "figure-date": "#9a9fa8",
    "figure-ratio": "#ff9e64",
    "search-hit": "#44401c",
    "search-current": "#6b5200",
    "note-marker": "#9ece6a",
    "bookmark-marker": "#e0af68",
}
_LIGHT_DEFAULTS = {
    "figure-percent": "#9c2f1f",
    "figure-count": "#1c5780",
    "figure-score": "#643a96",
    "figure-duration": "#2a6b40",
    "figure-rate": "#7a4f00",
    "figure-magnitude": "#942e5c",
    "figure-rank": "#0c5f5f",
    "figure-date": "#5e5a52",
    "figure-ratio": "#9c2f1f",
    "search-hit": "#f6df8e",
    "search-current": "#f0b040",
    "note-marker": "#2a6b40",
    "bookmark-marker": "#8a5a00",
}


@dataclass(init=False, repr=False, eq=False)
class BriefingTheme(Theme):
    """A Textual theme plus what the reader shows about it.

    A dataclass (``fields``, ``replace``) whose methods are written out: this
    module is imported at every start, and ``@dataclass`` compiled an
    ``__init__``, ``__repr__`` and ``__eq__`` over every field of Textual's
    ``Theme`` from source (~1.5 ms).
    """

    display_name: str = ""
    """Name for the UI (e.g. "红头"); falls back to ``name``."""
    source: Path | None = None
    """The file it came from."""
    display_names: dict[str, str] = field(default_factory=dict)
    """The name per interface language (``{"zh": "红头", "en": "Red header"}``)."""

    def __init__(
        self,
        *args: Any,
        display_name: str = "",
        source: Path | None = None,
        display_names: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.display_name = display_name
        self.source = source
        self.display_names = {} if display_names is None else display_names

    def _values(self) -> tuple[object, ...]:
        return tuple(getattr(self, item.name) for item in dataclasses.fields(self))

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._values() == other._values()  # type: ignore[attr-defined]

    __hash__ = None  # type: ignore[assignment]  # mutable and compared by value, as Theme

    def __repr__(self) -> str:
        shown = (
            f"{item.name}={getattr(self, item.name)!r}"
            for item in dataclasses.fields(self)
            if item.repr
        )
        return f"{self.__class__.__qualname__}({', '.join(shown)})"

    @property
    def label(self) -> str:
        """The name shown in the language in use."""
        from briefing.i18n import language

        return self.display_names.get(language()) or self.display_name or self.name


def theme_label(theme: object, name: str) -> str:
    """What the UI calls a theme: a ``BriefingTheme``'s label, else its name
    (Textual's built-in themes and user themes without a display name)."""
    label = getattr(theme, "label", None)
    return label if isinstance(label, str) and label else name


class ThemeLoadResult(NamedTuple):
    """Every theme found, and one line per problem, e.g. ``themes/foo.toml: line 3: …``.

    A named tuple rather than a dataclass: this module is imported at every
    start, and a frozen dataclass compiles six methods from source when defined.
    """

    themes: list[Theme]
    errors: list[str]


def default_variables(dark: bool) -> dict[str, str]:
    """Fallback colours for every ``FIGURE_VARIABLES`` entry (a fresh dict)."""
    return dict(_DARK_DEFAULTS if dark else _LIGHT_DEFAULTS)


def config_dir() -> Path:
    """``$BRIEFING_CONFIG_DIR`` or the platform's user config dir for briefing."""
    override = os.environ.get("BRIEFING_CONFIG_DIR")
    if override:
        return Path(override).expanduser()
    from briefing.paths import user_config_dir

    return user_config_dir()


def theme_dirs() -> list[Path]:
    """Where themes come from, later ones overriding earlier ones by name."""
    return [themes_dir(), config_dir() / "themes"]


def contrast_ratio(foreground: Color | str, background: Color | str) -> float:
    """WCAG 2 contrast ratio (1..21); a translucent foreground is blended first."""
    back = Color.parse(background) if isinstance(background, str) else background
    fore = Color.parse(foreground) if isinstance(foreground, str) else foreground
    if fore.a < 1:
        fore = back.blend(fore.with_alpha(1), fore.a)
    lighter, darker = sorted((_luminance(fore), _luminance(back)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def readable_selection(variables: dict[str, str]) -> dict[str, str]:
    """``screen-selection-*`` colours in which selected text can be read.

    Textual's default selection foreground is ``transparent``: the text takes
    the selection's own colour and vanishes. Keep a theme's pair when it
    reads (WCAG 4.5) and stands out from the page; otherwise tint the page
    with the primary colour until the text reads, or at worst reverse it.
    """
    try:
        background = Color.parse(variables["background"])
        foreground = Color.parse(variables["foreground"])
        primary = Color.parse(variables.get("primary", variables["foreground"]))
    except (KeyError, ColorParseError):
        return {}
    if foreground.a < 1:
        foreground = background.blend(foreground.with_alpha(1), foreground.a)

    def reads(text: Color, back: Color) -> bool:
        return contrast_ratio(text, back) >= 4.5 and contrast_ratio(back, background) >= 1.2

    try:
        back = Color.parse(variables["screen-selection-background"])
        text = Color.parse(variables["screen-selection-foreground"])
        back = background.blend(back.with_alpha(1), back.a) if back.a < 1 else back
        # Figures keep their colours in a selection, and they are made to read
        # on the page: a selection the page's own text cannot be read on (a
        # light one on a dark page, as atom-one-dark's) leaves them faint.
        if text.a == 1 and reads(text, back) and contrast_ratio(foreground, back) >= 4.5:
            return {}
    except (KeyError, ColorParseError):
        pass
    # The page tinted with the primary colour, else with the text's own colour
    # (a page whose text barely reads leaves little room: solarized's).
    tints = [(primary, amount) for amount in (0.25, 0.3, 0.35, 0.4, 0.5, 0.6, 0.2, 0.15)]
    tints += [(foreground, amount) for amount in (0.2, 0.15, 0.1)]
    # Then the same tints under pure white (black) text: the selection stays on
    # the page's side of light and dark, so figures can read on both.
    strongest = Color(255, 255, 255) if background.brightness < 0.5 else Color(0, 0, 0)
    for text in (foreground, strongest):
        for tint, amount in tints:
            back = background.blend(tint.with_alpha(1), amount)
            if reads(text, back):
                return {
                    "screen-selection-background": back.hex,
                    "screen-selection-foreground": text.hex,
                }
    return {
        "screen-selection-background": foreground.hex,
        "screen-selection-foreground": background.hex,
    }


def readable_search(variables: dict[str, str]) -> dict[str, str]:
    """``search-hit`` and ``search-current`` backgrounds the page's text reads on.

    The defaults suit a usual dark or light page; on another (solarized's,
    tokyo-night's) the text in a hit fell to a contrast of 2.3. A hit the text
    does not read on is darkened (light text) or lightened until it does (WCAG 4.5),
    keeping its hue, so hits still show in their colours.
    """
    try:
        background = Color.parse(variables["background"])
        foreground = Color.parse(variables["foreground"])
    except (KeyError, ColorParseError):
        return {}
    if foreground.a < 1:
        foreground = background.blend(foreground.with_alpha(1), foreground.a)
    changed = {}
    dark = background.brightness < 0.5
    for key in ("search-hit", "search-current"):
        try:
            colour = Color.parse(variables[key])
        except (KeyError, ColorParseError):
            continue
        colour = background.blend(colour.with_alpha(1), colour.a) if colour.a < 1 else colour
        if contrast_ratio(foreground, colour) >= MIN_TEXT_CONTRAST:
            continue
        # Darker under light text, lighter under dark text: the hue stays, so
        # a hit still shows against the page and the current one against it.
        hue, saturation, lightness = colour.hsl
        for step in range(1, 101):
            toward = 0.0 if dark else 1.0
            shade = lightness + (toward - lightness) * step / 100
            moved = Color.from_hsl(hue, saturation, shade)
            if contrast_ratio(foreground, moved) >= MIN_TEXT_CONTRAST:
                break
        changed[key] = moved.hex
    return changed


def readable_variables(variables: dict[str, str]) -> dict[str, str]:
    """Every correction the reader draws with, in order: search hits and the
    selection first, then the figures that stand on them."""
    fixed = dict(variables)
    changes = readable_search(fixed)
    fixed.update(changes)
    for correct in (readable_selection, readable_figures):
        step = correct(fixed)
        fixed.update(step)
        changes.update(step)
    return changes


FIGURE_BACKGROUNDS = ("background", "search-hit", "search-current", "screen-selection-background")
"""What a figure is drawn on: the page, a search hit, the current hit, the selection."""
MIN_TEXT_CONTRAST = 4.5  # WCAG AA for text


def figure_backgrounds(variables: dict[str, str]) -> dict[str, Color]:
    """The opaque colours a figure can stand on (translucent ones blended on the page)."""
    page = Color.parse(variables["background"])
    found = {}
    for key in FIGURE_BACKGROUNDS:
        try:
            colour = Color.parse(variables[key])
        except (KeyError, ColorParseError):
            continue
        found[key] = page.blend(colour.with_alpha(1), colour.a) if colour.a < 1 else colour
    return found


def readable_figures(variables: dict[str, str]) -> dict[str, str]:
    """Figure colours that read (WCAG 4.5) on every background a figure meets.

    A figure keeps its colour inside a search hit, the current hit and a
    selection; a theme's colour that is too faint on one of them is made
    lighter (dark page) or darker (light page), keeping its hue and
    saturation, just until it reads everywhere. Only changed colours are
    returned: a theme that already reads (every bundled one) is left alone.
    """
    try:
        backgrounds = list(figure_backgrounds(variables).values())
        dark = Color.parse(variables["background"]).brightness < 0.5
    except (KeyError, ColorParseError):
        return {}
    changed = {}
    for key in KIND_VARIABLES.values():
        try:
            colour = Color.parse(variables[key])
        except (KeyError, ColorParseError):
            continue
        fixed = _readable_on(colour.with_alpha(1), backgrounds, lighter=dark)
        if fixed is not None:
            changed[key] = fixed.hex
    return changed


def _readable_on(colour: Color, backgrounds: list[Color], *, lighter: bool) -> Color | None:
    """``colour`` moved in lightness until it reads on all ``backgrounds``; None if it does."""

    def worst(candidate: Color) -> float:
        return min(contrast_ratio(candidate, back) for back in backgrounds)

    if worst(colour) >= MIN_TEXT_CONTRAST:
        return None
    hue, saturation, lightness = colour.hsl
    best = colour
    for step in range(1, 101):
        shade = (
            lightness + (1 - lightness) * step / 100 if lighter else lightness * (1 - step / 100)
        )
        best = Color.from_hsl(hue, saturation, shade)
        if worst(best) >= MIN_TEXT_CONTRAST:
            return best
    return best


def _luminance(color: Color) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(color.r) + 0.7152 * channel(color.g) + 0.0722 * channel(color.b)


def load_themes(dirs: Sequence[Path] | None = None) -> ThemeLoadResult:
    """Load every ``*.toml`` in ``dirs`` (default ``theme_dirs()``); never raises.

    A file that cannot be read, is not TOML, lacks ``name``/``primary`` or
    has a bad colour is skipped with one error line.  A theme whose name was
    already loaded from an earlier directory replaces it (user over bundled).
    Themes come back in load order, replacements keeping their place.
    """
    themes: dict[str, Theme] = {}
    errors: list[str] = []
    for directory in theme_dirs() if dirs is None else dirs:
        seen_here: dict[str, Path] = {}
        try:
            if not directory.is_dir():
                continue
            paths = sorted(directory.glob("*.toml"))
        except OSError as error:
            reason = error.strerror or error
            errors.append(
                _("{path}: cannot list themes ({reason})").format(
                    path=_show(directory), reason=reason
                )
            )
            continue
        for path in paths:
            theme, problems = _load_start_theme(path)  # a file checked before: no TOML parse
            errors.extend(problems)
            if theme is None:
                continue
            if theme.name in seen_here:
                message = _("{path}: theme name {name} is already used by {other}; skipped")
                errors.append(
                    message.format(
                        path=_show(path), name=repr(theme.name), other=seen_here[theme.name].name
                    )
                )
                continue
            seen_here[theme.name] = path
            themes[theme.name] = theme
    return ThemeLoadResult(list(themes.values()), errors)


def load_theme_named(name: str, dirs: Sequence[Path] | None = None) -> Theme | None:
    """The theme in ``<dir>/<name>.toml`` (the last directory wins), or None.

    A fast path for start-up: only the theme in use is read before the first
    paint; ``load_themes`` reads the rest afterwards and reports broken files.
    """
    return find_theme(name, dirs)[0]


def find_theme(name: str, dirs: Sequence[Path] | None = None) -> tuple[Theme | None, list[str]]:
    """``load_theme_named`` plus why each file named ``<name>.toml`` was not usable."""
    problems: list[str] = []
    if not _NAME.fullmatch(name) or len(name) > MAX_NAME_CHARS:
        return None, [_("{name} is not a theme name").format(name=repr(name))]
    for directory in reversed(theme_dirs() if dirs is None else list(dirs)):
        path = directory / f"{name}.toml"
        if not path.exists():
            continue
        theme, file_problems = _load_start_theme(path)
        if theme is not None and theme.name == name:
            return theme, problems
        problems.extend(
            file_problems
            if theme is None
            else [_("{path}: names {name}").format(path=_show(path), name=repr(theme.name))]
        )
    return None, problems or [_("no theme named {name}").format(name=repr(name))]


def _load_start_theme(path: Path) -> tuple[BriefingTheme | None, list[str]]:
    """``_load_file`` through ``briefing.theme_cache``: for the theme chosen at
    start-up, and for the others when the picker needs them after the first paint.

    A theme checked before is rebuilt from its cached fields, which spares the
    reader's start-up the TOML parser and Textual's colour checks (~10 ms).
    A file with warnings is not cached: they name it relative to the cwd.
    """
    from briefing import theme_cache

    fields = theme_cache.load(path)
    if fields is not None and _cached_fields_fit(fields):
        with contextlib.suppress(TypeError, ValueError):
            return BriefingTheme(**fields, source=path), []
    theme, problems = _load_file(path)
    if theme is not None and not problems:
        theme_cache.save(
            path,
            {
                item.name: getattr(theme, item.name)
                for item in dataclasses.fields(theme)
                if item.name != "source"
            },
        )
    return theme, problems


def _cached_fields_fit(fields: dict[str, object]) -> bool:
    """A cache entry is a file like any other: its name, colours and variables are
    checked again (no TOML, no colour system), so an edited or damaged entry is a
    miss and never reaches the stylesheet."""

    def fail(key: str | None, message: str) -> _ThemeError:
        return _ThemeError(message)

    try:
        name = fields.get("name")
        if not isinstance(name, str) or not _NAME.fullmatch(name):
            return False
        for key in COLOR_KEYS:
            if fields.get(key) is not None:
                _check_color(fields[key], key, fail)
        variables = fields.get("variables", {})
        if not isinstance(variables, dict):
            return False
        known = known_variables()
        for key, value in variables.items():
            if key not in known:
                return False
            _check_variable(key, value, fail)
    except _ThemeError:
        return False
    return True


def _show(path: Path) -> str:
    """A path as the user will recognise it: relative to the cwd when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except (ValueError, OSError):
        return str(path)


def _load_file(path: Path) -> tuple[BriefingTheme | None, list[str]]:
    """One theme file -> (theme or None, error lines)."""
    import tomllib  # not on the start-up path when the theme is cached

    shown = _show(path)
    try:
        if not path.is_file():
            return None, [_("{path}: not a file").format(path=shown)]
        if path.stat().st_size > MAX_THEME_BYTES:
            message = _("{path}: larger than {size} KiB; not a theme")
            return None, [message.format(path=shown, size=MAX_THEME_BYTES // 1024)]
        raw = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        return None, [_("{path}: not UTF-8 text").format(path=shown)]
    except OSError as error:
        from briefing.store.files import describe

        reason = describe(error)  # our own words, in the language in use
        return None, [_("{path}: cannot be read ({reason})").format(path=shown, reason=reason)]
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        position = _TOML_POSITION.search(message)
        if position:
            message = message[: position.start()]
            where = _("{path}: line {line}").format(path=shown, line=position.group(1))
            return None, [f"{where}: {message}"]
        return None, [f"{shown}: {message}"]
    except RecursionError:
        return None, [_("{path}: nested too deeply; not a theme").format(path=shown)]
    try:
        return _build(data, _File(path, shown, raw))
    except _ThemeError as error:
        return None, [str(error)]
    except Exception as error:  # Textual rejected it in a way we did not foresee
        return None, [_("{path}: not a usable theme ({error})").format(path=shown, error=error)]


class _ThemeError(Exception):
    """One line describing why a theme file was skipped."""


class _File(NamedTuple):
    """A theme file being checked: enough to point at the offending line."""

    path: Path
    shown: str
    raw: str

    def where(self, key: str | None) -> str:
        line = _line_of(self.raw, key) if key else None
        return _("{path}: line {line}").format(path=self.shown, line=line) if line else self.shown

    def error(self, key: str | None, message: str) -> _ThemeError:
        return _ThemeError(f"{self.where(key)}: {message}")


_Fail = Callable[[str | None, str], _ThemeError]


def _build(data: dict[str, object], file: _File) -> tuple[BriefingTheme, list[str]]:
    warnings: list[str] = []
    fail = file.error
    for key in REQUIRED_KEYS:
        if key not in data:
            raise fail(None, _("missing required key {key}").format(key=repr(key)))
    name = data["name"]
    if not isinstance(name, str) or not name.strip():
        raise fail("name", _("'name' must be a non-empty string"))
    name = name.strip()
    if len(name) > MAX_NAME_CHARS or not _NAME.fullmatch(name):
        raise fail(
            "name",
            _(
                "'name' must be letters, digits, '-' or '_' (at most {count}); "
                "use display_name for anything else"
            ).format(count=MAX_NAME_CHARS),
        )

    colors: dict[str, str] = {}
    for key in COLOR_KEYS:
        if key in data:
            colors[key] = _check_color(data[key], key, fail)

    dark = data.get("dark")
    if dark is None:
        background = colors.get("background")
        dark = background is None or Color.parse(background).brightness < 0.5
    elif not isinstance(dark, bool):
        raise fail("dark", _("'dark' must be true or false"))

    display_names = _display_names(data.get("display_name", ""), fail)
    display_name = display_names.get("zh") or display_names.get("en", "")

    extra: dict[str, float] = {}
    for key in ("luminosity_spread", "text_alpha"):
        if key in data:
            value = data[key]
            if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
                raise fail(key, _("{key} must be a number from 0 to 1").format(key=repr(key)))
            extra[key] = float(value)

    variables_raw = data.get("variables", {})
    if not isinstance(variables_raw, dict):
        raise fail("variables", _("'variables' must be a table"))
    variables = default_variables(dark)
    known = known_variables()
    ignored = []
    for key, value in variables_raw.items():
        if key not in known:
            ignored.append(key)
            continue
        variables[key] = _check_variable(key, value, fail)
    if ignored:
        names = ", ".join(map(repr, sorted(ignored)[:5]))
        message = _("{where}: unknown variable(s) {names} ignored")
        warnings.append(message.format(where=file.where(ignored[0]), names=names))

    unknown = sorted(set(data) - set(REQUIRED_KEYS) - set(COLOR_KEYS) - set(OTHER_KEYS))
    if unknown:
        names = ", ".join(map(repr, unknown))
        message = _("{where}: unknown key(s) {names} ignored")
        warnings.append(message.format(where=file.where(unknown[0]), names=names))

    theme = BriefingTheme(
        name=name,
        dark=dark,
        variables=variables,
        display_name=display_name,
        display_names=display_names,
        source=file.path,
        **colors,  # type: ignore[arg-type]
        **extra,  # type: ignore[arg-type]
    )
    theme.to_color_system().generate()  # Textual's own check; raises on nonsense
    return theme, warnings


def _display_names(value: object, fail: _Fail) -> dict[str, str]:
    """``display_name``: one string for every language, or a table ``{zh = …, en = …}``."""
    from briefing.i18n import LANGUAGES

    if isinstance(value, str):
        value = dict.fromkeys(LANGUAGES, value)
    if not isinstance(value, dict):
        raise fail("display_name", _("'display_name' must be a string or a table (zh = …, en = …)"))
    names: dict[str, str] = {}
    for language, name in value.items():
        if language not in LANGUAGES:
            message = _("'display_name' has no language {language}")
            raise fail("display_name", message.format(language=_quoted(str(language))))
        if not isinstance(name, str):
            message = _("'display_name.{language}' must be a string")
            raise fail("display_name", message.format(language=language))
        shown = " ".join(strip_control(name).split())[:MAX_NAME_CHARS]
        if shown:
            names[language] = shown
    return names


def _check_color(value: object, key: str, fail: _Fail) -> str:
    if not isinstance(value, str):
        raise fail(key, _('{key} must be a colour string like "#c00000"').format(key=repr(key)))
    if len(value) > MAX_VALUE_CHARS:
        raise fail(key, _("{key} is too long to be a colour").format(key=repr(key)))
    try:
        Color.parse(value)
    except ColorParseError:
        message = _("{key}: {value} is not a colour")
        raise fail(key, message.format(key=repr(key), value=_quoted(value))) from None
    return value


def _quoted(value: str) -> str:
    return repr(strip_control(value)[:MAX_VALUE_CHARS])


@functools.cache
def known_variables() -> frozenset[str]:
    """Every variable a theme may set: Textual's (as its colour system makes
    them) and the reader's own. Anything else would only be a typo, or CSS
    smuggled into the stylesheet."""
    generated = Theme(name="probe", primary="#336699").to_color_system().generate()
    return frozenset(generated) | frozenset(FIGURE_VARIABLES)


def _check_variable(key: str, value: object, fail: _Fail) -> str:
    """Every value is a colour, a colour reference, or (for ``*-style``) a text style.

    The value is pasted into the stylesheet wherever ``$key`` is used, so
    anything else (``red; } X {``) could break every later start.
    """
    if not isinstance(value, str):
        raise fail(key, _("variable {key} must be a string").format(key=repr(key)))
    if key in FIGURE_VARIABLES:
        return _check_color(value, key, fail)
    if len(value) > MAX_VALUE_CHARS:
        raise fail(key, _("variable {key} is too long").format(key=repr(key)))
    if key.endswith("-style"):
        words = value.split()
        if not words or any(word.lower() not in _TEXT_STYLE_WORDS for word in words):
            message = _("variable {key}: {value} is not a text style")
            raise fail(key, message.format(key=repr(key), value=_quoted(value)))
        return value
    colour = _ALPHA_SUFFIX.sub("", value.strip())
    if colour in ("auto", "transparent") or _VARIABLE_REFERENCE.fullmatch(colour):
        if colour.startswith("$") and colour[1:] not in known_variables():
            message = _("variable {key}: {value} names no variable")
            raise fail(key, message.format(key=repr(key), value=_quoted(value)))
        return value
    try:
        Color.parse(colour)
    except ColorParseError:
        message = _("variable {key}: {value} is not a colour")
        raise fail(key, message.format(key=repr(key), value=_quoted(value))) from None
    return value


def _line_of(raw: str, key: str) -> int | None:
    """1-based line where ``key = …`` is written, for error messages."""
    pattern = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=")
    for number, line in enumerate(raw.splitlines(), 1):
        if pattern.match(line):
            return number
    return None
