"""``briefing figures`` the first time on a big report: what keeps it fast."""

from __future__ import annotations

import gc

import pytest
from click.testing import CliRunner

from briefing.cli import cli


def test_figures_are_found_with_the_collector_off_and_it_comes_back(
    monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:
    """~70,000 acyclic figures at 8 MB: the collector's passes over them cost ~0.2 s."""
    import briefing.report_cache as report_cache

    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path))
    seen: list[bool] = []
    real = report_cache.report_figures_cached

    def spy(report):  # type: ignore[no-untyped-def]
        seen.append(gc.isenabled())
        return real(report)

    monkeypatch.setattr(report_cache, "report_figures_cached", spy)
    assert gc.isenabled()
    result = CliRunner().invoke(cli, ["figures", "--json"], catch_exceptions=False)
    assert result.exit_code == 0 and result.output.startswith("[")
    assert seen == [False]
    assert gc.isenabled()  # (a command run in-process gives it back)
