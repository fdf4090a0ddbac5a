"""The Chinese catalog: English message id -> Chinese text (see briefing.i18n)."""

from __future__ import annotations

ZH: dict[str, str] = {
    "Quit": "退出",
}
