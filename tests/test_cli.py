"""The command line: help with examples, exit codes, summaries, hand edits, nothing written to raw/."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree
from paths import RAW

from corpustools.cli import main

PROSE = "The drivers walked out on Monday after the company cut their break times for the third time this year."


@pytest.fixture()
def raw_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "raw"
    shutil.copytree(RAW, folder)
    return folder


@pytest.mark.parametrize("command", sorted(main.commands))
def test_every_command_has_help_with_an_example(command: str) -> None:
    result = CliRunner().invoke(main, [command, "--help"])
    assert result.exit_code == 0
    assert "Example" in result.output and f"corpustools {command}" in result.output


def test_clean_then_export_summaries_and_exit_codes(raw_copy: Path, tmp_path: Path) -> None:
    before = {path.name: path.read_bytes() for path in raw_copy.iterdir()}
    runner = CliRunner()
    cleaned = runner.invoke(main, ["clean", str(raw_copy), "-o", str(tmp_path / "clean")])
    assert cleaned.exit_code == 0, cleaned.output
    assert "cleaned 3 of 3 articles" in cleaned.output and "problems: 0" in cleaned.output
    assert "removed 24 lines" in cleaned.output
    exported = runner.invoke(main, ["export", str(tmp_path / "clean"), "-o", str(tmp_path / "tei"), "--format", "tei,txt,jsonl,csv"])
    assert exported.exit_code == 0, exported.output
    names = {path.name for path in (tmp_path / "tei").iterdir()}
    assert {"corpus.xml", "corpus.jsonl", "catalogue.csv", "000_7584a26c6b66eb82.xml", "000_7584a26c6b66eb82.txt"} <= names
    assert {path.name: path.read_bytes() for path in raw_copy.iterdir()} == before, "raw/ is never written to"


def test_a_hand_edited_cleaned_file_is_not_overwritten_without_force(raw_copy: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "clean"
    assert runner.invoke(main, ["clean", str(raw_copy), "-o", str(out)]).exit_code == 0
    edited = out / "004_7ffd91957bcffdf4.txt"
    edited.write_text(edited.read_text("utf-8").replace("Total fabrication", "Total fabrications"), "utf-8")
    again = runner.invoke(main, ["clean", str(raw_copy), "-o", str(out)])
    assert again.exit_code == 1
    assert f"error: {edited}: edited by hand since corpustools wrote it: not overwritten (use --force to replace it)" in again.output
    assert "Total fabrications" in edited.read_text("utf-8")
    exported = runner.invoke(main, ["export", str(out), "-o", str(tmp_path / "tei")])
    assert exported.exit_code == 0
    tei = (tmp_path / "tei" / "004_7ffd91957bcffdf4.xml").read_text("utf-8")
    assert ">Total fabrications</head>" in tei
    assert "Hand corrections in the cleaned text file before export: no metadata value changed; 1 line of the cleaned file changed." in tei
    forced = runner.invoke(main, ["clean", str(raw_copy), "-o", str(out), "--force"])
    assert forced.exit_code == 0 and "Total fabrications" not in edited.read_text("utf-8")


def test_one_bad_article_fails_alone(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "good.txt").write_text(f"A title\n\n{PROSE}\n", "utf-8")
    (raw / "empty.txt").write_bytes(b"")
    result = CliRunner().invoke(main, ["clean", str(raw), "-o", str(tmp_path / "clean")])
    assert result.exit_code == 1
    assert "error: empty.txt: empty file (no text at all)" in result.output
    assert (tmp_path / "clean" / "good.txt").exists() and not (tmp_path / "clean" / "empty.txt").exists()


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["clean", str(tmp_path / "missing"), "-o", str(tmp_path / "out")]).exit_code == 2
    assert runner.invoke(main, ["clean", str(RAW)]).exit_code == 2
    inside = runner.invoke(main, ["clean", str(RAW), "-o", str(RAW / "clean")])
    assert inside.exit_code == 2 and "must not be inside the input folder" in inside.output
    assert not (RAW / "clean").exists()
    assert runner.invoke(main, ["export", str(RAW), "-o", str(tmp_path / "t"), "--format", "pdf"]).exit_code == 2


def test_explain_marks_each_removed_line_with_its_rule() -> None:
    result = CliRunner().invoke(main, ["clean", "--explain", str(RAW / "004_7ffd91957bcffdf4.txt")])
    assert result.exit_code == 0
    # Each line: its label and the model's probability, the rule that fired, the heaviest features.
    assert re.search(r"\n- 117 \| Donate via Paypal    \[B [01]\.\d\d · donation\.button \(donation\) · weighed: \S+ [+-]\d", result.output)
    assert re.search(r"\n    3 \| A NEW book by the novelist Martin Amis .*    \[P [01]\.\d\d · weighed: \S+ [+-]\d", result.output)
    assert "\n   92 | Trotsky himself paid" in result.output, "kept lines are shown unmarked"


def test_text_command_prints_the_article_back(tmp_path: Path) -> None:
    runner = CliRunner()
    runner.invoke(main, ["clean", str(RAW), "-o", str(tmp_path / "clean")])
    runner.invoke(main, ["export", str(tmp_path / "clean"), "-o", str(tmp_path / "tei")])
    result = runner.invoke(main, ["text", str(tmp_path / "tei" / "004_7ffd91957bcffdf4.xml")])
    assert result.exit_code == 0
    assert result.output.startswith("Review: Martin Amis: Koba the Dread")
    assert "\n\nTotal fabrication\n\n" in result.output


def test_export_rebuilds_only_what_changed(raw_copy: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    clean, tei = tmp_path / "clean", tmp_path / "tei"
    assert runner.invoke(main, ["clean", str(raw_copy), "-o", str(clean)]).exit_code == 0
    assert runner.invoke(main, ["export", str(clean), "-o", str(tei)]).exit_code == 0
    before = {path.name: path.read_bytes() for path in tei.glob("*.xml")}
    again = runner.invoke(main, ["export", str(clean), "-o", str(tei)])
    assert "exported 3 of 3 articles (3 unchanged since the last run, not redone)" in again.output
    assert {path.name: path.read_bytes() for path in tei.glob("*.xml")} == before
    edited = clean / "004_7ffd91957bcffdf4.txt"
    edited.write_text(edited.read_text("utf-8").replace("# Purge trials", "# Purge trials of the 1930s"), "utf-8")
    third = runner.invoke(main, ["export", str(clean), "-o", str(tei)])
    assert "(2 unchanged since the last run, not redone)" in third.output
    assert ">Purge trials of the 1930s</head>" in (tei / "004_7ffd91957bcffdf4.xml").read_text("utf-8")
    corpus = etree.parse(str(tei / "corpus.xml"))
    corpus.xinclude()  # the corpus includes the rebuilt file, so holds the change
    assert "Purge trials of the 1930s" in etree.tostring(corpus, encoding="unicode")
    rebuilt = runner.invoke(main, ["export", str(clean), "-o", str(tei), "--rebuild"])
    assert "unchanged" not in rebuilt.output.splitlines()[0]


def test_score_needs_a_corpus_and_names_no_repository_path() -> None:
    # The default was tests/corpus/dev: a path inside the repository, which an installed
    # package does not have; run elsewhere it failed with a confusing "does not exist".
    result = CliRunner().invoke(main, ["score"])
    assert result.exit_code == 2
    assert "Missing argument 'CORPUS'" in result.output
