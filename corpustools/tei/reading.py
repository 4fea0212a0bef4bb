"""TEI -> text, the way back: the article's text units from a TEI file, for scoring and round trips."""

from __future__ import annotations

from lxml import etree

from .elements import T

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
