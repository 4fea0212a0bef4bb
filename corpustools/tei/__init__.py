"""Document -> TEI P5, valid by construction; and TEI -> text, the way back.

The places other tools read are fixed (README, "The TEI contract"): the main title in
titleStmt/title[@type='main'], authors in titleStmt/author, the original in
sourceDesc/biblStruct, sections as nested body/div with head. Every citable part carries an
xml:id made from its own text, so it survives edits elsewhere; citations by position ("d2.p3")
follow each header's citeStructure (tei.citation resolves them).
"""

from __future__ import annotations

from .article import build_tei, serialise, to_tei_string
from .elements import (
    LANGUAGE_NAMES,
    MISSING,
    TEI_NS,
    XML_ID,
    XML_LANG,
    Edition,
    ExportRecord,
    Person,
    T,
    language_name,
    xml_id,
)
from .header import word_count
from .reading import TEXT_ELEMENTS, text_units

__all__ = [
    "LANGUAGE_NAMES",
    "TEI_NS",
    "TEXT_ELEMENTS",
    "MISSING",
    "XML_ID",
    "XML_LANG",
    "Edition",
    "ExportRecord",
    "Person",
    "T",
    "build_tei",
    "language_name",
    "serialise",
    "text_units",
    "to_tei_string",
    "word_count",
    "xml_id",
]
