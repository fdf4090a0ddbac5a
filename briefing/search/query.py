"""Query string -> normalised form and the syllable paths it can stand for.

A query is matched one report character at a time (see ``index.py``); this
module knows only about the query side: how users spell pinyin (``v``,
``u:`` or ``ü`` for ü, spaces and ``'`` as syllable boundaries, tone digits,
full-width letters) and which splits a pinyin string allows (``xian`` is
``xian`` or ``xi'an``). It never imports pypinyin, so it is cheap to load.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

#: Every toneless Mandarin syllable pypinyin knows (ü written ``v``).
_SYLLABLE_TEXT = """
    a ai an ang ao ba bai ban bang bao bei ben beng bi bian biang biao bie bin bing bo bong bu
    ca cai can cang cao ce cei cen ceng cha chai chan chang chao che chen cheng chi chong chou
    chu chua chuai chuan chuang chui chun chuo ci cong cou cu cuan cui cun cuo da dai dan dang
    dao de dei den deng di dia dian diao die din ding diu dong dou du duan dui dun duo e ei en
    eng er fa fan fang fei fen feng fiao fo fou fu ga gai gan gang gao ge gei gen geng gong gou
    gu gua guai guan guang gui gun guo ha hai han hang hao he hei hen heng hm hng hong hou hu
    hua huai huan huang hui hun huo ji jia jian jiang jiao jie jin jing jiong jiu ju juan jue
    jun ka kai kan kang kao ke kei ken keng kong kou ku kua kuai kuan kuang kui kun kuo la lai
    lan lang lao le lei len leng li lia lian liang liao lie lin ling liu lo long lou lu luan lun
    luo lv lve m ma mai man mang mao me mei men meng mi mian miao mie min ming miu mo mou mu n
    na nai nan nang nao ne nei nen neng ng ni nia nian niang niao nie nin ning niu nong nou nu
    nuan nun nuo nv nve o ou pa pai pan pang pao pei pen peng pi pian piao pie pin ping po pou
    pu qi qia qian qiang qiao qie qin qing qiong qiu qu quan que qun ran rang rao re ren reng
    ri rong rou ru rua ruan rui run ruo sa sai san sang sao se sen seng sha shai shan shang shao
    she shei shen sheng shi shou shu shua shuai shuan shuang shui shun shuo si song sou su suan
    sui sun suo ta tai tan tang tao te tei teng ti tian tiao tie ting tong tou tu tuan tui tun
    tuo wa wai wan wang wei wen weng wo wong wu xi xia xian xiang xiao xie xin xing xiong xiu xu
    xuan xue xun ya yan yang yao ye yi yin ying yo yong you yu yuan yue yun za zai zan zang zao
    ze zei zen zeng zha zhai zhan zhang zhao zhe zhei zhen zheng zhi zhong zhou zhu zhua zhuai
    zhuan zhuang zhui zhun zhuo zi zong zou zu zuan zui zun zuo
    """
SYLLABLES: frozenset[str] = frozenset(_SYLLABLE_TEXT.split())

#: Spellings people type for the same syllable (``lue`` for ``lve``).
SYLLABLE_ALIASES: dict[str, tuple[str, ...]] = {"lve": ("lue",), "nve": ("nue",)}
_ALIAS_SPELLINGS = frozenset(a for spellings in SYLLABLE_ALIASES.values() for a in spellings)

#: The boundary marker in a normalised query (spaces and ``'`` become this).
BOUNDARY = "'"
TONE_DIGITS = "012345"
_TWO_LETTER_INITIALS = ("zh", "ch", "sh")

_FUZZY_INITIALS = (("zh", "z"), ("ch", "c"), ("sh", "s"), ("n", "l"), ("f", "h"), ("r", "l"))
_FUZZY_FINALS = (("iang", "ian"), ("uang", "uan"), ("ang", "an"), ("eng", "en"), ("ing", "in"))

#: Letters a fuzzy initial may stand for (first letters only).
FUZZY_FIRST_LETTERS: dict[str, frozenset[str]] = {
    "n": frozenset("nl"),
    "l": frozenset("lnr"),
    "r": frozenset("rl"),
    "f": frozenset("fh"),
    "h": frozenset("hf"),
}


def initial_of(syllable: str) -> str:
    """The initial people abbreviate a syllable to: ``zh``/``ch``/``sh`` or its first letter."""
    if syllable[:2] in _TWO_LETTER_INITIALS:
        return syllable[:2]
    return syllable[:1]


def fuzzy_variants(syllable: str) -> frozenset[str]:
    """Spellings a fuzzy-pinyin user may type for ``syllable`` (itself excluded)."""
    heads = {syllable}
    for a, b in _FUZZY_INITIALS:
        for s in list(heads):
            if s.startswith(a):
                heads.add(b + s[len(a) :])
            elif s.startswith(b) and not s.startswith(a):
                # "z" must not turn the "z" of "zh" into "zhh".
                if b in ("z", "c", "s") and s.startswith(b + "h"):
                    continue
                heads.add(a + s[len(b) :])
    out = set(heads)
    for s in heads:
        for a, b in _FUZZY_FINALS:
            if s.endswith(a):
                out.add(s[: -len(a)] + b)
                break
            if s.endswith(b):
                out.add(s + a[len(b) :])
                break
    out.discard(syllable)
    return frozenset(out)


def normalize_query(query: str) -> str:
    """Fold a query to the form the matcher uses.

    NFKC (full-width ``ｆｚｚｆ`` -> ``fzzf``), lower case, ü/``u:`` -> ``v``,
    tone marks -> tone digits (``fǎzhì`` -> ``fa3zhi4``), Traditional hanzi ->
    Simplified (``script.py``), runs of spaces and ``'`` -> one boundary marker,
    control characters dropped, boundaries at either end stripped. Never raises.
    """
    return query_forms(query)[0]


def query_forms(query: str) -> list[str]:
    """``normalize_query(query)`` first, then the other ways a tone-marked query can be
    split into syllables (``píngān``: ping2an1 as well as pin2gan1); at most four."""
    if not isinstance(query, str):
        return [""]
    text = unicodedata.normalize("NFKC", query.replace("ü", "v").replace("Ü", "v")).lower()
    text = text.replace("u:", "v").replace("ü", "v")
    if text.isascii():
        return [_finish(text)]
    out: list[str] = []
    for variant in _tone_marks_to_digits(text):
        form = _finish(variant)
        if form not in out:
            out.append(form)
    return out


def _finish(text: str) -> str:
    """Boundaries, control characters and the script fold of ``normalize_query``."""
    out: list[str] = []
    for ch in text:
        if ch.isspace() or ch in "'’‘":
            if out and out[-1] != BOUNDARY:
                out.append(BOUNDARY)
        elif unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn"):
            continue
        else:
            out.append(ch)
    folded = "".join(out).strip(BOUNDARY)
    if folded.isascii():
        return folded
    from briefing.search.script import to_simplified

    return to_simplified(folded)


#: Combining marks of Hanyu Pinyin and the tone each stands for.
_MARK_TONES = {"\u0304": 1, "\u0301": 2, "\u030c": 3, "\u0300": 4}
_VOWELS = "aeiouv"


def _tone_marks_to_digits(text: str) -> list[str]:
    """``fǎzhì`` -> ``[fa3zhi4]``: tone marks become the digit after their syllable.

    A mark sits on a vowel inside the syllable while a digit follows it, so each
    run of letters that carries marks is split into syllables (each with at most
    one mark). The split a writer of pinyin means comes first: the fewest
    syllables that begin with a vowel after the first (standard spelling writes
    ``fāng'àn`` with an apostrophe), then the fewest pieces; the other splits
    follow (people leave the apostrophe out: ``píngān``), at most four in all.
    A run that cannot be split loses its marks and keeps its letters.
    """
    letters: list[str] = []
    tones: list[int] = []  # per letter: 0, or the tone of a mark on it
    for ch in text:
        base = unicodedata.normalize("NFD", ch)
        head = base[:1]
        marks = [_MARK_TONES[m] for m in base[1:] if m in _MARK_TONES]
        if (
            len(base) > 1
            and "a" <= head <= "z"
            and all(m in _MARK_TONES or m == "\u0308" for m in base[1:])
        ):
            letters.append("v" if "\u0308" in base and head == "u" else head)
            tones.append(marks[0] if marks else 0)
        elif ch == "ê":
            letters.append("e")
            tones.append(0)
        else:
            letters.append(ch)
            tones.append(0)
    if not any(tones):
        return ["".join(letters)]
    forms = [""]
    k = 0
    while k < len(letters):
        if not is_pinyin_letter(letters[k]):
            forms = [f + letters[k] for f in forms]
            k += 1
            continue
        end = k
        while end < len(letters) and is_pinyin_letter(letters[end]):
            end += 1
        pieces = _split_marked("".join(letters[k:end]), tones[k:end])
        forms = [f + p for f in forms for p in pieces][:_MAX_FORMS]
        k = end
    return forms


_MAX_FORMS = 4
_INTERJECTIONS = frozenset({"m", "n", "ng", "hm", "hng"})


_ALL_PREFIXES: frozenset[str] | None = None


def _split_marked(run: str, tones: list[int]) -> list[str]:
    """One run of letters with its marks -> its splits with tone digits, best first:
    the best split over syllables, initials and an unfinished last syllable, then
    the other splits into whole syllables."""
    if not any(tones):
        return [run]
    global _ALL_PREFIXES
    if _ALL_PREFIXES is None:
        _ALL_PREFIXES = frozenset(s[:k] for s in SYLLABLES for k in range(1, len(s) + 1))
    n = len(run)

    def pieces(j: int) -> Iterator[tuple[str, bool, int, str]]:
        """(piece, whole syllable?, cost, digit) for every piece that may start at ``j``."""
        for size in range(1, min(6, n - j) + 1):
            piece = run[j : j + size]
            if piece not in _ALL_PREFIXES:
                break
            marked = [t for t in tones[j : j + size] if t]
            if len(marked) > 1:
                break
            whole = piece in SYLLABLES or piece in _ALIAS_SPELLINGS
            if piece in _INTERJECTIONS and not marked:
                whole = False  # n, ng, m: syllables only when marked (ń, ňg)
            last = j + size == n
            if not whole and (marked or not (last or size == 1 or piece in _TWO_LETTER_INITIALS)):
                continue
            cost = 1 + (0 if whole else 3) + (5 if j and piece[0] in "aeo" else 0)
            yield piece, whole, cost, str(marked[0]) if marked else ""

    inf = (1 << 30, "")
    best: list[tuple[int, str]] = [inf] * (n + 1)
    best[0] = (0, "")
    for j in range(n):
        cost, text = best[j]
        if cost >= inf[0]:
            continue
        for piece, _, step, digit in pieces(j):
            candidate = (cost + step, text + piece + digit)
            if candidate[0] < best[j + len(piece)][0]:
                best[j + len(piece)] = candidate
    if best[n][0] >= inf[0]:
        return [run]
    others: list[tuple[int, str]] = []

    def walk(j: int, cost: int, text: str) -> None:
        if len(others) >= 8:
            return
        if j == n:
            others.append((cost, text))
            return
        for piece, whole, step, digit in pieces(j):
            if whole:
                walk(j + len(piece), cost + step, text + piece + digit)

    walk(0, 0, "")
    out = [best[n][1]]
    out.extend(text for _, text in sorted(others) if text != out[0])
    return out[:_MAX_FORMS]


def fold_char(ch: str) -> str:
    """How a report character compares with a query character (NFKC, lower case).

    Characters whose NFKC form is longer than one character stay as they are,
    so report offsets never shift.
    """
    folded = unicodedata.normalize("NFKC", ch).lower()
    return folded if len(folded) == 1 else ch


def is_pinyin_letter(ch: str) -> bool:
    return "a" <= ch <= "z"


def split_pinyin(text: str, syllables: Iterable[str] = SYLLABLES) -> list[list[str]]:
    """Every way to read ``text`` as whole syllables, initials and a last partial syllable.

    ``split_pinyin("xian")`` includes ``["xian"]`` and ``["xi", "an"]``. Used by tests and
    the help text; the matcher explores the same splits lazily, character by character.
    """
    q = normalize_query(text)
    syl = frozenset(syllables)
    prefixes = {s[:k] for s in syl for k in range(1, len(s) + 1)}
    results: list[list[str]] = []

    def walk(j: int, acc: list[str]) -> None:
        if len(results) >= 256:
            return
        if j == len(q):
            results.append(list(acc))
            return
        if q[j] == BOUNDARY:
            walk(j + 1, acc)
            return
        for length in range(6, 0, -1):
            piece = q[j : j + length]
            if len(piece) != length:
                continue
            end = j + length
            if piece in syl:
                if end < len(q) and q[end] in TONE_DIGITS:
                    walk(end + 1, [*acc, piece + q[end]])
                else:
                    walk(end, [*acc, piece])
            elif (
                (end == len(q) and piece in prefixes)
                or piece in _TWO_LETTER_INITIALS
                or (length == 1 and piece in prefixes)
            ):
                walk(end, [*acc, piece])

    walk(0, [])
    return results


@dataclass(frozen=True)
class QueryPlan:
    """What the report side needs to know about a query before scanning.

    ``steps[k]`` holds the symbols (first letters, digits) the k-th matched
    character must carry, for every character before the shortest multi-character
    completion; ``None`` marks a step that cannot be pre-filtered. ``best_multi``
    is the best flag set any multi-character match could reach (for pruning).
    """

    text: str
    single: bool
    multi: bool
    steps: tuple[frozenset[str] | None, ...]
    best_multi: float | None


# Flags a match accumulates, one per kind of step.
HANZI = 1  # a literal non-ASCII character (hanzi, punctuation)
LATIN = 2  # a literal ASCII letter, digit or sign
FULL = 4  # a whole syllable (or a partial last one longer than its initial)
INITIAL = 8  # only the initial of a syllable
ALT = 16  # a reading other than the context one
FUZZY = 32  # a fuzzy-pinyin spelling
PARTIAL = 64  # the last syllable was left unfinished
CROSS = 128  # a punctuation or space character inside the span
SPLIT = 256  # the span starts or ends inside a word
#: The span starts or ends between two one-character pieces of the segmentation
#: (一/是 in 一是切实, 营/商 in 营商环境): where a dictionary segmenter is least
#: sure, since words it does not know fall apart into single characters there;
#: or at the edge of a shorter word inside a compound (政府 in 市政府).
WEAK = 512


def plan_query(
    q: str,
    syllables: frozenset[str],
    prefixes: frozenset[str],
    latin: frozenset[str] = frozenset(),
    max_steps: int = 12,
    need_bound: bool = True,
) -> QueryPlan:
    """Walk the normalised query without the report: step symbols and reachable flags.

    ``syllables``/``prefixes`` are those of the report's readings (plus fuzzy
    spellings when fuzzy) and ``latin`` the ASCII letters the report contains:
    a superset of what any real match can use, so the plan never rules a hit out.
    Without ``need_bound`` the walk stops once the filter steps are known.
    """
    n = len(q)
    states: set[tuple[int, int]] = {(0, 0)}
    steps: list[frozenset[str] | None] = []
    single = False
    multi = False
    best_multi: float | None = None
    filtering = True
    k = 0
    while states:
        symbols: set[str] = set()
        unfilterable = False
        multi_before = multi
        reached: set[tuple[int, int]] = set()
        for j, flags in states:
            ch = q[j]
            if is_pinyin_letter(ch):
                if ch in latin or ch in prefixes:
                    symbols.add(ch)
                if ch in latin:
                    reached.add((j + 1, flags | LATIN))
                for length in range(1, 7):
                    piece = q[j : j + length]
                    if len(piece) < length or piece not in prefixes:
                        break
                    if piece in syllables:
                        end = j + length
                        if end < n and q[end] in TONE_DIGITS:
                            end += 1
                        reached.add((end, flags | FULL))
                    if j + length == n and length > 1:
                        init = 2 if piece[:2] in _TWO_LETTER_INITIALS else 1
                        if length > init:
                            reached.add((n, flags | FULL | PARTIAL))
                last = FULL | PARTIAL if flags & FULL and not flags & INITIAL else INITIAL
                if ch in prefixes:
                    reached.add((j + 1, flags | (last if j + 1 == n else INITIAL)))
                if q[j : j + 2] in _TWO_LETTER_INITIALS and q[j : j + 2] in prefixes:
                    reached.add((j + 2, flags | (last if j + 2 == n else INITIAL)))
            else:
                lit = LATIN if ch.isascii() else HANZI
                if ch == BOUNDARY or not ch.isalnum():
                    lit |= CROSS
                reached.add((j + 1, flags | lit))
                if ch.isascii() and ch.isalnum():
                    symbols.add(ch)
                else:
                    unfilterable = True
        states = set()
        for nj, nf in reached:
            if nj >= n:
                if k == 0:
                    single = True
                else:
                    multi = True
                    if best_multi is None or score_of(nf, k + 1) > best_multi:
                        best_multi = score_of(nf, k + 1)
                continue
            states.add((nj, nf))
            if q[nj] == BOUNDARY:
                states.add((nj + 1, nf))
        if filtering and not multi_before and k < max_steps and symbols:
            steps.append(None if unfilterable else frozenset(symbols))
            filtering = not unfilterable
        else:
            filtering = False
        k += 1
        if not filtering and not need_bound and states:
            multi = True  # unknown: let the scan decide
            break
    return QueryPlan(q, single, multi, tuple(steps), best_multi)


KIND_BASE = {
    "hanzi": 60.0,
    "latin": 58.0,
    "pinyin": 50.0,
    "mixed": 40.0,
    "initials": 30.0,
    "heteronym": 20.0,
    "fuzzy": 10.0,
}


def kind_of(flags: int) -> str:
    """The MatchKind a set of step flags amounts to."""
    if flags & FUZZY:
        return "fuzzy"
    if flags & ALT:
        return "heteronym"
    core = flags & (HANZI | LATIN | FULL | INITIAL)
    if core in (HANZI, HANZI | LATIN):
        return "hanzi"
    if core == LATIN:
        return "latin"
    if core == FULL:
        return "pinyin"
    if core == INITIAL:
        return "initials"
    return "mixed"


_SCORES: dict[tuple[int, int], float] = {}


def score_of(flags: int, length: int) -> float:
    """Kind first; then spans that do not cross punctuation, whole words, finished
    syllables, short spans."""
    key = (flags, length)
    score = _SCORES.get(key)
    if score is None:
        score = _SCORES[key] = _score(flags, length)
    return score


#: Within a kind, each step outweighs everything below it: not crossing
#: punctuation (4.0 > 2.2 + 0.5 + 1), then the word level (whole, then ``WEAK``,
#: then ``SPLIT``: 1.1 > 1/length's range, so a fragment of any length ranks below
#: a word of any length: 市 inside 城市 below 社会 inside 社会主义), then finished
#: syllables, then short spans. The sum stays under the 10 between kinds.
_NO_CROSS = 4.0
_WHOLE = 2.2
_WEAK_WORD = 1.1


def _score(flags: int, length: int) -> float:
    score = KIND_BASE[kind_of(flags)]
    if not flags & CROSS:
        score += _NO_CROSS
    if not flags & SPLIT:
        score += _WEAK_WORD if flags & WEAK else _WHOLE
    if not flags & PARTIAL:
        score += 0.5
    return round(score + 1.0 / max(length, 1), 6)


Constraint = tuple[str, str]  # ("eq", syllable) | ("pre", prefix) | ("lit", char)


_UPPER: dict[tuple[int, int], float] = {}


def upper_score(flags: int, length: int) -> float:
    """The best score a match can still reach with ``flags`` so far and at least ``length``
    characters (kinds are not monotone: initials + a full syllable is "mixed")."""
    key = (flags, length)
    best = _UPPER.get(key)
    if best is None:
        extra = (0, HANZI, LATIN, FULL, INITIAL)
        best = max(score_of(flags | a | b | c, length) for a in extra for b in extra for c in extra)
        _UPPER[key] = best
    return best


def _moves(
    q: str,
    j: int,
    flags: int,
    syllables: frozenset[str],
    prefixes: frozenset[str],
    latin: frozenset[str],
) -> list[tuple[Constraint, int, int]]:
    """Every way one report character can consume the query at ``j``:
    (constraint on that character, next query position, flags)."""
    n = len(q)
    ch = q[j]
    out: list[tuple[Constraint, int, int]] = []
    if not is_pinyin_letter(ch):
        lit = LATIN if ch.isascii() else HANZI
        if ch == BOUNDARY or not ch.isalnum():
            lit |= CROSS
        if ch.isascii() and ch.isalnum():
            out.append((("lit", ch), j + 1, flags | lit))
        else:
            out.append((("any", ""), j + 1, flags | lit))
        return out
    if ch in latin:
        out.append((("lit", ch), j + 1, flags | LATIN))
    last = FULL | PARTIAL if flags & FULL and not flags & INITIAL else INITIAL
    for length in range(1, 7):
        piece = q[j : j + length]
        if len(piece) < length or piece not in prefixes:
            break
        if piece in syllables:
            end = j + length
            if end < n and q[end] in TONE_DIGITS:
                end += 1
            out.append((("eq", piece), end, flags | FULL))
        if j + length == n and length > 1:
            init = 2 if piece[:2] in _TWO_LETTER_INITIALS else 1
            if length > init:
                out.append((("pre", piece), n, flags | FULL | PARTIAL))
    if ch in prefixes:
        out.append((("pre", ch), j + 1, flags | (last if j + 1 == n else INITIAL)))
    two = q[j : j + 2]
    if two in _TWO_LETTER_INITIALS and two in prefixes:
        out.append((("pre", two), j + 2, flags | (last if j + 2 == n else INITIAL)))
    return out


def constraint_paths(
    q: str,
    syllables: frozenset[str],
    prefixes: frozenset[str],
    latin: frozenset[str] = frozenset(),
    depth: int = 3,
    cap: int = 64,
) -> list[tuple[tuple[Constraint, ...], float]] | None:
    """The first ``depth`` characters of every multi-character way to read ``q``.

    Each item is (per-character constraints, the best score a hit following
    that path can reach, over all its completions). The index ANDs bitsets
    along each path and ORs the paths: a much tighter candidate filter than
    first letters alone, and scores that let a limited search stop early.
    ``None`` when there are more than ``cap`` paths (the caller falls back).
    """
    n = len(q)
    out: dict[tuple[Constraint, ...], float] = {}
    memo: dict[tuple[int, int, int], float] = {}
    overflow = False

    def best(j: int, flags: int, length: int) -> float:
        """Best final score from query position ``j`` after ``length`` characters."""
        key = (j, flags, length)
        if key in memo:
            return memo[key]
        if len(memo) > 20000 or n - j > 64:
            return upper_score(flags, length + 1)
        result = -1.0
        for _, k, f2 in _moves(q, j, flags, syllables, prefixes, latin):
            if k >= n:
                result = max(result, score_of(f2, length + 1))
                continue
            result = max(result, best(k, f2, length + 1))
            if q[k] == BOUNDARY:
                result = max(result, best(k + 1, f2, length + 1))
        memo[key] = result
        return result

    def emit(steps: tuple[Constraint, ...], score: float) -> None:
        nonlocal overflow
        if score < 0:
            return
        if steps in out:
            out[steps] = max(out[steps], score)
        elif len(out) >= cap:
            overflow = True
        else:
            out[steps] = score

    def walk(j: int, steps: tuple[Constraint, ...], flags: int) -> None:
        if overflow:
            return
        if len(steps) >= depth:
            emit(steps, best(j, flags, len(steps)))
            return
        if steps and steps[-1][0] == "any":
            emit(steps if len(steps) >= 2 else (*steps, ("any", "")), best(j, flags, len(steps)))
            return
        for constraint, k, f2 in _moves(q, j, flags, syllables, prefixes, latin):
            grown = (*steps, constraint)
            if k >= n:
                if len(grown) >= 2:
                    emit(grown, score_of(f2, len(grown)))
                continue
            walk(k, grown, f2)
            if q[k] == BOUNDARY:
                walk(k + 1, grown, f2)

    walk(0, (), 0)
    if overflow:
        return None
    return [(steps, score) for steps, score in out.items() if len(steps) >= 2]


def full_paths(
    q: str,
    syllables: frozenset[str],
    prefixes: frozenset[str],
    latin: frozenset[str] = frozenset(),
    max_len: int = 12,
    cap: int = 256,
) -> list[tuple[tuple[Constraint, ...], frozenset[int]]] | None:
    """Every multi-character way to read ``q`` to its end: the constraint on each
    character (as ``constraint_paths``) and the flags a reading along it ends with.

    Unlike ``constraint_paths`` a way is followed to the end, so its length is
    known: where a hit along it would end, hence whether it can end on a word
    boundary. ``None`` when that cannot be known for every way: the query has a
    boundary marker (which steps over any number of characters), a way is longer
    than ``max_len`` characters, or there are more than ``cap`` ways.
    """
    if BOUNDARY in q:
        return None
    n = len(q)
    out: dict[tuple[Constraint, ...], set[int]] = {}
    budget = [cap * 16]  # walk steps: a query may be read in very many ways

    def walk(j: int, steps: tuple[Constraint, ...], flags: int) -> bool:
        budget[0] -= 1
        if budget[0] < 0:
            return False
        for constraint, k, f2 in _moves(q, j, flags, syllables, prefixes, latin):
            grown = (*steps, constraint)
            if k >= n:
                if len(grown) >= 2:
                    out.setdefault(grown, set()).add(f2)
                    if len(out) > cap:
                        return False
            elif len(grown) >= max_len or not walk(k, grown, f2):
                return False
        return True

    if not walk(0, (), 0):
        return None
    return [(steps, frozenset(flags)) for steps, flags in out.items()]
