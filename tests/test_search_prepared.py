"""The reading data's look-up tables, kept on disk (``search/prepared.py``).

A new report's readings in a fresh process must not pay pypinyin's import and the
tables' preparation again (~0.8 s of a first search); what is loaded must be
exactly what would be prepared, and a damaged or foreign file is never used.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from briefing.search import prepared
from briefing.search.readings import (
    _Engine,
    _engine_tables_valid,
    _import_common_tables,
    compute_readings,
    prepare_engine_tables,
)

pytest.importorskip("pypinyin")

SAMPLE = "银行的行长在行政服务中心重新调整了长江大桥的重量，法治政府建设。"


def test_engine_tables_read_back_are_the_tables_prepared():
    tables = prepare_engine_tables()
    loaded = prepared.decode(prepared.encode(tables))
    assert _engine_tables_valid(loaded)
    assert loaded == tables
    made, kept = _Engine(tables), _Engine(loaded)  # type: ignore[arg-type]
    assert made.heteronyms == kept.heteronyms
    assert made.exceptions(SAMPLE) == kept.exceptions(SAMPLE)
    assert [made.first(ch) for ch in SAMPLE] == [kept.first(ch) for ch in SAMPLE]


def test_common_tables_read_back_are_pypinyin_dicts():
    tables = _import_common_tables()
    assert prepared.decode(prepared.encode(tables)) == tables


@pytest.mark.parametrize(
    "value",
    [
        (frozenset(), frozenset({"a\x00b", "c"}), {1, 2}, "x"),
        (frozenset({""}),),
        (frozenset({"", "法"}), frozenset({"法", "法治"}), {"k": (1, "v")}),
        ({"k": 1},),
        (),
        5,
        None,
        [1, frozenset({"a"})],
    ],
)
def test_values_read_back_as_written_sets_as_frozensets(value):
    def expected(item: object) -> object:
        return frozenset(item) if isinstance(item, set) else item

    want = tuple(map(expected, value)) if type(value) is tuple else value
    assert prepared.decode(prepared.encode(value)) == want


def test_sets_are_not_written_as_marshal_sets():
    """marshal sorts a set's items to write it (3.11+): 0.4 s for the phrase tables."""
    import marshal

    data = prepared.encode((frozenset({"法治", "政府"}), {1, 2}, {"x": frozenset({"y"})}))
    kinds, items = marshal.loads(data[len(prepared.MAGIC) + 8 :])
    assert kinds == "jsv"
    assert not any(isinstance(item, (set, frozenset)) for item in items[:2])


def test_tables_are_built_once_then_loaded(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path))
    built: list[int] = []

    def build() -> tuple[dict[str, int], frozenset[str]]:
        built.append(1)
        return {"法治": 1}, frozenset({"法"})

    def valid(value: object) -> bool:
        return prepared.is_tuple_of(value, dict, frozenset)

    first = prepared.load_or_build("t", "k1", build, valid)
    again = prepared.load_or_build("t", "k1", build, valid)
    assert first == again == ({"法治": 1}, frozenset({"法"}))
    assert built == [1]
    prepared.load_or_build("t", "k2", build, valid)  # another version: its own file
    assert built == [1, 1]


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[:-7],  # cut short
        lambda data: data[:-1] + bytes([data[-1] ^ 0xFF]),  # a byte changed
        lambda data: b"not a tables file at all",
        lambda data: b"",
        lambda data: prepared.encode(("a", "tuple", "of", "the", "wrong", "shape")),
        lambda data: prepared.encode(None),
    ],
)
def test_a_damaged_or_foreign_file_is_rebuilt(tmp_path, monkeypatch, damage):
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path))
    built: list[int] = []

    def build() -> tuple[dict[str, int], int]:
        built.append(1)
        return {"x": 1}, 2

    def valid(value: object) -> bool:
        return prepared.is_tuple_of(value, dict, int)

    prepared.load_or_build("t", "k", build, valid)
    path = prepared.tables_path("t", "k")
    path.write_bytes(damage(path.read_bytes()))
    assert prepared.load_or_build("t", "k", build, valid) == ({"x": 1}, 2)
    assert built == [1, 1]
    assert prepared.decode(path.read_bytes()) == ({"x": 1}, 2)  # written again, whole


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes anywhere")
def test_a_read_only_cache_only_means_building_again(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path))
    tmp_path.chmod(0o500)
    try:
        value = prepared.load_or_build("t", "k", lambda: (1,), lambda v: True)
    finally:
        tmp_path.chmod(0o700)
    assert value == (1,)
    assert not (tmp_path / "tables").exists()


def test_a_cache_that_is_a_file_only_means_building_again(tmp_path, monkeypatch):
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(blocker))
    assert prepared.load_or_build("t", "k", lambda: (1,), lambda v: True) == (1,)


def _fresh_process(cache: Path, text: str) -> str:
    code = (
        "import sys\n"
        "from briefing.search.readings import compute_readings\n"
        f"r = compute_readings({text!r})\n"
        "print(repr((r.table, r.keys, r.positions.tobytes().hex(),"
        " sorted(r.common.items()), r.breaks.hex())))\n"
        "print('pypinyin' in sys.modules)\n"
    )
    env = {**os.environ, "BRIEFING_CACHE_DIR": str(cache)}
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.splitlines()


def test_a_fresh_process_computes_readings_without_importing_pypinyin(tmp_path):
    """Once the tables are on disk, a new report's readings come from them alone,
    and are the readings computed with pypinyin itself."""
    cache = tmp_path / "cache"
    first = _fresh_process(cache, SAMPLE)
    assert first[-1] == "True"  # the first process prepared the tables from pypinyin
    assert sorted(p.name.split("-")[0] for p in (cache / "tables").iterdir()) == [
        "common",
        "pinyin",
        "words",
    ]
    second = _fresh_process(cache, SAMPLE)
    assert second[-1] == "False"
    assert second[0] == first[0]
    here = compute_readings(SAMPLE)
    assert first[0] == repr(
        (
            here.table,
            here.keys,
            here.positions.tobytes().hex(),
            sorted(here.common.items()),
            here.breaks.hex(),
        )
    )
