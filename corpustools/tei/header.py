"""The teiHeader of one article: the digital edition, the original it was scraped from, what was
done to its text, its language and keywords, its history."""

from __future__ import annotations

from lxml import etree

from .. import __version__
from ..model import Document
from .elements import UNTITLED, Edition, ExportRecord, add, language_name, make
from .text import add_refs_decl


def build_header(root: etree._Element, document: Document, record: ExportRecord, edition: Edition) -> None:
    metadata = document.metadata
    header = add(root, "teiHeader")
    file_desc = add(header, "fileDesc")
    title_stmt = add(file_desc, "titleStmt")
    _title_and_authors(title_stmt, document, {"type": "main"}, {"subtype": "missing"})
    if metadata.subtitle.value:
        title_stmt.insert(1, make("title", metadata.subtitle.value, type="sub"))
    add_responsibility(title_stmt, edition)

    extent = add(file_desc, "extent")
    words = word_count(document)
    add(extent, "measure", f"{words} words", unit="words", quantity=str(words))

    publication = add_publication_stmt(file_desc, edition, "digital edition")
    availability = publication[-1]
    if metadata.licence.value:
        add(availability, "p", f"Licence of the original: {metadata.licence.value}")
    add(publication, "idno", document.id, type="corpustools")

    source_desc = add(file_desc, "sourceDesc")
    bibl = add(source_desc, "biblStruct")
    analytic = add(bibl, "analytic")
    _title_and_authors(analytic, document, {"level": "a"}, {"type": "missing"})
    if metadata.url.value:
        add(analytic, "idno", metadata.url.value, type="URI")
    monogr = add(bibl, "monogr")
    if metadata.publication.value:
        add(monogr, "title", metadata.publication.value, level="j")
    else:
        add(monogr, "title", "[Unknown publication]", level="j", type="missing")
    imprint = add(monogr, "imprint")
    if metadata.date.value:
        add(imprint, "date", metadata.date.original or metadata.date.value, when=metadata.date.value)
    else:
        add(imprint, "date", "[no date given in the source]", type="missing")
    if metadata.volume.value:
        add(monogr, "biblScope", metadata.volume.value, unit="volume")
    if metadata.issue.value:
        add(monogr, "biblScope", metadata.issue.value, unit="issue")
    provenance = document.provenance
    if provenance.source_file:
        note = add(bibl, "note", type="source-file")
        note.text = f"Scraped text file {provenance.source_file}"
        if provenance.source_sha256:
            note.text += f" (SHA-256 {provenance.source_sha256})"
        note.text += "."

    _encoding_desc(header, document, record)
    _profile_desc(header, document, edition)
    _revision_desc(header, document, record)


def add_responsibility(title_stmt: etree._Element, edition: Edition) -> None:
    """Who encoded the text: corpustools, and the corpus editor when the config names one."""
    resp = add(title_stmt, "respStmt")
    add(resp, "resp", "Automatic cleaning, segmentation and TEI encoding")
    add(resp, "name", f"corpustools {__version__}")
    if edition.encoder:
        resp = add(title_stmt, "respStmt")
        add(resp, "resp", "Corpus editor")
        add(resp, "name", edition.encoder)


def add_publication_stmt(file_desc: etree._Element, edition: Edition, what: str) -> etree._Element:
    """The digital edition's publisher and licence, from the project config (what it is: for the text)."""
    publication = add(file_desc, "publicationStmt")
    add(publication, "publisher", edition.publisher)
    availability = add(publication, "availability", status="restricted" if edition.licence else "unknown")
    if edition.licence:
        licence = add(availability, "licence", edition.licence)
        if edition.licence_url:
            licence.set("target", edition.licence_url)
    else:
        add(availability, "p", f"The licence of this {what} has not been stated by the corpus editor.")
    return publication


def _title_and_authors(parent: etree._Element, document: Document, kind: dict[str, str], missing: dict[str, str]) -> None:
    """The article's title (or the marked placeholder: never an invented title), then its authors."""
    title = document.metadata.title.value
    if title:
        add(parent, "title", title, **kind)
    else:
        add(parent, "title", UNTITLED, **kind, **missing)
    for author in document.metadata.authors:
        _author(parent, author.name, author.affiliation)


def _author(parent: etree._Element, name: str, affiliation: str) -> None:
    author = add(parent, "author")
    add(author, "persName", name)
    if affiliation:
        add(author, "affiliation", affiliation)


def _encoding_desc(header: etree._Element, document: Document, record: ExportRecord) -> None:
    encoding = add(header, "encodingDesc")
    app_info = add(encoding, "appInfo")
    application = add(app_info, "application", ident="corpustools", version=__version__)
    add(application, "label", "corpustools")
    add(application, "desc", "Cleans scraped plain-text articles and encodes them in TEI P5.")

    editorial = add(encoding, "editorialDecl")
    provenance = document.provenance
    normalization = add(editorial, "normalization")
    repairs = "; ".join(provenance.repairs) if provenance.repairs else "no repairs were needed"
    add(normalization, "p", f"Source encoding: {provenance.encoding}. Text repairs: {repairs}. Typography (quotation marks, dashes) is kept as in the source.")
    removal = add(editorial, "p")
    removal.set("n", "boilerplate")
    total = sum(record.removal_counts.values())
    if total:
        removal.text = f"Boilerplate and metadata-only lines removed from the text: {total}. By category:"
        listing = add(removal, "list")
        for category, count in sorted(record.removal_counts.items()):
            add(listing, "item", f"{category}: {count}")
        removal_by_layer = add(editorial, "p")
        removal_by_layer.set("n", "boilerplate-layers")
        removal_by_layer.text = "By detection layer (rule library, metadata lines, cross-document recurrence, page structure, invisible characters):"
        listing = add(removal_by_layer, "list")
        for layer, count in sorted(record.layer_counts.items()):
            add(listing, "item", f"{layer}: {count}")
    else:
        removal.text = "No lines were removed from the text."
    segmentation = add(editorial, "segmentation")
    add(
        segmentation,
        "p",
        "Paragraphs follow the source's lines; headings, block quotations, lists, the front matter and "
        "section breaks were recognised automatically from the layout of the plain text.",
    )
    add_refs_decl(encoding, document)


def _profile_desc(header: etree._Element, document: Document, edition: Edition) -> None:
    profile = add(header, "profileDesc")
    lang_usage = add(profile, "langUsage")
    code = document.metadata.language.value or "und"
    add(lang_usage, "language", language_name(code), ident=code)
    keywords = document.metadata.keywords
    if keywords:
        text_class = add(profile, "textClass")
        listing = add(text_class, "keywords")
        for word in keywords:
            add(listing, "term", word)


def _revision_desc(header: etree._Element, document: Document, record: ExportRecord) -> None:
    revision = add(header, "revisionDesc")
    source = document.provenance.source_file or "the scraped text"
    change = add(revision, "change", f"Cleaned, segmented and encoded in TEI from {source} by corpustools {__version__}.")
    if record.change_date:
        change.set("when", record.change_date)
    if record.hand_edited:
        edit = add(revision, "change", "Hand corrections made in the cleaned text file before export.")
        if record.change_date:
            edit.set("when", record.change_date)


def word_count(document: Document) -> int:
    """Words of the article's text, as the header's extent reports them."""
    from ..cleanfile import article_text

    return sum(len(unit.split()) for unit in article_text(document))
