"""A cheap necessary condition for a regex: words that any match must contain.

Matching every line against every boilerplate rule was the slowest part of cleaning: most
rules search the whole line (`\\b(support|donate|...)\\b`), and most lines match none. Before
the regex runs, a substring test on the lower-cased line asks whether the line holds at least
one word the pattern cannot match without. When it does not, the pattern cannot match, so the
regex is skipped; when it does, the regex decides as before. The result is always exactly what
`pattern.search` says: the needles are read off the parsed pattern, and case is compared the
way the regex engine compares it under IGNORECASE (including its extra equivalences, such as
long s and s), so a prefilter can only ever say "maybe" too often, never "no" wrongly.
"""

from __future__ import annotations

import _sre
import re
from collections.abc import Iterator
from functools import lru_cache
from re import _casefix  # type: ignore[attr-defined]
from re import _constants as C  # type: ignore[attr-defined]
from re import _parser as parser  # type: ignore[attr-defined]

Needles = tuple[str, ...]
LAST_CASED_CODE_POINT = 0x1F000  # no character above this has a case mapping (Unicode 15)


@lru_cache(maxsize=1)
def _canonical_table() -> dict[int, int]:
    """Every character mapped to one representative of the characters the regex engine treats
    as equal to it under IGNORECASE (its simple lower case, and the extra cases on top)."""
    extra: dict[int, tuple[int, ...]] = _casefix._EXTRA_CASES
    table: dict[int, int] = {}
    for code in range(LAST_CASED_CODE_POINT):
        if 0xD800 <= code <= 0xDFFF:
            continue
        lower = _sre.unicode_tolower(code)
        representative = min((lower, *extra.get(lower, ())))
        if representative != code:
            table[code] = representative
    return table


def fold(text: str) -> str:
    """`text` with each character replaced by its IGNORECASE representative."""
    if text.isascii():
        return text.lower()  # ASCII letters are the representatives of their own classes
    return text.translate(_canonical_table())


@lru_cache(maxsize=4096)
def needles_of(pattern: re.Pattern[str]) -> Needles | None:
    """Strings (folded) of which every match of `pattern` contains at least one; None if unknown."""
    try:
        parsed = parser.parse(pattern.pattern, pattern.flags)
    except (re.error, ValueError, TypeError, RecursionError):  # an unreadable pattern is not prefiltered
        return None
    if _anchored(list(parsed)):
        return None  # tried at the start of the line only: cheaper than any prefilter
    found = _required(list(parsed))
    if not found or "" in found:
        return None
    return tuple(sorted({fold(needle) for needle in found}))


def _anchored(items: list) -> bool:  # type: ignore[type-arg]
    """True when every match must start at the start of the text (`^...`, `^a|^b`)."""
    if not items:
        return False
    op, argument = items[0]
    if op is C.AT:
        return argument is C.AT_BEGINNING or argument is C.AT_BEGINNING_STRING
    if op is C.SUBPATTERN:
        return _anchored(list(argument[-1]))
    if op is C.BRANCH:
        return all(_anchored(list(branch)) for branch in argument[1])
    return False


def may_match(folded_line: str, needles: Needles | None) -> bool:
    return needles is None or any(map(folded_line.__contains__, needles))


def _required(sequence: list) -> set[str] | None:  # type: ignore[type-arg]
    """The best set of needles for a sequence of parsed items (all of which must match)."""
    candidates: list[set[str]] = []
    run: list[str] = []
    for op, argument in sequence:
        if op is C.LITERAL:
            run.append(chr(argument))
            continue
        if run:
            candidates.append({"".join(run)})
            run = []
        found: set[str] | None = None
        if op is C.SUBPATTERN:
            found = _required(list(argument[-1]))
        elif op is C.ATOMIC_GROUP:
            found = _required(list(argument))
        elif op is C.BRANCH:
            branches = [_required(list(branch)) for branch in argument[1]]
            found = None if any(branch is None for branch in branches) else set().union(*branches)  # type: ignore[arg-type]
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            low, _high, item = argument
            if low >= 1:
                found = _required(list(item))
        elif op is C.IN and all(kind is C.LITERAL for kind, _value in argument):
            found = {chr(value) for _kind, value in argument}
        # anything else (anchors, look-arounds, classes, back-references) gives no needle
        if found and "" not in found:
            candidates.append(found)
    if run:
        candidates.append({"".join(run)})
    if not candidates:
        return None
    return max(candidates, key=lambda needles: (min(map(len, needles)), -len(needles)))


NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")


class NonAsciiWindows:
    """`bool(pattern.search(text))`, searching only around the non-ASCII characters of `text`.

    For patterns of which every match holds a non-ASCII character and is at most `width`
    characters long, with no look-arounds (ftfy's mojibake test is one): a match then lies
    within `width - 1` characters of a non-ASCII character, so only those windows are searched,
    with `pattern.search(text, start, end)`, which sees the text exactly as a whole-text search
    does inside the window (`^` still means the start of the text). Patterns that do not
    qualify are searched whole.
    """

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        self.width = _window_width(pattern)

    def search(self, text: str) -> bool:
        if self.width is None:
            return self.pattern.search(text) is not None
        if text.isascii():
            return False
        reach = self.width - 1
        search = self.pattern.search
        start = end = -1
        for run in NON_ASCII_RUN.finditer(text):
            low, high = run.start() - reach, run.end() + reach
            if low > end:
                if end >= 0 and search(text, max(start, 0), end):
                    return True
                start = low
            end = high
        return end >= 0 and search(text, max(start, 0), end) is not None


def _window_width(pattern: re.Pattern[str]) -> int | None:
    """The longest match of `pattern` if it qualifies for NonAsciiWindows, else None."""
    if pattern.flags & (re.MULTILINE | re.IGNORECASE | re.ASCII):
        return None
    try:
        parsed = parser.parse(pattern.pattern, pattern.flags)
    except (re.error, ValueError, TypeError, RecursionError):
        return None
    items = list(parsed)
    branches = items[0][1][1] if len(items) == 1 and items[0][0] is C.BRANCH else [items]
    for branch in branches:
        if not any(_is_non_ascii(op, argument) for op, argument in branch):
            return None
    for op, argument in _walk(items):
        if op in (C.ASSERT, C.ASSERT_NOT, C.GROUPREF, C.GROUPREF_EXISTS) or (op is C.AT and argument is not C.AT_BEGINNING):
            return None
    width = parsed.getwidth()[1]
    return width if width < 100 else None


def _is_non_ascii(op: object, argument: object) -> bool:
    """A parsed item that can only match a non-ASCII character."""
    if op is C.LITERAL:
        return isinstance(argument, int) and argument > 0x7F
    if op is C.IN and isinstance(argument, list):
        return all(
            (kind is C.LITERAL and value > 0x7F) or (kind is C.RANGE and value[0] > 0x7F) for kind, value in argument
        )
    return False


def _walk(items: list) -> Iterator[tuple[object, object]]:  # type: ignore[type-arg]
    for op, argument in items:
        yield op, argument
        if op is C.BRANCH:
            for branch in argument[1]:
                yield from _walk(list(branch))
        elif op is C.SUBPATTERN:
            yield from _walk(list(argument[-1]))
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            yield from _walk(list(argument[2]))
        elif op is C.ATOMIC_GROUP:
            yield from _walk(list(argument))
