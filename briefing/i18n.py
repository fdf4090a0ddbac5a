"""One language at a time: the interface's strings in Chinese or English.

The English text is the message id (gettext's convention), so a string written in
code reads naturally and a missing translation is easy to find; the Chinese catalog
is a plain dict in :mod:`briefing.i18n_zh` (a module, so loading it costs a compiled
import, not a parse). Report text is never translated.

The language comes from ``BRIEFING_LANG`` (``zh``/``en``), else a saved setting
passed to :func:`set_language`, else the locale (``LC_ALL``, ``LC_MESSAGES``,
``LANG``): a Chinese locale gives Chinese, anything else English.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

LANGUAGES = ("zh", "en")

_language: str | None = None


def detect_language(environ: Mapping[str, str] | None = None) -> str:
    """The language the environment asks for: ``"zh"`` or ``"en"``."""
    env = os.environ if environ is None else environ
    wanted = (env.get("BRIEFING_LANG") or "").strip().lower()
    if wanted[:2] in LANGUAGES:
        return wanted[:2]
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def set_language(language: str | None) -> str:
    """Use ``language`` from now on (``None`` or unknown: detect); return the one in use."""
    global _language
    chosen = (language or "").strip().lower()[:2]
    _language = chosen if chosen in LANGUAGES else detect_language()
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
