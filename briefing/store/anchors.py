"""Text-quote anchors: make them, and find them again in a changed report.

A note remembers the exact passage plus about 32 characters either side and
the title of its section.  When the report changes (new sha256, same title)
the passage is looked for, in order: the exact quote (context tells duplicates
apart and the old section is preferred), the old context around a lightly
edited quote, then a fuzzy match inside the old section.  When nothing is good
enough the note is orphaned: never attached to a passage that merely looks alike.
"""

from __future__ import annotations

from difflib import SequenceMatcher

from briefing.model import Quote, Report, Section
from briefing.records import Frozen, record, set_field

CONTEXT = 32
# An exact quote this long that occurs once in the report, with some context,
# is the same passage even outside its old section.
UNIQUE_EXACT_LEN = 12
# Context characters that must agree before a short or repeated quote is taken.
MIN_CONTEXT = 6
EDITED_MIN_RATIO = 0.6
FUZZY_MIN_RATIO = 0.75
FUZZY_MIN_LEN = 8


class AnchorError(ValueError):
    """A section or passage that the user asked for is not in the report."""


@record
class Anchor(Frozen):
    """Where a passage is now: ``exact == report.section(section).text[start:end]``.

    A frozen dataclass with its methods written out, as the model's: the store
    imports this module at every start, and ``@dataclass(frozen=True)``
    compiled six methods from source (~1 ms)."""

    section: str
    start: int
    end: int
    quote: Quote
    method: str  # "same", "exact", "context", "fuzzy"

    def __init__(self, section: str, start: int, end: int, quote: Quote, method: str) -> None:
        set_field(self, "section", section)
        set_field(self, "start", start)
        set_field(self, "end", end)
        set_field(self, "quote", quote)
        set_field(self, "method", method)


def make_quote(text: str, start: int, end: int, context: int = CONTEXT) -> Quote:
    """The quote anchor of ``text[start:end]`` with context from the same section."""
    return Quote(
        exact=text[start:end],
        prefix=text[max(0, start - context) : start],
        suffix=text[end : end + context],
    )


def locate(
    section: Section, quote: str | None, start: int | None, end: int | None
) -> tuple[int, int]:
    """Offsets of a new note's passage; ``AnchorError`` if they are not in the section.

    A quote is looked for at or after ``start`` (first occurrence otherwise);
    with neither, the whole section is meant.
    """
    text = section.text
    if quote is not None:
        if not quote:
            raise AnchorError("the quote is empty")
        at = text.find(quote, start or 0) if start is not None else text.find(quote)
        if at < 0 and start is not None:
            at = text.find(quote)
        if at < 0:
            shown = quote if len(quote) <= 40 else quote[:40] + "…"
            raise AnchorError(f"“{shown}” is not in section {section.id} ({section.label})")
        return at, at + len(quote)
    if start is None and end is None:
        if not text:
            raise AnchorError(f"section {section.id} has no text to annotate")
        return 0, len(text)
    if start is None or end is None:
        raise AnchorError("give both a start and an end offset, or neither")
    if not 0 <= start < end <= len(text):
        raise AnchorError(
            f"offsets {start}..{end} are outside section {section.id} (0..{len(text)})"
        )
    return start, end


def _common_tail(a: str, b: str) -> int:
    n = 0
    for x, y in zip(reversed(a), reversed(b), strict=False):
        if x != y:
            break
        n += 1
    return n


def _common_head(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _home_sections(report: Report, section_id: str, section_title: str) -> list[Section]:
    """The sections that are "the old place": same title first, else the same id."""
    homes = [s for s in report.sections if section_title and s.title == section_title]
    if not homes and report.has_section(section_id):
        same = report.section(section_id)
        if not section_title or not same.title or similar(same.title, section_title) >= 0.6:
            homes = [same]
    return homes


def similar(a: str, b: str) -> float:
    """difflib's ratio without the autojunk heuristic (it misjudges CJK text)."""
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def _anchor(section: Section, start: int, end: int, method: str) -> Anchor:
    return Anchor(section.id, start, end, make_quote(section.text, start, end), method)


def reanchor(
    report: Report,
    section_id: str,
    section_title: str,
    quote: Quote,
    start: int,
    end: int,
) -> Anchor | None:
    """Find a stored passage in ``report``; ``None`` means orphaned."""
    exact = quote.exact
    if not exact:
        return None
    if report.has_section(section_id):
        here = report.section(section_id)
        if here.text[start:end] == exact and (
            not section_title or here.title == section_title or not here.title
        ):
            return _anchor(here, start, end, "same")
    homes = _home_sections(report, section_id, section_title)
    return (
        _by_exact(report, homes, quote, start)
        or _by_context(report, homes, quote)
        or _by_fuzzy(homes, quote, start)
    )


def _by_exact(report: Report, homes: list[Section], quote: Quote, old_start: int) -> Anchor | None:
    """Every occurrence of the exact quote, judged by the context that still agrees.

    In the old section some agreeing context (or being the only occurrence) is
    enough.  Elsewhere both sides must agree, or the quote must be long, unique
    and carry some context: a short phrase in a different place is a look-alike.
    """
    exact = quote.exact
    home_ids = {s.id for s in homes}
    found: list[tuple[tuple[int, int, int], Section, int, int, int]] = []
    for section in report.sections:
        text = section.text
        at = text.find(exact)
        while at >= 0:
            stop = at + len(exact)
            before = _common_tail(text[max(0, at - CONTEXT) : at], quote.prefix)
            after = _common_head(text[stop : stop + CONTEXT], quote.suffix)
            # An empty stored side means "at the edge of the section"; agree if so.
            if not quote.prefix and at == 0:
                before = MIN_CONTEXT
            if not quote.suffix and stop == len(text):
                after = MIN_CONTEXT
            key = (before + after, int(section.id in home_ids), -abs(at - old_start))
            found.append((key, section, at, before, after))
            at = text.find(exact, at + 1)
    found.sort(key=lambda item: item[0], reverse=True)
    for index, ((context, at_home, _), section, at, before, after) in enumerate(found):
        if index + 1 < len(found):
            (runner, runner_home, _) = found[index + 1][0]
            if (runner, runner_home) == (context, at_home) and context < MIN_CONTEXT:
                return None  # two equally weak candidates: we cannot tell which was meant
        if at_home:
            ok = context >= MIN_CONTEXT or len(found) == 1
        else:
            ok = (before >= MIN_CONTEXT and after >= MIN_CONTEXT) or (
                len(found) == 1 and len(exact) >= UNIQUE_EXACT_LEN and context >= MIN_CONTEXT
            )
        if ok:
            return _anchor(section, at, at + len(exact), "exact")
    return None


def _by_context(report: Report, homes: list[Section], quote: Quote) -> Anchor | None:
    """The old prefix and suffix still there, with a lightly edited passage between.

    An empty prefix (suffix) means the passage began (ended) its section, which
    only identifies a place inside the old section.  Elsewhere both sides must
    carry enough context to be trusted.
    """
    prefix, suffix, exact = quote.prefix, quote.suffix, quote.exact
    best: tuple[float, Section, int, int] | None = None
    for section in homes + [s for s in report.sections if s not in homes]:
        at_home = section in homes
        if not at_home and (len(prefix) < MIN_CONTEXT or len(suffix) < MIN_CONTEXT):
            continue
        text = section.text
        begins = _prefix_ends(text, prefix) if prefix else [0]
        for begin in begins:
            if suffix:
                probe = suffix[:16]
                stop = text.find(probe, begin)
                if stop < 0 or stop > begin + 2 * len(exact) + 16:
                    continue
            else:
                stop = len(text)
            if stop <= begin:
                continue
            ratio = similar(exact, text[begin:stop])
            if ratio < EDITED_MIN_RATIO:
                continue
            score = ratio + (0.05 if at_home else 0.0)
            if best is None or score > best[0]:
                best = (score, section, begin, stop)
    if best is None:
        return None
    _, section, begin, stop = best
    return _anchor(section, begin, stop, "context")


def _prefix_ends(text: str, prefix: str) -> list[int]:
    """Offsets just after each occurrence of the prefix's last characters."""
    probe = prefix[-16:]
    ends = []
    at = text.find(probe)
    while at >= 0:
        ends.append(at + len(probe))
        at = text.find(probe, at + 1)
    return ends


def _by_fuzzy(homes: list[Section], quote: Quote, old_start: int) -> Anchor | None:
    """A near-identical passage inside the old section, nearest the old place."""
    exact = quote.exact
    size = len(exact)
    if size < FUZZY_MIN_LEN:
        return None
    step = max(1, size // 8)
    rough: list[tuple[float, int, Section, int]] = []
    for section in homes:
        text = section.text
        for begin in range(0, max(1, len(text) - size // 2), step):
            matcher = SequenceMatcher(None, exact, text[begin : begin + size], autojunk=False)
            if matcher.quick_ratio() < FUZZY_MIN_RATIO:
                continue
            ratio = matcher.ratio()
            if ratio >= FUZZY_MIN_RATIO - 0.15:
                rough.append((ratio, -abs(begin - old_start), section, begin))
    rough.sort(key=lambda item: (item[0], item[1]), reverse=True)
    best: tuple[float, int, Section, int, int] | None = None
    for _, _, section, begin in rough[:3]:
        ratio, start, stop = _refine(exact, section.text, begin, step)
        key = (ratio, -abs(start - old_start))
        if best is None or key > (best[0], best[1]):
            best = (ratio, key[1], section, start, stop)
    if best is None or best[0] < FUZZY_MIN_RATIO:
        return None
    _, _, section, start, stop = best
    return _anchor(section, start, stop, "fuzzy")


def _refine(exact: str, text: str, near: int, step: int) -> tuple[float, int, int]:
    """Best window around ``near``: start and length varied a little."""
    size = len(exact)
    spread = max(2, size // 5)
    best = (0.0, near, min(len(text), near + size))
    for begin in range(max(0, near - step), min(len(text), near + step + 1)):
        for length in range(max(1, size - spread), size + spread + 1):
            stop = min(len(text), begin + length)
            if stop <= begin:
                continue
            ratio = similar(exact, text[begin:stop])
            if ratio > best[0]:
                best = (ratio, begin, stop)
    return best
