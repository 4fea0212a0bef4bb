"""Line labels for a real page, derived from its gold article text by alignment.

The benchmark marks the article body, not lines; the labeller learns from lines. A line is
article text when most of its word trigrams occur in the gold body; a line of one or two words
(a heading, a list item) when its words occur in the gold text in the gap its neighbours leave,
in reading order. Among the text lines, a whole gold paragraph that is short and unpunctuated
and followed by more text is a heading, a layout bullet is a list item. Outside the body, the
line that repeats the page's headline nearest above the text is the title, and a short line
naming the page's author near the top is the byline (the gold body holds neither).

The result is silver: on pages read by hand (tests/test_labeller.py) it agrees with a person on
the lines that matter; the ceiling it sets (keeping exactly its text lines) is printed by
`corpustools train --cross-validate`.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from ..model import LineLabel

TOKEN = re.compile(r"\w+")  # the benchmark's own tokenisation
MATCHED_SHARE = 0.5  # of a line's trigrams found in the gold body: the line is article text
LONGEST_HEADING = 12  # words
BYLINE_WINDOW = 10  # lines above the text searched for the title and byline
LONGEST_BYLINE = 14  # words


def tokens(text: str) -> list[str]:
    return TOKEN.findall(text.lower())


def align_labels(
    lines: Sequence[str], gold: str, meta: Mapping[str, Any] | None = None, bullets: Sequence[bool] = ()
) -> list[LineLabel]:
    """One label per line (blank lines get BOILERPLATE too; callers skip them)."""
    gold_tokens = tokens(gold)
    positions: dict[tuple[str, ...], list[int]] = {}
    for index in range(len(gold_tokens) - 2):
        positions.setdefault(tuple(gold_tokens[index : index + 3]), []).append(index)
    gold_lines = {" ".join(tokens(line)) for line in gold.split("\n") if line.strip()}
    line_tokens = [tokens(line) for line in lines]
    spans: list[tuple[int, int] | None] = [None] * len(lines)
    grams_of = [[tuple(words[index : index + 3]) for index in range(len(words) - 2)] for words in line_tokens]
    candidates = [
        number
        for number, grams in enumerate(grams_of)
        if grams and sum(1 for gram in grams if gram in positions) >= MATCHED_SHARE * len(grams)
    ]
    # The gold body holds each passage once; a page may repeat it (a teaser, a description in
    # the page's metadata). The copy among most other text lines takes it, in reading order.
    chosen = set(candidates)
    support = {number: sum(1 for other in range(number - 3, number + 4) if other != number and other in chosen) for number in candidates}
    budget = {gram: len(places) for gram, places in positions.items()}
    accepted = []
    for number in sorted(candidates, key=lambda number: (-support[number], number)):
        grams = grams_of[number]
        if sum(1 for gram in grams if budget.get(gram, 0) > 0) < MATCHED_SHARE * len(grams):
            continue
        for gram in grams:
            if budget.get(gram, 0) > 0:
                budget[gram] -= 1
        accepted.append(number)
    cursor = 0
    for number in sorted(accepted):
        # Where the line starts in the gold text: the start most of its trigrams agree on (a
        # trigram the text uses twice must not pull the line back to the earlier place).
        starts = Counter(
            _nearest_after(positions[gram], cursor + offset) - offset for offset, gram in enumerate(grams_of[number]) if gram in positions
        )
        start = max(starts.items(), key=lambda item: (item[1], -item[0]))[0]
        spans[number] = (start, start + len(line_tokens[number]))
        cursor = max(cursor, start)
    _short_lines(line_tokens, gold_tokens, spans)
    labels = [LineLabel.BOILERPLATE] * len(lines)
    text_lines = [number for number, span in enumerate(spans) if span is not None]
    for position, number in enumerate(text_lines):
        words = line_tokens[number]
        following = text_lines[position + 1] if position + 1 < len(text_lines) else None
        stripped = lines[number].strip()
        if bullets and bullets[number]:
            labels[number] = LineLabel.LIST_ITEM
        elif (
            len(words) <= LONGEST_HEADING
            and " ".join(words) in gold_lines
            and stripped[-1:] not in ".!?…:;,\"”’»)"
            and following is not None
        ):
            labels[number] = LineLabel.HEADING
        else:
            labels[number] = LineLabel.PARAGRAPH
    if text_lines and meta:
        _front_lines(lines, line_tokens, text_lines[0], meta, labels)
    return labels


def _nearest_after(places: Sequence[int], cursor: int) -> int:
    """The first place at or after the cursor (reading order), else the last place before it."""
    index = bisect_left(places, cursor)
    return places[index] if index < len(places) else places[-1]


def _short_lines(line_tokens: Sequence[list[str]], gold_tokens: Sequence[str], spans: list[tuple[int, int] | None]) -> None:
    """Lines of one or two words are text when they fill the gold gap between their neighbours."""
    for number, words in enumerate(line_tokens):
        if not words or len(words) >= 3 or spans[number] is not None:
            continue
        before = next((spans[other] for other in range(number - 1, -1, -1) if spans[other]), None)
        after = next((spans[other] for other in range(number + 1, len(spans)) if spans[other]), None)
        if before is None or after is None:
            continue
        gap_start, gap_end = before[1], after[0]
        if not 0 <= gap_end - gap_start <= 3 * len(words) + 2:
            continue
        window = list(gold_tokens[max(0, gap_start - 1) : gap_end + 1])
        if any(window[index : index + len(words)] == words for index in range(len(window) - len(words) + 1)):
            spans[number] = (gap_start, gap_start + len(words))


def _front_lines(
    lines: Sequence[str], line_tokens: Sequence[list[str]], first_text: int, meta: Mapping[str, Any], labels: list[LineLabel]
) -> None:
    """The headline nearest above the text is the title; a short line naming an author, the byline."""
    titles = [tokens(str(title)) for title in [meta.get("title"), *(meta.get("title_alt") or [])] if title]
    authors = [tokens(str(name)) for name in meta.get("authors") or [] if name]
    start = max(0, first_text - BYLINE_WINDOW)
    for number in range(first_text - 1, start - 1, -1):
        words = line_tokens[number]
        if words and any(words == title for title in titles):
            labels[number] = LineLabel.TITLE
            break
    for number in range(start, min(len(lines), first_text + 3)):
        words = line_tokens[number]
        if not words or len(words) > LONGEST_BYLINE or labels[number] != LineLabel.BOILERPLATE:
            continue
        if any(name and _contains(words, name) for name in authors):
            labels[number] = LineLabel.BYLINE


def _contains(words: Sequence[str], part: Sequence[str]) -> bool:
    return any(list(words[index : index + len(part)]) == list(part) for index in range(len(words) - len(part) + 1))
