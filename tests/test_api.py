"""The library API as its docstring documents it (corpustools/api.py), on the bundled raw articles."""

from __future__ import annotations

import shutil
from pathlib import Path

from lxml import etree

import corpustools
from corpustools import api
from tests.paths import RAW

TEI = "{http://www.tei-c.org/ns/1.0}"


def test_the_package_docstring_names_a_module_that_exists() -> None:
    assert "corpustools.api" in (corpustools.__doc__ or "")
    assert set(api.__all__) <= set(dir(api))


def test_a_document_cleaned_in_memory_reports_its_own_removals_in_the_header() -> None:
    raw = sorted(RAW.glob("*.txt"))[0]
    document = api.clean_text(raw.read_bytes(), raw.stem)
    removed = document.removal_counts()
    assert sum(removed.values()) > 0  # the seed has boilerplate: the header must not say "none"
    header = etree.fromstring(api.to_tei_string(document).encode()).find(f"{TEI}teiHeader")
    editorial = "".join(header.find(f".//{TEI}editorialDecl").itertext())
    assert "No lines were removed" not in editorial
    assert str(sum(removed.values())) in editorial


def test_folders_clean_export_and_validate_as_documented(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    config = api.load_config(None)
    cleaned = api.clean_folder(raw, tmp_path / "clean", config)
    assert cleaned.ok and cleaned.written == len(list(RAW.glob("*.txt")))
    exported = api.export_folder(tmp_path / "clean", tmp_path / "tei", config)
    assert exported.ok, exported.failures
    checked, problems = api.validate_paths([tmp_path / "tei"])
    assert checked == len(list(RAW.glob("*.txt"))) + 1 and problems == []  # the articles and corpus.xml


def test_a_bad_article_is_a_failure_in_the_summary_not_an_exit(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    (raw / "broken.txt").write_bytes(b"\x00" * 64)
    summary = api.clean_folder(raw, tmp_path / "clean")
    assert not summary.ok
    assert len(summary.failures) == 1 and "broken.txt" in summary.failures[0][0]
    assert summary.written == len(list(RAW.glob("*.txt")))
