"""Schema checks that return problems (file, line, message), never only log them.

Two layers, both shipped in the package (schemas/ at the top of the repository is the same
folder): the project's RELAX NG customisation of TEI, and Schematron rules for what RELAX NG
cannot say (unique ids, well-formed dates, no empty paragraphs). Hostile XML (external
entities, entity bombs, DTDs that fetch from the network, absurdly deep trees) is parsed with a
hardened parser and reported as an error; nothing is ever fetched.

A corpus.xml that includes its articles (xi:include) is checked as a file, then with its
includes resolved: each article on its own, and the rules that need every article at once
(unique ids, the header's list of articles) over the whole. Only a plain file name beside
corpus.xml is followed, and each article is read with the same hardened parser.
"""

from __future__ import annotations

import copy
import stat
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from urllib.parse import unquote

from lxml import etree, isoschematron

RELAX_NG_NAME = "corpustools.rng"
SCHEMATRON_NAME = "corpustools.sch"
MAX_DEPTH = 200
TEI_NS = "{http://www.tei-c.org/ns/1.0}"
XI_INCLUDE = "{http://www.w3.org/2001/XInclude}include"
ACROSS_FILES_PHASE = "across-files"  # corpustools.sch: the patterns that need the resolved corpus


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


def schema_path(name: str) -> Path:
    return Path(str(resources.files("corpustools").joinpath("schemas", name)))


def hardened_parser() -> etree.XMLParser:
    """No entity expansion, no DTD loading, no network: XXE and entity bombs fail safely."""
    return etree.XMLParser(
        resolve_entities=False,
        load_dtd=False,
        no_network=True,
        dtd_validation=False,
        # A scraped article can hold a paragraph over libxml2's 10 MB text limit; entities are
        # never expanded and DTDs are refused, and nesting is bounded by MAX_DEPTH (and by
        # libxml2's own depth limit), so lifting the size limit opens no bomb.
        huge_tree=True,
        remove_blank_text=False,
    )


@lru_cache(maxsize=1)
def relax_ng() -> etree.RelaxNG:
    """The project schema, loaded once per process."""
    return etree.RelaxNG(etree.parse(str(schema_path(RELAX_NG_NAME)), hardened_parser()))


@lru_cache(maxsize=2)
def schematron(phase: str | None = None) -> isoschematron.Schematron:
    """The project's Schematron rules (all of them, or one phase of corpustools.sch), once per process."""
    return isoschematron.Schematron(etree.parse(str(schema_path(SCHEMATRON_NAME)), hardened_parser()), phase=phase, store_report=True)


def parse_safely(path: Path) -> tuple[etree._ElementTree | None, list[Problem]]:
    """Parse a file with the hardened parser; a refusal is a Problem, not an exception."""
    name = str(path)
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            return None, [Problem(name, 0, "not a regular file")]  # a FIFO would be waited on for ever
        data = path.read_bytes()
    except OSError as problem:
        return None, [Problem(name, 0, f"cannot read: {problem.strerror}")]
    if b"<!DOCTYPE" in data[:4096] or b"<!ENTITY" in data:
        return None, [Problem(name, _line_of(data, b"<!"), "refused: the file declares a DTD or entities (TEI files need neither)")]
    try:
        tree = etree.ElementTree(etree.fromstring(data, hardened_parser()))
    except etree.XMLSyntaxError as problem:
        if "Excessive depth" in problem.msg:  # libxml2 2.14 (lxml 6) stops at 2048 levels itself
            return None, [Problem(name, problem.lineno or 0, f"refused: elements nested over 2000 deep (more than {MAX_DEPTH})")]
        return None, [Problem(name, problem.lineno or 0, f"not well-formed XML: {problem.msg}")]
    depth = _depth(tree.getroot())
    if depth > MAX_DEPTH:
        return None, [Problem(name, 0, f"refused: elements nested {depth} deep (more than {MAX_DEPTH})")]
    return tree, []


def _line_of(data: bytes, needle: bytes) -> int:
    position = data.find(needle)
    return data.count(b"\n", 0, position) + 1 if position >= 0 else 0


def _depth(root: etree._Element) -> int:
    deepest = 0
    stack = [(root, 1)]
    while stack:
        element, depth = stack.pop()
        deepest = max(deepest, depth)
        if depth > MAX_DEPTH:
            return depth
        stack.extend((child, depth + 1) for child in element)
    return deepest


def validate_tree(tree: etree._ElementTree, name: str) -> list[Problem]:
    """RELAX NG and Schematron problems of one parsed TEI document."""
    problems: list[Problem] = []
    grammar = relax_ng()
    if not grammar.validate(tree):
        problems.extend(Problem(name, error.line, error.message) for error in grammar.error_log)
    problems.extend(_schematron_problems(schematron(), tree, lambda element: name))
    return problems


def _schematron_problems(rules: isoschematron.Schematron, tree: etree._ElementTree, file_of: Callable[[etree._Element | None], str]) -> list[Problem]:
    """Each failed rule as a Problem at the line of the element it fired on, in the file that element came from."""
    if rules.validate(tree):
        return []
    problems: list[Problem] = []
    for failed in rules.validation_report.iter("{http://purl.oclc.org/dsdl/svrl}failed-assert", "{http://purl.oclc.org/dsdl/svrl}successful-report"):
        text = " ".join("".join(failed.itertext()).split())
        element = _element_at(tree, failed.get("location", ""))
        problems.append(Problem(file_of(element), (element.sourceline or 0) if element is not None else 0, text))
    return problems


def _element_at(tree: etree._ElementTree, location: str) -> etree._Element | None:
    try:
        found = tree.xpath(location)
    except etree.XPathError:
        return None
    if found and isinstance(found[0], etree._Element):
        return found[0]
    return None


def validate_file(path: Path, checked_separately: frozenset[str] = frozenset(), siblings_checked: bool = False) -> list[Problem]:
    """The problems of one TEI file; for a corpus that includes its articles, of the whole corpus.

    An included article the same run validates on its own is not validated twice (the rules
    across files still see it): one named in `checked_separately`, or, with `siblings_checked`
    (the corpus came from a folder, all of whose *.xml files the run validates), any *.xml beside it.
    """
    tree, problems = parse_safely(path)
    if tree is None:
        return problems
    problems = validate_tree(tree, str(path))
    root = tree.getroot()
    if root.tag == TEI_NS + "teiCorpus" and root.find(XI_INCLUDE) is not None:

        def checked(target: Path) -> bool:
            return str(target) in checked_separately or (siblings_checked and target.suffix == ".xml")

        problems.extend(_validate_included(tree, path, checked))
    return problems


def _validate_included(corpus: etree._ElementTree, path: Path, checked_separately: Callable[[Path], bool]) -> list[Problem]:
    """Resolve a corpus's xi:includes as an XInclude processor would (each article's root in
    place of its include), validating each article as it is read, then run the rules across files."""
    name = str(path)
    resolved = etree.ElementTree(copy.deepcopy(corpus.getroot()))  # the header and the includes: small
    origins: dict[etree._Element, str] = {}
    problems: list[Problem] = []
    for include in resolved.getroot().findall(XI_INCLUDE):
        article, problem = _read_included(path, include)
        if article is None:
            # Said once, here; the include goes, so the rules across files judge what could be read.
            problems.extend(problem)
            include.getparent().remove(include)
            continue
        target = _included_file(path, include.get("href", ""))
        assert target is not None  # _read_included read it
        origins[article.getroot()] = str(target)
        if not checked_separately(target):
            problems.extend(validate_tree(article, str(target)))
        include.getparent().replace(include, article.getroot())

    def file_of(element: etree._Element | None) -> str:
        while element is not None:
            if element in origins:
                return origins[element]
            element = element.getparent()
        return name

    problems.extend(_schematron_problems(schematron(ACROSS_FILES_PHASE), resolved, file_of))
    return problems


def _read_included(corpus: Path, include: etree._Element) -> tuple[etree._ElementTree | None, list[Problem]]:
    """The article an include names, parsed safely; or why it cannot be read (at the include's line)."""
    name, href, line = str(corpus), include.get("href", ""), include.sourceline or 0
    target = _included_file(corpus, href)
    if target is None:
        return None, [Problem(name, line, f"The xi:include href '{href}' is not followed: only a file name beside corpus.xml is.")]
    if not target.is_file():
        return None, [Problem(name, line, f"The xi:include href '{href}' names no file beside corpus.xml ({target.name} is missing).")]
    article, unreadable = parse_safely(target)
    if article is None:
        return None, unreadable
    if article.getroot().tag != TEI_NS + "TEI":
        root = article.getroot().tag.split("}")[-1]
        return None, [Problem(name, line, f"The xi:include href '{href}' names a file whose root is {root}, not a TEI article.")]
    return article, []


def _included_file(corpus: Path, href: str) -> Path | None:
    """The file an include names, if it is a plain file name beside the corpus; None for anything
    that could reach elsewhere (a folder, a scheme, a parent step, a hidden file)."""
    file_name = unquote(href)
    if not file_name or ":" in href or any(separator in file_name for separator in ("/", "\\", "\x00")) or file_name.startswith("."):
        return None
    return corpus.parent / file_name


def validate_paths(paths: Iterable[Path]) -> tuple[int, list[Problem]]:
    """Validate files and folders (every *.xml in a folder); returns (files checked, problems)."""
    checked = 0
    problems: list[Problem] = []
    for path in paths:
        files = sorted(path.glob("*.xml")) if path.is_dir() else [path]
        for file in files:
            checked += 1
            problems.extend(validate_file(file, siblings_checked=path.is_dir()))
    return checked, problems
