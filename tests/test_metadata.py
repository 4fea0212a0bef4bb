"""Metadata: dates at their precision, bylines of many forms, site lines, languages."""

from __future__ import annotations

import pytest

from corpustools.clean import split_lines
from corpustools.evaluate import score_metadata
from corpustools.metadata import (
    author_from_standfirst,
    authors_from_byline,
    detect_language,
    find_header_lines,
    parse_date,
)


@pytest.mark.parametrize(
    ("text", "language", "iso"),
    [
        ("Sat 14 Sep 2002, 00:00 BST", "en", "2002-09-14"),
        ("October 2002", "en", "2002-10"),
        ("14/09/2002", "en", "2002-09-14"),
        ("2002-09-14", "en", "2002-09-14"),
        ("September 14, 2002", "en", "2002-09-14"),
        ("14. September 2002", "de", "2002-09-14"),
        ("14.09.2002, 09:30 Uhr", "de", "2002-09-14"),
        ("14 septembre 2002", "fr", "2002-09-14"),
        ("Publié le 3 mars 2021", "fr", "2021-03-03"),
        ("14 de septiembre de 2020", "es", "2020-09-14"),
        ("März 2019", "de", "2019-03"),
        ("Published 3 March 2021", "en", "2021-03-03"),
    ],
)
def test_dates_are_normalised_at_the_source_precision(text: str, language: str, iso: str) -> None:
    parsed = parse_date(text, language)
    assert parsed is not None and parsed.iso == iso


def test_an_ambiguous_numeric_date_is_flagged_in_english_but_not_in_german() -> None:
    assert parse_date("03/06/2021", "en").note == "day/month order ambiguous; read day first"
    assert parse_date("03.06.2021", "de").note == ""


@pytest.mark.parametrize("text", ["Issue No. 1817", "A Backward Economy", "Share this article", "The 2002 strike was long and bitter."])
def test_lines_that_are_not_only_a_date_are_not_dates(text: str) -> None:
    assert parse_date(text, "en") is None


@pytest.mark.parametrize(
    ("byline", "expected"),
    [
        ("By Ada Example", [("Ada Example", "")]),
        ("By Ada Example and Ben Sample", [("Ada Example", ""), ("Ben Sample", "")]),
        ("by Mordecai Levi, Cambridge Marxists", [("Mordecai Levi", "Cambridge Marxists")]),
        ("Von Jonas Reuter und Miriam Çelik", [("Jonas Reuter", ""), ("Miriam Çelik", "")]),
        ("Par Jeanne Exemple", [("Jeanne Exemple", "")]),
        ("Ruth Castellanos, Contributing Writer", [("Ruth Castellanos", "")]),
        ("Dr Helen Marsh (University of Calderbridge) and Dr Owen Pryce (Kestrel Field Institute)",
         [("Helen Marsh", "University of Calderbridge"), ("Owen Pryce", "Kestrel Field Institute")]),
    ],
)
def test_authors_from_bylines(byline: str, expected: list[tuple[str, str]]) -> None:
    assert [(a.name, a.affiliation) for a in authors_from_byline(byline, 1)] == expected


@pytest.mark.parametrize(
    ("standfirst", "name"),
    [
        ("Was Stalin the same as Hitler? Charlie Kimber replies", "Charlie Kimber"),
        ("Former market trader Denise Oduya argues that a decade of money missed the shops", "Denise Oduya"),
        ("Gerade ihre Lücken machen sie wertvoll, argumentiert die Historikerin Selma Yıldız.", "Selma Yıldız"),
        ("Le travail de nuit est parfois choisi, explique la sociologue Amandine Perret, qui a enquêté.", "Amandine Perret"),
    ],
)
def test_author_named_inside_a_standfirst(standfirst: str, name: str) -> None:
    found = author_from_standfirst(standfirst)
    assert found is not None and found[1] == name


def test_no_author_is_invented_from_a_plain_sentence() -> None:
    assert author_from_standfirst("The council replies to questions on Thursdays.") is None


def test_site_issue_and_date_lines_are_claimed_with_their_provenance() -> None:
    text = "Valley Worker\n\n\nStrike at the depot\n\nIssue No. 214\n\n" + "\n\n".join(
        ["The drivers walked out on Monday after the company cut their break times for the third time this year."] * 3
    ) + "\n\nThe Valley Worker is sold at the gate.\n\nSat 14 Sep 2002, 00:00 BST"
    header = find_header_lines(split_lines(text), set(), "en")
    assert header.publication.value == "Valley Worker"
    assert header.issue.value == "214" and header.issue.source.startswith("line 6")
    assert header.date.value == "2002-09-14" and header.date.original == "Sat 14 Sep 2002, 00:00 BST"
    assert set(header.claimed.values()) == {"metadata.site-line", "metadata.issue-line", "metadata.date-line"}


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("The drivers walked out on Monday after the company cut their break times again.", "en"),
        ("Die Fahrer legten am Montag die Arbeit nieder, nachdem die Firma die Pausen gekürzt hatte.", "de"),
        ("Les chauffeurs ont cessé le travail lundi après que l'entreprise a réduit leurs pauses.", "fr"),
    ],
)
def test_language_identification(text: str, code: str) -> None:
    assert detect_language(text).value == code


def test_every_metadata_field_reaches_its_target_on_the_dev_corpus(dev_articles, dev_documents) -> None:
    score = score_metadata(dev_articles, dev_documents)
    for name in ("title", "authors", "publication", "date", "issue", "language"):
        assert score.accuracy(name) >= 0.95, [error for error in score.errors if error.startswith(name)]
