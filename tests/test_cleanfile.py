"""The cleaned text file: renders every part, parses back to the same text, honours hand edits."""

from __future__ import annotations

import pytest

from corpustools.cleanfile import article_text, parse, render
from corpustools.errors import CleanedFileError
from corpustools.pipeline import clean_text


def test_every_labelled_article_round_trips(every_document) -> None:
    assert len(every_document) == 80
    for document in every_document:
        back = parse(render(document), document.id)
        assert article_text(back) == article_text(document), document.id
        assert back.metadata.title.value == document.metadata.title.value
        assert [a.name for a in back.metadata.authors] == [a.name for a in document.metadata.authors]


def test_metadata_provenance_is_visible_in_the_header() -> None:
    text = render(clean_text("Valley Worker\n\nStrike at the depot\n\nIssue No. 214\n\n" + "The drivers walked out on Monday after the company cut their breaks, and the depot stood still. " * 3, "x"))
    header = text.split("\n+++\n")[0]
    assert 'publication = "Valley Worker"  # line 1 (rule metadata.site-line' in header
    assert 'issue = "214"  # line 5 (rule metadata.issue-line)' in header


def test_a_paragraph_that_looks_like_markup_is_escaped() -> None:
    document = clean_text("A title here\n\n# not a heading but a hashtag paragraph that the author wrote on purpose, ending here.")
    rendered = render(document)
    assert "\\# not a heading" in rendered
    assert article_text(parse(rendered)) == article_text(document)


def test_hand_edits_reach_the_document() -> None:
    rendered = render(clean_text("A title here\n\nThe first paragraph of the article, which is long enough to count as prose.", "x"))
    edited = rendered.replace('title = "A title here"', 'title = "A better title"').replace("The first paragraph", "The corrected first paragraph")
    document = parse(edited)
    assert document.metadata.title.value == "A better title"
    assert "The corrected first paragraph" in article_text(document)[1]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("no header at all\n", "must start with a '+++' metadata header"),
        ("+++\nid = \"x\"\n", "not closed by a '+++' line"),
        ("+++\nid = \"x\"\ntitle = \n+++\n", "not valid TOML"),
        ("+++\ntitle = \"t\"\n+++\n", "has no id"),
        ("+++\nid = \"x\"\nauthors = \"Ada\"\n+++\n", "authors must be a list"),
        ("+++\nid = \"x\"\n+++\n\n[source] — nobody\n", "[source] must follow a quotation"),
    ],
)
def test_broken_cleaned_files_are_named_errors(text: str, message: str) -> None:
    with pytest.raises(CleanedFileError) as error:
        parse(text, "clean/x.txt")
    assert message in str(error.value) and "clean/x.txt" in str(error.value)
