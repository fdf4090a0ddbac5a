"""The interface speaks one language: Chinese for a Chinese locale, else English."""

from __future__ import annotations

import pytest

from briefing import i18n


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"LANG": "zh_CN.UTF-8"}, "zh"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LC_ALL": "zh_TW.UTF-8", "LANG": "en_US.UTF-8"}, "zh"),
        ({"BRIEFING_LANG": "en", "LANG": "zh_CN.UTF-8"}, "en"),
        ({}, "en"),
    ],
)
def test_language_follows_setting_then_locale(env: dict[str, str], expected: str) -> None:
    assert i18n.detect_language(env) == expected


def test_message_is_translated_only_in_chinese(monkeypatch: pytest.MonkeyPatch) -> None:
    try:
        assert i18n.set_language("zh") == "zh"
        assert i18n._("Quit") == "退出"
        assert i18n.set_language("en") == "en"
        assert i18n._("Quit") == "Quit"
    finally:
        i18n.set_language(None)
