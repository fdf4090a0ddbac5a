"""The readings cache: written once, loaded without pypinyin, corrupt files rebuilt."""

from __future__ import annotations

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
    return sorted(folder.glob("readings-*.bin")) if folder.exists() else []


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


def _damaged(data: bytes) -> list[bytes]:
    """Ways a good cache file goes bad: truncation, garbage, bit flips, other files."""
    head = len(cache_module.MAGIC) + 8
    return [
        b"",
        b"\xff\xfe not a cache",
        b"{}",
        b"[" * 100000,
        os.urandom(4096),
        cache_module.MAGIC,
        data[: head + 3],  # cut inside the header
        data[:-1],  # cut inside the payload
        data[:-2],
        data + b"\x00\x00",  # too long
        data[:head] + b"x" + data[head + 1 :],  # header changed under its CRC
        data[:-1] + bytes([data[-1] ^ 0xFF]),  # payload changed under its CRC
        cache_module.MAGIC + os.urandom(len(data)),
    ]


@pytest.mark.parametrize("case", range(13))
def test_damaged_cache_is_refused_and_rebuilt(cache_dir, case):
    report = small_report()
    load_index(report)
    (path,) = cache_files(cache_dir)
    garbage = _damaged(path.read_bytes())[case]
    path.write_bytes(garbage)
    assert load_index(report, build_if_missing=False) is None
    index = load_index(report)
    assert index is not None
    assert [m.text for m in index.search("fzzf")] == ["法治政府"]
    assert load_index(report, build_if_missing=False) is not None, "file rebuilt"


def test_every_damage_case_is_listed():
    assert len(_damaged(b"x" * 100)) == 13


def _encoded_with(report: Report, change) -> bytes:
    """A cache file whose checksums are right but whose content was ``change``d."""
    from briefing.search.index import joined_text
    from briefing.search.readings import compute_readings

    text = joined_text(report)
    readings = compute_readings(text)
    change(readings)
    return cache_module.encode_readings(text, readings)


def _bad_syllable(r):
    r.table[0] = ("", 3)


def _bad_tone(r):
    r.table[0] = ("fa", 9)


def _bad_key(r):
    r.keys[1] = ("法", 10_000)


def _key_beyond_table(r):
    r.positions[0] = len(r.keys)


def _bad_common(r):
    r.common["法"] = [10_000]


def _long_key_char(r):
    r.keys[1] = ("法治", 0)


@pytest.mark.parametrize(
    "change",
    [_bad_syllable, _bad_tone, _bad_key, _key_beyond_table, _bad_common, _long_key_char],
)
def test_inconsistent_cache_content_is_refused(cache_dir, change):
    report = small_report()
    load_index(report)
    (path,) = cache_files(cache_dir)
    path.write_bytes(_encoded_with(report, change))
    assert load_index(report, build_if_missing=False) is None
    assert [m.text for m in load_index(report).search("fzzf")] == ["法治政府"]


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
    assert out == "True 16 False False"  # 15 in sections, 1 in the title


def test_cached_load_imports_only_what_it_uses(cache_dir):
    """Loading is on the reader's start-up path: what only a save needs (``tempfile``
    and, through it, ``random``, ``shutil``, ``bz2``) is imported by the save, and
    the few short digests need no OpenSSL (``_hashlib``)."""
    load_index(briefing.load_report())
    out = _run(
        "import sys, briefing\n"
        "from briefing.search import load_index\n"
        "index = load_index(briefing.load_report(), build_if_missing=False)\n"
        "gone = ('tempfile', 'random', 'bz2', '_hashlib')\n"
        "print(index is not None, *(m in sys.modules for m in gone))\n",
        cache_dir,
    )
    assert out == "True False False False False"


@pytest.mark.parametrize("size", [0, 1, 64, 100_000, 2_000_000, 2_000_001])
def test_digests_are_sha256_whichever_module_makes_them(size):
    import hashlib

    from briefing.search import digest

    data = bytes(range(256)) * (size // 256) + b"x" * (size % 256)
    assert digest.sha256_hex(data) == hashlib.sha256(data).hexdigest()
    if digest._SHA256 is not None:
        assert digest._SHA256(data).hexdigest() == hashlib.sha256(data).hexdigest()


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


def test_breaks_round_trip_and_are_checked(cache_dir):
    from briefing.search.index import joined_text
    from briefing.search.readings import compute_readings

    report = small_report()
    text = joined_text(report)
    readings = compute_readings(text)
    readings.breaks = bytes(range(2 * ((len(text) >> 3) + 1)))  # two bitmaps
    raw = cache_module.encode_readings(text, readings)
    back = cache_module.decode_readings(raw, text)
    assert back.breaks == readings.breaks
    assert list(back.positions) == list(readings.positions)
    readings.breaks = b"\x01"  # wrong length for the text
    with pytest.raises(ValueError):
        cache_module.decode_readings(cache_module.encode_readings(text, readings), text)


def test_bitset_cache_is_bounded_in_bytes(monkeypatch):
    """A count of masks let a 19 MB report hold 155 MB of them: the bound is in bytes."""
    from briefing.search import index as index_module
    from briefing.search.index import _mask_bytes

    report = briefing.load_report()
    index = PinyinIndex.build(report)
    budget = 4 * ((index.size >> 3) + 32)  # room for about four masks
    monkeypatch.setattr(index_module, "_BIT_CACHE_BYTES", budget)
    monkeypatch.setattr(index_module, "_DERIVED_CACHE_BYTES", budget)
    made: list[int] = []
    remember = index._remember_bits

    def counting(key, mask, **kwargs):
        made.append(_mask_bytes(mask))
        remember(key, mask, **kwargs)

    monkeypatch.setattr(index, "_remember_bits", counting)
    expected = {}
    for query in ("xingzheng", "fazhizhengfu", "gongzuo", "jianshe", "zhifa", "anquan", "shehui"):
        expected[query] = PinyinIndex.build(report).search(query)
        assert index.search(query) == expected[query]
        held = sum(_mask_bytes(mask) for mask in index._bit_cache.values())
        assert held == index._bit_cache_bytes <= budget
        held = sum(_mask_bytes(mask) for mask in index._derived.values())
        assert held == index._derived_bytes <= budget
    assert sum(made) > 4 * budget, "the queries made more masks than the budgets hold"
    assert 1 <= len(index._bit_cache) + len(index._derived) < len(made)
    for query, hits in expected.items():  # evicted masks are rebuilt, not wrong
        assert index.search(query) == hits


def test_word_breaks_are_computed_and_cached(cache_dir):
    from briefing.search.index import joined_text
    from briefing.search.readings import compute_readings

    text = joined_text(small_report())
    readings = compute_readings(text)
    assert len(readings.breaks) == 2 * ((len(text) >> 3) + 1)  # words, words in compounds
    assert readings.breaks != b"\xff" * len(readings.breaks)  # some word has 2+ hanzi
    back = cache_module.decode_readings(cache_module.encode_readings(text, readings), text)
    assert back.breaks == readings.breaks
