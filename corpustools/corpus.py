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


class LineCounts:
    """Per-source counts of articles containing each line, in bounded memory."""

    def __init__(self, max_entries: int = 2_000_000) -> None:
        self.max_entries = max_entries
        self.counts: dict[int, int] = {}
        self.articles = 0

    def add_article(self, source: str, lines: Iterable[str]) -> None:
        """Count each distinct non-blank line of one article once."""
        keys = {line_key(source, text) for text in lines if text.strip() and len(text) <= LONGEST_COUNTED_LINE}
        counts = self.counts
        for key in keys:
            counts[key] = counts.get(key, 0) + 1
        self.articles += 1
        if len(counts) > self.max_entries:
            self.prune()

    def merge(self, other: LineCounts) -> None:
        """Add another chunk's counts (the reduce step of a parallel count)."""
        counts = self.counts
        for key, count in other.counts.items():
            counts[key] = counts.get(key, 0) + count
        self.articles += other.articles
        if len(counts) > self.max_entries:
            self.prune()

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
