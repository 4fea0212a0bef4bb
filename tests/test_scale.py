"""Scale on one machine and beyond: parallel runs, incremental runs and Dask give the same files."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from paths import RAW

from corpustools.batch import CleanOptions, ExportOptions, clean_folder, export_folder, validate_files
from corpustools.cli import main
from corpustools.config import ProjectConfig
from corpustools.corpus import LineCounts
from corpustools.progress import ProgressLine
from corpustools.rules import UserConfig, compile_rule
from corpustools.synth import write_corpus

MANIFEST = ".corpustools-manifest.jsonl"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Raw articles from several sites: the seeds plus synthetic ones."""
    folder = tmp_path_factory.mktemp("raw")
    write_corpus(folder, 36, seed=11, site_count=3)
    for path in RAW.glob("*.txt"):
        shutil.copy(path, folder / path.name)
    return folder


def files_of(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir()) if path.name != MANIFEST}


def run(raw: Path, out: Path, jobs: int = 1, **clean: object) -> tuple[dict[str, bytes], dict[str, bytes]]:
    clean_folder(raw, out / "clean", options=CleanOptions(jobs=jobs, **clean))  # type: ignore[arg-type]
    export_folder(out / "clean", out / "tei", options=ExportOptions(jobs=jobs))
    return files_of(out / "clean"), files_of(out / "tei")


@pytest.fixture(scope="module")
def single(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, bytes], dict[str, bytes]]:
    return run(corpus, tmp_path_factory.mktemp("single"))


def test_two_processes_write_the_same_bytes_as_one(corpus: Path, single: tuple, tmp_path: Path) -> None:  # type: ignore[type-arg]
    assert run(corpus, tmp_path, jobs=2) == single


def test_an_unchanged_article_is_not_redone(corpus: Path, single: tuple, tmp_path: Path) -> None:  # type: ignore[type-arg]
    raw = tmp_path / "raw"
    shutil.copytree(corpus, raw)
    first = clean_folder(raw, tmp_path / "clean")
    again = clean_folder(raw, tmp_path / "clean")
    assert (first.written, first.skipped) == (39, 0)
    assert (again.written, again.skipped) == (0, 39)
    assert again.removed_by_category == first.removed_by_category
    assert files_of(tmp_path / "clean") == single[0]

    seed = raw / "000_7584a26c6b66eb82.txt"
    seed.write_bytes(seed.read_bytes() + b"\nOne more closing line of the article.\n")
    changed = clean_folder(raw, tmp_path / "clean")
    assert (changed.written, changed.skipped) == (1, 38)


def test_a_rule_change_or_rebuild_redoes_every_article(corpus: Path, tmp_path: Path) -> None:
    clean_folder(corpus, tmp_path / "clean")
    rebuilt = clean_folder(corpus, tmp_path / "clean", options=CleanOptions(incremental=False))
    assert (rebuilt.written, rebuilt.skipped) == (39, 0)
    rule = compile_rule({"id": "site.test", "category": "legal", "pattern": "^never seen in any article$"}, "test")
    config = ProjectConfig(rules=UserConfig(added=(rule,)))
    after_rule_change = clean_folder(corpus, tmp_path / "clean", config)
    assert (after_rule_change.written, after_rule_change.skipped) == (39, 0)


def test_a_deleted_output_is_written_again(corpus: Path, tmp_path: Path) -> None:
    clean_folder(corpus, tmp_path / "clean")
    (tmp_path / "clean" / "000_7584a26c6b66eb82.txt").unlink()
    again = clean_folder(corpus, tmp_path / "clean")
    assert (again.written, again.skipped) == (1, 38)


def test_corpus_decisions_change_when_a_line_starts_to_recur() -> None:
    counts = LineCounts()
    lines = ["A footer line", "Article text"]
    counts.add_article("site", lines)
    before = counts.decisions("site", lines, 2)
    counts.add_article("site", ["A footer line"])
    assert counts.decisions("site", lines, 2) != before
    assert counts.decisions("site", lines, 2) == counts.decisions("site", lines, 2)


def test_validate_in_two_processes_finds_the_same_problems(single: tuple, tmp_path: Path) -> None:  # type: ignore[type-arg]
    folder = tmp_path / "tei"
    folder.mkdir()
    for name, data in single[1].items():
        (folder / name).write_bytes(data)
    (folder / "broken.xml").write_bytes(b"<TEI><unclosed></TEI>")
    one = validate_files([folder], jobs=1)
    two = validate_files([folder], jobs=2)
    assert one == two
    assert one[0] == len(single[1]) + 1
    assert [problem.path for problem in one[1]] == [str(folder / "broken.xml")]


def test_the_cli_takes_jobs_everywhere_and_prints_a_timed_summary(corpus: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    cleaned = runner.invoke(main, ["clean", str(corpus), "-o", str(tmp_path / "clean"), "--jobs", "2"])
    assert cleaned.exit_code == 0, cleaned.output
    assert "cleaned 39 of 39 articles" in cleaned.output and "articles/s)" in cleaned.output
    again = runner.invoke(main, ["clean", str(corpus), "-o", str(tmp_path / "clean")])
    assert "cleaned 0 of 39 articles (39 unchanged since the last run, not redone)" in again.output
    exported = runner.invoke(main, ["export", str(tmp_path / "clean"), "-o", str(tmp_path / "tei"), "-j", "2", "--quiet"])
    assert exported.exit_code == 0 and exported.output == ""
    validated = runner.invoke(main, ["validate", str(tmp_path / "tei"), "--jobs", "2"])
    assert validated.exit_code == 0, validated.output
    assert "validated 40 files: 0 invalid, 0 problems" in validated.output


def test_dask_local_cluster_writes_the_same_tei(corpus: Path, single: tuple, tmp_path: Path) -> None:  # type: ignore[type-arg]
    from corpustools.distributed import clean_folder_dask, connect, export_folder_dask

    # Two workers as threads of this process (processes=False): the map and reduce go through
    # the scheduler exactly as on a cluster, without the start-up time of worker processes.
    with connect("local", workers=2, processes=False) as client:
        assert len(client.scheduler_info()["workers"]) == 2
        clean_folder_dask(client, corpus, tmp_path / "clean")
        export_folder_dask(client, tmp_path / "clean", tmp_path / "tei")
    assert files_of(tmp_path / "clean") == single[0]
    assert files_of(tmp_path / "tei") == single[1]


class FakeTerminal(io.StringIO):
    def __init__(self, terminal: bool) -> None:
        super().__init__()
        self.terminal = terminal

    def isatty(self) -> bool:
        return self.terminal


def test_progress_goes_to_terminals_only() -> None:
    piped, terminal = FakeTerminal(False), FakeTerminal(True)
    for stream in (piped, terminal):
        line = ProgressLine("clean", stream)
        line(5, 10, 50_000)
        line(10, 10, 100_000)
        line.finish()
    assert piped.getvalue() == ""
    assert "clean: 10/10 articles" in terminal.getvalue() and "s left" in terminal.getvalue()
    assert terminal.getvalue().endswith("\r\033[K")
