"""What every part of the TEI writer shares: namespaces, ids, the element builder, the edition and
the export record, language names."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources

from lxml import etree

from ..model import Document

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


MISSING = "missing"  # @subtype of an element left empty because the source does not give its value


@dataclass(frozen=True)
class Person:
    """Someone responsible for the edition (from the project config): the header's respStmt."""

    name: str
    role: str = "Corpus editor"
    orcid: str = ""  # the bare identifier, 0000-0002-1825-0097
    affiliation: str = ""


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
    people: tuple[Person, ...] = ()
    institution: str = ""
    date: str = ""  # the edition date, ISO 8601; never the clock
    date_origin: str = ""  # where the date came from, in words, for the header ("" with no date)

    @property
    def responsible(self) -> tuple[Person, ...]:
        """The people the header names: the configured ones, or the `encoder` shorthand."""
        if self.people:
            return self.people
        return (Person(self.encoder),) if self.encoder else ()


@dataclass(frozen=True)
class ExportRecord:
    """What happened to the article before export: from the clean step's log."""

    removal_counts: dict[str, int] = field(default_factory=dict)
    layer_counts: dict[str, int] = field(default_factory=dict)
    hand_edited: bool = False
    edited_fields: tuple[str, ...] = ()  # header fields whose value differs from what `clean` wrote
    edited_lines: int = -1  # lines of the cleaned file changed by hand; -1 when the log cannot tell

    @classmethod
    def of(cls, document: Document) -> ExportRecord:
        """The record a Document carries itself: what a caller of the library API gets when it
        exports a document cleaned in memory (no log file to read the counts from)."""
        layers: dict[str, int] = {}
        for removal in document.removals:
            layers[removal.layer.value] = layers.get(removal.layer.value, 0) + 1
        return cls(removal_counts=document.removal_counts(), layer_counts=dict(sorted(layers.items())))


def xml_id(doc_id: str) -> str:
    """A document id as an XML NCName: ids that start with a digit get a 'doc-' prefix."""
    cleaned = NOT_NCNAME.sub("_", doc_id)
    return cleaned if NCNAME_START.match(cleaned) else f"doc-{cleaned}"


def add(parent: etree._Element, tag: str, text: str | None = None, **attributes: str) -> etree._Element:
    """A TEI child element with its text and attributes: how every writer of this package builds."""
    element = etree.SubElement(parent, T + tag, attributes)
    if text:
        element.text = text
    return element


# Elements of the text whose content is text, maybe with phrase-level children (a lead-in's hi, a
# byline's docAuthor): whitespace inside them is part of the text, so the serialiser never
# indents inside them ("<p>\n  <hi>" would add a space the source does not have). Any other
# element that holds text of its own beside its children is left alone too (_is_mixed).
# Not here: author and bibl in the headers, whose children are fields read one by one.
MIXED_CONTENT = frozenset(T + name for name in ("p", "head", "hi", "item", "titlePart", "byline", "docAuthor", "signed", "dateline"))


def indent(element: etree._Element, level: int = 0, space: str = "  ") -> None:
    """Indent element content for reading, and leave mixed content exactly as built.

    lxml's own indent puts a newline and spaces into every element with children, so a paragraph
    opening with a highlighted lead-in got a leading space its source never had.
    """
    children = list(element)
    if not children or _is_mixed(element):
        return
    inner = "\n" + space * (level + 1)
    if not (element.text and element.text.strip()):
        element.text = inner
    for child in children:
        indent(child, level + 1, space)
        if not (child.tail and child.tail.strip()):
            child.tail = inner
    children[-1].tail = "\n" + space * level


def _is_mixed(element: etree._Element) -> bool:
    """Mixed content: a text element, or any element whose own text or children's tails hold text."""
    if element.tag in MIXED_CONTENT or (element.text and element.text.strip()):
        return True
    return any(child.tail and child.tail.strip() for child in element)


def prolog(schema_href: str = "") -> bytes:
    """The start of every file the writer makes: the XML declaration, and the xml-model link to
    the schema when one is asked for (an article file and corpus.xml alike)."""
    head = b'<?xml version="1.0" encoding="UTF-8"?>\n'
    if schema_href:
        head += f'<?xml-model href="{schema_href}" type="application/xml" schematypens="http://relaxng.org/ns/structure/1.0"?>\n'.encode()
    return head


def make(tag: str, text: str, **attributes: str) -> etree._Element:
    element = etree.Element(T + tag, attributes)
    element.text = text
    return element
