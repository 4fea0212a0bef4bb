"""Speed work must not change what the pipeline writes (issue 15): a corpus goes through clean and
export, and every file written is compared, by SHA-256, with the digests the code wrote before
the speed changes (tests/reference/output-digests.json, made by `python
tests/test_output_unchanged.py` on the commit before them; the seeds' TEI is checked byte for
byte by test_seeds). The corpus: the dev corpus's real-page articles and synthetic articles
(corpustools.synth is deterministic), so the rule, labeller, date and language paths all run."""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from corpustools.cli import main
from corpustools.synth import write_corpus

TESTS = Path(__file__).parent
REFERENCE = TESTS / "reference" / "output-digests.json"
DEV = TESTS / "corpus" / "dev"
SYNTHETIC_ARTICLES = 40


def output_digests(work: Path, jobs: int = 1) -> dict[str, str]:
    """Run clean and export on the corpus under `work`; the digest of each file written."""
    raw = work / "raw"
    shutil.copytree(DEV, raw / "dev", ignore=shutil.ignore_patterns("*.toml", "*.json", "*.md"))
    write_corpus(raw / "synthetic", SYNTHETIC_ARTICLES, seed=0)
    runner = CliRunner()
    cleaned = runner.invoke(main, ["clean", str(raw), "-o", str(work / "clean"), "--quiet", "--jobs", str(jobs)])
    assert cleaned.exit_code == 0, cleaned.output
    exported = runner.invoke(main, ["export", str(work / "clean"), "-o", str(work / "tei"), "--quiet", "--jobs", str(jobs)])
    assert exported.exit_code == 0, exported.output
    return {
        str(path.relative_to(work)): hashlib.sha256(comparable_bytes(path)).hexdigest()
        for folder in (work / "clean", work / "tei")
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def comparable_bytes(path: Path) -> bytes:
    """A file's bytes; for a manifest, without each record's "rules" digest, which digests the
    shipped rule and word-list files and so changes, as it should, when a data file is added."""
    if not path.name.endswith("manifest.jsonl"):
        return path.read_bytes()
    records = [json.loads(line) for line in path.read_text("utf-8").splitlines()]
    return "\n".join(json.dumps({k: v for k, v in record.items() if k != "rules"}, sort_keys=True) for record in records).encode()


@pytest.mark.parametrize("jobs", [1, 2])
def test_clean_and_export_write_the_same_bytes_as_before(tmp_path: Path, jobs: int) -> None:
    expected = json.loads(REFERENCE.read_text("utf-8"))
    found = output_digests(tmp_path, jobs)
    assert sorted(found) == sorted(expected)
    changed = [name for name in expected if found[name] != expected[name]]
    assert not changed, f"{len(changed)} files differ, e.g. {changed[:5]}"


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        digests = output_digests(Path(folder))
    REFERENCE.write_text(json.dumps(digests, indent=1, sort_keys=True) + "\n", "utf-8")
    print(f"{len(digests)} digests written to {REFERENCE}", file=sys.stderr)
