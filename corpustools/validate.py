"""Schema checks that return problems (file, line, message), never only log them.

Two layers, both shipped in the package (schemas/ at the top of the repository is the same
folder): the project's RELAX NG customisation of TEI, and Schematron rules for what RELAX NG
cannot say (unique ids, well-formed dates, no empty paragraphs). Hostile XML (external
entities, entity bombs, DTDs that fetch from the network, absurdly deep trees) is parsed with a
hardened parser and reported as an error; nothing is ever fetched.
"""

from __future__ import annotations

import stat
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from lxml import etree, isoschematron

RELAX_NG_NAME = "corpustools.rng"
SCHEMATRON_NAME = "corpustools.sch"
MAX_DEPTH = 200


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


@lru_cache(maxsize=1)
def schematron() -> isoschematron.Schematron:
    return isoschematron.Schematron(etree.parse(str(schema_path(SCHEMATRON_NAME)), hardened_parser()), store_report=True)


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
    rules = schematron()
    if not rules.validate(tree):
        report = rules.validation_report
        for failed in report.iter("{http://purl.oclc.org/dsdl/svrl}failed-assert", "{http://purl.oclc.org/dsdl/svrl}successful-report"):
            text = " ".join("".join(failed.itertext()).split())
            location = failed.get("location", "")
            line = _line_for_location(tree, location)
            problems.append(Problem(name, line, text))
    return problems


def _line_for_location(tree: etree._ElementTree, location: str) -> int:
    try:
        found = tree.xpath(location)
    except etree.XPathError:
        return 0
    if found and isinstance(found[0], etree._Element):
        return found[0].sourceline or 0
    return 0


def validate_file(path: Path) -> list[Problem]:
    tree, problems = parse_safely(path)
    if tree is None:
        return problems
    return validate_tree(tree, str(path))


def validate_paths(paths: Iterable[Path]) -> tuple[int, list[Problem]]:
    """Validate files and folders (every *.xml in a folder); returns (files checked, problems)."""
    checked = 0
    problems: list[Problem] = []
    for path in paths:
        files = sorted(path.glob("*.xml")) if path.is_dir() else [path]
        for file in files:
            checked += 1
            problems.extend(validate_file(file))
    return checked, problems
