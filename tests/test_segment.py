"""Segmentation: headings of many shapes, quotations, lists, front matter, breaks, signatures."""

from __future__ import annotations

from corpustools.evaluate import score_headings
from corpustools.model import BlockKind
from corpustools.pipeline import clean_text

# Distinct paragraphs: an article says each once (a page that repeats a line is showing a teaser).
PARAGRAPHS = [
    "The archive holds nineteen ledgers, and each one records the ships that entered the harbour that year.",
    "Most of the entries are in the same hand, which suggests a single clerk kept the books for decades.",
    "The cargo columns list timber, salt and wool, with the duty paid on each load beside the weight.",
    "In the winter months the harbour was often closed, and the ledgers fall silent for weeks at a time.",
    "A second set of accounts, kept by the harbour master himself, was found in the attic only in 1987.",
    "Comparing the two shows that the clerk rounded the duties down, perhaps to favour friends among the captains.",
]
PROSE = PARAGRAPHS[0]


def headings(text: str) -> list[tuple[str, int]]:
    found: list[tuple[str, int]] = []

    def walk(sections) -> None:
        for section in sections:
            if section.heading:
                found.append((section.heading, section.level))
            walk(section.subsections)

    walk(clean_text(text).sections)
    return found


def test_heading_shapes() -> None:
    text = "\n\n".join([PARAGRAPHS[0], "Total fabrication", PARAGRAPHS[1], "WHAT MANAGEMENT SAYS", PARAGRAPHS[2], "Why was it forgotten?", PARAGRAPHS[3], "The background:", PARAGRAPHS[4]])
    assert [h for h, _ in headings(text)] == ["Total fabrication", "WHAT MANAGEMENT SAYS", "Why was it forgotten?", "The background:"]


def test_numbered_headings_nest() -> None:
    text = "\n\n".join([PARAGRAPHS[0], "1. Introduction", PARAGRAPHS[1], "2. Data", "2.1 Sources", PARAGRAPHS[2], "2.2 Method", PARAGRAPHS[3], "3. Results", PARAGRAPHS[4]])
    assert headings(text) == [("1. Introduction", 1), ("2. Data", 1), ("2.1 Sources", 2), ("2.2 Method", 2), ("3. Results", 1)]
    document = clean_text(text)
    assert [section.heading for section in document.sections] == ["", "1. Introduction", "2. Data", "3. Results"]
    data = document.sections[2]
    assert [sub.heading for sub in data.subsections] == ["2.1 Sources", "2.2 Method"]


def test_a_sentence_ending_in_a_colon_introduces_a_quotation_and_is_no_heading() -> None:
    text = f"{PARAGRAPHS[0]}\n\nThe minister told parliament in 1922:\n\n“We took over the old machinery of state.” (Collected Works, Vol. 3)\n\n{PARAGRAPHS[1]}"
    document = clean_text(text)
    blocks = document.sections[0].blocks
    assert headings(text) == []
    assert blocks[1].kind == BlockKind.PARAGRAPH and blocks[1].lines == ("The minister told parliament in 1922:",)
    assert blocks[2].kind == BlockKind.QUOTE and blocks[2].attribution == "(Collected Works, Vol. 3)"


def test_lists_and_a_caps_lead_in_section_break() -> None:
    text = f"{PROSE}\n\n• Sort the ledgers\n• Photograph each page\n• Transcribe the dues\n\nWHO KEPT the books is another question, and the clerks' names are known from the wage lists."
    document = clean_text(text)
    first = document.sections[0]
    assert first.blocks[1].kind == BlockKind.LIST and first.blocks[1].lines == ("Sort the ledgers", "Photograph each page", "Transcribe the dues")
    assert len(document.sections) == 2 and document.sections[1].heading == ""


def test_front_matter_title_standfirst_byline_epigraph() -> None:
    text = (
        "The river that ran backwards\n\nFor three days in March the Vaudre flowed uphill, and nobody in the valley could say why it happened.\n\n"
        "By Ada Example and Ben Sample\n\n“Rivers remember.” – an old saying of the valley\n\n" + PROSE
    )
    document = clean_text(text)
    assert document.front.title == "The river that ran backwards"
    assert document.front.bylines == ("By Ada Example and Ben Sample",)
    assert document.front.epigraph is not None and document.front.epigraph.attribution == "– an old saying of the valley"
    assert [a.name for a in document.metadata.authors] == ["Ada Example", "Ben Sample"]


def test_a_closing_signature_with_place_and_date_names_the_author() -> None:
    document = clean_text(f"{PARAGRAPHS[0]}\n\n{PARAGRAPHS[1]}\n\nClaire Dumas\nLorvaux, janvier 2021")
    assert document.signature == ("Claire Dumas", "Lorvaux, janvier 2021")
    assert [a.name for a in document.metadata.authors] == ["Claire Dumas"]


def test_no_title_is_invented_when_the_text_opens_with_a_byline() -> None:
    document = clean_text(f"by Mordecai Levi, Cambridge Marxists\n\n{PROSE}")
    assert document.metadata.title.value == "" and "no title" in document.metadata.title.source


def test_heading_f1_on_the_dev_corpus(dev_articles, dev_documents) -> None:
    score = score_headings(dev_articles, dev_documents)
    assert score.f1 >= 0.95, score.errors


def test_the_first_line_of_a_hard_wrapped_sentence_is_no_title() -> None:
    """html2text wraps paragraphs at 78 columns: when the labeller drops the headline, the first
    kept line can be half a sentence whose end (a capitalised name) is on the next line."""
    from corpustools.model import Line
    from corpustools.segment import segment

    wrapped = ["Below, we look at the snap counts and the stats on defense for the Rovers of the", "Northern League after their game against the Harbour Town side on Sunday.", "", PROSE]
    found = segment([Line(number, text) for number, text in enumerate(wrapped, 1)])
    assert found.front.title == ""
    headline = ["A headline that runs long enough to need most of a wrapped line of text", "By Ada Example.", "", PROSE]
    assert segment([Line(number, text) for number, text in enumerate(headline, 1)]).front.title == headline[0]


def test_a_caps_lead_in_is_found_before_a_capitalised_word_too() -> None:
    # "A NEW book" was marked and "WHO WAS Stalin", "MUCH OF Amis’ book" were not: the pattern
    # wanted a lower-case word after the capitals.
    from corpustools.segment import caps_lead_in

    assert caps_lead_in("WHO WAS Stalin and what did he represent? Again the book does not say.") == "WHO WAS"
    assert caps_lead_in("MUCH OF Amis’ book describes the terrible events of the mid-1930s.") == "MUCH OF"
    assert caps_lead_in("A NEW book by the novelist has caused a storm.") == "A NEW"
    assert caps_lead_in("“THE STRIKE at the depot began at dawn,” she said.") == "THE STRIKE"
    assert caps_lead_in("NATO Secretary General Ada Example said the alliance would meet.") == ""  # one word: an acronym
    assert caps_lead_in("The archive holds nineteen ledgers.") == ""


def test_the_lead_in_is_recorded_in_the_document_and_read_back_from_the_cleaned_file() -> None:
    from corpustools.cleanfile import parse, render

    text = f"{PARAGRAPHS[0]}\n\nTotal fabrication\n\nWHO KEPT Ledgers in the harbour office is another question, and the clerks' names are known.\n\n{PARAGRAPHS[1]}"
    document = clean_text(text, "lead-in")
    blocks = [block for section in document.sections for block in section.blocks]
    assert [block.lead_in for block in blocks] == ["", "WHO KEPT", ""]
    read_back = parse(render(document))
    assert [block.lead_in for section in read_back.sections for block in section.blocks] == ["", "WHO KEPT", ""]


def test_a_quotation_of_two_paragraphs_stays_one_quotation() -> None:
    # Typography continues a quotation over paragraphs by reopening the mark on each and closing it
    # on the last only; it was a paragraph and a second, separate quotation.
    from corpustools.cleanfile import parse, render

    opened = "“The clerk kept the books for forty years. He rounded every duty down, and nobody asked him why."
    closed = "“When he died the harbour master found the second ledger, and the sums no longer agreed.”"
    for before in (PARAGRAPHS[0], "The harbour master wrote to the council:"):
        document = clean_text(f"{before}\n\n{opened}\n\n{closed}\n\n{PARAGRAPHS[1]}", "quote")
        kinds = [(block.kind, block.lines) for block in document.sections[0].blocks]
        assert kinds == [(BlockKind.PARAGRAPH, (before,)), (BlockKind.QUOTE, (opened, closed)), (BlockKind.PARAGRAPH, (PARAGRAPHS[1],))]
        assert parse(render(document)).sections == document.sections, "the cleaned file keeps it one quotation"
    # Opened after an introducing colon in the same paragraph: the introduction stays a paragraph.
    document = clean_text(f"{PARAGRAPHS[0]}\n\nThe harbour master wrote: {opened}\n\n{closed}\n\n{PARAGRAPHS[1]}", "quote")
    blocks = document.sections[0].blocks
    assert [(block.kind, block.lines) for block in blocks[1:3]] == [(BlockKind.PARAGRAPH, ("The harbour master wrote:",)), (BlockKind.QUOTE, (opened, closed))]
    # A quotation closed in its own paragraph is not continued by the next one.
    document = clean_text(f"{PARAGRAPHS[0]}\n\n{closed}\n\n{closed.replace('died', 'retired')}\n\n{PARAGRAPHS[1]}", "quote")
    assert [len(block.lines) for block in document.sections[0].blocks if block.kind == BlockKind.QUOTE] == [1, 1]


OMITTED = f"The harbour ledgers\n\n{PARAGRAPHS[0]}\n\nShare on Twitter\n\nShare on Facebook\n\n{PARAGRAPHS[1]}\n\nAdvertisement\n\n{PARAGRAPHS[2]}\n\nSubscribe to our newsletter\n\nCookie settings"


def test_lines_removed_from_inside_the_text_are_recorded_where_they_stood() -> None:
    # The TEI marked nothing where boilerplate was cut from between two paragraphs (and had a
    # gap reason="no-text" where nothing was). An omission is a block of its own: how many lines, what.
    from corpustools.cleanfile import parse, render

    document = clean_text(OMITTED, "omitted")
    blocks = [(block.kind, block.omitted, block.category) for block in document.sections[0].blocks]
    assert blocks == [
        (BlockKind.PARAGRAPH, 0, ""),
        (BlockKind.OMISSION, 2, "sharing"),
        (BlockKind.PARAGRAPH, 0, ""),
        (BlockKind.OMISSION, 1, "advertising"),
        (BlockKind.PARAGRAPH, 0, ""),
    ], "none after the last paragraph: the page's footer is no omission from the text"
    assert {removal.category.value for removal in document.removals} >= {"sharing", "advertising", "subscription", "consent"}
    cleaned = render(document)
    assert "\n\n[removed] 2 lines (sharing)\n\n" in cleaned and "\n\n[removed] 1 line (advertising)\n\n" in cleaned
    assert parse(cleaned).sections == document.sections


def test_a_removed_line_marker_a_person_mistyped_is_refused_at_its_line() -> None:
    import pytest

    from corpustools.cleanfile import parse, render
    from corpustools.errors import CleanedFileError

    cleaned = render(clean_text(OMITTED, "omitted"))
    line = cleaned.split("\n").index("[removed] 1 line (advertising)") + 1
    with pytest.raises(CleanedFileError, match=r"a \[removed\] line reads") as raised:
        parse(cleaned.replace("[removed] 1 line (advertising)", "[removed] one line (adverts)"))
    assert raised.value.line == line
