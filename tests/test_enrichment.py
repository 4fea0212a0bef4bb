"""What a scholar adds after export (issue 14): names with @ref and @cert, notes, q, milestones,
inside the text's paragraphs, headings, attributions, bylines and author names. A real exported seed is
enriched with lxml, as a named-entity pass or an editor would do it, and must stay valid against
the project schema and tei_all; the project's own rules still hold (and still reject what they
rejected), and the way back to text is the article's words, without the editor's notes.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree
from paths import RAW, ROOT

from corpustools.cli import main
from corpustools.tei import XML_ID, T, text_units
from corpustools.validate import validate_file

SEED = "002_89b6ca824f38df5a"  # headings, attributed quotations, a byline: every enriched place
DOCUMENT = f"doc-{SEED}"
WIKIDATA = "https://www.wikidata.org/wiki/"
EDITOR = "https://orcid.org/0000-0002-1825-0097"


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed as `corpustools export` writes it."""
    work = tmp_path_factory.mktemp("enrichment")
    config = ["--config", str(ROOT / "corpustools.toml")]
    runner = CliRunner()
    assert runner.invoke(main, ["clean", str(RAW), "-o", str(work / "clean"), "--quiet", *config]).exit_code == 0
    assert runner.invoke(main, ["export", str(work / "clean"), "-o", str(work / "tei"), "--quiet", *config]).exit_code == 0
    return work / "tei" / f"{SEED}.xml"


def wrap(element: etree._Element, words: str, tag: str, **attributes: str) -> etree._Element:
    """Mark the first occurrence of `words` in the element's own text (or a child's tail) with a
    new element, as an annotation tool does: the words move into it, nothing else changes."""
    slots: list[tuple[etree._Element | None, str]] = [(None, element.text or "")] + [(child, child.tail or "") for child in element]
    for index, (before, text) in enumerate(slots):
        start = text.find(words)
        if start < 0:
            continue
        new = etree.Element(T + tag, attributes)
        new.text, new.tail = words, text[start + len(words) :]
        if before is None:
            element.text = text[:start]
            element.insert(0, new)
        else:
            before.tail = text[:start]
            element.insert(index, new)
        return new
    raise AssertionError(f"{words!r} is not in this {etree.QName(element).localname}")


def put_after(marked: etree._Element, new: etree._Element) -> etree._Element:
    """Put a note or a milestone right after words already marked, before the text that follows them."""
    following, marked.tail = marked.tail, None
    marked.addnext(new)
    new.tail = following
    return new


def first(root: etree._Element, xpath: str, containing: str) -> etree._Element:
    found = [element for element in root.xpath(xpath, namespaces={"tei": T[1:-1]}) if containing in "".join(element.itertext())]
    assert found, f"no {xpath} holds {containing!r}"
    return found[0]


def enrich(root: etree._Element) -> None:
    """The enrichment: every element and attribute the profile allows for it, each somewhere real."""
    byline_author = root.find(f".//{T}front/{T}byline/{T}docAuthor")
    wrap(byline_author, byline_author.text, "persName", ref=WIKIDATA + "Q6909468", cert="medium", resp=EDITOR)
    wrap(byline_author.getparent(), "Cambridge Marxists", "orgName", cert="medium")  # the byline's own words, beside the author
    attribution = first(root, "//tei:text//tei:cit/tei:bibl", "Leon Trotsky")
    wrap(attribution, "Leon Trotsky", "persName", ref=WIKIDATA + "Q33391", cert="high")
    wrap(attribution, "Mexico", "placeName", ref=WIKIDATA + "Q96", cert="high", type="country")
    heading = first(root, "//tei:text//tei:head", "Stalin")
    wrap(heading, "Stalin", "persName", ref=WIKIDATA + "Q855")
    paragraph = first(root, "//tei:text//tei:body//tei:p", "Bolshevik")
    party = wrap(paragraph, "Bolshevik", "orgName", ref=WIKIDATA + "Q190648", cert="low")
    party.set(XML_ID, f"{DOCUMENT}.org1")
    quoted = first(root, "//tei:text//tei:p", "“If we take Moscow”")
    spoken = wrap(quoted, "“If we take Moscow”", "q", type="spoken")
    put_after(spoken, etree.Element(T + "milestone", unit="page", n="2"))
    note = etree.Element(T + "note", {"type": "editorial", "resp": EDITOR, XML_ID: f"{DOCUMENT}.note1"})
    note.text = "The party is named by the editor, not in the source; see also "
    reference = etree.SubElement(note, T + "orgName", ref=f"#{DOCUMENT}.org1")
    reference.text = "the party"
    reference.tail = "."
    put_after(party, note)


def enriched_copy(exported: Path, tmp_path: Path, change: Callable[[etree._Element], None] | None = None) -> Path:
    tree = etree.parse(str(exported))
    enrich(tree.getroot())
    if change is not None:
        change(tree.getroot())
    path = tmp_path / exported.name
    tree.write(str(path), encoding="UTF-8", xml_declaration=True)
    return path


def test_an_enriched_export_is_valid_here_and_against_tei_all(exported: Path, tei_all: etree.RelaxNG, tmp_path: Path) -> None:
    path = enriched_copy(exported, tmp_path)
    text = path.read_text("utf-8")
    for added in ("<persName ", "<placeName ", "<orgName ", "<note ", "<q ", "<milestone ", 'cert="high"', 'ref="https://www.wikidata.org/wiki/Q855"'):
        assert added in text, added
    assert validate_file(path) == []
    tree = etree.parse(str(path))
    assert tei_all.validate(tree), "\n".join(f"{error.line}: {error.message}" for error in tei_all.error_log)


def test_enrichment_keeps_the_articles_words(exported: Path, tmp_path: Path) -> None:
    """`corpustools text` gives the same article back: names, q and milestones keep the words, the editor's note is left out."""
    before = text_units(etree.parse(str(exported)))
    after = text_units(etree.parse(str(enriched_copy(exported, tmp_path))))
    assert after == before
    result = CliRunner().invoke(main, ["text", str(enriched_copy(exported, tmp_path))])
    assert result.exit_code == 0, result.output
    assert "named by the editor" not in result.output and "If we take Moscow" in result.output


def _named(root: etree._Element, tag: str) -> etree._Element:
    return root.find(f".//{T}text//{T}{tag}")


BROKEN: dict[str, tuple[Callable[[etree._Element], None], str]] = {
    # case: (how to break the enriched file, the message expected)
    "empty name": (lambda root: _set_text(_named(root, "placeName"), " "), "This placeName is empty; a name holds the words the text names it with."),
    "ref that is no URI": (
        lambda root: _named(root, "persName").set("ref", "Q6909468"),
        "The @ref 'Q6909468' of this persName leads nowhere; point at an authority record",
    ),
    "ref to a missing id": (
        lambda root: _named(root, "note").find(f"{T}orgName").set("ref", "#nowhere"),
        "The @ref '#nowhere' of this orgName leads nowhere",
    ),
    "id without the document prefix": (
        lambda root: _named(root, "note").set(XML_ID, "note1"),
        f"The xml:id 'note1' of this note does not start with the document's id '{DOCUMENT}' and a dot",
    ),
    "certainty as a number": (lambda root: _named(root, "persName").set("cert", "0.8"), "Invalid attribute cert for element persName"),
    "milestone without unit": (lambda root: _named(root, "milestone").attrib.pop("unit"), "Element milestone failed to validate attributes"),
    "a name in the header": (
        lambda root: wrap(root.find(f".//{T}publicationStmt/{T}publisher"), "corpustools", "orgName"),
        "Did not expect element orgName there",
    ),
}


def _set_text(element: etree._Element, text: str) -> None:
    element.text = text


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_enrichment_that_breaks_a_project_rule_is_rejected(case: str, exported: Path, tmp_path: Path) -> None:
    breaking, message = BROKEN[case]
    path = enriched_copy(exported, tmp_path, breaking)
    problems = validate_file(path)
    assert any(problem.message.startswith(message) for problem in problems), "\n".join(map(str, problems))
    # libxml2 gives no line for an attribute error inside an interleave; the paragraph's own error has one.
    assert any(problem.line > 0 for problem in problems), "\n".join(map(str, problems))
