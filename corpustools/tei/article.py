"""One article as a TEI file: the header and the text, and the bytes written to disk."""

from __future__ import annotations

from lxml import etree

from ..model import Document
from .elements import TEI_NS, XML_ID, XML_LANG, Edition, ExportRecord, T, indent, prolog, xml_id
from .header import build_header
from .text import build_text


def build_tei(document: Document, record: ExportRecord | None = None, edition: Edition | None = None) -> etree._ElementTree:
    """The TEI tree of one document; without a record, the document's own removals are reported."""
    record = record or ExportRecord.of(document)
    edition = edition or Edition()
    root = etree.Element(T + "TEI", nsmap={None: TEI_NS})
    root.set(XML_ID, xml_id(document.id))
    root.set(XML_LANG, document.metadata.language.value or "und")
    build_header(root, document, record, edition)
    build_text(root, document)
    return etree.ElementTree(root)


def serialise(tree: etree._ElementTree, schema_href: str = "") -> bytes:
    """Bytes of a TEI file: UTF-8, declaration, optional xml-model link, stable formatting."""
    indent(tree.getroot())
    body: bytes = etree.tostring(tree, encoding="UTF-8", xml_declaration=False, pretty_print=True)
    return prolog(schema_href) + body


def to_tei_string(document: Document, record: ExportRecord | None = None, edition: Edition | None = None) -> str:
    return serialise(build_tei(document, record, edition)).decode("utf-8")
