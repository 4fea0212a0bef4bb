"""Document -> TEI P5, valid by construction; and TEI -> text, the way back.

The places other tools read are fixed (README, "The TEI contract"): the main title in
titleStmt/title[@type='main'], authors in titleStmt/author, the original in
sourceDesc/biblStruct, sections as nested body/div with head. Every div, p, quote, list and
item carries an xml:id derived from its position (see `refsDecl` in each header), so the same
text always gets the same ids.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources

from lxml import etree

from . import __version__
from .model import Block, BlockKind, Document, Quotation, Section
from .rules import SHAPES

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
T = f"{{{TEI_NS}}}"
XML_ID = f"{{{XML_NS}}}id"
XML_LANG = f"{{{XML_NS}}}lang"
NCNAME_START = re.compile(r"^[A-Za-z_]")
NOT_NCNAME = re.compile(r"[^\w.-]", re.UNICODE)
LANGUAGE_NAMES: dict[str, str] = tomllib.loads(resources.files("corpustools").joinpath("rules", "languages.toml").read_text("utf-8"))["names"]


def language_name(code: str) -> str:
    """The English name of a language code (rules/languages.toml): a region or script subtag
    ("pt-BR") takes its language's name; a code the data does not know stays as it is."""
    return LANGUAGE_NAMES.get(code) or LANGUAGE_NAMES.get(code.split("-")[0].lower()) or code

UNTITLED = "[Untitled]"
YEAR = SHAPES.year


@dataclass(frozen=True)
class Edition:
    """What the project says about its digital edition (from the project config)."""

    publisher: str = "corpustools user"
    licence: str = ""
    licence_url: str = ""
    encoder: str = ""
    corpus_title: str = "corpustools corpus"
    corpus_description: str = ""
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class ExportRecord:
    """What happened to the article before export: from the clean step's log."""

    removal_counts: dict[str, int] = field(default_factory=dict)
    layer_counts: dict[str, int] = field(default_factory=dict)
    hand_edited: bool = False
    change_date: str = ""


def xml_id(doc_id: str) -> str:
    """A document id as an XML NCName: ids that start with a digit get a 'doc-' prefix."""
    cleaned = NOT_NCNAME.sub("_", doc_id)
    return cleaned if NCNAME_START.match(cleaned) else f"doc-{cleaned}"


def _add(parent: etree._Element, tag: str, text: str | None = None, **attributes: str) -> etree._Element:
    element = etree.SubElement(parent, T + tag, attributes)
    if text:
        element.text = text
    return element


def build_tei(document: Document, record: ExportRecord | None = None, edition: Edition | None = None) -> etree._ElementTree:
    """The TEI tree of one document."""
    record = record or ExportRecord()
    edition = edition or Edition()
    root = etree.Element(T + "TEI", nsmap={None: TEI_NS})
    root.set(XML_ID, xml_id(document.id))
    language = document.metadata.language.value or "und"
    root.set(XML_LANG, language)
    _header(root, document, record, edition)
    text = _add(root, "text")
    _front(text, document)
    body = _add(text, "body")
    prefix = xml_id(document.id)
    if document.sections:
        for index, section in enumerate(document.sections, start=1):
            _section(body, section, f"{prefix}.d{index}")
    else:
        div = _add(body, "div")
        div.set(XML_ID, f"{prefix}.d1")
        _add(div, "gap", reason="no-text")
    if document.signature:
        closer = _add(body, "closer")
        for line in document.signature:
            # "Lorvaux, janvier 2021" is a dateline; a name or "— A.B." is signed.
            _add(closer, "dateline" if YEAR.search(line) else "signed", line)
    return etree.ElementTree(root)


# ---------------------------------------------------------------- header


def _header(root: etree._Element, document: Document, record: ExportRecord, edition: Edition) -> None:
    metadata = document.metadata
    header = _add(root, "teiHeader")
    file_desc = _add(header, "fileDesc")
    title_stmt = _add(file_desc, "titleStmt")
    _title_and_authors(title_stmt, document, {"type": "main"}, {"subtype": "missing"})
    if metadata.subtitle.value:
        title_stmt.insert(1, _make("title", metadata.subtitle.value, type="sub"))
    add_responsibility(title_stmt, edition)

    extent = _add(file_desc, "extent")
    words = word_count(document)
    _add(extent, "measure", f"{words} words", unit="words", quantity=str(words))

    publication = add_publication_stmt(file_desc, edition, "digital edition")
    availability = publication[-1]
    if metadata.licence.value:
        _add(availability, "p", f"Licence of the original: {metadata.licence.value}")
    _add(publication, "idno", document.id, type="corpustools")

    source_desc = _add(file_desc, "sourceDesc")
    bibl = _add(source_desc, "biblStruct")
    analytic = _add(bibl, "analytic")
    _title_and_authors(analytic, document, {"level": "a"}, {"type": "missing"})
    if metadata.url.value:
        _add(analytic, "idno", metadata.url.value, type="URI")
    monogr = _add(bibl, "monogr")
    if metadata.publication.value:
        _add(monogr, "title", metadata.publication.value, level="j")
    else:
        _add(monogr, "title", "[Unknown publication]", level="j", type="missing")
    imprint = _add(monogr, "imprint")
    if metadata.date.value:
        _add(imprint, "date", metadata.date.original or metadata.date.value, when=metadata.date.value)
    else:
        _add(imprint, "date", "[no date given in the source]", type="missing")
    if metadata.volume.value:
        _add(monogr, "biblScope", metadata.volume.value, unit="volume")
    if metadata.issue.value:
        _add(monogr, "biblScope", metadata.issue.value, unit="issue")
    provenance = document.provenance
    if provenance.source_file:
        note = _add(bibl, "note", type="source-file")
        note.text = f"Scraped text file {provenance.source_file}"
        if provenance.source_sha256:
            note.text += f" (SHA-256 {provenance.source_sha256})"
        note.text += "."

    _encoding_desc(header, document, record)
    _profile_desc(header, document, edition)
    _revision_desc(header, document, record)


def add_responsibility(title_stmt: etree._Element, edition: Edition) -> None:
    """Who encoded the text: corpustools, and the corpus editor when the config names one."""
    resp = _add(title_stmt, "respStmt")
    _add(resp, "resp", "Automatic cleaning, segmentation and TEI encoding")
    _add(resp, "name", f"corpustools {__version__}")
    if edition.encoder:
        resp = _add(title_stmt, "respStmt")
        _add(resp, "resp", "Corpus editor")
        _add(resp, "name", edition.encoder)


def add_publication_stmt(file_desc: etree._Element, edition: Edition, what: str) -> etree._Element:
    """The digital edition's publisher and licence, from the project config (what it is: for the text)."""
    publication = _add(file_desc, "publicationStmt")
    _add(publication, "publisher", edition.publisher)
    availability = _add(publication, "availability", status="restricted" if edition.licence else "unknown")
    if edition.licence:
        licence = _add(availability, "licence", edition.licence)
        if edition.licence_url:
            licence.set("target", edition.licence_url)
    else:
        _add(availability, "p", f"The licence of this {what} has not been stated by the corpus editor.")
    return publication


def _title_and_authors(parent: etree._Element, document: Document, kind: dict[str, str], missing: dict[str, str]) -> None:
    """The article's title (or the marked placeholder: never an invented title), then its authors."""
    title = document.metadata.title.value
    if title:
        _add(parent, "title", title, **kind)
    else:
        _add(parent, "title", UNTITLED, **kind, **missing)
    for author in document.metadata.authors:
        _author(parent, author.name, author.affiliation)


def _make(tag: str, text: str, **attributes: str) -> etree._Element:
    element = etree.Element(T + tag, attributes)
    element.text = text
    return element


def _author(parent: etree._Element, name: str, affiliation: str) -> None:
    author = _add(parent, "author")
    _add(author, "persName", name)
    if affiliation:
        _add(author, "affiliation", affiliation)


def _encoding_desc(header: etree._Element, document: Document, record: ExportRecord) -> None:
    encoding = _add(header, "encodingDesc")
    app_info = _add(encoding, "appInfo")
    application = _add(app_info, "application", ident="corpustools", version=__version__)
    _add(application, "label", "corpustools")
    _add(application, "desc", "Cleans scraped plain-text articles and encodes them in TEI P5.")

    editorial = _add(encoding, "editorialDecl")
    provenance = document.provenance
    normalization = _add(editorial, "normalization")
    repairs = "; ".join(provenance.repairs) if provenance.repairs else "no repairs were needed"
    _add(normalization, "p", f"Source encoding: {provenance.encoding}. Text repairs: {repairs}. Typography (quotation marks, dashes) is kept as in the source.")
    removal = _add(editorial, "p")
    removal.set("n", "boilerplate")
    total = sum(record.removal_counts.values())
    if total:
        removal.text = f"Boilerplate and metadata-only lines removed from the text: {total}. By category:"
        listing = _add(removal, "list")
        for category, count in sorted(record.removal_counts.items()):
            _add(listing, "item", f"{category}: {count}")
        removal_by_layer = _add(editorial, "p")
        removal_by_layer.set("n", "boilerplate-layers")
        removal_by_layer.text = "By detection layer (rule library, metadata lines, cross-document recurrence, page structure, invisible characters):"
        listing = _add(removal_by_layer, "list")
        for layer, count in sorted(record.layer_counts.items()):
            _add(listing, "item", f"{layer}: {count}")
    else:
        removal.text = "No lines were removed from the text."
    segmentation = _add(editorial, "segmentation")
    _add(
        segmentation,
        "p",
        "Paragraphs follow the source's lines; headings, block quotations, lists, the front matter and "
        "section breaks were recognised automatically from the layout of the plain text.",
    )
    refs = _add(encoding, "refsDecl")
    pattern = _add(refs, "cRefPattern", matchPattern=r"(.+)", replacementPattern=r"#$1")
    _add(
        pattern,
        "p",
        "Identifiers: each div, p, quote, cit, list and item has an xml:id made of the document id, then "
        "the path of divisions (d1, d1.d2 ...) and the position of the element among its siblings of the "
        "same kind (p3, quote1, list1.i2); front matter uses 'front'. Unchanged text keeps its ids.",
    )


def _profile_desc(header: etree._Element, document: Document, edition: Edition) -> None:
    profile = _add(header, "profileDesc")
    lang_usage = _add(profile, "langUsage")
    code = document.metadata.language.value or "und"
    _add(lang_usage, "language", language_name(code), ident=code)
    keywords = document.metadata.keywords
    if keywords:
        text_class = _add(profile, "textClass")
        listing = _add(text_class, "keywords")
        for word in keywords:
            _add(listing, "term", word)


def _revision_desc(header: etree._Element, document: Document, record: ExportRecord) -> None:
    revision = _add(header, "revisionDesc")
    source = document.provenance.source_file or "the scraped text"
    change = _add(revision, "change", f"Cleaned, segmented and encoded in TEI from {source} by corpustools {__version__}.")
    if record.change_date:
        change.set("when", record.change_date)
    if record.hand_edited:
        edit = _add(revision, "change", "Hand corrections made in the cleaned text file before export.")
        if record.change_date:
            edit.set("when", record.change_date)


# ---------------------------------------------------------------- text


def _front(text: etree._Element, document: Document) -> None:
    front_matter = document.front
    if not (front_matter.title or front_matter.standfirst or front_matter.bylines or front_matter.epigraph):
        return
    front = _add(text, "front")
    prefix = f"{xml_id(document.id)}.front"
    if front_matter.title:
        title = _add(front, "docTitle")
        _add(title, "titlePart", front_matter.title, type="main")
    for index, standfirst in enumerate(front_matter.standfirst, start=1):
        argument = _add(front, "argument")
        paragraph = _add(argument, "p", standfirst)
        paragraph.set(XML_ID, f"{prefix}.p{index}")
    for byline in front_matter.bylines:
        _byline(front, byline, [author.name for author in document.metadata.authors])
    if front_matter.epigraph:
        epigraph = _add(front, "epigraph")
        _quotation(epigraph, front_matter.epigraph, f"{prefix}.quote1")


def _byline(parent: etree._Element, text: str, names: list[str]) -> None:
    """The byline as written, with each author's name marked as docAuthor."""
    byline = _add(parent, "byline")
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
        last = _add(byline, "docAuthor", name)
        position = start + len(name)
    if last is None:
        byline.text = text
    else:
        last.tail = text[position:] or None


def _quotation(parent: etree._Element, quotation: Quotation, identifier: str) -> None:
    container = parent
    if quotation.attribution:
        container = _add(parent, "cit")
        container.set(XML_ID, identifier.replace("quote", "cit"))
    quote = _add(container, "quote")
    quote.set(XML_ID, identifier)
    for index, line in enumerate(quotation.lines, start=1):
        paragraph = _add(quote, "p", line)
        paragraph.set(XML_ID, f"{identifier}.p{index}")
    if quotation.attribution:
        _add(container, "bibl", quotation.attribution)


def _section(parent: etree._Element, section: Section, identifier: str) -> None:
    div = _add(parent, "div")
    div.set(XML_ID, identifier)
    if section.heading:
        _add(div, "head", section.heading)
    counters: dict[str, int] = {}
    for block in section.blocks:
        _block(div, block, identifier, counters)
    if not section.blocks and not section.subsections:
        _add(div, "gap", reason="no-text")
    for index, subsection in enumerate(section.subsections, start=1):
        _section(div, subsection, f"{identifier}.d{index}")


def _next_id(counters: dict[str, int], identifier: str, kind: str) -> str:
    counters[kind] = counters.get(kind, 0) + 1
    return f"{identifier}.{kind}{counters[kind]}"


def _block(div: etree._Element, block: Block, identifier: str, counters: dict[str, int]) -> None:
    if block.kind == BlockKind.PARAGRAPH:
        paragraph = _add(div, "p")
        paragraph.set(XML_ID, _next_id(counters, identifier, "p"))
        _paragraph_text(paragraph, block.lines[0])
    elif block.kind == BlockKind.QUOTE:
        _quotation(div, Quotation(block.lines, block.attribution), _next_id(counters, identifier, "quote"))
    else:
        list_id = _next_id(counters, identifier, "list")
        listing = _add(div, "list", rend="numbered" if block.kind == BlockKind.ORDERED_LIST else "bulleted")
        listing.set(XML_ID, list_id)
        for index, item in enumerate(block.lines, start=1):
            element = _add(listing, "item", item)
            element.set(XML_ID, f"{list_id}.i{index}")


def _paragraph_text(paragraph: etree._Element, text: str) -> None:
    """Words set in capitals as a lead-in become <hi rend="caps">."""
    match = SHAPES.caps_lead_in.match(text)
    if match and len(match.group(1)) >= 3:
        paragraph.text = text[: match.start(1)] or None  # an opening quotation mark stays outside
        hi = _add(paragraph, "hi", match.group(1), rend="caps")
        hi.tail = text[match.end(1) :]
    else:
        paragraph.text = text


def word_count(document: Document) -> int:
    """Words of the article's text, as the header's extent reports them."""
    from .cleanfile import article_text

    return sum(len(unit.split()) for unit in article_text(document))


def serialise(tree: etree._ElementTree, schema_href: str = "") -> bytes:
    """Bytes of a TEI file: UTF-8, declaration, optional xml-model link, stable formatting."""
    etree.indent(tree, space="  ")
    body = etree.tostring(tree, encoding="UTF-8", xml_declaration=False, pretty_print=True)
    head = b'<?xml version="1.0" encoding="UTF-8"?>\n'
    if schema_href:
        head += (
            f'<?xml-model href="{schema_href}" type="application/xml" '
            'schematypens="http://relaxng.org/ns/structure/1.0"?>\n'
        ).encode()
    return head + body


def to_tei_string(document: Document, record: ExportRecord | None = None, edition: Edition | None = None) -> str:
    return serialise(build_tei(document, record, edition)).decode("utf-8")


# ---------------------------------------------------------------- the way back

TEXT_ELEMENTS = {"titlePart", "byline", "head", "p", "bibl", "item", "signed", "dateline"}


def text_units(tree: etree._ElementTree | etree._Element) -> list[str]:
    """The article's text units from a TEI file, in reading order (header excluded)."""
    root = tree.getroot() if isinstance(tree, etree._ElementTree) else tree
    text = root.find(T + "text")
    if text is None:
        return []
    units: list[str] = []
    for element in text.iter(*(T + name for name in TEXT_ELEMENTS)):
        if element.tag == T + "bibl" and element.getparent() is not None and element.getparent().tag != T + "cit":
            continue
        content = " ".join("".join(element.itertext()).split())
        if content:
            units.append(content)
    return units
