"""The text of one article: front matter, sections, paragraphs, quotations, lists and the closer.

Two ways to point into the text, for two needs (both documented in each header's refsDecl):

- `xml:id`s, for links that must outlive edits: every citable part has one, made from its own
  text (kind, then a digest of the text: `doc-….p-3f9a02c1`) and, among parts of equal text, its
  place (`…-2` for the second). Deleting, adding or moving a paragraph leaves every other id as it
  was; only the edited part gets a new one.
- Citations by position, as readers cite (`d2.p3`: the third paragraph of the second section),
  declared by a TEI `citeStructure` that follows the real hierarchy of the article and that
  tei.citation resolves.

Paragraphs before the first heading stand directly in body, so no section is headless at the
start; a section begun by a break without a heading is a div with @type and no head.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence

from lxml import etree

from ..model import Block, BlockKind, Document, Quotation, Section
from ..rules import SHAPES
from .elements import XML_ID, add, xml_id

YEAR = SHAPES.year
DIGEST_BYTES = 4  # 8 hex digits: a clash inside one article is a one-in-millions event, and harmless (see Ids)


class Ids:
    """The xml:ids of one article, each from its kind and its own text (see the module docstring).

    Two parts of one kind and equal text (or, very rarely, texts whose digests clash) are told
    apart by their order, so every id is unique in the file whatever the text.
    """

    def __init__(self, document_id: str) -> None:
        self.prefix = xml_id(document_id)
        self.seen: Counter[str] = Counter()

    def __call__(self, kind: str, text: str = "") -> str:
        if not text:
            key = kind  # a part the article has once (front, docTitle)
        else:
            normalised = " ".join(text.split())
            key = f"{kind}-{hashlib.blake2b(normalised.encode('utf-8'), digest_size=DIGEST_BYTES).hexdigest()}"
        self.seen[key] += 1
        count = self.seen[key]
        return f"{self.prefix}.{key}" if count == 1 else f"{self.prefix}.{key}-{count}"


def build_text(root: etree._Element, document: Document) -> None:
    """The <text>: front matter, the body's sections, the closer."""
    ids = Ids(document.id)
    text_element = add(root, "text")
    _front(text_element, document, ids)
    body = add(text_element, "body")
    leading, sections = _body_parts(document)
    for block in leading:  # before the first heading: directly in body (a headless div printed an empty "1." heading)
        _block(body, block, ids)
    for section in sections:
        _section(body, section, ids)
    if not len(body):
        add(body, "div", type="section").set(XML_ID, ids("d"))  # an article without text: TEI's body needs a div or a p
    if document.signature:
        closer = add(body, "closer")
        for line in document.signature:
            # "Lorvaux, janvier 2021" is a dateline; a name or "— A.B." is signed.
            add(closer, "dateline" if YEAR.search(line) else "signed", line)


def _body_parts(document: Document) -> tuple[tuple[Block, ...], tuple[Section, ...]]:
    """The blocks that stand directly in body (those before the first heading) and the body's divs."""
    sections = document.sections
    if sections and not sections[0].heading:
        return sections[0].blocks, sections[0].subsections + sections[1:]
    return (), sections


def _front(text: etree._Element, document: Document, ids: Ids) -> None:
    front_matter = document.front
    if not (front_matter.title or front_matter.standfirst or front_matter.bylines or front_matter.epigraph):
        return
    front = add(text, "front")
    front.set(XML_ID, ids("front"))
    if front_matter.title:
        title = add(front, "docTitle")
        title.set(XML_ID, ids("docTitle"))
        add(title, "titlePart", front_matter.title, type="main")
    for standfirst in front_matter.standfirst:
        argument = add(front, "argument")
        add(argument, "p", standfirst).set(XML_ID, ids("p", standfirst))
    for byline in front_matter.bylines:
        _byline(front, byline, [author.name for author in document.metadata.authors]).set(XML_ID, ids("byline", byline))
    if front_matter.epigraph:
        epigraph = add(front, "epigraph")
        _quotation(epigraph, front_matter.epigraph, ids)


def _byline(parent: etree._Element, text: str, names: list[str]) -> etree._Element:
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
    return byline


def _quotation(parent: etree._Element, quotation: Quotation, ids: Ids) -> None:
    whole = "\n".join(quotation.lines)
    container = parent
    if quotation.attribution:
        container = add(parent, "cit")
        container.set(XML_ID, ids("cit", whole))
    quote = add(container, "quote")
    quote.set(XML_ID, ids("quote", whole))
    for line in quotation.lines:
        add(quote, "p", line).set(XML_ID, ids("p", line))
    if quotation.attribution:
        add(container, "bibl", quotation.attribution).set(XML_ID, ids("bibl", quotation.attribution))


def _section(parent: etree._Element, section: Section, ids: Ids) -> None:
    div = add(parent, "div", type="section")
    div.set(XML_ID, ids("d", section.heading or _first_text(section)))
    if section.heading:
        add(div, "head", section.heading).set(XML_ID, ids("head", section.heading))
    for block in section.blocks:
        _block(div, block, ids)
    for subsection in section.subsections:
        _section(div, subsection, ids)


def _first_text(section: Section) -> str:
    """What names a section without a heading: its first text (a break's section always has one)."""
    for block in section.blocks:
        if block.lines:
            return block.lines[0]
    for subsection in section.subsections:
        return subsection.heading or _first_text(subsection)
    return ""


def _block(parent: etree._Element, block: Block, ids: Ids) -> None:
    if block.kind == BlockKind.PARAGRAPH:
        paragraph = add(parent, "p")
        paragraph.set(XML_ID, ids("p", block.lines[0]))
        _paragraph_text(paragraph, block.lines[0], block.lead_in)
    elif block.kind == BlockKind.QUOTE:
        _quotation(parent, Quotation(block.lines, block.attribution), ids)
    elif block.kind == BlockKind.OMISSION:
        # Lines the cleaner removed here (the header counts them all): a real omission, so a gap.
        add(parent, "gap", reason=block.category, unit="line", quantity=str(block.omitted))
    else:
        listing = add(parent, "list", rend="numbered" if block.kind == BlockKind.ORDERED_LIST else "bulleted")
        listing.set(XML_ID, ids("list", "\n".join(block.lines)))
        for item in block.lines:
            add(listing, "item", item).set(XML_ID, ids("item", item))


def _paragraph_text(paragraph: etree._Element, text: str, lead_in: str) -> None:
    """The lead-in segmentation found (words set in capitals) becomes <hi rend="caps">."""
    start = text.find(lead_in) if lead_in else -1
    if start < 0:
        paragraph.text = text
        return
    paragraph.text = text[:start] or None  # an opening quotation mark stays outside
    hi = add(paragraph, "hi", lead_in, rend="caps")
    hi.tail = text[start + len(lead_in) :]


# ------------------------------------------------------------------ the citation structure

# The parts a citation counts inside body and inside each section: (unit, XPath relative to the
# container, the delimiter before the number inside a section, at the start of a citation).
# Paths are written without a prefix, in the TEI namespace, as the Guidelines' examples are.
BLOCK_UNITS = (
    ("paragraph", "p", ".p", "p"),
    ("quotation", "quote | cit", ".quote", "quote"),
    ("list", "list", ".list", "list"),
)


def add_refs_decl(encoding: etree._Element, document: Document) -> None:
    """refsDecl: TEI's citeStructure for this article's real hierarchy (sections nest as deep as
    its headings do), so that `d2.p3`, `p1` or `d1.d2.list1.i3` resolves to one element."""
    refs = add(encoding, "refsDecl")
    leading, sections = _body_parts(document)
    depth = _depth(sections) or (0 if leading else 1)  # an article without text has its one empty div
    if depth:
        structure = add(refs, "citeStructure", unit="section", match="/TEI/text/body/div", use="position()", delim="d")
        _section_structure(structure, depth - 1)
        add(structure, "desc", CITATION_FORMS)
    kinds = {BlockKind.LIST if block.kind == BlockKind.ORDERED_LIST else block.kind for block in leading}
    described = bool(depth)
    for kind, (unit, match, _inner, outer) in zip((BlockKind.PARAGRAPH, BlockKind.QUOTE, BlockKind.LIST), BLOCK_UNITS, strict=True):
        if kind in kinds:
            absolute = " | ".join(f"/TEI/text/body/{name}" for name in match.split(" | "))
            structure = add(refs, "citeStructure", unit=unit, match=absolute, use="position()", delim=outer)
            _block_children(structure, unit)
            if not described:
                add(structure, "desc", CITATION_FORMS)
                described = True


CITATION_FORMS = (
    "Citations count position: d2 is the second section of the body, d2.p3 its third paragraph, "
    "d2.quote1 its first quotation (quote or cit) and d2.quote1.p2 that quotation's second paragraph, "
    "d2.list1.i2 the second item of its first list, d2.d1 its first subsection. Paragraphs, "
    "quotations and lists before the first heading stand in body itself: p1, quote1, list1.i2. "
    "The xml:ids do not count: each is the document id, the kind of the part (p, quote, cit, "
    "list, item, d for a section, head, byline, bibl) and a digest of its own text, with -2, -3 "
    "for a second or third part of equal text; front and docTitle are named so. So an id "
    "survives any edit elsewhere in the article, and a citation names the place."
)


def _section_structure(structure: etree._Element, deeper: int) -> None:
    """What a section holds: its heading as the title, its blocks, and subsections `deeper` times."""
    add(structure, "citeData", property="http://purl.org/dc/terms/title", use="head")
    for unit, match, inner, _outer in BLOCK_UNITS:
        _block_children(add(structure, "citeStructure", unit=unit, match=match, use="position()", delim=inner), unit)
    if deeper > 0:
        _section_structure(add(structure, "citeStructure", unit="section", match="div", use="position()", delim=".d"), deeper - 1)


def _block_children(structure: etree._Element, unit: str) -> None:
    if unit == "quotation":
        add(structure, "citeStructure", unit="paragraph", match="p | quote/p", use="position()", delim=".p")
    elif unit == "list":
        add(structure, "citeStructure", unit="item", match="item", use="position()", delim=".i")


def _depth(sections: Sequence[Section] | Iterable[Section]) -> int:
    return max((1 + _depth(section.subsections) for section in sections), default=0)
