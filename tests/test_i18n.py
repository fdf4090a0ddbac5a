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

    await app.workers.wait_for_complete()
    await pilot.pause()
    texts = [key.description for key in app.screen.query(FooterKey) if key.description]
    assert len(texts) >= 5
    for command in app.get_system_commands(app.screen):
        texts += [command.title, command.help]
    await pilot.press("question_mark")
    await pilot.pause()
    assert isinstance(app.screen, HelpScreen)
    help_screen = app.screen
    for title, rows in help_screen.sections:
        texts.append(title)
        texts += [description for _, description in rows]
    texts.append(help_screen.query("Static").first().render().plain)  # type: ignore[attr-defined]
    await pilot.press("escape")
    await pilot.press("ctrl+p")
    await pilot.pause()
    from textual.command import CommandInput, CommandList

    texts.append(str(app.screen.query_one(CommandInput).placeholder))
    await pilot.press(*"qxqxq")  # nothing: the palette says so
    for _ in range(100):
        await app.workers.wait_for_complete()
        await pilot.pause(0.02)
        options = app.screen.query_one(CommandList)
        if options.option_count:
            break
    assert options.option_count == 1
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
        assert "搜索" in [k.description for k in app.screen.query(FooterKey)]
        switch = [c for c in app.get_system_commands(app.screen) if c.title == "界面语言"]
        assert len(switch) == 1 and "English" in switch[0].help
        await switch[0].callback()
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.pause()
        assert i18n.language() == "en"
        assert store.settings.get("language") == "en"
        assert "Search" in [k.description for k in app.screen.query(FooterKey)]
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
