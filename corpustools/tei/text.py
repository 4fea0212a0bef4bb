"""The text of one article: front matter, sections, paragraphs, quotations, lists and the closer,
each citable part with an xml:id made from its position."""

from __future__ import annotations

from lxml import etree

from ..model import Block, BlockKind, Document, Quotation, Section
from ..rules import SHAPES
from .elements import XML_ID, add, xml_id

YEAR = SHAPES.year


def build_text(root: etree._Element, document: Document) -> None:
    """The <text>: front matter, the body's sections, the closer."""
    text_element = add(root, "text")
    _front(text_element, document)
    body = add(text_element, "body")
    prefix = xml_id(document.id)
    if document.sections:
        for index, section in enumerate(document.sections, start=1):
            _section(body, section, f"{prefix}.d{index}")
    else:
        div = add(body, "div")
        div.set(XML_ID, f"{prefix}.d1")
        add(div, "gap", reason="no-text")
    if document.signature:
        closer = add(body, "closer")
        for line in document.signature:
            # "Lorvaux, janvier 2021" is a dateline; a name or "— A.B." is signed.
            add(closer, "dateline" if YEAR.search(line) else "signed", line)


def _front(text: etree._Element, document: Document) -> None:
    front_matter = document.front
    if not (front_matter.title or front_matter.standfirst or front_matter.bylines or front_matter.epigraph):
        return
    front = add(text, "front")
    prefix = f"{xml_id(document.id)}.front"
    if front_matter.title:
        title = add(front, "docTitle")
        add(title, "titlePart", front_matter.title, type="main")
    for index, standfirst in enumerate(front_matter.standfirst, start=1):
        argument = add(front, "argument")
        paragraph = add(argument, "p", standfirst)
        paragraph.set(XML_ID, f"{prefix}.p{index}")
    for byline in front_matter.bylines:
        _byline(front, byline, [author.name for author in document.metadata.authors])
    if front_matter.epigraph:
        epigraph = add(front, "epigraph")
        _quotation(epigraph, front_matter.epigraph, f"{prefix}.quote1")


def _byline(parent: etree._Element, text: str, names: list[str]) -> None:
    """The byline as written, with each author's name marked as docAuthor."""
    byline = add(parent, "byline")
    spans = sorted((text.find(name), name) for name in names if name and text.find(name) >= 0)
    position = 0
    last: etree._Element | None = None
    for start, name in spans:
        if start < position:
            continue
        chunk = text[position:start]
        if last is None:
            byline.text = chunk
        else:
            last.tail = chunk
        last = add(byline, "docAuthor", name)
        position = start + len(name)
    if last is None:
        byline.text = text
    else:
        last.tail = text[position:] or None


def _quotation(parent: etree._Element, quotation: Quotation, identifier: str) -> None:
    container = parent
    if quotation.attribution:
        container = add(parent, "cit")
        container.set(XML_ID, identifier.replace("quote", "cit"))
    quote = add(container, "quote")
    quote.set(XML_ID, identifier)
    for index, line in enumerate(quotation.lines, start=1):
        paragraph = add(quote, "p", line)
        paragraph.set(XML_ID, f"{identifier}.p{index}")
    if quotation.attribution:
        add(container, "bibl", quotation.attribution)


def _section(parent: etree._Element, section: Section, identifier: str) -> None:
    div = add(parent, "div")
    div.set(XML_ID, identifier)
    if section.heading:
        add(div, "head", section.heading)
    counters: dict[str, int] = {}
    for block in section.blocks:
        _block(div, block, identifier, counters)
    if not section.blocks and not section.subsections:
        add(div, "gap", reason="no-text")
    for index, subsection in enumerate(section.subsections, start=1):
        _section(div, subsection, f"{identifier}.d{index}")


def _next_id(counters: dict[str, int], identifier: str, kind: str) -> str:
    counters[kind] = counters.get(kind, 0) + 1
    return f"{identifier}.{kind}{counters[kind]}"


def _block(div: etree._Element, block: Block, identifier: str, counters: dict[str, int]) -> None:
    if block.kind == BlockKind.PARAGRAPH:
        paragraph = add(div, "p")
        paragraph.set(XML_ID, _next_id(counters, identifier, "p"))
        _paragraph_text(paragraph, block.lines[0], block.lead_in)
    elif block.kind == BlockKind.QUOTE:
        _quotation(div, Quotation(block.lines, block.attribution), _next_id(counters, identifier, "quote"))
    else:
        list_id = _next_id(counters, identifier, "list")
        listing = add(div, "list", rend="numbered" if block.kind == BlockKind.ORDERED_LIST else "bulleted")
        listing.set(XML_ID, list_id)
        for index, item in enumerate(block.lines, start=1):
            element = add(listing, "item", item)
            element.set(XML_ID, f"{list_id}.i{index}")


def _paragraph_text(paragraph: etree._Element, text: str, lead_in: str) -> None:
    """The lead-in segmentation found (words set in capitals) becomes <hi rend="caps">."""
    start = text.find(lead_in) if lead_in else -1
    if start < 0:
        paragraph.text = text
        return
    paragraph.text = text[:start] or None  # an opening quotation mark stays outside
    hi = add(paragraph, "hi", lead_in, rend="caps")
    hi.tail = text[start + len(lead_in) :]
