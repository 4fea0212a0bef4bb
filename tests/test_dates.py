"""The date fast path (metadata.common_date) reads what dateparser reads (issue 15): on every
date line the pipeline meets in the labelled corpora and the synthetic corpus, and on every day,
month name and numeric form the fast path accepts."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from corpustools import metadata
from corpustools.pipeline import decode, read_article
from corpustools.rules import UserConfig, month_numbers, ruleset_for
from corpustools.synth import write_corpus

CORPUS = Path(__file__).parent / "corpus"


def dateparser_iso(candidate: str) -> str | None:
    """What parse_date gave before the fast path: dateparser's reading at its precision."""
    data = metadata._date_data(candidate)
    if data is None or data.date_obj is None:
        return None
    when = data.date_obj
    if data.period == "year":
        return f"{when.year:04d}"
    if data.period == "month":
        return f"{when.year:04d}-{when.month:02d}"
    return f"{when.year:04d}-{when.month:02d}-{when.day:02d}"


def disagreements(candidates: set[str]) -> list[tuple[str, str | None, str | None]]:
    found = []
    for candidate in sorted(candidates):
        fast = metadata.common_date(candidate)
        if fast is not None and fast != dateparser_iso(candidate):
            found.append((candidate, fast, dateparser_iso(candidate)))
    return found


@pytest.fixture(scope="module")
def corpus_date_lines(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    """Every candidate date line parse_date reads in the labelled and synthetic corpora."""
    seen: set[str] = set()
    original = metadata.common_date

    def spy(candidate: str) -> str | None:
        seen.add(candidate)
        return original(candidate)

    raw = tmp_path_factory.mktemp("synthetic")
    write_corpus(raw, 300, seed=0)
    ruleset = ruleset_for(UserConfig())
    metadata.common_date = spy  # type: ignore[assignment]
    try:
        for path in sorted(CORPUS.rglob("*.txt")) + sorted(raw.rglob("*.txt")):
            read_article(decode(path.read_bytes()), ruleset)
    finally:
        metadata.common_date = original  # type: ignore[assignment]
    return seen


def test_the_corpora_have_date_lines_the_fast_path_reads(corpus_date_lines: set[str]) -> None:
    read = [candidate for candidate in corpus_date_lines if metadata.common_date(candidate)]
    assert len(read) >= 100


def test_fast_path_agrees_with_dateparser_on_every_corpus_date_line(corpus_date_lines: set[str]) -> None:
    assert disagreements(corpus_date_lines) == []


def test_fast_path_agrees_with_dateparser_on_every_month_name() -> None:
    candidates = set()
    for name, day, year in itertools.product(month_numbers(), (1, 9, 13, 28, 29, 30, 31), (2019, 2020)):
        for form in ("{d} {m} {y}", "{d}. {m} {y}", "{m} {d}, {y}"):
            candidates.add(form.format(d=day, m=name, y=year))
            candidates.add(form.format(d=day, m=name.capitalize(), y=year))
    assert disagreements(candidates) == []


def test_fast_path_agrees_with_dateparser_on_numeric_dates() -> None:
    candidates = {
        f"{day:0{width}d}{separator}{month:0{width}d}{separator}{year}"
        for day, month in itertools.product(range(1, 33), range(1, 14))
        for separator, width, year in (("." , 2, 2021), ("/", 2, 2020), (".", 1, 2019))
    }
    assert disagreements(candidates) == []
