"""The readings cache: written once, loaded without pypinyin, corrupt files rebuilt."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import briefing
from briefing.model import Metadata, Report, Section
from briefing.search import PinyinIndex, load_index
from briefing.search import cache as cache_module
from briefing.search import readings as readings_module

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def cache_dir(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(folder))
    return folder


def small_report(sha: str = "sha-small") -> Report:
    sections = (
        Section("0", 1, "", "前言", None, "法治政府建设。"),
        Section("1", 1, "一、", "行政", "0", "一、行政执法和律师调解。"),
    )
    return Report(Metadata(title="t"), sections, sha256=sha)


def cache_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.json")) if folder.exists() else []


def test_cache_dir_override(cache_dir):
    assert cache_module.cache_dir() == cache_dir


def test_build_then_load_from_cache(cache_dir, monkeypatch):
    report = small_report()
    first = load_index(report)
    assert first is not None
    files = cache_files(cache_dir)
    assert len(files) == 1
    assert not [p for p in cache_dir.iterdir() if p.suffix == ".tmp"], "no temp file left"

    def boom(text):
        raise AssertionError("must not recompute readings")

    monkeypatch.setattr(readings_module, "compute_readings", boom)
    second = load_index(report)
    assert second is not None
    assert [m.text for m in second.search("fzzf")] == ["法治政府"]
    assert second.search("lvshi") == first.search("lvshi")


def test_build_if_missing_false(cache_dir):
    assert load_index(small_report(), build_if_missing=False) is None
    assert cache_files(cache_dir) == []


def test_key_depends_on_sha_and_version(cache_dir):
    a = cache_module.cache_path("aaa")
    assert a != cache_module.cache_path("bbb")
    assert a != cache_module.cache_path("aaa", version="other")
    assert a.parent == cache_dir
    # any string is a safe key
    assert cache_module.cache_path("../../etc/passwd").parent == cache_dir


@pytest.mark.parametrize(
    "garbage",
    [
        b"",
        b"\xff\xfe not json",
        b"{",
        b"[]",
        b'{"table": [], "context": [], "common": {}}',
        b'{"table": ["fa3"], "context": [99, 0], "common": {}, "digest": "x"}',
        json.dumps({"table": "x", "context": None, "common": 3}).encode(),
        b"[" * 100000,
    ],
)
def test_corrupt_cache_is_ignored_and_rebuilt(cache_dir, garbage):
    report = small_report()
    load_index(report)
    (path,) = cache_files(cache_dir)
    path.write_bytes(garbage)
    assert load_index(report, build_if_missing=False) is None
    index = load_index(report)
    assert index is not None
    assert [m.text for m in index.search("fzzf")] == ["法治政府"]
    data = json.loads(path.read_text(encoding="utf-8"))
    assert len(data["context"]) == index.size


def test_cache_for_changed_text_is_not_used(cache_dir):
    report = small_report(sha="same-sha")
    load_index(report)
    other = Report(
        Metadata(title="t"),
        (Section("0", 1, "", "x", None, "完全不同的文字"),),
        sha256="same-sha",
    )
    assert load_index(other, build_if_missing=False) is None
    index = load_index(other)
    assert [m.text for m in index.search("wenzi")] == ["文字"]


def test_unwritable_cache_dir_still_searches(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(blocker / "cache"))
    index = load_index(small_report())
    assert index is not None and index.search("fzzf")


def test_cached_index_equals_built(cache_dir):
    report = briefing.load_report()
    built = PinyinIndex.build(report)
    load_index(report)
    cached = load_index(report, build_if_missing=False)
    assert cached is not None
    for query in ("fzzf", "xingzheng", "hang", "fa3", "法zhi", "z", "sf", "法治"):
        assert cached.search(query) == built.search(query)


def _run(code: str, cache: Path) -> str:
    env = {**os.environ, "BRIEFING_CACHE_DIR": str(cache), "PYTHONPATH": str(REPO)}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=REPO
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_cached_load_does_not_import_pypinyin(cache_dir):
    load_index(briefing.load_report())
    out = _run(
        "import sys, briefing\n"
        "from briefing.search import load_index\n"
        "index = load_index(briefing.load_report(), build_if_missing=False)\n"
        "print(index is not None, len(index.search('fzzf')), 'pypinyin' in sys.modules,"
        " 'pypinyin_dict' in sys.modules)\n",
        cache_dir,
    )
    assert out == "True 18 False False"  # 15 in sections, 1 in the title, 2 in metadata


def test_importing_search_does_not_import_pypinyin(cache_dir):
    out = _run(
        "import sys\n"
        "import briefing.search, briefing.search.index, briefing.search.query\n"
        "import briefing.search.readings, briefing.search.cache\n"
        "import briefing.cli.search_command\n"
        "print('pypinyin' in sys.modules)\n",
        cache_dir,
    )
    assert out == "False"


def test_bad_syllables_in_cache_are_rejected(cache_dir):
    report = small_report()
    load_index(report)
    (path,) = cache_files(cache_dir)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["table"][0] = "3"  # an empty syllable would break matching
    path.write_text(json.dumps(data), encoding="utf-8")
    assert load_index(report, build_if_missing=False) is None
    assert [m.text for m in load_index(report).search("fzzf")] == ["法治政府"]


def test_word_breaks_round_trip_and_are_checked():
    from briefing.search.readings import Readings

    readings = Readings([("fa", 3), ("zhi", 4)], [0, 1, -1], {}, b"\x09")
    again = Readings.from_json(readings.to_json())
    assert again.breaks == b"\x09"
    for bad in ("!!", 5, "AAAA"):  # not base64, not a string, wrong length
        data = {**readings.to_json(), "breaks": bad}
        with pytest.raises(ValueError):
            Readings.from_json(data)
