"""Cross-document line counts: per source, in bounded memory, the same however the input is
chunked, with copies of one article counted once."""

from __future__ import annotations

from corpustools.corpus import LineCounts, normalise_line

FOOTER = "Printed and published by the Valley Press Cooperative"
ARTICLES = {
    "a.txt": ["Headline one", "The council met on Tuesday.", FOOTER],
    "b.txt": ["Headline two", "The mayor spoke on Wednesday.", FOOTER],
    "c.txt": ["Headline one", "The council met on Tuesday.", FOOTER],  # a copy of a.txt
    "d.txt": ["HEADLINE ONE", "The  council met on   Tuesday.", FOOTER],  # the same, respaced and in capitals
    "e.txt": ["Headline three", "The harbour reopened on Friday.", FOOTER],
}


def counted(chunks: list[list[str]]) -> LineCounts:
    """Count the articles chunk by chunk and merge in order, as batch.count_lines does."""
    total = LineCounts()
    for chunk in chunks:
        counts = LineCounts()
        for name in chunk:
            counts.add_article("valley", ARTICLES[name], name)
        total.merge(counts)
    return total


def test_a_copy_is_recorded_and_its_lines_are_not_counted_again() -> None:
    counts = counted([list(ARTICLES)])
    assert counts.duplicate_of("c.txt") == "a.txt" and counts.duplicate_of("d.txt") == "a.txt"
    assert counts.duplicate_of("b.txt") == "" and counts.duplicate_of("a.txt") == ""
    assert counts.count("valley", "The council met on Tuesday.") == 1  # its own article's body: seen once
    assert counts.count("valley", FOOTER) == 3  # a, b and e: the copies add nothing
    assert counts.articles == 5


def test_the_counts_do_not_depend_on_how_the_input_was_chunked() -> None:
    whole = counted([list(ARTICLES)])
    for chunks in ([["a.txt", "b.txt"], ["c.txt", "d.txt", "e.txt"]], [["a.txt"], ["b.txt"], ["c.txt"], ["d.txt"], ["e.txt"]]):
        split = counted(chunks)
        assert split.counts == whole.counts
        assert split.duplicates == whole.duplicates
        assert split.articles == whole.articles


def test_a_copy_of_a_copy_in_a_later_chunk_points_at_the_first_article() -> None:
    counts = LineCounts()
    first = LineCounts()
    first.add_article("valley", ARTICLES["a.txt"], "a.txt")
    later = LineCounts()
    later.add_article("valley", ARTICLES["c.txt"], "c.txt")  # first in its chunk, a copy overall
    later.add_article("valley", ARTICLES["d.txt"], "d.txt")  # a copy of c.txt within the chunk
    counts.merge(first)
    counts.merge(later)
    assert counts.duplicate_of("c.txt") == "a.txt" and counts.duplicate_of("d.txt") == "a.txt"
    assert counts.count("valley", "The council met on Tuesday.") == 1


def test_lines_are_the_same_up_to_case_spacing_and_numbers() -> None:
    assert normalise_line("  Issue No. 1817 ") == normalise_line("issue no.   1902")
    assert normalise_line("Issue No. 1817") != normalise_line("Issue No. 1817 out now")


def test_unnamed_articles_are_counted_without_duplicate_detection() -> None:
    counts = LineCounts()
    counts.add_article("valley", ARTICLES["a.txt"])
    counts.add_article("valley", ARTICLES["c.txt"])
    assert counts.count("valley", "The council met on Tuesday.") == 2
    assert counts.duplicates == {}
