"""What a stored record must look like before anything is built from it.

The database is a plain JSON file: a sync program, an editor or an older
briefing may have put anything in it.  Each table has a checker that says
why a record does not fit (``None`` when it does).  A record that does not
fit is skipped with a warning and left in the file as it is: the user's data
is never dropped or rewritten because this version cannot read it.

Only the types are checked here.  Text that fits is still cleaned of
terminal controls where models are built (``annotations``), so what the CLI
prints and the reader draws never carries an escape sequence.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from operator import itemgetter
from typing import Any, NamedTuple

from briefing.i18n import _

Checker = Callable[[Any], "str | None"]

STATUSES = frozenset({"anchored", "moved", "orphaned"})
# How many bad records a warning names before it just counts the rest.
NAMED_IN_WARNING = 3


def _fields(
    doc: Any,
    *,
    required: tuple[str, ...] = (),
    text: tuple[str, ...] = (),
    ints: tuple[str, ...] = (),
) -> str | None:
    """Why ``doc`` is not a record with these fields, or ``None``.

    ``required`` fields must be text; the other ``text`` and ``ints`` fields
    may be missing or ``null``.  Run on every record of every parse, so it
    compares types exactly (JSON never makes subclasses).
    """
    if type(doc) is not dict:
        return _not_a_record(doc)
    for key in required:
        value = doc.get(key)
        if type(value) is not str:
            if value is None:
                return _("has no {field}").format(field=repr(key))
            return _("field {field} is not text").format(field=repr(key))
    for key in text:
        value = doc.get(key)
        if value is not None and type(value) is not str:
            return _("field {field} is not text").format(field=repr(key))
    for key in ints:
        value = doc.get(key)
        if value is not None and (type(value) is not int or value < 0):
            return _("field {field} is not a whole number").format(field=repr(key))
    status = doc.get("status")
    if status is not None and (type(status) is not str or status not in STATUSES):
        return _("field 'status' is not anchored, moved or orphaned")
    return None


_OPTIONAL_TEXT = ("report", "report_title", "section_title", "section_number")
_STAMPS = ("created", "updated")
_NOTE_TEXT = (*_OPTIONAL_TEXT, "text", *_STAMPS)
_BOOKMARK_TEXT = ("id", *_OPTIONAL_TEXT, *_STAMPS)
_QUOTE_KEYS = ("exact", "prefix", "suffix")


def check_note(doc: Any) -> str | None:
    reason = _fields(doc, required=("id", "section"), text=_NOTE_TEXT, ints=("start", "end"))
    if reason is None:
        quote = doc.get("quote")
        if quote is not None:
            if type(quote) is not dict:
                return _("field 'quote' is not a quote")
            for key in _QUOTE_KEYS:
                value = quote.get(key)
                if value is not None and type(value) is not str:
                    return _("field {field} is not text").format(field=repr(f"quote.{key}"))
    return reason


def check_bookmark(doc: Any) -> str | None:
    return _fields(doc, required=("section",), text=_BOOKMARK_TEXT)


def check_reading(doc: Any) -> str | None:
    return _fields(
        doc,
        required=("report", "section"),
        text=("report_title", "section_title", "updated"),
        ints=("paragraph",),
    )


def check_setting(doc: Any) -> str | None:
    """Settings are any JSON value under a text key (the reader checks each value)."""
    return _fields(doc, required=("key",), text=("updated",))


CHECKERS: Mapping[str, Checker] = {
    "notes": check_note,
    "bookmarks": check_bookmark,
    "reading_state": check_reading,
    "settings": check_setting,
}


def check_record(table: str, key: Any, doc: Any) -> str | None:
    """Why record ``key`` of ``table`` cannot be used (``None``: it can)."""
    try:
        int(key)
    except (TypeError, ValueError):
        return _("has an id that is not a number")
    checker = CHECKERS.get(table)
    if checker is None:
        return None if isinstance(doc, dict) else _not_a_record(doc)
    return checker(doc)


def _not_a_record(doc: Any) -> str:
    return _("is a {kind}, not a record").format(kind=type(doc).__name__)


_USUAL_NOTE = itemgetter(
    "id", "section", "report", "report_title", "section_title", "section_number", "text",
    "created", "updated", "start", "end", "status", "quote",
)  # fmt: skip
_USUAL_QUOTE = itemgetter("exact", "prefix", "suffix")


_USUAL_SIZE = 13  # the fields above, and no other
_QUOTE_SIZE = 3


def usual_note(key: Any, doc: Any) -> bool:
    """Whether ``doc`` is a note exactly as briefing writes it (then ``check_record`` passes).

    Every field there and no other, each of the type briefing writes: fetched
    in one C call and compared in one expression, a third faster than
    ``check_note``'s field-by-field loop (0.3 s of every command at 50,000
    notes).  Such a note holds no number but its two offsets, whole numbers
    (see ``Scan.floats``).  ``False`` says nothing: the full check decides
    and says why.
    """
    if type(doc) is not dict or type(key) is not str or not (key.isascii() and key.isdigit()):
        return False
    try:
        (note_id, section, report, title, section_title, number, text, created, updated,
         start, end, status, quote) = _USUAL_NOTE(doc)  # fmt: skip
        exact, prefix, suffix = _USUAL_QUOTE(quote)
    except (KeyError, TypeError):
        return False
    return (
        type(note_id) is str
        and type(section) is str
        and type(report) is str
        and type(title) is str
        and type(section_title) is str
        and type(number) is str
        and type(text) is str
        and type(created) is str
        and type(updated) is str
        and type(start) is int
        and type(end) is int
        and start >= 0
        and end >= 0
        and type(status) is str
        and status in STATUSES
        and type(quote) is dict
        and len(doc) == _USUAL_SIZE
        and len(quote) == _QUOTE_SIZE
        and type(exact) is str
        and type(prefix) is str
        and type(suffix) is str
    )


class Scan(NamedTuple):
    """What ``scan`` found.

    ``rejected[table]``: the keys to skip (a table that is not a table at all
    is rejected whole as ``"*"``); ``warnings``: one line per table;
    ``floats``: whether a number with a fraction or an exponent is anywhere
    in the data.  orjson reads an integer beyond 64 bits as such a number:
    only then must the storage look at the bytes again (``storage``).
    """

    rejected: dict[str, set[str]]
    warnings: list[str]
    floats: bool


def holds_float(value: Any) -> bool:
    """Whether a float is anywhere in ``value`` (a parsed JSON value; no recursion)."""
    stack = [value]
    pop, extend = stack.pop, stack.extend
    while stack:
        item = pop()
        kind = type(item)
        if kind is float:
            return True
        if kind is dict:
            extend(item.values())
        elif kind is list:
            extend(item)
        elif kind is not str and kind is not int and kind is not bool and item is not None:
            return True  # pragma: no cover - JSON makes nothing else: say "look again"
    return False


def scan(data: Mapping[str, Any], where: str) -> Scan:
    """The records of every table that do not fit, one warning line per table (``Scan``).

    A usual note (``usual_note``) is known to hold no float; every other
    record, fitting or not, is searched for one.
    """
    rejected: dict[str, set[str]] = {}
    warnings: list[str] = []
    floats = False
    for table, records in data.items():
        if not isinstance(records, dict):
            floats = floats or holds_float(records)
            rejected[table] = {"*"}
            warnings.append(
                _("{where}: table {table} is not a table; skipped and kept in the file").format(
                    where=where, table=_shown(table)
                )
            )
            continue
        bad: list[tuple[str, str]] = []
        usual = usual_note if table == "notes" else None
        for key, doc in records.items():
            if usual is not None and usual(key, doc):
                continue
            floats = floats or holds_float(doc)
            reason = check_record(table, key, doc)
            if reason is not None:
                bad.append((key, reason))
        if bad:
            rejected[table] = {key for key, _reason in bad}
            named = _("; ").join(f"#{_shown(k)} {r}" for k, r in bad[:NAMED_IN_WARNING])
            extra = len(bad) - NAMED_IN_WARNING
            more = _("; and {count} more").format(count=extra) if extra > 0 else ""
            skipped = (
                _(
                    "{where}: skipped 1 record of {table} that this version "
                    "cannot read (kept in the file): {named}{more}"
                )
                if len(bad) == 1
                else _(
                    "{where}: skipped {count} records of {table} that this version "
                    "cannot read (kept in the file): {named}{more}"
                )
            )
            warnings.append(
                skipped.format(
                    where=where, count=len(bad), table=_shown(table), named=named, more=more
                )
            )
    return Scan(rejected, warnings, floats)


def _shown(name: str) -> str:
    """A table or key name as it can be printed: controls stripped, kept short."""
    from briefing.text import strip_control

    clean = " ".join(strip_control(str(name)).split())
    return repr(clean if len(clean) <= 40 else clean[:39] + "…")
