"""The scoring command: labelled files are read right, floors gate the figures, peers are beaten."""

from __future__ import annotations

from pathlib import Path

import pytest
from paths import CORPUS

from corpustools.errors import InputError
from corpustools.evaluate import (
    check_floors,
    justext_paragraphs,
    read_corpus,
    read_labelled,
    run_corpustools,
    run_scoring,
    score_corpustools,
    score_peer,
    trafilatura_paragraphs,
)


def test_labelled_file_gives_back_the_raw_article(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text('+++\ntitle = "T"\nlanguage = "en"\n+++\nM Site\nT T\n\nP Text.\nB Share\n', "utf-8")
    article = read_labelled(path)
    assert article.raw_text == "Site\nT\n\nText.\nShare"
    assert [line.label for line in article.lines] == ["M", "T", "", "P", "B"]


def test_an_unknown_label_is_an_error_naming_the_line(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("+++\n+++\nX oops\n", "utf-8")
    with pytest.raises(InputError, match="line 1: unknown label 'X'"):
        read_labelled(path)


def test_floors_catch_a_regression(tmp_path: Path) -> None:
    floors = tmp_path / "floors.toml"
    floors.write_text("[floors]\nretention = 0.99\nremoval = 0.97\n", "utf-8")
    assert check_floors({"retention": 0.995, "removal": 0.98}, floors) == []
    assert check_floors({"retention": 0.98, "removal": 0.98}, floors) == ["retention = 0.9800 < 0.9900"]


@pytest.mark.parametrize(
    ("corpus", "floors"),
    [("dev", "floors.toml"), ("heldout", "heldout-floors.toml"), ("blind", "blind-floors.toml"), ("final", "final-floors.toml"), ("seeds", "seed-floors.toml")],
)
def test_every_labelled_corpus_holds_its_recorded_floors(corpus: str, floors: str) -> None:
    report, below = run_scoring(CORPUS / corpus, peers=False, floors=CORPUS / floors)
    assert below == [], report


@pytest.mark.parametrize("corpus", ["dev", "heldout", "blind", "final"])
def test_corpustools_is_ahead_of_justext_and_trafilatura(corpus: str) -> None:
    articles = read_corpus(CORPUS / corpus)
    ours = score_corpustools(articles, run_corpustools(articles))
    for extract in (justext_paragraphs, trafilatura_paragraphs):
        peer = score_peer(articles, extract)
        assert ours.retention >= peer.retention and ours.removal > peer.removal, (extract.__name__, peer.retention, peer.removal)


def test_a_publication_written_with_or_without_its_spaces_and_apostrophes_is_the_same_name() -> None:
    """aeb-dev's meta.json takes names from JSON-LD ("CTVNews"); the page prints "CTV News"."""
    from corpustools.pages import _is_right

    assert _is_right("publication", "CTV News", {"publication": "CTVNews"})
    assert _is_right("publication", "Barron's", {"publication": "Barrons"})
    assert not _is_right("publication", "CTV", {"publication": "CTVNews"})
    assert not _is_right("title", "Rain due", {"title": "Raindue"})  # only names of a publication
