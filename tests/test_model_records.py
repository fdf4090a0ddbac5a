"""The model's written-out methods (model.py) behave as ``@dataclass(frozen=True)``'s would.

Each class writes its ``__init__`` by hand so that importing the model compiles no
code; these checks keep the hand-written parameters in step with the fields.
"""

from __future__ import annotations

import dataclasses
import inspect
from pathlib import Path

import pytest

from briefing import model
from briefing.records import Frozen

RECORDS = [
    cls
    for cls in vars(model).values()
    if inspect.isclass(cls) and issubclass(cls, Frozen) and cls is not Frozen
]


def _value(field: dataclasses.Field) -> object:
    kind = str(field.type)
    if "Metadata" in kind:
        return model.Metadata(title="报告")
    if "Quote" in kind:
        return model.Quote("98.4%")
    if "Section" in kind:
        return (model.Section("1", 1, "一、", "总体", None, "一、总体"),)
    if "Path" in kind:
        return Path("r.txt")
    if kind.startswith("tuple"):
        return ()
    # Distinct values per field, so that a value assigned to the wrong field shows.
    if kind.startswith("float"):
        return 98.4 + len(field.name)
    if kind.startswith("int"):
        return 3 + len(field.name)
    if kind.startswith("bool"):
        return True
    return f"{field.name}的文本"


def test_every_record_is_found() -> None:
    names = {cls.__name__ for cls in RECORDS}
    assert {"Metadata", "Section", "Report", "Figure", "Match", "Note", "Bookmark"} <= names


@pytest.mark.parametrize("cls", RECORDS, ids=lambda cls: cls.__name__)
def test_init_takes_the_fields_in_order_with_their_defaults(cls: type) -> None:
    params = list(inspect.signature(cls.__init__).parameters.values())[1:]
    fields = [f for f in dataclasses.fields(cls) if f.init]
    assert [p.name for p in params] == [f.name for f in fields]
    for param, field in zip(params, fields, strict=True):
        missing = field.default is dataclasses.MISSING
        expected = inspect.Parameter.empty if missing else field.default
        assert param.default == expected, field.name


@pytest.mark.parametrize("cls", RECORDS, ids=lambda cls: cls.__name__)
def test_a_record_is_frozen_compared_hashed_shown_and_replaced(cls: type) -> None:
    values = {f.name: _value(f) for f in dataclasses.fields(cls) if f.init}
    record, same = cls(**values), cls(**values)
    for name, value in values.items():
        assert getattr(record, name) == value
    assert record == same and hash(record) == hash(same)
    shown = repr(record)
    assert shown.startswith(f"{cls.__name__}(")
    for field in dataclasses.fields(cls):
        assert (f"{field.name}=" in shown) == field.repr, field.name
    first = next(iter(values))
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(record, first, values[first])
    compared = [f.name for f in dataclasses.fields(cls) if f.init and f.compare]
    changed = dataclasses.replace(record, **{compared[-1]: None})
    assert changed != record and getattr(changed, compared[-1]) is None


def test_a_report_makes_its_id_index_only_after_a_few_lookups() -> None:
    """The reader's first paint looks up a few neighbouring sections: each is a
    scan of the ids near the last found (one C call), and the index from id to
    position is made only when whole scans go on, so far lookups stay linear."""
    meta = model.Metadata(title="t", publisher="", date="", index_no="", fields=())
    sections = tuple(
        model.Section(id=f"s{k}", level=1, number=str(k), title="", text="x", parent=None)
        for k in range(400)
    )
    report = model.Report(meta, sections, "0" * 64)
    assert report.index_of("s7") == 7 and report.position("nope") is None
    assert not report.has_section("nope") and report.has_section("s399")
    with pytest.raises(KeyError):
        report.index_of("nope")
    # Neighbours, all of them: no index.
    assert [report.index_of(f"s{k}") for k in range(400)] == list(range(400))
    assert report._order is None
    # Far apart, again and again: the index is made, and answers the same.
    far = [report.index_of(f"s{k}") for k in (0, 399) * model.Report._SCANS]
    assert far == [0, 399] * model.Report._SCANS
    assert report._order is not None and len(report._order) == 400
    assert report.section("s3") is sections[3] and report.position("nope") is None
    with pytest.raises(KeyError):
        report.section("nope")
    assert report == model.Report(meta, sections, "0" * 64)
