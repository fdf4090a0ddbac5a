"""One language at a time: the interface's strings in Chinese or English.

The English text is the message id (gettext's convention), so a string written in
code reads naturally and a missing translation is easy to find; the Chinese catalog
is a plain dict in :mod:`briefing.i18n_zh` (a module, so loading it costs a compiled
import, not a parse). Report text is never translated.

The language comes from ``BRIEFING_LANG`` (``zh``/``en``), else the saved setting
(``language`` in the store's settings), else the locale (``LC_ALL``,
``LC_MESSAGES``, ``LANG``): a Chinese locale gives Chinese, anything else English.

Strings fixed when a class is created (Textual's ``BINDINGS``) cannot be
translated then: the language is not known yet. They are marked with
:func:`N_` (which returns them unchanged, so the id stays in the code and the
catalog test finds it) and translated with :func:`_` where they are drawn.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

LANGUAGES = ("zh", "en")
LANGUAGE_NAMES = {"zh": "中文", "en": "English"}
"""Each language in its own words (what a language picker shows)."""

_language: str | None = None


def normalize_language(value: object) -> str | None:
    """``"zh"``/``"en"`` for a value naming one (``zh_CN``, ``EN``…), else ``None``."""
    if not isinstance(value, str):
        return None
    code = value.strip().lower()[:2]
    return code if code in LANGUAGES else None


def detect_language(environ: Mapping[str, str] | None = None, saved: object = None) -> str:
    """The language to use: ``BRIEFING_LANG``, else ``saved`` (the setting), else the locale."""
    env = os.environ if environ is None else environ
    wanted = normalize_language(env.get("BRIEFING_LANG"))
    if wanted:
        return wanted
    chosen = normalize_language(saved)
    if chosen:
        return chosen
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def set_language(language: str | None) -> str:
    """Use ``language`` from now on (``None`` or unknown: detect); return the one in use."""
    global _language
    _language = normalize_language(language) or detect_language()
    return _language


def language() -> str:
    """The language in use (detected on first call)."""
    return _language if _language is not None else set_language(None)


def _(message: str) -> str:
    """``message`` in the language in use (English text is the id)."""
    if language() == "en":
        return message
    from briefing.i18n_zh import ZH

    return ZH.get(message, message)


def P_(singular: str, plural: str, count: int) -> str:
    """``plural`` in the language in use, or ``singular`` in English for one
    ("1 hit", not "1 hits"); Chinese has one form, catalogued under ``plural``.
    The result still holds its ``{count}`` for the caller's ``format``."""
    if language() == "en":
        return singular if count == 1 else plural
    return _(plural)


def N_(message: str) -> str:
    """Mark ``message`` for translation where it is drawn (see the module's docstring)."""
    return message


def other_language() -> str:
    """The language a switch would go to (there are two)."""
    return "en" if language() == "zh" else "zh"
