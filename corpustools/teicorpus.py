"""The corpus as a whole: tei/corpus.xml, a teiCorpus with a corpus-level header."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from lxml import etree

from . import __version__
from .model import Document
from .tei import (
    LANGUAGE_NAMES,
    TEI_NS,
    XML_LANG,
    Edition,
    ExportRecord,
    T,
    _add,
    add_publication_stmt,
    add_responsibility,
    build_tei,
    xml_id,
)


def build_corpus(
    documents: Sequence[tuple[Document, ExportRecord]],
    edition: Edition,
    change_date: str = "",
    written: Mapping[str, bytes] | None = None,
) -> etree._ElementTree:
    """A teiCorpus holding every document, with counts and the list of sources in its header.

    `written` holds the TEI files just serialised for these documents (by id): parsing them
    back is several times faster than building each tree again, and gives the same tree.
    """
    root = etree.Element(T + "teiCorpus", nsmap={None: TEI_NS})
    languages = Counter(document.metadata.language.value or "und" for document, _ in documents)
    root.set(XML_LANG, languages.most_common(1)[0][0] if languages else "und")
    header = _add(root, "teiHeader")
    file_desc = _add(header, "fileDesc")
    title_stmt = _add(file_desc, "titleStmt")
    _add(title_stmt, "title", edition.corpus_title, type="main")
    add_responsibility(title_stmt, edition)
    words = 0
    removed: Counter[str] = Counter()
    for document, record in documents:
        tree = _parsed(written[document.id]) if written and document.id in written else build_tei(document, record, edition)
        measure = tree.getroot().find(f"{T}teiHeader/{T}fileDesc/{T}extent/{T}measure")
        words += int(measure.get("quantity", "0")) if measure is not None else 0
        removed.update(record.removal_counts)
        root.append(tree.getroot())
    extent = _add(file_desc, "extent")
    _add(extent, "measure", f"{len(documents)} articles", unit="texts", quantity=str(len(documents)))
    _add(extent, "measure", f"{words} words", unit="words", quantity=str(words))
    add_publication_stmt(file_desc, edition, "corpus")
    source_desc = _add(file_desc, "sourceDesc")
    list_bibl = _add(source_desc, "listBibl")
    _add(list_bibl, "head", "The articles of the corpus")
    for document, _record in documents:
        bibl = _add(list_bibl, "bibl", corresp="#" + xml_id(document.id))
        _add(bibl, "title", document.metadata.title.value or "[Untitled]", level="a")
        for author in document.metadata.authors:
            _add(bibl, "author", author.name)
        if document.metadata.publication.value:
            _add(bibl, "title", document.metadata.publication.value, level="j")
        if document.metadata.date.value:
            _add(bibl, "date", document.metadata.date.value, when=document.metadata.date.value)
    encoding = _add(header, "encodingDesc")
    if edition.corpus_description:
        project = _add(encoding, "projectDesc")
        _add(project, "p", edition.corpus_description)
    editorial = _add(encoding, "editorialDecl")
    paragraph = _add(editorial, "p", "Each article was cleaned of site boilerplate and segmented by corpustools; each TEI header says what was done to its text.")
    if removed:
        paragraph.text += " Lines removed across the corpus, by category:"
        listing = _add(paragraph, "list")
        for category, count in sorted(removed.items()):
            _add(listing, "item", f"{category}: {count}")
    profile = _add(header, "profileDesc")
    lang_usage = _add(profile, "langUsage")
    for code, count in sorted(languages.items()):
        _add(lang_usage, "language", f"{LANGUAGE_NAMES.get(code, code)} ({count} articles)", ident=code)
    revision = _add(header, "revisionDesc")
    change = _add(revision, "change", f"Corpus assembled by corpustools {__version__}.")
    if change_date:
        change.set("when", change_date)
    # teiCorpus wants its header first and the documents after it.
    root.remove(header)
    root.insert(0, header)
    return etree.ElementTree(root)


def _parsed(data: bytes) -> etree._ElementTree:
    """A TEI file corpustools itself wrote, parsed back (no entities, any size)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    return etree.ElementTree(etree.fromstring(data, parser))
