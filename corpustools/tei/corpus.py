"""The corpus as a whole: tei/corpus.xml, a teiCorpus with a corpus-level header.

Two forms (`corpustools export --corpus-file`). The default, as the ParlaMint corpora do it:
the header, then an xi:include of each article's own file, so a tool that loads tei/ sees each
article once. The embedded form, for tools that want one file: the header, then a full copy of
every article.

The header needs only a small summary of each article (CorpusEntry), so both are written as a
stream: the header first, then each include line, or each article's TEI read back one at a time
from the file just written. Memory stays flat whatever the number of articles.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import BinaryIO
from urllib.parse import quote

from lxml import etree

from .. import __version__
from ..model import Document
from .article import build_tei
from .elements import TEI_NS, XML_ID, XML_LANG, Edition, ExportRecord, T, add, indent, language_name, prolog, xml_id
from .header import (
    Ids,
    add_edition_stmt,
    add_missing,
    add_publication_stmt,
    add_removal_counts,
    add_responsibility,
    word_count,
)

XI_NS = "http://www.w3.org/2001/XInclude"
CORPUS_ID = "corpus"  # the file's own name, as an article's xml:id is its file's: no article can take it (io.RESERVED_IDS)
INCLUDE = "include"
EMBEDDED = "embedded"
CORPUS_FILE_FORMS = (INCLUDE, EMBEDDED)


@dataclass(frozen=True)
class CorpusEntry:
    """What the corpus header says of one article."""

    doc_id: str
    title: str
    authors: tuple[str, ...]
    publication: str
    date: str
    language: str
    words: int
    removal_counts: tuple[tuple[str, int], ...]

    @classmethod
    def of(cls, document: Document, record: ExportRecord) -> CorpusEntry:
        metadata = document.metadata
        return cls(
            doc_id=document.id,
            title=metadata.title.value,
            authors=tuple(author.name for author in metadata.authors),
            publication=metadata.publication.value,
            date=metadata.date.value,
            language=metadata.language.value or "und",
            words=word_count(document),
            removal_counts=tuple(sorted(record.removal_counts.items())),
        )


def corpus_header(entries: Sequence[CorpusEntry], edition: Edition) -> etree._Element:
    """The teiCorpus's own teiHeader: title, edition, counts, the list of articles, languages."""
    ids = Ids(CORPUS_ID)
    header = etree.Element(T + "teiHeader", nsmap={None: TEI_NS})
    file_desc = add(header, "fileDesc")
    title_stmt = add(file_desc, "titleStmt")
    add(title_stmt, "title", edition.corpus_title, type="main")
    add_responsibility(title_stmt, edition, ids)
    add_edition_stmt(file_desc, edition, "corpus")
    words = sum(entry.words for entry in entries)
    extent = add(file_desc, "extent")
    add(extent, "measure", f"{len(entries)} articles", unit="texts", quantity=str(len(entries)))
    add(extent, "measure", f"{words} words", unit="words", quantity=str(words))
    add_publication_stmt(file_desc, edition, "corpus")
    source_desc = add(file_desc, "sourceDesc")
    list_bibl = add(source_desc, "listBibl")
    add(list_bibl, "head", "The articles of the corpus")
    for entry in entries:
        bibl = add(list_bibl, "bibl", corresp="#" + xml_id(entry.doc_id))
        _entry_value(bibl, "title", entry.title, level="a")
        for author in entry.authors:
            add(bibl, "author", author)
        _entry_value(bibl, "title", entry.publication, level="j")
        date = _entry_value(bibl, "date", entry.date)
        if entry.date:
            date.set("when", entry.date)
    encoding = add(header, "encodingDesc")
    if edition.corpus_description:
        project = add(encoding, "projectDesc")
        add(project, "p", edition.corpus_description)
    application = add(add(encoding, "appInfo"), "application", ident="corpustools", version=__version__)
    application.set(XML_ID, ids.application)
    add(application, "label", "corpustools")
    add(application, "desc", "Cleans scraped plain-text articles and encodes them in TEI P5.")
    editorial = add(encoding, "editorialDecl")
    add(editorial, "p", "Each article was cleaned of site boilerplate and segmented by corpustools; each TEI header says what was done to its text.")
    removed: Counter[str] = Counter()
    for entry in entries:
        removed.update(dict(entry.removal_counts))
    add_removal_counts(editorial, dict(removed), {}, "the articles of the corpus")
    profile = add(header, "profileDesc")
    lang_usage = add(profile, "langUsage")
    counts = Counter(entry.language for entry in entries)
    for code, count in sorted(counts.items()):
        usage = round(100 * count / len(entries))
        add(lang_usage, "language", f"{language_name(code)} ({count} article{'s' if count != 1 else ''})", ident=code, usage=str(usage))
    revision = add(header, "revisionDesc")
    change = add(revision, "change", f"Corpus assembled by corpustools {__version__}.", who="#" + ids.application)
    if edition.date:
        change.set("when", edition.date)
    return header


def _entry_value(bibl: etree._Element, tag: str, value: str, **attributes: str) -> etree._Element:
    """A value of an article's entry, or the same missing marker the article's header has."""
    return add(bibl, tag, value, **attributes) if value else add_missing(bibl, tag, **attributes)


def corpus_language(entries: Sequence[CorpusEntry]) -> str:
    languages = Counter(entry.language for entry in entries)
    return languages.most_common(1)[0][0] if languages else "und"


def build_corpus(documents: Sequence[tuple[Document, ExportRecord]], edition: Edition) -> etree._ElementTree:
    """The whole teiCorpus as one tree, for small corpora and for tests."""
    entries = [CorpusEntry.of(document, record) for document, record in documents]
    root = etree.Element(T + "teiCorpus", nsmap={None: TEI_NS})
    root.set(XML_ID, CORPUS_ID)
    root.set(XML_LANG, corpus_language(entries))
    root.append(corpus_header(entries, edition))
    for document, record in documents:
        root.append(build_tei(document, record, edition).getroot())
    return etree.ElementTree(root)


def write_corpus(
    stream: BinaryIO,
    entries: Sequence[CorpusEntry],
    articles: Iterable[etree._Element],
    edition: Edition,
    schema_href: str = "",
) -> None:
    """Stream the embedded teiCorpus: the header, then each article element as `articles` yields it."""
    _write_start(stream, entries, schema_href, "")
    header = corpus_header(entries, edition)
    for element in itertools.chain((header,), articles):  # one article in memory at a time
        _write_child(stream, element)
    stream.write(b"</teiCorpus>\n")


def write_corpus_of_includes(
    stream: BinaryIO,
    entries: Sequence[CorpusEntry],
    edition: Edition,
    schema_href: str = "",
) -> None:
    """Stream the teiCorpus that includes its articles: the header, then one xi:include per
    article, its href the article's file name beside corpus.xml (relative, so the folder can move)."""
    _write_start(stream, entries, schema_href, f' xmlns:xi="{XI_NS}"')
    _write_child(stream, corpus_header(entries, edition))
    for entry in entries:
        stream.write(f'  <xi:include href="{include_href(entry.doc_id)}"/>\n'.encode())
    stream.write(b"</teiCorpus>\n")


def include_href(doc_id: str) -> str:
    """The href of an article's file: its name, percent-encoded (a space is allowed in an id, not in a URI)."""
    return quote(f"{doc_id}.xml", safe="")


def _write_start(stream: BinaryIO, entries: Sequence[CorpusEntry], schema_href: str, extra_namespaces: str) -> None:
    stream.write(prolog(schema_href))
    stream.write(f'<teiCorpus xmlns="{TEI_NS}"{extra_namespaces} xml:id="{CORPUS_ID}" xml:lang="{corpus_language(entries)}">\n'.encode())


def _write_child(stream: BinaryIO, element: etree._Element) -> None:
    """One child of teiCorpus, indented as a child (the writer's indent, not lxml's: lxml's would
    put whitespace into mixed content such as the header's removal counts)."""
    indent(element, level=1)
    stream.write(b"  " + _without_namespace_declaration(etree.tostring(element, encoding="UTF-8")) + b"\n")


NAMESPACE_DECLARATION = f' xmlns="{TEI_NS}"'.encode()


def _without_namespace_declaration(serialised: bytes) -> bytes:
    """A child serialised alone repeats the TEI namespace its parent already declares: drop it."""
    end_of_tag = serialised.index(b">")
    return serialised[:end_of_tag].replace(NAMESPACE_DECLARATION, b"", 1) + serialised[end_of_tag:]


def read_article(data: bytes) -> etree._Element:
    """A TEI file corpustools itself wrote, parsed back (no entities, any size)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True, remove_blank_text=True)
    return etree.fromstring(data, parser)
