"""The interface speaks one language: Chinese for a Chinese locale, else English.

The catalog is checked against the code (every id used has a Chinese entry,
no entry is stale, placeholders survive translation), and the reader is run
in both languages to check that the chrome (footer, help, palette) is all in
the one chosen.
"""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

import briefing
from briefing import i18n
from briefing.i18n_zh import ZH
from briefing.model import Report
from briefing.store import Store
from briefing.tui.app import BriefingApp
from briefing.tui.screens.help import HelpScreen
from tests.conftest import settle

PACKAGE = Path(briefing.__file__).parent
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z_+]*")
# Latin a Chinese interface still shows: key names, file formats, pinyin examples.
ALLOWED_LATIN = {
    "ctrl", "p", "y", "n", "a", "b", "Esc", "esc", "Enter", "Markdown", "SVG", "briefing",
    "BRIEFING_LANG", "z", "zh", "c", "ch", "s", "sh", "l", "an", "ang",
}  # fmt: skip


@pytest.mark.parametrize(
    ("env", "saved", "expected"),
    [
        ({"LANG": "zh_CN.UTF-8"}, None, "zh"),
        ({"LANG": "en_US.UTF-8"}, None, "en"),
        ({"LC_ALL": "zh_TW.UTF-8", "LANG": "en_US.UTF-8"}, None, "zh"),
        ({"BRIEFING_LANG": "en", "LANG": "zh_CN.UTF-8"}, None, "en"),
        ({}, None, "en"),
        ({"LANG": "en_US.UTF-8"}, "zh", "zh"),  # the setting beats the locale
        ({"BRIEFING_LANG": "en"}, "zh", "en"),  # BRIEFING_LANG beats the setting
        ({"LANG": "zh_CN.UTF-8"}, "klingon", "zh"),  # a bad setting is ignored
        ({"LANG": "zh_CN.UTF-8"}, 3, "zh"),
    ],
)
def test_language_follows_env_then_setting_then_locale(
    env: dict[str, str], saved: object, expected: str
) -> None:
    assert i18n.detect_language(env, saved) == expected


def test_message_is_translated_only_in_chinese() -> None:
    assert i18n.set_language("zh") == "zh"
    assert i18n._("Quit") == "退出"
    assert i18n.N_("Quit") == "Quit"  # marked, translated where drawn
    assert i18n.set_language("en") == "en"
    assert i18n._("Quit") == "Quit"


# ---------------------------------------------------------------- the catalog


def message_ids() -> dict[str, str]:
    """Every literal passed to ``_()`` or ``N_()`` in the package -> where."""
    found: dict[str, str] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "P_"
            ):
                # P_(singular, plural, count): Chinese has one form, filed under the plural.
                where = f"{path.name}:{node.lineno}"
                singular, plural = (a.value for a in node.args[:2] if isinstance(a, ast.Constant))
                assert singular != plural, where
                found.setdefault(plural, f"{path.relative_to(PACKAGE)}:{node.lineno}")
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("_", "N_")
            ):
                where = f"{path.name}:{node.lineno}"
                assert len(node.args) == 1, where
                if not isinstance(node.args[0], ast.Constant):
                    # ``_(binding.description)``: an id marked with N_ where it was written.
                    assert node.func.id == "_", f"{where}: N_() takes a literal string"
                    continue
                value = node.args[0].value
                assert isinstance(value, str), f"{path.name}:{node.lineno}"
                found.setdefault(value, f"{path.relative_to(PACKAGE)}:{node.lineno}")
    return found


def test_catalog_collects_the_strings_of_the_reader() -> None:
    ids = message_ids()
    assert len(ids) > 100  # the walk found the code, not an empty tree
    assert "Quit" in ids and "Search for commands…" in ids


def test_a_count_of_one_is_singular_in_english() -> None:
    """ "1 hits", "1 reports", "1 note(s)" were shown: a counted noun goes through P_."""
    counted = re.compile(r"\{(count|notes|bookmarks|reports|hits)\} [a-z]+(s\b|\(s\))")
    ids = message_ids()
    # A message may also say "1 place" in a sibling of its own (source.py, records.py).
    plain = {
        m: where
        for m, where in ids.items()
        if counted.search(m)
        and "ambiguous" not in m  # an ambiguous id starts two entries or more
        and not any(other.startswith(m[: m.index("{count}")] + "1 ") for other in ids)
    }
    plural = set()
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "P_":
                plural.add(node.args[1].value)
    assert {m: w for m, w in plain.items() if m not in plural} == {}
    i18n.set_language("en")
    assert i18n.P_("{count} hit", "{count} hits", 1).format(count=1) == "1 hit"
    assert i18n.P_("{count} hit", "{count} hits", 0).format(count=0) == "0 hits"
    i18n.set_language("zh")
    assert i18n.P_("{count} hit", "{count} hits", 1).format(count=1) == "1 处"


def test_every_message_has_a_chinese_entry() -> None:
    missing = {m: where for m, where in message_ids().items() if m not in ZH}
    assert missing == {}


def test_catalog_has_no_stale_entries() -> None:
    used = message_ids()
    assert sorted(set(ZH) - set(used)) == []


def placeholders(text: str) -> list[str]:
    return sorted(name for _, name, _, _ in string.Formatter().parse(text) if name is not None)


@pytest.mark.parametrize("message", sorted(ZH))
def test_translation_keeps_placeholders_and_is_chinese(message: str) -> None:
    translated = ZH[message]
    assert placeholders(translated) == placeholders(message)
    assert translated != message, "untranslated"
    assert CJK.search(translated), translated


# ---------------------------------------------------------------- the reader in each language


async def chrome_text(app: BriefingApp, pilot) -> list[str]:
    """Footer keys, help screen and palette commands (their titles and help)."""
    from textual.widgets._footer import FooterKey

    def footer_keys() -> list[str]:
        return [key.description for key in app.screen.query(FooterKey) if key.description]

    await app.workers.wait_for_complete()
    await settle(pilot, lambda: len(footer_keys()) >= 5)
    texts = footer_keys()
    assert len(texts) >= 5
    for command in app.get_system_commands(app.screen):
        texts += [command.title, command.help]
    await pilot.press("question_mark")
    await settle(pilot, lambda: isinstance(app.screen, HelpScreen))
    assert isinstance(app.screen, HelpScreen)
    help_screen = app.screen
    for title, rows in help_screen.sections:
        texts.append(title)
        texts += [description for _, description in rows]
    texts.append(help_screen.query("Static").first().render().plain)  # type: ignore[attr-defined]
    await pilot.press("escape")
    await settle(pilot, lambda: not isinstance(app.screen, HelpScreen))
    await pilot.press("ctrl+p")
    from textual.command import CommandInput, CommandList, CommandPalette

    await settle(pilot, lambda: isinstance(app.screen, CommandPalette))
    texts.append(str(app.screen.query_one(CommandInput).placeholder))
    await pilot.press(*"qxqxq")  # nothing: the palette says so

    def option_count() -> int:
        return app.screen.query_one(CommandList).option_count

    # Each letter starts a new search: wait for the one of the whole query to show.
    await settle(pilot, lambda: app.screen.query_one(CommandInput).value == "qxqxq")
    await app.workers.wait_for_complete()
    await settle(pilot, lambda: option_count() == 1)
    options = app.screen.query_one(CommandList)
    shown = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
    assert options.option_count == 1, shown
    texts.append(str(options.get_option_at_index(0).prompt.renderable))  # type: ignore[attr-defined]
    await pilot.press("escape")
    return texts


def without_language_names(text: str) -> str:
    for name in i18n.LANGUAGE_NAMES.values():  # a language is named in its own words
        text = text.replace(name, "")
    return text


async def test_english_reader_shows_no_chinese_chrome(report: Report, store: Store) -> None:
    app = BriefingApp(report, store)
    async with app.run_test(size=(120, 40)) as pilot:
        texts = await chrome_text(app, pilot)
    chinese = [t for t in texts if CJK.search(without_language_names(t))]
    assert chinese == []
    assert "Search" in texts and "Quit" in texts


async def test_chinese_reader_shows_no_english_chrome(
    report: Report, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRIEFING_LANG", "zh")
    app = BriefingApp(report, store)
    async with app.run_test(size=(120, 40)) as pilot:
        texts = await chrome_text(app, pilot)
    english = {
        t: words
        for t in texts
        if (words := set(LATIN_WORD.findall(without_language_names(t))) - ALLOWED_LATIN)
    }
    assert english == {}
    assert "搜索" in texts and "退出" in texts


async def test_language_setting_is_used_and_switched_from_the_palette(
    report: Report, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from textual.widgets._footer import FooterKey

    monkeypatch.delenv("BRIEFING_LANG")
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    store.settings.set("language", "zh")
    app = BriefingApp(report, store)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert i18n.language() == "zh"

        def footer() -> list[str]:
            return [k.description for k in app.screen.query(FooterKey)]

        await settle(pilot, lambda: "搜索" in footer())  # the footer is recomposed
        assert "搜索" in footer()
        switch = [c for c in app.get_system_commands(app.screen) if c.title == "界面语言"]
        assert len(switch) == 1 and "English" in switch[0].help
        await switch[0].callback()
        await app.workers.wait_for_complete()
        await settle(pilot, lambda: "Search" in footer())
        assert i18n.language() == "en"
        assert store.settings.get("language") == "en"
        assert "Search" in footer()
        assert any("English" in str(n.message) for n in app._notifications)


async def test_language_switch_redraws_the_panels(report: Report, store: Store) -> None:
    app = BriefingApp(report, store)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("m")
        await pilot.pause()
        title = app.screen.query_one("#notes .panel-title").render()
        assert "Bookmarks" in str(title)
        i18n.set_language("zh")
        app.refresh_language()
        await pilot.pause()
        assert "书签" in str(app.screen.query_one("#notes .panel-title").render())


async def test_language_switch_redraws_an_open_note_editor(report: Report, store: Store) -> None:
    from textual.widgets import Button

    app = BriefingApp(report, store)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("a")
        await pilot.pause()
        assert "Save" in str(app.screen.query_one("#note-save", Button).label)
        i18n.set_language("zh")
        app.refresh_language()
        await pilot.pause()
        assert "保存" in str(app.screen.query_one("#note-save", Button).label)


# ---------------------------------------------------------------- messages made by the model


def english_words(message: str, *paths: str) -> set[str]:
    """Latin words of ``message`` that a Chinese reader would not expect (paths removed)."""
    for path in sorted(paths, key=len, reverse=True):
        message = message.replace(path, "")
    return set(LATIN_WORD.findall(message)) - ALLOWED_LATIN


async def test_chinese_reader_explains_a_failed_export_in_chinese(
    report: Report, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    from textual.widgets import Input, Static

    from briefing.tui.screens.export import ExportScreen

    monkeypatch.setenv("BRIEFING_LANG", "zh")
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    targets = [
        "/proc/x.md",  # the example: no such file or folder
        str(tmp_path / "missing" / "x.md"),  # a folder that does not exist
        str(tmp_path),  # a folder
        str(fifo),  # a FIFO
        "~nosuchuser-zz/x.md",  # an unknown user
    ]
    if os.geteuid() != 0:
        targets.append(str(locked / "x.md"))  # permission denied
    app = BriefingApp(report, store)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("e")
        await pilot.pause()
        shown: dict[str, str] = {}
        for target in targets:
            assert isinstance(app.screen, ExportScreen)
            app.screen.query_one("#export-path", Input).value = target
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, ExportScreen), target
            shown[target] = str(app.screen.query_one("#export-error", Static).render())
    locked.chmod(0o700)
    assert all(CJK.search(message) for message in shown.values()), shown
    english = {
        message: words
        for target, message in shown.items()
        if (words := english_words(message, target, str(Path(target).parent), "nosuchuser-zz"))
    }
    assert english == {}


def test_command_line_speaks_english_in_a_chinese_locale(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from briefing.cli import cli

    monkeypatch.delenv("BRIEFING_LANG")
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    i18n.set_language("zh")
    args = ["--db", str(tmp_path / "n.json"), "export", "-o", "/proc/x.md"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code != 0
    assert "cannot write /proc/x.md" in result.output and not CJK.search(result.output)
    monkeypatch.setenv("BRIEFING_LANG", "zh")  # unless BRIEFING_LANG says otherwise
    result = CliRunner().invoke(cli, args)
    assert "无法写入 /proc/x.md" in result.output


def damaged_report(tmp_path: Path) -> Path:
    """The bundled report as UTF-8 with two stray bytes: it loads, with a warning."""
    from briefing.resources import bundled_report_path

    data = bundled_report_path().read_bytes()
    middle = data.index("。".encode(), len(data) // 2) + 3
    path = tmp_path / "damaged-report.txt"
    path.write_bytes(data[:middle] + b"\xff\xfe" + data[middle:])
    return path


async def test_chinese_reader_shows_report_and_store_warnings_in_chinese(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import briefing

    path = damaged_report(tmp_path)
    english_report = briefing.load_report(path)  # cached with its warning in English
    assert english_report.warnings and "damaged" in english_report.warnings[0]
    db = tmp_path / "notes.json"
    db.write_text("{not json", encoding="utf-8")
    monkeypatch.setenv("BRIEFING_LANG", "zh")
    i18n.set_language("zh")
    report = briefing.load_report(path)  # the cached English warning is not served
    store = Store.open(db)
    app = BriefingApp(report, store)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.pause()
        messages = [str(n.message) for n in app._notifications]
    store.close()
    names = (str(path), path.name, str(db), str(tmp_path))
    damaged = [m for m in messages if path.name in m]
    moved = [m for m in messages if "notes.json" in m]
    assert damaged and moved, messages
    for message in damaged + moved:
        assert CJK.search(message), message
        found = english_words(message, *names)
        assert found <= {"UTF", "json", "corrupt", "T"}, message  # encoding, file names


def test_reader_language_is_chosen_before_the_report_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``briefing PATH`` reads the report in the saved language, so its warnings match."""
    import briefing.tui.app
    from briefing.cli import main

    path = damaged_report(tmp_path)
    db = tmp_path / "notes.json"
    with Store.open(db) as store:
        store.settings.set("language", "zh")
    monkeypatch.delenv("BRIEFING_LANG")
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    i18n.set_language("en")
    seen: list[tuple[str, ...]] = []
    monkeypatch.setattr(
        briefing.tui.app,
        "run_reader",
        lambda report, store, **options: seen.append(report.warnings),
    )
    with pytest.raises(SystemExit) as exit_:
        main(["--db", str(db), str(path)])
    assert exit_.value.code == 0
    assert len(seen) == 1 and seen[0] and CJK.search(seen[0][0]), seen


def test_unreadable_theme_file_is_explained_in_chinese(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    from briefing.themes import load_themes

    (tmp_path / "mine.toml").write_text('name = "mine"\nprimary = "#123456"\n', encoding="utf-8")

    def refuse(self: Path) -> bytes:
        raise PermissionError(errno.EACCES, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", refuse)
    i18n.set_language("zh")
    errors = load_themes([tmp_path]).errors
    assert len(errors) == 1 and CJK.search(errors[0]), errors
    assert english_words(errors[0], str(tmp_path / "mine.toml"), "mine.toml") == set(), errors


def test_damaged_library_entry_is_explained_in_chinese(tmp_path: Path) -> None:
    import json

    from briefing.library.core import CATALOGUE, Library

    key = "ab" * 32
    entries = {key: {"id": key, "stored_path": "files/x/report.txt"}}  # no title, no size
    (tmp_path / CATALOGUE).write_text(json.dumps({"version": 1, "entries": entries}))
    i18n.set_language("zh")
    library = Library.open(tmp_path)
    damaged = [w for w in library.warnings if key[:12] in w]
    assert len(damaged) == 1 and CJK.search(damaged[0]), library.warnings
    words = english_words(damaged[0], key[:12])
    assert not words & {"bad", "damaged", "skipped", "library", "entry"}, damaged
