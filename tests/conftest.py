"""Shared fixtures: the labelled corpora, cleaned once per session."""

from __future__ import annotations

import pytest
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
def seed_articles() -> list[LabelledArticle]:
    return read_corpus(CORPUS / "seeds")


@pytest.fixture(scope="session")
def seed_documents(seed_articles: list[LabelledArticle]) -> dict[str, Document]:
    return run_corpustools(seed_articles)
