"""The article and corpus teiHeader (issue 14): provenance and certainty of every value, the
edition and its date, who is responsible, the web source, editorial practice as elements,
textClass, one marker for missing values, affiliations outside the names.

Most tests run the real commands on the three seed articles (raw/), in a temporary folder,
with an explicit --config so the repository's own corpustools.toml does not decide.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from lxml import etree
from paths import ROOT

from corpustools.catalogue import load_catalogue
from corpustools.cleanfile import parse
from corpustools.cli import main
from corpustools.config import load_config
from corpustools.errors import CatalogueError, CleanedFileError, ConfigError
from corpustools.provenance import changed_lines, line_digests
from corpustools.validate import validate_file

NS = {"tei": "http://www.tei-c.org/ns/1.0"}
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
RAW = ROOT / "raw"
SEED = "000_7584a26c6b66eb82"
UNTITLED_SEED = "002_89b6ca824f38df5a"
REVIEW_SEED = "004_7ffd91957bcffdf4"
PEOPLE_CONFIG = """[project]
publisher = "The Harbour Archive"
institution = "University of Somewhere"
edition_date = "2024-05-01"

[[project.people]]
name = "Ada Example"
role = "Corpus editor"
orcid = "https://orcid.org/0000-0002-1825-0097"
affiliation = "University of Somewhere"

[[project.people]]
name = "Ben Example"
role = "Encoder"
"""


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, list(map(str, args)), catch_exceptions=False)


def errors(result: Result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line]


def xpath(tree: etree._ElementTree | etree._Element, path: str) -> list:
    return tree.xpath(path, namespaces=NS)


def one(tree: etree._ElementTree | etree._Element, path: str) -> etree._Element:
    found = xpath(tree, path)
    assert len(found) == 1, (path, len(found))
    return found[0]


def resolves(tree: etree._ElementTree, pointers: str) -> list[str]:
    """The tags of the elements a list of '#id' pointers leads to, in the same file."""
    tags = []
    for pointer in pointers.split():
        assert pointer.startswith("#"), pointer
        (target,) = xpath(tree, f"//*[@xml:id='{pointer[1:]}']")
        tags.append(etree.QName(target).localname)
    return tags


@pytest.fixture(scope="module")
def raw_seeds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed articles with a catalogue that gives a URL, a retrieval date and a licence to one."""
    raw = tmp_path_factory.mktemp("header") / "raw"
    shutil.copytree(RAW, raw)
    catalogue = (raw / "catalogue.toml").read_text("utf-8")
    catalogue = catalogue.replace(
        '["000_7584a26c6b66eb82"]\n',
        '["000_7584a26c6b66eb82"]\nurl = "https://socialistworker.co.uk/art/1817"\nretrieved = 2024-03-02\nlicence = "All rights reserved"\n',
    )
    (raw / "catalogue.toml").write_text(catalogue, "utf-8")
    return raw


@pytest.fixture(scope="module")
def clean_seeds(raw_seeds: Path) -> Path:
    result = run("clean", raw_seeds, "-o", raw_seeds.parent / "clean", "--quiet")
    assert result.exit_code == 0, result.output
    return raw_seeds.parent / "clean"


def export(clean: Path, out: Path, config_text: str, monkeypatch: pytest.MonkeyPatch, epoch: str = "") -> tuple[Path, Result]:
    """Export `clean` with a config of this text; SOURCE_DATE_EPOCH set only when given."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    if epoch:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    config = out.parent / f"{out.name}.toml"
    config.write_text(config_text, "utf-8")
    result = run("export", clean, "-o", out, "--config", config)
    assert result.exit_code == 0, result.output
    return out, result


@pytest.fixture(scope="module")
def exported(clean_seeds: Path) -> Path:
    """The seeds exported with people and an edition date in the config."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        out, _ = export(clean_seeds, clean_seeds.parent / "tei", PEOPLE_CONFIG, monkeypatch)
    return out


def tei(folder: Path, doc_id: str) -> etree._ElementTree:
    return etree.parse(str(folder / f"{doc_id}.xml"))


# ---------------------------------------------------------------- 1. provenance and certainty


def test_each_extracted_value_names_the_tool_its_certainty_and_its_source_line(exported: Path) -> None:
    tree = tei(exported, SEED)
    application = f"#doc-{SEED}.corpustools"
    assert resolves(tree, application) == ["application"]
    date = one(tree, "//tei:biblStruct//tei:imprint/tei:date")
    # The cleaned file: date = "2002-09-14"  # line 62 (rule metadata.date-line) (confidence 0.90)
    assert (date.get("resp"), date.get("cert"), date.get("source")) == (application, "high", f"{SEED}.txt#line=61,62")
    publication = one(tree, "//tei:monogr/tei:title[@level='j']")
    # publication = "Socialist Worker"  # line 1 (...) (confidence 0.80): surer than half, not sure
    assert (publication.get("resp"), publication.get("cert"), publication.get("source")) == (application, "medium", f"{SEED}.txt#line=0,1")
    title = one(tree, "//tei:titleStmt/tei:title[@type='main']")
    assert (title.get("resp"), title.get("source")) == (application, f"{SEED}.txt#line=3,4")
    raw_lines = (RAW / f"{SEED}.txt").read_text("utf-8").split("\n")
    assert raw_lines[3].startswith(title.text), "the RFC 5147 fragment line=3,4 is the file's fourth line, which holds the title"
    assert one(tree, "//tei:langUsage/tei:language").get("resp") == application
    # Authors are weighed by their evidence too: "... Charlie Kimber replies" in a standfirst
    # (0.7) is less sure than a byline the labeller labelled A ("by Mordecai Levi, ...": 0.9).
    assert one(tree, "//tei:titleStmt/tei:author").get("cert") == "medium"
    assert one(tei(exported, UNTITLED_SEED), "//tei:titleStmt/tei:author").get("cert") == "high"
    notes = {item.get("n"): item.text for item in xpath(tree, "//tei:notesStmt/tei:note[@type='provenance']//tei:item")}
    assert notes["date"] == "date: line 62 (rule metadata.date-line) (confidence 0.90)"


def test_catalogue_values_name_the_people_and_the_catalogue(exported: Path) -> None:
    tree = tei(exported, SEED)
    url = one(tree, "//tei:analytic/tei:idno[@type='URI']")
    assert (url.text, url.get("cert"), url.get("source")) == ("https://socialistworker.co.uk/art/1817", "high", "catalogue.toml")
    assert resolves(tree, url.get("resp")) == ["persName", "persName"]
    keywords = one(tree, "//tei:textClass/tei:keywords")
    assert resolves(tree, keywords.get("resp")) == ["persName", "persName"]


def test_a_hand_edit_is_a_persons_value_and_the_change_says_what_changed(clean_seeds: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    clean = tmp_path / "clean"
    shutil.copytree(clean_seeds, clean)
    path = clean / f"{REVIEW_SEED}.txt"
    text = path.read_text("utf-8")
    text = text.replace('date = "2002-10"', 'date = "2002-10-15"').replace('publication = ""', 'publication = "Weekly Worker"')
    text = text.replace("Total fabrication", "Total fabrications")
    path.write_text(text, "utf-8")
    out, _ = export(clean, tmp_path / "tei", PEOPLE_CONFIG, monkeypatch)
    tree = tei(out, REVIEW_SEED)
    people = f"#doc-{REVIEW_SEED}.person1 #doc-{REVIEW_SEED}.person2"
    date = one(tree, "//tei:imprint/tei:date")
    assert (date.get("when"), date.get("resp"), date.get("cert"), date.get("source")) == ("2002-10-15", people, "high", None)
    assert one(tree, "//tei:monogr/tei:title").get("resp") == people
    title = one(tree, "//tei:titleStmt/tei:title[@type='main']")
    assert title.get("resp") == f"#doc-{REVIEW_SEED}.corpustools", "an untouched value keeps its provenance"
    changes = xpath(tree, "//tei:revisionDesc/tei:change")
    assert [(change.get("when"), change.get("who")) for change in changes] == [("2024-05-01", f"#doc-{REVIEW_SEED}.corpustools"), ("2024-05-01", people)]
    assert changes[1].text == (
        "Hand corrections in the cleaned text file before export: metadata changed: publication, date; 3 lines of the cleaned file changed."
    )
    assert validate_file(out / f"{REVIEW_SEED}.xml") == []


def test_restore_names_each_changed_field_and_keeps_the_provenance_of_the_others() -> None:
    from corpustools.model import Author, Field, Metadata
    from corpustools.provenance import metadata_record, restore

    written = Metadata(
        title=Field("T", "line 1 (rule front.first-line-title)"),
        date=Field("2002-10", "line 9 (rule metadata.date-line) (confidence 0.90)", "October 2002", 0.9),
        authors=(Author("Ada Example", "Org", "line 2 (rule metadata.byline)", 0.9),),
        keywords=("a",),
    )
    record = metadata_record(written)
    unchanged = restore(Metadata(title=Field("T"), date=Field("2002-10", original="October 2002"), authors=(Author("Ada Example", "Org"),), keywords=("a",)), record)
    assert unchanged.edited_fields == ()
    assert unchanged.metadata.date == written.date and unchanged.metadata.authors == written.authors
    edited = restore(Metadata(title=Field(""), date=Field("2002-10", original="Oct. 2002"), authors=(Author("Ben Example"),), keywords=("a", "b")), record)
    assert edited.edited_fields == ("title", "date_in_text", "authors", "affiliations", "keywords")
    assert edited.metadata.date.source == written.date.source, "only the wording changed"
    assert edited.metadata.authors == (Author("Ben Example", "", "hand edit"),)


def test_changed_lines_counts_replaced_added_and_deleted_lines() -> None:
    recorded = line_digests("a\nb\nc\nd")
    assert changed_lines(recorded, "a\nb\nc\nd") == 0
    assert changed_lines(recorded, "a\nB\nc\nd") == 1
    assert changed_lines(recorded, "a\nb\nc\nd\ne\nf") == 2
    assert changed_lines(recorded, "a\nd") == 2


def test_the_schema_accepts_cert_and_refuses_a_resp_that_leads_nowhere(exported: Path, tmp_path: Path) -> None:
    path = exported / f"{SEED}.xml"
    assert validate_file(path) == []
    tree = tei(exported, SEED)
    date = one(tree, "//tei:imprint/tei:date")
    date.set("resp", "#nobody")
    broken = tmp_path / "broken.xml"
    tree.write(str(broken), xml_declaration=True, encoding="UTF-8")
    messages = [problem.message for problem in validate_file(broken)]
    assert any(message.startswith("The pointer '#nobody' of this date does not lead to an element of the file") for message in messages), messages


# ---------------------------------------------------------------- 2, 3. history and the edition date


def test_the_edition_date_comes_from_the_config_and_the_header_says_so(exported: Path) -> None:
    tree = tei(exported, SEED)
    assert one(tree, "//tei:editionStmt/tei:edition/tei:date").get("when") == "2024-05-01"
    assert "(from [project] edition_date in tei.toml)" in "".join(one(tree, "//tei:editionStmt/tei:edition").itertext())
    assert one(tree, "//tei:publicationStmt/tei:date").get("when") == "2024-05-01"
    change = one(tree, "//tei:revisionDesc/tei:change")
    assert (change.get("when"), resolves(tree, change.get("who"))) == ("2024-05-01", ["application"])


def test_the_edition_date_falls_back_on_source_date_epoch(clean_seeds: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out, _ = export(clean_seeds, tmp_path / "tei", '[project]\npublisher = "X"\n', monkeypatch, epoch="1700000000")
    tree = tei(out, SEED)
    assert one(tree, "//tei:publicationStmt/tei:date").get("when") == "2023-11-14"
    assert "(from the SOURCE_DATE_EPOCH environment variable (1700000000))" in "".join(one(tree, "//tei:edition").itertext())
    assert one(etree.parse(str(out / "corpus.xml")), "/tei:teiCorpus/tei:teiHeader//tei:revisionDesc/tei:change").get("when") == "2023-11-14"


def test_without_a_date_nothing_is_dated_and_the_header_says_why(clean_seeds: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out, _ = export(clean_seeds, tmp_path / "tei", '[project]\npublisher = "X"\n', monkeypatch)
    again, _ = export(clean_seeds, tmp_path / "tei2", '[project]\npublisher = "X"\n', monkeypatch)
    for name in (f"{SEED}.xml", "corpus.xml"):
        tree = etree.parse(str(out / name))
        assert xpath(tree, "//tei:teiHeader//*[@when][not(ancestor::tei:sourceDesc)]") == [], name
        assert "no edition date is recorded" in one(tree, "/*/tei:teiHeader//tei:edition").text
        assert (out / name).read_bytes() == (again / name).read_bytes(), "no clock: the same bytes"


def test_the_config_date_wins_over_source_date_epoch_and_a_bad_epoch_is_refused(tmp_path: Path) -> None:
    config = tmp_path / "corpustools.toml"
    config.write_text("[project]\nchange_date = 2024-05-01\n", "utf-8")
    edition = load_config(config, {"SOURCE_DATE_EPOCH": "1700000000"}).edition
    assert (edition.date, edition.date_origin) == ("2024-05-01", "[project] change_date in corpustools.toml")
    assert load_config(None, {"SOURCE_DATE_EPOCH": "0"}).edition.date == "1970-01-01"
    assert load_config(None, {}).edition.date == ""
    with pytest.raises(ConfigError, match="SOURCE_DATE_EPOCH must be a whole number of seconds"):
        load_config(None, {"SOURCE_DATE_EPOCH": "yesterday"})
    config.write_text('[project]\nchange_date = "2024-05-01"\nedition_date = "2024-05-02"\n', "utf-8")
    with pytest.raises(ConfigError, match="edition_date and change_date disagree"):
        load_config(config, {})


# ---------------------------------------------------------------- 4. who is responsible


def test_people_and_institution_come_from_the_config_and_software_is_only_in_app_info(exported: Path) -> None:
    tree = tei(exported, SEED)
    statements = xpath(tree, "//tei:titleStmt/tei:respStmt")
    assert [(one(s, "tei:resp").text, "".join(s.xpath("tei:persName/text() | tei:orgName/text()", namespaces=NS))) for s in statements] == [
        ("Corpus editor", "Ada Example"),
        ("Encoder", "Ben Example"),
        ("Institution responsible for the edition", "University of Somewhere"),
    ]
    ada = one(tree, "//tei:respStmt/tei:persName[. = 'Ada Example']")
    assert ada.get("ref") == "https://orcid.org/0000-0002-1825-0097"
    assert one(tree, "//tei:respStmt[tei:persName = 'Ada Example']/tei:note[@type='affiliation']").text == "University of Somewhere"
    assert not [text for text in xpath(tree, "//tei:titleStmt//text()") if "corpustools" in text]
    assert one(tree, "//tei:appInfo/tei:application").get("ident") == "corpustools"


def test_without_people_the_header_says_not_stated_and_export_warns_once(clean_seeds: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out, result = export(clean_seeds, tmp_path / "tei", '[project]\npublisher = "X"\n', monkeypatch)
    assert errors(result) == [
        f"warning: {tmp_path / 'tei.toml'} names no people: the TEI headers say \"not stated\" for who is responsible for the edition; "
        "name them in [[project.people]] (name, role, orcid, affiliation) or with [project] encoder"
    ]
    tree = tei(out, SEED)
    assert [s.xpath("string(tei:name | tei:orgName)", namespaces=NS) for s in xpath(tree, "//tei:titleStmt/tei:respStmt")] == ["not stated", "not stated"]
    assert resolves(tree, one(tree, "//tei:textClass/tei:keywords").get("resp")) == ["name"]


@pytest.mark.parametrize(
    ("people", "message"),
    [
        ('[[project.people]]\nrole = "Editor"\n', "[[project.people]] 1 has no name"),
        ('[[project.people]]\nname = "A"\norcid = "12345"\n', "[[project.people]] 1: orcid '12345' is not an ORCID iD"),
        ('[[project.people]]\nname = "A"\nemail = "a@b"\n', "[[project.people]] 1 has unknown keys: 'email'"),
        ("[project]\npeople = 3\n", "[project] people must be an array of tables"),
    ],
)
def test_a_person_the_header_cannot_use_is_refused(people: str, message: str, tmp_path: Path) -> None:
    config = tmp_path / "corpustools.toml"
    config.write_text(people if people.startswith("[project]") else f"[project]\n{people}", "utf-8")
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace("]", r"\]")):
        load_config(config, {})


# ---------------------------------------------------------------- 5. the web source


def test_the_web_source_has_its_url_retrieval_date_licence_and_the_files_digest(exported: Path) -> None:
    tree = tei(exported, SEED)
    assert one(tree, "//tei:biblStruct/tei:analytic/tei:idno[@type='URI']").text == "https://socialistworker.co.uk/art/1817"
    scraped = one(tree, "//tei:sourceDesc/tei:bibl[@type='scraped-file']")
    assert one(scraped, "tei:idno[@type='filename']").text == f"{SEED}.txt"
    assert one(scraped, "tei:idno[@type='sha256']").text == hashlib.sha256((RAW / f"{SEED}.txt").read_bytes()).hexdigest()
    retrieved = one(scraped, "tei:date[@type='retrieved']")
    assert (retrieved.get("when"), retrieved.get("source")) == ("2024-03-02", "catalogue.toml")
    assert one(tree, "//tei:biblStruct/tei:note[@type='licence']").text == "All rights reserved"
    assert "SHA-256" not in "".join(one(tree, "//tei:biblStruct").itertext()), "the digest is data of the file's bibl, not prose"
    assert "All rights reserved" not in "".join(one(tree, "//tei:publicationStmt").itertext()), "the original's licence is not the edition's"


def test_the_catalogue_checks_the_retrieval_date(tmp_path: Path) -> None:
    (tmp_path / "catalogue.toml").write_text('["a"]\nretrieved = "last week"\n', "utf-8")
    with pytest.raises(CatalogueError, match="retrieved must be an ISO 8601 date"):
        load_catalogue(tmp_path)


# ---------------------------------------------------------------- 6. editorial practice


def test_editorial_practice_is_in_its_elements_and_removals_are_measures(exported: Path, clean_seeds: Path) -> None:
    import json

    tree = tei(exported, SEED)
    editorial = one(tree, "//tei:editorialDecl")
    assert [etree.QName(child).localname for child in editorial] == ["correction", "normalization", "quotation", "hyphenation", "segmentation", "p"]
    assert "kept as they are" in one(editorial, "tei:correction/tei:p").text
    assert one(editorial, "tei:quotation").get("marks") == "all"
    assert xpath(tree, "//tei:teiHeader//tei:p[@n]") == []
    log = json.loads((clean_seeds / f"{SEED}.log.json").read_text("utf-8"))
    by_category = {m.get("commodity"): int(m.get("quantity")) for m in xpath(editorial, "tei:p/tei:measureGrp[@type='by-category']/tei:measure")}
    assert by_category == log["removed_by_category"]
    total = one(editorial, "tei:p/tei:measure")
    assert int(total.get("quantity")) == sum(by_category.values()) == len(log["removals"])
    by_layer = {m.get("commodity"): int(m.get("quantity")) for m in xpath(editorial, "tei:p/tei:measureGrp[@type='by-layer']/tei:measure")}
    assert sum(by_layer.values()) == len(log["removals"])
    corpus = etree.parse(str(exported / "corpus.xml"))
    corpus_total = one(corpus, "/tei:teiCorpus/tei:teiHeader//tei:editorialDecl/tei:p/tei:measure")
    removed = sum(len(json.loads(path.read_text("utf-8"))["removals"]) for path in clean_seeds.glob("*.log.json"))
    assert int(corpus_total.get("quantity")) == removed


# ---------------------------------------------------------------- 7. profileDesc


def test_keywords_have_a_scheme_and_the_genre_is_a_category_not_a_keyword(exported: Path) -> None:
    tree = tei(exported, REVIEW_SEED)
    keywords = one(tree, "//tei:textClass/tei:keywords")
    assert resolves(tree, keywords.get("scheme")) == ["taxonomy"]
    assert [term.text for term in keywords] == ["Stalinism", "Martin Amis", "Koba the Dread"], "'book review' is the genre"
    cat_ref = one(tree, "//tei:textClass/tei:catRef")
    assert resolves(tree, cat_ref.get("scheme")) == ["taxonomy"]
    category = one(tree, f"//tei:category[@xml:id='{cat_ref.get('target')[1:]}']")
    assert one(category, "tei:catDesc").text == "book review"
    assert xpath(tei(exported, SEED), "//tei:catRef") == []


def test_the_genre_reaches_the_cleaned_file_and_an_unknown_genre_is_refused(clean_seeds: Path, tmp_path: Path) -> None:
    text = (clean_seeds / f"{REVIEW_SEED}.txt").read_text("utf-8")
    assert 'genre = ["book review"]' in text
    assert parse(text).metadata.genre == ("book-review",)
    with pytest.raises(CleanedFileError, match="genre 'limerick' is not in rules/genres.toml"):
        parse(text.replace('genre = ["book review"]', 'genre = ["limerick"]'))
    (tmp_path / "catalogue.toml").write_text('["a"]\ngenre = "limerick"\n', "utf-8")
    with pytest.raises(CatalogueError, match="genre must be a genre of rules/genres.toml"):
        load_catalogue(tmp_path)


def test_the_corpus_header_gives_each_language_its_usage(exported: Path) -> None:
    corpus = etree.parse(str(exported / "corpus.xml"))
    (language,) = xpath(corpus, "/tei:teiCorpus/tei:teiHeader//tei:langUsage/tei:language")
    assert (language.get("ident"), language.get("usage"), language.text) == ("en", "100", "English (3 articles)")


# ---------------------------------------------------------------- 8. one marker for missing values


MISSING_PLACES: dict[str, Callable[[etree._ElementTree], list]] = {
    "article title": lambda tree: xpath(tree, "/tei:TEI/tei:teiHeader//tei:titleStmt/tei:title[@type='main']"),
    "analytic title": lambda tree: xpath(tree, "/tei:TEI/tei:teiHeader//tei:analytic/tei:title"),
    "periodical": lambda tree: xpath(tree, "/tei:TEI/tei:teiHeader//tei:monogr/tei:title"),
    "date": lambda tree: xpath(tree, "/tei:TEI/tei:teiHeader//tei:imprint/tei:date"),
}


@pytest.mark.parametrize("place", sorted(MISSING_PLACES))
def test_a_missing_value_is_an_empty_element_marked_missing_everywhere(place: str, exported: Path) -> None:
    (element,) = MISSING_PLACES[place](tei(exported, UNTITLED_SEED))
    assert (element.get("subtype"), element.text, len(element)) == ("missing", None, 0)
    assert element.get("type") in ("main", "publication"), "TEI wants a @type beside @subtype"


def test_the_corpus_list_marks_missing_values_the_same_way_and_no_placeholder_text_leaks(exported: Path) -> None:
    corpus = etree.parse(str(exported / "corpus.xml"))
    entry = one(corpus, f"//tei:listBibl/tei:bibl[@corresp='#doc-{UNTITLED_SEED}']")
    assert [(etree.QName(e).localname, e.get("subtype"), e.text) for e in entry if e.get("subtype")] == [
        ("title", "missing", None),
        ("title", "missing", None),
        ("date", "missing", None),
    ]
    for path in sorted(exported.glob("*.xml")):
        titles = xpath(etree.parse(str(path)), "//tei:teiHeader//tei:title")
        assert not [title.text for title in titles if title.text and title.text.startswith("[")], path.name


# ---------------------------------------------------------------- 9. affiliations


def test_an_authors_text_is_the_name_and_the_affiliation_is_linked_beside_it(exported: Path) -> None:
    tree = tei(exported, UNTITLED_SEED)
    for author in xpath(tree, "//tei:titleStmt/tei:author | //tei:analytic/tei:author"):
        assert "".join(author.itertext()).strip() == "Mordecai Levi", "a consumer reading the author gets the name"
        person = one(tree, f"//tei:particDesc//tei:person[@xml:id='{author.get('ref')[1:]}']")
        assert (one(person, "tei:persName").text, one(person, "tei:affiliation").text) == ("Mordecai Levi", "Cambridge Marxists")
    assert xpath(tei(exported, SEED), "//tei:author/@ref | //tei:particDesc") == [], "no affiliation, no link"


def test_every_exported_header_is_valid(exported: Path) -> None:
    for path in sorted(exported.glob("*.xml")):
        assert validate_file(path) == [], path.name
