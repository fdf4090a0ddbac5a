"""An error from an action never ends the reader: export to bad places, bugs."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.model import Report
from briefing.store import Store
from briefing.tui.app import BriefingApp
from briefing.tui.screens.confirm import ConfirmScreen
from briefing.tui.screens.export import ExportScreen
from briefing.tui.screens.reader import ReaderScreen


def messages(app: BriefingApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def export_to(pilot, target: str) -> None:
    app = pilot.app
    await pilot.press("e")
    await pilot.pause()
    assert isinstance(app.screen, ExportScreen)
    app.screen.query_one("#export-path").value = target
    await pilot.press("enter")
    await pilot.pause()


@pytest.mark.parametrize(
    "target",
    ["{tmp}/no/such/folder/x.md", "{tmp}", "/proc/x.md", "/dev/null/x.md"],
    ids=["missing-folder", "a-folder", "proc", "under-a-file"],
)
async def test_export_to_a_bad_path_keeps_the_dialog_open(
    report: Report, store: Store, tmp_path: Path, target: str
) -> None:
    app = BriefingApp(report, store)
    async with app.run_test(size=(100, 30)) as pilot:
        await export_to(pilot, target.format(tmp=tmp_path))
        assert app.is_running
        screen = app.screen
        assert isinstance(screen, ExportScreen), "the dialog stays open to correct the path"
        error = screen.query_one("#export-error")
        said = str(error.render())
        assert error.has_class("-shown") and "Export failed" in said
        assert "cannot write" in said or "folder" in said, said
        # Said once, in the dialog: a toast repeating it covered the dialog's buttons.
        assert not messages(app)
        # Correct the path: the export now succeeds from the same dialog.
        good = tmp_path / "ok.md"
        screen.query_one("#export-path").value = str(good)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        assert good.read_text(encoding="utf-8").startswith("# ")
    assert app.return_code in (0, None)


async def test_export_asks_before_overwriting_and_counts(
    report: Report, store: Store, tmp_path: Path
) -> None:
    store.notes.add(report, "2.1", "要点", quote="0.61个工作日")
    store.bookmarks.add(report, "3")
    store.bookmarks.add(report, "4")
    target = tmp_path / "old.md"
    target.write_text("keep me", encoding="utf-8")
    app = BriefingApp(report, store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await export_to(pilot, str(target))
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert target.read_text(encoding="utf-8") == "keep me"
        assert isinstance(app.screen, ExportScreen)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        assert "要点" in target.read_text(encoding="utf-8")
        assert any("1 note," in m and "2 bookmarks" in m for m in messages(app))


async def test_a_bug_in_an_action_is_a_notification_and_logged(
    report: Report, store: Store, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(BriefingApp, "strict_errors", False)
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path / "cache"))

    def broken(self: ReaderScreen) -> None:
        raise KeyError("boom")

    monkeypatch.setattr(ReaderScreen, "action_bookmark", broken)
    app = BriefingApp(report, store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("b")
        await pilot.pause()
        assert app.is_running
        assert any("Internal error" in m and "boom" in m for m in messages(app))
        await pilot.press("right_square_bracket")  # still reading
        await pilot.pause()
    log = (tmp_path / "cache" / "errors.log").read_text(encoding="utf-8")
    assert ("KeyError" in log and "action_bookmark" in log) or "broken" in log


async def test_under_test_a_bug_in_an_action_still_fails(
    report: Report, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self: ReaderScreen) -> None:
        raise KeyError("boom")

    monkeypatch.setattr(ReaderScreen, "action_bookmark", broken)
    app = BriefingApp(report, store)
    with pytest.raises(KeyError):
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.press("b")
            await pilot.pause()


async def test_remembered_theme_now_broken_starts_with_default_and_is_forgotten(
    report: Report, store: Store, isolated_user_dirs: Path
) -> None:
    theme_dir = isolated_user_dirs / "config" / "themes"
    theme_dir.mkdir(parents=True)
    (theme_dir / "evil.toml").write_text(
        'name = "evil"\nprimary = "#336699"\n[variables]\nscrollbar = "red; } X {"\n',
        encoding="utf-8",
    )
    (theme_dir / "deep.toml").write_text("x = " + "[" * 60_000, encoding="utf-8")
    store.settings.set("theme", "evil")
    app = BriefingApp(report, store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.theme == "paper"
        paper = app.theme_label("paper")  # the default, named as the picker names it
        assert any("evil" in m and paper in m for m in messages(app))
        assert any("deep.toml" in m for m in messages(app))
    assert store.settings.get("theme") in (None, "paper")


async def test_a_theme_that_breaks_the_stylesheet_falls_back(report: Report, store: Store) -> None:
    from textual.theme import Theme

    app = BriefingApp(report, store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        # Registered directly, past the file checks: the last line of defence.
        app.register_theme(Theme(name="bad", primary="#336699", variables={"border": "red; } X {"}))
        app.theme = "bad"
        await pilot.pause()
        await pilot.pause()
        assert app.is_running
        assert app.theme == "paper"
        assert any("bad" in m for m in messages(app))
        await pilot.press("right_square_bracket")
    assert store.settings.get("theme") in (None, "paper")
