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


def test_figure_lines_encode_repeated_ids_kinds_and_units_as_json_dumps_does() -> None:
    """Section ids, kinds and units are encoded once and reused: every line is still
    exactly what ``json.dumps`` writes for its figure."""
    import json

    import briefing
    from briefing.cli.report_commands import _figure_json, _figure_json_lines
    from briefing.figures import report_figures
    from briefing.model import Figure

    figures = [
        *report_figures(briefing.load_report()),
        Figure('a"\\\x01', 0, 1, "“x”\n", "count", None, "\u2028", True),
        Figure('a"\\\x01', 2, 3, "y", "count", 2.5, "\u2028", False),
        Figure("1", 0, 1, "x", "rate", 1e-07, "", False),
    ]
    lines = list(_figure_json_lines(figures))
    assert lines == [json.dumps(_figure_json(f), ensure_ascii=False) for f in figures]
