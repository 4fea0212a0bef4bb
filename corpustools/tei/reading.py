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
        content = " ".join(_article_text(element).split())
        if content:
            units.append(content)
    return units


def _article_text(element: etree._Element) -> str:
    """An element's text without the notes an editor added to it (schemas/README.md,
    "Enrichment"): a note is about the article, not in it. Names, q and milestones keep their words."""
    parts = [element.text or ""]
    for child in element:
        if child.tag != T + "note" and isinstance(child.tag, str):
            parts.append(_article_text(child))
        parts.append(child.tail or "")
    return "".join(parts)
