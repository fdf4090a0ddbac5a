"""What the reader's start-up imports: only what the first screen needs.

Start-up must stay close to an empty Textual app (benchmarks/bench_startup.py);
every module below is either heavy (pypinyin ~0.4 s, click) or only needed
after the first paint (panels, search, figures, dialogs), so importing one
before the first paint is a regression even when a timing run is too noisy
to show it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from briefing.model import Report
from briefing.store import Store

REPO = Path(__file__).resolve().parents[1]

# Runs the same path as ``briefing`` with no arguments and prints the modules
# loaded when the first frame has been drawn.
FIRST_PAINT = r"""
import gc
import sys
import briefing.tui.app
from briefing.tui.app import BriefingApp
from briefing.tui.screens.reader import ReaderScreen

class TimedScreen(ReaderScreen):
    def on_mount(self):
        self.call_after_refresh(self.painted)

    def painted(self):
        print(" ".join(sorted(sys.modules)), flush=True)
        print("collector at first paint:", gc.isenabled(), flush=True)
        self._waited = 0
        self.set_interval(0.02, self.collector_back)

    def collector_back(self):
        # The screen's after-paint work resumes the collector; give it 5 s.
        self._waited += 1
        if gc.isenabled() or self._waited > 250:
            print("collector after first paint:", gc.isenabled(), flush=True)
            self.app.exit()

class Timed(BriefingApp):
    def get_default_screen(self):
        return TimedScreen(self.report, self.store)

_run = briefing.tui.app.run_reader
briefing.tui.app.run_reader = lambda report, db, **options: _run(
    report, db, app_class=Timed, headless=True, size=(120, 40), **options)
from briefing.cli import main
main([])
"""

NOT_BEFORE_FIRST_PAINT = {
    "pypinyin",
    "click",
    "tomllib",  # the theme in use comes from the theme cache
    "briefing.parse",  # a report seen before comes from the cache
    "briefing.figures",
    "briefing.search.index",
    "briefing.search.readings",
    "briefing.export",
    "briefing.tui.widgets.search_bar",
    "briefing.tui.widgets.figures_panel",
    "briefing.tui.widgets.notes_panel",
    "briefing.tui.widgets.side_panel",
    "briefing.tui.screens.note_editor",
    "briefing.tui.screens.export",
    "briefing.tui.screens.help",
    "briefing.tui.palette",  # the command palette's providers: when it opens
    "tinydb",  # the store has TinyDB's storage interface, not its base class
    "hashlib",  # OpenSSL; the store names its temp files with CPython's own sha256
    "importlib.util",  # the theme cache finds Textual through the module imported
}


def test_first_paint_imports_only_what_the_first_screen_needs(tmp_path: Path) -> None:
    env = dict(os.environ)
    warm = subprocess.run(
        [
            sys.executable,
            "-c",
            "import briefing; briefing.load_report();"
            "from briefing.themes import find_theme; from briefing.tui.app import DEFAULT_THEME;"
            "find_theme(DEFAULT_THEME)",
        ],
        env=env,
        cwd=REPO,
        check=True,
    )
    assert warm.returncode == 0
    result = subprocess.run(
        [sys.executable, "-c", FIRST_PAINT],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    modules, *collector = result.stdout.splitlines()
    loaded = set(modules.split())
    assert "briefing.tui.widgets.reader_view" in loaded  # it did reach the first paint
    assert sorted(NOT_BEFORE_FIRST_PAINT & loaded) == []
    # The cyclic collector sits out the start-up (briefing.startup_gc) and is
    # back once the reader is on screen.
    assert collector == ["collector at first paint: False", "collector after first paint: True"]


def _scrollbar_in_each_layout(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """For each layout of the screen that holds the page: is the page's scrollbar in it?"""
    from textual._compositor import Compositor
    from textual.scrollbar import ScrollBar

    from briefing.tui.widgets.reader_view import ReaderView

    layouts: list[bool] = []
    reflow = Compositor.reflow

    def watched(self: Compositor, parent: Any, size: Any) -> Any:
        result = reflow(self, parent, size)
        shown = self.visible_widgets
        views = [widget for widget in shown if isinstance(widget, ReaderView)]
        if views:
            bars = [w for w in shown if isinstance(w, ScrollBar) and w.parent is views[0]]
            layouts.append(bool(bars))
        return result

    monkeypatch.setattr(Compositor, "reflow", watched)
    return layouts


async def test_a_long_report_has_its_scrollbar_from_the_first_layout(
    report: Report, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Found after the first layout, the scrollbar cost the first paint a second
    layout and a redraw of its column."""
    from briefing.tui.app import BriefingApp

    layouts = _scrollbar_in_each_layout(monkeypatch)
    async with BriefingApp(report, store).run_test(size=(120, 40)) as pilot:
        await pilot.pause()
    assert layouts and all(layouts)


async def test_a_short_report_gets_no_scrollbar(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from briefing.parse import parse_report
    from briefing.tui.app import BriefingApp
    from briefing.tui.widgets.reader_view import ReaderView

    short = parse_report("关于某事的报告\n一、总体情况\n全年办结 12 件。\n二、下一步\n继续努力。\n")
    layouts = _scrollbar_in_each_layout(monkeypatch)
    app = BriefingApp(short, store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        view = app.query_one(ReaderView)
        assert not view.show_vertical_scrollbar
        assert view.virtual_size.height < view.size.height
    assert layouts and not any(layouts)


def test_the_model_compiles_no_code_when_imported() -> None:
    """``@dataclass(frozen=True)`` compiled six methods per class from source at
    import: ~10 ms of every start. The model's methods are written out instead."""
    probe = (
        "import sys, dataclasses, operator, pathlib, typing, collections.abc, briefing\n"
        "compiled = []\n"
        "sys.addaudithook(lambda event, args: event == 'compile' and compiled.append(args[1]))\n"
        "import briefing.model\n"
        # model.py's own source is compiled when no bytecode is cached (a fresh
        # clone, PYTHONDONTWRITEBYTECODE): only generated code counts here.
        "print(sum(not str(name).endswith('.py') for name in compiled))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPO, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["0"]


# Records whose generated methods are still compiled at start.
GENERATED_ALLOWED = {"briefing.tui.page.Paragraph"}


def test_no_record_on_the_start_path_compiles_its_methods() -> None:
    """``@dataclass`` compiles a class's methods from source when the class is
    defined (~1 ms a frozen class): the modules imported before the first paint
    write them out instead (a named tuple compiles one line; it is allowed)."""
    probe = (
        "import inspect, sys\n"
        "import briefing.tui.app, briefing.tui.screens.reader, briefing.report_cache\n"
        "import briefing.section_table, briefing.store.anchors, briefing.tui.search_state\n"
        "import briefing.tui.widgets.reader_view, briefing.themes\n"
        "found = []\n"
        "for name, module in sorted(sys.modules.items()):\n"
        "    if not name.startswith('briefing'):\n"
        "        continue\n"
        "    for cls in vars(module).values():\n"
        "        if not inspect.isclass(cls) or cls.__module__ != name:\n"
        "            continue\n"
        "        if hasattr(cls, '_fields'):  # a named tuple\n"
        "            continue\n"
        "        code = [f.__code__ for f in vars(cls).values() if inspect.isfunction(f)]\n"
        "        if any(c.co_filename == '<string>' for c in code):\n"
        "            found.append(f'{name}.{cls.__qualname__}')\n"
        "print(' '.join(found))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPO, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert set(result.stdout.split()) <= GENERATED_ALLOWED
