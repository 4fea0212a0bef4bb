"""The pipeline (pipeline.py) on one small hard-wrapped Markdown page: what the Document tells a
reader is numbered as an editor shows the raw file, though the stages read rejoined lines."""

from __future__ import annotations

from corpustools.pipeline import clean_text

PARAGRAPH = (
    "The ferry across the estuary stopped running in the spring, and for\n"
    "three months the villages on the far bank have been an hour's drive\n"
    "from the shops they could once see from their windows, the council\n"
    "said on Tuesday after a meeting that ran late into the evening.\n"
)
PAGE = (
    "# The ferry that stopped\n"
    "\n"
    "By Ada Example\n"
    "\n"
    + "\n".join([PARAGRAPH] * 5)
    + "\n"
    "Share on Facebook\n"
    "Subscribe to our newsletter\n"
    "© 2024 Example Media Ltd. All rights reserved.\n"
)
SOURCE = PAGE.split("\n")


def test_removals_name_the_source_lines_of_a_hard_wrapped_page() -> None:
    document = clean_text(PAGE, "ferry")
    assert any("rejoined" in change or "wrapped" in change for change in document.provenance.repairs), document.provenance.repairs
    for removal in document.removals:
        assert SOURCE[removal.line - 1].strip() == removal.text.strip()[: len(SOURCE[removal.line - 1].strip())]
    removed = {removal.text for removal in document.removals}
    assert {"Share on Facebook", "Subscribe to our newsletter"} <= removed


def test_decisions_and_value_sources_point_at_the_source_lines() -> None:
    document = clean_text(PAGE, "ferry", explain=True)
    non_blank = [number for number, line in enumerate(SOURCE, start=1) if line.strip()]
    assert {decision.line for decision in document.decisions} <= set(non_blank)
    byline = SOURCE.index("By Ada Example") + 1
    assert [author.name for author in document.metadata.authors] == ["Ada Example"]
    assert document.metadata.authors[0].source.startswith(f"line {byline} ")
