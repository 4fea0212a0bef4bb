"""The other export formats (formats.py): plain text, JSON Lines and the CSV catalogue, on a small
hand-made article whose expected output a person can read off the fixture."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from corpustools.formats import WRITERS
from corpustools.io import Manifest
from corpustools.model import Author, Block, BlockKind, Document, Field, Front, Metadata, Section
from corpustools.tei import ExportRecord

ARTICLE = Document(
    id="weir",
    metadata=Metadata(
        title=Field('The weir, the "new" bridge, and the mill'),
        authors=(Author("Ada Example", "River Trust"), Author("Ben Sample")),
        publication=Field("The Valley Courier"),
        date=Field("2019-03-07"),
        language=Field("en"),
        keywords=("rivers", "history"),
    ),
    front=Front(title='The weir, the "new" bridge, and the mill', bylines=("By Ada Example and Ben Sample",)),
    sections=(
        Section(blocks=(Block(BlockKind.PARAGRAPH, ("For three days the river ran backwards.",)),)),
        Section(
            heading="What happened",
            blocks=(
                Block(BlockKind.QUOTE, ("It was like nothing I had seen.",), "A miller"),
                Block(BlockKind.LIST, ("the weir", "the bridge")),
            ),
        ),
    ),
)
RECORD = ExportRecord(removal_counts={"navigation": 12, "comments": 3})


def write(kind: str, folder: Path, *documents: Document) -> Path:
    manifest = Manifest(folder)
    writer = WRITERS[kind](manifest, False)
    for document in documents:
        writer.add(document, RECORD)
    writer.finish()
    manifest.save()
    return folder


def test_plain_text_is_the_article_one_unit_a_paragraph(tmp_path: Path) -> None:
    text = (write("txt", tmp_path, ARTICLE) / "weir.txt").read_text("utf-8")
    assert text.split("\n\n") == [
        'The weir, the "new" bridge, and the mill',
        "By Ada Example and Ben Sample",
        "For three days the river ran backwards.",
        "What happened",
        "It was like nothing I had seen.",
        "A miller",
        "the weir",
        "the bridge\n",
    ]


def test_json_lines_keeps_metadata_structure_and_removals(tmp_path: Path) -> None:
    second = Document(id="empty", metadata=Metadata())
    lines = (write("jsonl", tmp_path, ARTICLE, second) / "corpus.jsonl").read_text("utf-8").splitlines()
    assert len(lines) == 2
    row = json.loads(lines[0])
    assert row["authors"] == ["Ada Example", "Ben Sample"] and row["affiliations"] == ["River Trust", ""]
    assert row["date"] == "2019-03-07" and row["keywords"] == ["rivers", "history"]
    assert [section["heading"] for section in row["sections"]] == ["", "What happened"]
    quote, listing = row["sections"][1]["blocks"]
    assert quote == {"kind": BlockKind.QUOTE.value, "text": ["It was like nothing I had seen."], "attribution": "A miller"}
    assert listing["text"] == ["the weir", "the bridge"]
    assert row["removed_by_category"] == {"navigation": 12, "comments": 3}
    assert json.loads(lines[1])["title"] == ""  # not found stays empty, never invented


def test_csv_catalogue_quotes_commas_and_quotes_and_writes_one_header(tmp_path: Path) -> None:
    second = Document(id="other", metadata=Metadata(title=Field("Second")))
    with (write("csv", tmp_path, ARTICLE, second) / "catalogue.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["id"] for row in rows] == ["weir", "other"]
    assert rows[0]["title"] == 'The weir, the "new" bridge, and the mill'
    assert rows[0]["authors"] == "Ada Example; Ben Sample"
    assert rows[1]["authors"] == ""


def test_no_format_file_is_written_for_no_articles(tmp_path: Path) -> None:
    for kind in ("jsonl", "csv"):
        write(kind, tmp_path)
    assert sorted(path.name for path in tmp_path.iterdir() if not path.name.startswith(".")) == []
