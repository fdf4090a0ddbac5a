"""Every test runs with its own database, cache and config folders.

Nothing a test does may touch the user's real notes or caches.
"""

from __future__ import annotations

import gc
import os
import shutil
import tempfile

import pytest

_SCRATCH = pytest.StashKey[str]()


def pytest_configure(config: pytest.Config) -> None:
    """Module-level loads run before per-test fixtures: give them scratch folders too."""
    scratch = tempfile.mkdtemp(prefix="briefing-tests-")
    config.stash[_SCRATCH] = scratch
    for name, sub in (("BRIEFING_CACHE_DIR", "cache"), ("BRIEFING_CONFIG_DIR", "config")):
        os.environ[name] = os.path.join(scratch, sub)
    os.environ["BRIEFING_DB"] = os.path.join(scratch, "data", "briefing.json")
    # Widths must not depend on the locale of the machine running the tests.
    os.environ["BRIEFING_AMBIGUOUS_WIDTH"] = "1"
    # The interface language must not depend on the machine's locale either.
    os.environ["BRIEFING_LANG"] = "en"


def pytest_unconfigure(config: pytest.Config) -> None:
    """The session's scratch folders go with it (a run left ~0.5 MB in /tmp each time)."""
    scratch = config.stash.get(_SCRATCH, None)
    if scratch:
        shutil.rmtree(scratch, ignore_errors=True)


@pytest.fixture(autouse=True)
def english_interface(monkeypatch: pytest.MonkeyPatch):
    """Every test starts in English; a test that wants Chinese sets BRIEFING_LANG."""
    from briefing import i18n

    monkeypatch.setenv("BRIEFING_LANG", "en")
    i18n.set_language(None)
    yield
    i18n.set_language(None)


@pytest.fixture(autouse=True)
def isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    base = tmp_path_factory.mktemp("user")
    monkeypatch.setenv("BRIEFING_DB", str(base / "data" / "briefing.json"))
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(base / "cache"))
    monkeypatch.setenv("BRIEFING_CONFIG_DIR", str(base / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(base / "xdg-data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(base / "xdg-cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(base / "xdg-config"))
    return base


@pytest.fixture(autouse=True)
def strict_reader_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    """A bug in a reader action fails the test instead of becoming a notification."""
    from briefing.tui.app import BriefingApp

    monkeypatch.setattr(BriefingApp, "strict_errors", True)


@pytest.fixture(autouse=True)
def unfrozen_garbage_collector():
    """The reader freezes its loaded report out of the cyclic GC; a test's app
    must not stay frozen (never collected) for the rest of the session."""
    thresholds = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)  # the reader defers full collections while it runs


@pytest.fixture(scope="module")
def report():
    """The bundled report, parsed once per module (reader tests share it)."""
    import briefing

    return briefing.load_report()


@pytest.fixture
def store(tmp_path):
    """A notes database of the test's own, closed afterwards."""
    from briefing.store import Store

    opened = Store.open(tmp_path / "notes.json")
    yield opened
    opened.close()


async def settle(pilot, condition, seconds: float = 30.0) -> bool:
    """Pause the pilot until ``condition()`` holds (or ``seconds`` pass): a loaded
    machine may need more than one pause for a worker's result to reach the screen.
    The wait ends as soon as the condition holds, so a long limit costs only a
    failing test its time; a short one failed tests on a machine at load 12."""
    import time

    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        await pilot.pause(0.02)
    return True


async def search_settled(app, pilot, quiet: float = 0.05) -> None:
    """Until the reader's search worker is done, then ``quiet`` seconds for its
    frame to be painted."""
    screen = app.screen
    for _ in range(500):
        await app.workers.wait_for_complete()
        await pilot.pause(0.02)
        if not screen.search.pending:
            break
    await pilot.pause(quiet)
    await pilot.pause()


async def reader_ready(app, pilot, *, wait_workers: bool = False) -> None:
    """Until the reader's index and figures are in (each arrives from its own
    worker) and its panels are mounted; with ``wait_workers``, every worker done."""
    screen = app.screen
    await settle(pilot, lambda: screen.index is not None and bool(screen.figures))
    await screen.ensure_panels()
    if wait_workers:
        await app.workers.wait_for_complete()
    await pilot.pause()
