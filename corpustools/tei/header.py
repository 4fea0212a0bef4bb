"""The teiHeader of one article: the digital edition, the original it was scraped from, what was
done to its text, its language, keywords and genre, its history.

Every metadata value says where it came from (@resp: the tool's application or the people of
the edition; @cert; @source: the line of the scraped file, as an RFC 5147 fragment), and a
value the source does not give is the element left empty with subtype="missing": no
placeholder text reaches a consumer's list of titles.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import quote

from lxml import etree

from .. import __version__
from ..model import Author, Document, Field
from ..provenance import CATALOGUE, by_person, certainty, lines_of
from ..rules import genres
from .elements import MISSING, XML_ID, Edition, ExportRecord, add, language_name, xml_id
from .text import add_refs_decl

NOT_STATED = "not stated"


class Ids:
    """The header's xml:ids, made from the document's so they stay unique inside corpus.xml."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix

    def of(self, name: str) -> str:
        return f"{self.prefix}.{name}"

    def pointer(self, name: str) -> str:
        return "#" + self.of(name)

    @property
    def application(self) -> str:
        return self.of("corpustools")

    def people(self, edition: Edition) -> str:
        """Who a person's value points at: the configured people, or the 'not stated' editor."""
        count = len(edition.responsible)
        return " ".join(self.pointer(f"person{number}") for number in range(1, count + 1)) if count else self.pointer("editors")


def build_header(root: etree._Element, document: Document, record: ExportRecord, edition: Edition) -> None:
    metadata = document.metadata
    ids = Ids(xml_id(document.id))
    source_file = document.provenance.source_file
    header = add(root, "teiHeader")
    file_desc = add(header, "fileDesc")
    title_stmt = add(file_desc, "titleStmt")
    add_value(title_stmt, "title", metadata.title, ids, edition, source_file, type="main")
    if metadata.subtitle.value:
        add_value(title_stmt, "title", metadata.subtitle, ids, edition, source_file, type="sub")
    _authors(title_stmt, metadata.authors, ids, edition, source_file)
    add_responsibility(title_stmt, edition, ids)
    add_edition_stmt(file_desc, edition, "digital edition")

    extent = add(file_desc, "extent")
    words = word_count(document)
    add(extent, "measure", f"{words} words", unit="words", quantity=str(words))

    publication = add_publication_stmt(file_desc, edition, "digital edition")
    add(publication, "idno", document.id, type="corpustools")
    _provenance_notes(file_desc, document)
    _source_desc(file_desc, document, ids, edition)

    _encoding_desc(header, document, record, ids)
    _profile_desc(header, document, ids, edition)
    _revision_desc(header, document, record, ids, edition)


# ---------------------------------------------------------------- values and their provenance


def add_value(parent: etree._Element, tag: str, value: Field, ids: Ids, edition: Edition, source_file: str, **attributes: str) -> etree._Element:
    """An element holding one metadata value, with where it came from; empty and marked when missing."""
    if not value.value:
        return add_missing(parent, tag, **attributes)
    element = add(parent, tag, value.original if tag == "date" and value.original else value.value, **attributes)
    mark_provenance(element, value.source, value.confidence, ids, edition, source_file)
    return element


def add_missing(parent: etree._Element, tag: str, **attributes: str) -> etree._Element:
    """The one way a value the source does not give is written: the element, empty, subtype="missing"."""
    attributes.setdefault("type", "main" if tag == "title" else "publication")
    return add(parent, tag, **attributes, subtype=MISSING)


def mark_provenance(element: etree._Element, source: str, confidence: float, ids: Ids, edition: Edition, source_file: str) -> None:
    """@resp, @cert and @source of a value: who gave it, how sure it is, the line it came from.

    A value whose provenance is not known (a cleaned file without its log) gets none."""
    if not source:
        return
    if by_person(source):
        element.set("resp", ids.people(edition))
        element.set("cert", "high")
        if source == CATALOGUE:
            element.set("source", "catalogue.toml")
        return
    element.set("resp", "#" + ids.application)
    element.set("cert", certainty(confidence))
    lines = lines_of(source)
    if lines and source_file:
        # RFC 5147: "line=4,5" is the fifth line (positions count the line ends before it).
        element.set("source", " ".join(f"{_uri_path(source_file)}#line={line - 1},{line}" for line in lines))


def _uri_path(path: str) -> str:
    """A relative file name as a URI reference (spaces and the like escaped)."""
    return quote(path.replace("\\", "/"))


def _authors(parent: etree._Element, authors: Sequence[Author], ids: Ids, edition: Edition, source_file: str) -> None:
    """One author per person, holding the name only: the affiliation is in particDesc, by @ref."""
    for number, author in enumerate(authors, start=1):
        element = add(parent, "author")
        if author.affiliation:
            element.set("ref", ids.pointer(f"author{number}"))
        mark_provenance(element, author.source, author.confidence, ids, edition, source_file)
        add(element, "persName", author.name)


# ---------------------------------------------------------------- the edition


def add_responsibility(title_stmt: etree._Element, edition: Edition, ids: Ids) -> None:
    """The people and the institution responsible (from the config); the software is in appInfo.

    Without people the header says so ("not stated") rather than naming nobody silently.
    """
    people = edition.responsible
    if not people:
        resp = add(title_stmt, "respStmt")
        add(resp, "resp", "Corpus editor (catalogue values, hand corrections)")
        add(resp, "name", NOT_STATED).set(XML_ID, ids.of("editors"))
    for number, person in enumerate(people, start=1):
        resp = add(title_stmt, "respStmt")
        add(resp, "resp", person.role)
        name = add(resp, "persName", person.name)
        name.set(XML_ID, ids.of(f"person{number}"))
        if person.orcid:
            name.set("ref", f"https://orcid.org/{person.orcid}")
        if person.affiliation:
            add(resp, "note", person.affiliation, type="affiliation")
    resp = add(title_stmt, "respStmt")
    add(resp, "resp", "Institution responsible for the edition")
    add(resp, "orgName", edition.institution or NOT_STATED)


def add_edition_stmt(file_desc: etree._Element, edition: Edition, what: str) -> None:
    """The edition and its date, saying where the date came from; never the clock."""
    statement = add(file_desc, "editionStmt")
    text = add(statement, "edition", f"{what.capitalize()} made with corpustools {__version__}")
    if edition.date:
        text.text += ", dated "
        date = add(text, "date", edition.date, when=edition.date)
        date.tail = f" (from {edition.date_origin})."
    else:
        text.text += (
            "; no edition date is recorded: none was given ([project] edition_date in corpustools.toml, "
            "or SOURCE_DATE_EPOCH), and the export never reads the clock."
        )


def add_publication_stmt(file_desc: etree._Element, edition: Edition, what: str) -> etree._Element:
    """The digital edition's publisher, date and licence, from the project config (what it is: for the text)."""
    publication = add(file_desc, "publicationStmt")
    add(publication, "publisher", edition.publisher)
    if edition.date:
        add(publication, "date", edition.date, when=edition.date)
    availability = add(publication, "availability", status="restricted" if edition.licence else "unknown")
    if edition.licence:
        licence = add(availability, "licence", edition.licence)
        if edition.licence_url:
            licence.set("target", edition.licence_url)
    else:
        add(availability, "p", f"The licence of this {what} has not been stated by the corpus editor.")
    return publication


def _provenance_notes(file_desc: etree._Element, document: Document) -> None:
    """Each value's provenance in words, as the cleaned file prints it: the rule and the evidence."""
    metadata = document.metadata
    fields = [(name, getattr(metadata, name)) for name in ("title", "subtitle", "publication", "date", "issue", "volume", "language", "url", "licence", "retrieved")]
    items = [(name, value.source) for name, value in fields if value.value and value.source]
    items.extend(("authors", f"{author.name}: {author.source}") for author in metadata.authors if author.source)
    if not items:
        return
    notes = add(file_desc, "notesStmt")
    note = add(notes, "note", "Where each metadata value came from:", type="provenance")
    listing = add(note, "list")
    for name, source in items:
        add(listing, "item", f"{name}: {source}", n=name)


def _source_desc(file_desc: etree._Element, document: Document, ids: Ids, edition: Edition) -> None:
    """The original (biblStruct: the article in its periodical or site) and the scraped file (bibl)."""
    metadata = document.metadata
    provenance = document.provenance
    source_file = provenance.source_file
    source_desc = add(file_desc, "sourceDesc")
    bibl = add(source_desc, "biblStruct")
    analytic = add(bibl, "analytic")
    add_value(analytic, "title", metadata.title, ids, edition, source_file, level="a")
    _authors(analytic, metadata.authors, ids, edition, source_file)
    if metadata.url.value:
        add_value(analytic, "idno", metadata.url, ids, edition, source_file, type="URI")
    monogr = add(bibl, "monogr")
    add_value(monogr, "title", metadata.publication, ids, edition, source_file, level="j")
    imprint = add(monogr, "imprint")
    date = add_value(imprint, "date", metadata.date, ids, edition, source_file)
    if metadata.date.value:
        date.set("when", metadata.date.value)
    if metadata.volume.value:
        add_value(monogr, "biblScope", metadata.volume, ids, edition, source_file, unit="volume")
    if metadata.issue.value:
        add_value(monogr, "biblScope", metadata.issue, ids, edition, source_file, unit="issue")
    if metadata.licence.value:
        add_value(bibl, "note", metadata.licence, ids, edition, source_file, type="licence")
    if source_file or metadata.retrieved.value:
        scraped = add(source_desc, "bibl", type="scraped-file")
        if source_file:
            add(scraped, "idno", source_file, type="filename")
        if provenance.source_sha256:
            add(scraped, "idno", provenance.source_sha256, type="sha256")
        if metadata.retrieved.value:
            retrieved = add_value(scraped, "date", metadata.retrieved, ids, edition, source_file, type="retrieved")
            retrieved.set("when", metadata.retrieved.value)


# ---------------------------------------------------------------- what was done to the text


def _encoding_desc(header: etree._Element, document: Document, record: ExportRecord, ids: Ids) -> None:
    encoding = add(header, "encodingDesc")
    app_info = add(encoding, "appInfo")
    application = add(app_info, "application", ident="corpustools", version=__version__)
    application.set(XML_ID, ids.application)
    add(application, "label", "corpustools")
    add(application, "desc", "Cleans scraped plain-text articles and encodes them in TEI P5.")

    editorial = add(encoding, "editorialDecl")
    provenance = document.provenance
    correction = add(editorial, "correction")
    corrected = (
        " The cleaned text was corrected by hand before export: revisionDesc says what changed."
        if record.hand_edited
        else " No hand corrections were made."
    )
    add(correction, "p", f"Errors of the source (typos, misspellings) are kept as they are: the tool corrects nothing.{corrected}")
    normalization = add(editorial, "normalization")
    repairs = "; ".join(provenance.repairs) if provenance.repairs else "no repairs were needed"
    add(normalization, "p", f"Source encoding: {provenance.encoding}. Text repairs: {repairs}.")
    quotation = add(editorial, "quotation", marks="all")
    add(quotation, "p", "Quotation marks, apostrophes and dashes are kept as the source has them; block quotations are marked as quote.")
    hyphenation = add(editorial, "hyphenation", eol="all")
    add(hyphenation, "p", "Hyphens are kept as in the source; lines a scraper hard-wrapped are rejoined with a space, and no hyphen is removed.")
    segmentation = add(editorial, "segmentation")
    add(
        segmentation,
        "p",
        "Paragraphs follow the source's lines; headings, block quotations, lists, the front matter and "
        "section breaks were recognised automatically from the layout of the plain text.",
    )
    add_removal_counts(editorial, record.removal_counts, record.layer_counts, "this article")
    add_refs_decl(encoding, document)
    add_class_decl(encoding, document.metadata.keywords, document.metadata.genre, ids)


def add_removal_counts(editorial: etree._Element, by_category: dict[str, int], by_layer: dict[str, int], where: str) -> None:
    """Lines removed as boilerplate or metadata, as data: one measure per category and per layer."""
    total = sum(by_category.values())
    paragraph = add(editorial, "p")
    if not total:
        paragraph.text = f"No lines were removed from {where}."
        return
    paragraph.text = f"Lines removed from {where} as boilerplate or metadata: "
    add(paragraph, "measure", str(total), type="removed", unit="lines", quantity=str(total)).tail = "; by category: "
    _measure_group(paragraph, "by-category", by_category).tail = "; by detection layer: " if by_layer else "."
    if by_layer:
        _measure_group(paragraph, "by-layer", by_layer).tail = "."


def _measure_group(parent: etree._Element, kind: str, counts: dict[str, int]) -> etree._Element:
    group = add(parent, "measureGrp", type=kind)
    for number, (name, count) in enumerate(sorted(counts.items())):
        measure = add(group, "measure", f"{name} {count}", type="removed", unit="lines", quantity=str(count), commodity=name)
        measure.tail = ", " if number < len(counts) - 1 else None
    return group


def add_class_decl(encoding: etree._Element, keywords: Sequence[str], genre_ids: Sequence[str], ids: Ids, every_genre: bool = False) -> None:
    """The schemes textClass points at: the catalogue's keywords, and the genre taxonomy
    (the genres used, or all of them in the corpus header)."""
    used = [genre for genre in genres() if every_genre or genre.id in genre_ids]
    if not keywords and not used:
        return
    classes = add(encoding, "classDecl")
    if keywords:
        taxonomy = add(classes, "taxonomy")
        taxonomy.set(XML_ID, ids.of("keywords"))
        add(taxonomy, "desc", "Subject keywords chosen by the corpus editor (catalogue.toml), an open list.")
    if used:
        taxonomy = add(classes, "taxonomy")
        taxonomy.set(XML_ID, ids.of("genres"))
        add(taxonomy, "desc", "Genres of corpustools (rules/genres.toml).")
        for genre in used:
            category = add(taxonomy, "category")
            category.set(XML_ID, ids.of(f"genre.{genre.id}"))
            add(category, "catDesc", genre.label)


# ---------------------------------------------------------------- language, class, history


def _profile_desc(header: etree._Element, document: Document, ids: Ids, edition: Edition) -> None:
    metadata = document.metadata
    profile = add(header, "profileDesc")
    lang_usage = add(profile, "langUsage")
    code = metadata.language.value or "und"
    language = add(lang_usage, "language", language_name(code), ident=code)
    if metadata.language.value:
        mark_provenance(language, metadata.language.source, metadata.language.confidence, ids, edition, document.provenance.source_file)
    if metadata.keywords or metadata.genre:
        text_class = add(profile, "textClass")
        if metadata.keywords:
            # Keywords and genre come from the catalogue (or a hand edit): a person gave them.
            listing = add(text_class, "keywords", scheme=ids.pointer("keywords"), resp=ids.people(edition))
            for word in metadata.keywords:
                add(listing, "term", word)
        for genre in genres():
            if genre.id in metadata.genre:
                add(text_class, "catRef", scheme=ids.pointer("genres"), target=ids.pointer(f"genre.{genre.id}"), resp=ids.people(edition))
    affiliated = [(number, author) for number, author in enumerate(metadata.authors, start=1) if author.affiliation]
    if affiliated:
        listing = add(add(profile, "particDesc"), "listPerson", type="authors")
        for number, author in affiliated:
            person = add(listing, "person")
            person.set(XML_ID, ids.of(f"author{number}"))
            add(person, "persName", author.name)
            add(person, "affiliation", author.affiliation)


def _revision_desc(header: etree._Element, document: Document, record: ExportRecord, ids: Ids, edition: Edition) -> None:
    revision = add(header, "revisionDesc")
    source = document.provenance.source_file or "the scraped text"
    change = add(revision, "change", f"Cleaned, segmented and encoded in TEI from {source} by corpustools {__version__}.", who="#" + ids.application)
    if edition.date:
        change.set("when", edition.date)
    if record.hand_edited:
        edit = add(revision, "change", hand_corrections(record), who=ids.people(edition))
        if edition.date:
            edit.set("when", edition.date)


def hand_corrections(record: ExportRecord) -> str:
    """What a person changed in the cleaned file, as exactly as the log can tell."""
    fields = f"metadata changed: {', '.join(record.edited_fields)}" if record.edited_fields else "no metadata value changed"
    if record.edited_lines < 0:
        lines = "the number of lines changed is not known (the removal log predates line digests)"
    else:
        lines = f"{record.edited_lines} line{'s' if record.edited_lines != 1 else ''} of the cleaned file changed"
    return f"Hand corrections in the cleaned text file before export: {fields}; {lines}."


def word_count(document: Document) -> int:
    """Words of the article's text, as the header's extent reports them."""
    from ..cleanfile import article_text

    return sum(len(unit.split()) for unit in article_text(document))
