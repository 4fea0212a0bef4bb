"""Citations into an article ("d2.p3"), resolved the way its header's citeStructure declares.

The resolver reads the declaration, not a copy of its rules: each citeStructure matches parts
(an XPath relative to its parent's parts), numbers them by position and puts its delimiter in
front of the number, so "d2.p3" is delim "d", the second section, delim ".p", its third
paragraph. It reads the subset of XPath corpustools writes (element paths joined by "|").
"""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

from ..errors import CitationError
from .elements import TEI_NS, T

POSITION = "position()"


def resolve(article: etree._Element, citation: str) -> list[etree._Element]:
    """Every element of the article (a TEI element) that the citation names: one, if it is valid."""
    found: list[etree._Element] = []
    for structure in _structures(article):
        found.extend(_resolve(structure, article, citation))
    return found


def resolve_one(article: etree._Element, citation: str) -> etree._Element:
    """The one element a citation names, or a CitationError that says why not."""
    found = resolve(article, citation)
    if len(found) != 1:
        what = "no part" if not found else f"{len(found)} parts"
        raise CitationError(f"the citation {citation!r} names {what} of the article (forms: d2.p3, p1, d1.quote1.p2, d3.list1.i2)")
    return found[0]


def citations(article: etree._Element) -> Iterator[tuple[str, etree._Element]]:
    """Every citation the article's citeStructure makes, with the element it names, in document order
    of the structures (sections first, then what stands directly in body)."""
    for structure in _structures(article):
        yield from _citations(structure, article, "")


def _structures(article: etree._Element) -> list[etree._Element]:
    structures: list[etree._Element] = article.findall(f"{T}teiHeader/{T}encodingDesc/{T}refsDecl/{T}citeStructure")
    if not structures:
        raise CitationError("the article's header declares no citeStructure (refsDecl)")
    return structures


def _parts(structure: etree._Element, context: etree._Element) -> list[etree._Element]:
    """The parts a citeStructure matches in its context, in document order."""
    expression = " | ".join(_tei_path(path.strip()) for path in structure.get("match", "").split("|"))
    return list(context.xpath(expression, namespaces={"tei": TEI_NS}))


def _tei_path(path: str) -> str:
    """'/TEI/text/body/div' -> 'self::tei:TEI/tei:text/tei:body/tei:div' (the article element is the
    context, so the path also works inside corpus.xml); 'quote/p' -> 'tei:quote/tei:p'."""
    steps = [f"tei:{step}" for step in path.strip("/").split("/")]
    if path.startswith("/"):
        steps[0] = "self::" + steps[0]
    return "/".join(steps)


def _value(structure: etree._Element, part: etree._Element, position: int) -> str:
    use = structure.get("use", "")
    if use == POSITION:
        return str(position)
    return str(part.xpath(f"string({_tei_path(use)})", namespaces={"tei": TEI_NS}))


def _resolve(structure: etree._Element, context: etree._Element, rest: str) -> list[etree._Element]:
    delimiter = structure.get("delim", "")
    if not rest.startswith(delimiter):
        return []
    rest = rest[len(delimiter) :]
    found: list[etree._Element] = []
    for position, part in enumerate(_parts(structure, context), start=1):
        value = _value(structure, part, position)
        if not value or not rest.startswith(value):
            continue
        remainder = rest[len(value) :]
        if not remainder:
            found.append(part)
            continue
        for child in structure.findall(f"{T}citeStructure"):
            found.extend(_resolve(child, part, remainder))
    return found


def _citations(structure: etree._Element, context: etree._Element, prefix: str) -> Iterator[tuple[str, etree._Element]]:
    for position, part in enumerate(_parts(structure, context), start=1):
        citation = f"{prefix}{structure.get('delim', '')}{_value(structure, part, position)}"
        yield citation, part
        for child in structure.findall(f"{T}citeStructure"):
            yield from _citations(child, part, citation)
