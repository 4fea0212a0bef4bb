"""tei/corpus.xml in its two forms (issue 14): by default a teiCorpus that includes each article's
file with xi:include, as the ParlaMint corpora are written, so a tool that loads tei/ sees each
article once; with `--corpus-file embedded`, one self-contained file. Both validate, against the
project schema and against tei_all (the include form once an XInclude processor resolved it),
and `corpustools validate` checks the include form across its files.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree
from paths import RAW, ROOT, SEED_IDS

from corpustools.cli import main
from corpustools.tei import XML_ID, T
from corpustools.validate import validate_file, validate_tree

XI = "{http://www.w3.org/2001/XInclude}"
CONFIG = ["--config", str(ROOT / "corpustools.toml")]


def run(*arguments: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(arguments))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def cleaned(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus-file") / "clean"
    assert run("clean", str(RAW), "-o", str(folder), "--quiet", *CONFIG)[0] == 0
    return folder


@pytest.fixture(scope="module")
def included(cleaned: Path) -> Path:
    """tei/ as `corpustools export` writes it by default."""
    folder = cleaned.parent / "tei"
    assert run("export", str(cleaned), "-o", str(folder), "--quiet", *CONFIG)[0] == 0
    return folder


@pytest.fixture(scope="module")
def embedded(cleaned: Path) -> Path:
    folder = cleaned.parent / "tei-embedded"
    assert run("export", str(cleaned), "-o", str(folder), "--corpus-file", "embedded", "--quiet", *CONFIG)[0] == 0
    return folder


@pytest.fixture()
def copy_of(included: Path, tmp_path: Path) -> Path:
    """A copy of the exported folder, to be broken one way per test."""
    return Path(shutil.copytree(included, tmp_path / "tei"))


def parse(path: Path) -> etree._ElementTree:
    return etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False))


def words(element: etree._Element) -> str:
    return " ".join("".join(element.itertext()).split())


def line_of(path: Path, needle: str) -> int:
    return next(number for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1) if needle in line)


# ---------------------------------------------------------------- the two forms


def test_the_corpus_includes_each_article_file_once(included: Path) -> None:
    root = parse(included / "corpus.xml").getroot()
    assert (root.tag, root.get(XML_ID)) == (T + "teiCorpus", "corpus")
    assert [child.tag for child in root] == [T + "teiHeader"] + [XI + "include"] * len(SEED_IDS)
    assert [include.get("href") for include in root.iter(XI + "include")] == [f"{doc_id}.xml" for doc_id in SEED_IDS]
    assert root.find(f".//{T}TEI") is None, "no article is copied into the corpus file"
    assert all((included / include.get("href")).is_file() for include in root.iter(XI + "include"))


def test_the_embedded_form_holds_every_article(embedded: Path) -> None:
    root = parse(embedded / "corpus.xml").getroot()
    assert root.get(XML_ID) == "corpus"
    assert [article.get(XML_ID) for article in root.findall(f"{T}TEI")] == [f"doc-{doc_id}" for doc_id in SEED_IDS]
    assert root.find(f"{XI}include") is None


def test_xinclude_resolves_the_corpus_to_the_embedded_one(included: Path, embedded: Path) -> None:
    """What lxml's XInclude processor makes of the default form is the embedded form, word for word."""
    resolved = parse(included / "corpus.xml")
    resolved.xinclude()
    one_file = parse(embedded / "corpus.xml").getroot()
    assert [article.get(XML_ID) for article in resolved.getroot().findall(f"{T}TEI")] == [f"doc-{doc_id}" for doc_id in SEED_IDS]
    assert [words(child) for child in resolved.getroot()] == [words(child) for child in one_file]
    assert validate_tree(resolved, "resolved corpus.xml") == []


@pytest.mark.parametrize("form", ["included", "embedded"])
def test_both_forms_are_valid_tei(form: str, included: Path, embedded: Path, tei_all: etree.RelaxNG) -> None:
    """tei_all knows no xi:include: the include form is TEI once resolved, as every TEI tool resolves it."""
    tree = parse((included if form == "included" else embedded) / "corpus.xml")
    tree.xinclude()
    assert tei_all.validate(tree), "\n".join(f"{error.line}: {error.message}" for error in tei_all.error_log)


@pytest.mark.parametrize("form", ["included", "embedded"])
def test_validate_passes_both_forms(form: str, included: Path, embedded: Path) -> None:
    folder = included if form == "included" else embedded
    assert run("validate", str(folder)) == (0, f"validated {len(SEED_IDS) + 1} files: 0 invalid, 0 problems\n")
    assert validate_file(folder / "corpus.xml") == []


def test_an_unknown_corpus_file_form_is_a_usage_error(cleaned: Path, tmp_path: Path) -> None:
    code, output = run("export", str(cleaned), "-o", str(tmp_path / "tei"), "--corpus-file", "copies")
    assert code == 2
    assert "'copies' is not one of 'include', 'embedded'" in output


# ---------------------------------------------------------------- validate checks across the files


def test_validating_the_corpus_alone_validates_its_articles(copy_of: Path) -> None:
    """`validate tei/corpus.xml` follows the includes: a problem in an article is reported in that article's file."""
    article = copy_of / f"{SEED_IDS[0]}.xml"
    article.write_text(article.read_text("utf-8").replace('when="2002', 'when="2002-13', 1), "utf-8")
    problems = [str(problem) for problem in validate_file(copy_of / "corpus.xml")]
    line = line_of(article, 'when="2002-13')
    assert f"{article}:{line}: The date '2002-13" in "\n".join(problems)
    assert all(problem.startswith(str(article)) for problem in problems), problems


def test_an_id_used_in_two_included_files_is_named_in_both(copy_of: Path) -> None:
    first, second = (copy_of / f"{doc_id}.xml" for doc_id in SEED_IDS[:2])
    taken = f"doc-{SEED_IDS[0]}.d1.p1"
    own = f"doc-{SEED_IDS[1]}.d1.p1"
    second.write_text(second.read_text("utf-8").replace(f'xml:id="{own}"', f'xml:id="{taken}"'), "utf-8")
    code, output = run("validate", str(copy_of))
    message = f"The xml:id '{taken}' is used by 2 elements; every xml:id must be unique in the file (and across the corpus in corpus.xml)."
    assert code == 1
    assert f"{first}:{line_of(first, taken)}: {message}\n" in output
    assert f"{second}:{line_of(second, taken)}: {message}\n" in output
    assert output.count(message) == 2, "each copy is named once, though the article is also validated on its own"


def test_a_missing_or_unlisted_include_is_named(copy_of: Path) -> None:
    corpus = copy_of / "corpus.xml"
    text = corpus.read_text("utf-8")
    corpus.write_text(text.replace(f'href="{SEED_IDS[2]}.xml"', 'href="gone.xml"'), "utf-8")
    problems = {str(problem) for problem in validate_file(corpus)}
    line = line_of(corpus, 'href="gone.xml"')
    assert f"{corpus}:{line}: The xi:include href 'gone.xml' names no file beside corpus.xml (gone.xml is missing)." in problems
    bibl = line_of(corpus, f'corresp="#doc-{SEED_IDS[2]}"')
    assert f"{corpus}:{bibl}: This bibl points to '#doc-{SEED_IDS[2]}', but no article of the corpus has that xml:id." in problems


def test_an_include_that_counts_wrong_is_named(copy_of: Path) -> None:
    corpus = copy_of / "corpus.xml"
    first = f'<xi:include href="{SEED_IDS[0]}.xml"/>'
    corpus.write_text(corpus.read_text("utf-8").replace(first, first + "\n  " + first), "utf-8")
    problems = {str(problem) for problem in validate_file(corpus)}
    assert f"{corpus}:2: The corpus header lists 3 articles but the corpus includes 4 files; list each included article once." in problems


@pytest.mark.parametrize("href", ["../../../etc/passwd", "/etc/hostname", "file:///etc/hostname", "..%2Fsecret.xml", "sub/a.xml"])
def test_an_include_outside_the_folder_is_refused_and_not_read(href: str, copy_of: Path) -> None:
    corpus = copy_of / "corpus.xml"
    (copy_of.parent / "secret.xml").write_text(f'<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="{SEED_IDS[2]}">secret words</TEI>', "utf-8")
    corpus.write_text(corpus.read_text("utf-8").replace(f'href="{SEED_IDS[2]}.xml"', f'href="{href}"'), "utf-8")
    problems = [str(problem) for problem in validate_file(corpus)]
    line = line_of(corpus, f'href="{href}"')
    assert f"{corpus}:{line}: The xi:include href '{href}' is not followed: only a file name beside corpus.xml is." in problems
    assert all(problem.startswith(str(corpus)) for problem in problems), "nothing outside the folder was read or judged"
    assert not any("secret words" in problem or "root:" in problem for problem in problems)
