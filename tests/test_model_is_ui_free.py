"""Model first, views second: no module outside the views imports Textual."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import briefing

VIEWS = ("tui", "cli")  # and themes.py, which builds Textual themes
PACKAGE = Path(briefing.__file__).parent


def model_modules() -> list[str]:
    names = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        if parts[0] in VIEWS or parts == ("themes",) or parts[-1] == "__main__":
            continue
        names.append(".".join(("briefing", *parts)).removesuffix(".__init__"))
    return names


def test_model_modules_do_not_import_textual() -> None:
    modules = model_modules()
    assert "briefing.theme_cache" in modules and "briefing.library.index" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "from briefing import theme_cache\n"
        "theme_cache._checker_version()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'textual'))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
