"""Cross-document line statistics: in how many articles of a source does a line occur?

Site boilerplate (a footer, a newsletter box) recurs word for word across a site's articles,
while article text does not. Counting happens in one pass over the input before cleaning.

Memory stays bounded: lines are stored as 64-bit hashes, and when the table grows past its
limit the lines seen in a single article are dropped (they can never be boilerplate by this
layer anyway). Counting runs over fixed chunks of the sorted input and the chunks are merged in
order, so the result is the same whether one process or many did the counting.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from functools import lru_cache

DIGITS = re.compile(r"\d+")
LONGEST_COUNTED_LINE = 2000  # characters; longer lines are article text or junk, never a footer


def normalise_line(text: str) -> str:
    """The form in which two lines count as 'the same': case, spacing and numbers ignored."""
    # " ".join(split()) is re.sub(r"\s+", " ", strip()) twice as fast: str.split and the regex \s
    # both use Unicode's whitespace, and case folding neither makes nor removes whitespace.
    return DIGITS.sub("0", " ".join(text.casefold().split()))


@lru_cache(maxsize=8192)
def line_key(source: str, text: str) -> int:
    """The hashed form of a line; cached because cleaning asks for each line's count up to three
    times (incremental check, corpus layer, site line) right after one another."""
    digest = hashlib.blake2b(f"{source}\0{normalise_line(text)}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


def text_key(lines: Iterable[str]) -> int:
    """The hashed form of a whole article: two scrapes of one article that differ only in
    spacing, case or numbers have the same key."""
    digest = hashlib.blake2b(digest_size=8)
    for text in lines:
        if text.strip():
            digest.update(normalise_line(text).encode())
            digest.update(b"\n")
    return int.from_bytes(digest.digest(), "big")


class LineCounts:
    """Per-source counts of articles containing each line, in bounded memory.

    An article that is a copy of one counted before (scrapes often hold the same page twice) is
    recorded as that article's duplicate and its lines are not counted again: otherwise every
    line of both copies would recur, and the corpus layer would take both bodies for site lines.
    """

    def __init__(self, max_entries: int = 2_000_000) -> None:
        self.max_entries = max_entries
        self.counts: dict[int, int] = {}
        self.articles = 0
        self.firsts: dict[int, str] = {}  # text key -> name of the first article with that text
        self.duplicates: dict[str, str] = {}  # name of a copy -> name of the first article
        self._lines_of: dict[int, frozenset[int]] = {}  # this chunk's articles' line keys, until merged

    def add_article(self, source: str, lines: Iterable[str], name: str = "") -> None:
        """Count each distinct non-blank line of one article once (a named copy: not at all)."""
        lines = list(lines)
        keys = frozenset(line_key(source, text) for text in lines if text.strip() and len(text) <= LONGEST_COUNTED_LINE)
        self.articles += 1
        if name:
            whole = text_key(lines)
            first = self.firsts.get(whole)
            if first is not None:
                self.duplicates[name] = first
                return
            self.firsts[whole] = name
            self._lines_of[whole] = keys
        counts = self.counts
        for key in keys:
            counts[key] = counts.get(key, 0) + 1
        if len(counts) > self.max_entries:
            self.prune()

    def merge(self, other: LineCounts) -> None:
        """Add a later chunk's counts (the reduce step of a parallel count, in input order)."""
        counts = self.counts
        uncounted: dict[int, int] = {}  # lines of the chunk's articles that copy an earlier chunk's
        renamed: dict[str, str] = {}
        for whole, name in other.firsts.items():
            first = self.firsts.get(whole)
            if first is None:
                self.firsts[whole] = name
                continue
            renamed[name] = first
            for key in other._lines_of.get(whole, ()):
                uncounted[key] = uncounted.get(key, 0) + 1
        self.duplicates.update(renamed)
        for name, first in other.duplicates.items():
            self.duplicates[name] = renamed.get(first, first)
        for key, count in other.counts.items():
            count -= uncounted.get(key, 0)
            if count:
                counts[key] = counts.get(key, 0) + count
        self.articles += other.articles
        if len(counts) > self.max_entries:
            self.prune()

    def duplicate_of(self, name: str) -> str:
        """The article that `name` is a copy of ("" if it is no copy)."""
        return self.duplicates.get(name, "")

    def prune(self) -> None:
        """Drop lines seen once; if that is not enough, drop the rarest until under the limit."""
        threshold = 1
        while len(self.counts) > self.max_entries:
            self.counts = {key: count for key, count in self.counts.items() if count > threshold}
            threshold += 1

    def count(self, source: str, text: str) -> int:
        return self.counts.get(line_key(source, text), 0)

    def decisions(self, source: str, lines: Iterable[str], min_articles: int) -> str:
        """A digest of which lines of an article recur in `min_articles` articles or more.

        Every use of the counts in cleaning asks exactly this of a line, so an unchanged article
        whose digest is unchanged would be cleaned the same again (incremental runs).
        """
        digest = hashlib.blake2b(digest_size=8)
        for number, text in enumerate(lines):
            if text.strip() and self.count(source, text) >= min_articles:
                digest.update(number.to_bytes(4, "big"))
        return digest.hexdigest()

    def __len__(self) -> int:
        return len(self.counts)
