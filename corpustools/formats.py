"""Other formats from the same documents: plain text (Voyant, TXM), JSON Lines (NLP), CSV catalogue.

Each format is a writer fed one article at a time, so a large corpus never sits in memory:
plain text gives a file per article, JSON Lines and CSV are streamed into one file each.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable

from .cleanfile import article_text
from .io import Manifest, StreamedFile
from .model import Block, BlockKind, Document, Section
from .tei import ExportRecord


class FormatWriter:
    """Receives the exported articles one by one; `finish()` completes its files."""

    def __init__(self, manifest: Manifest, force: bool) -> None:
        self.manifest = manifest
        self.force = force

    def add(self, document: Document, record: ExportRecord) -> None:
        raise NotImplementedError

    def finish(self) -> None:
        """Nothing to complete for per-article files."""


class PlainText(FormatWriter):
    """One `<id>.txt` per article: the article text, one paragraph per line."""

    def add(self, document: Document, record: ExportRecord) -> None:
        text = "\n\n".join(article_text(document)) + "\n"
        self.manifest.write(f"{document.id}.txt", text.encode("utf-8"), self.force)


class StreamedFormat(FormatWriter):
    """A corpus-wide file written as the articles come (renamed into place at the end)."""

    name = ""

    def __init__(self, manifest: Manifest, force: bool) -> None:
        super().__init__(manifest, force)
        self.stream: StreamedFile | None = None

    def _write(self, data: str) -> None:
        if self.stream is None:
            self.stream = self.manifest.stream(self.name, self.force)
        self.stream.write(data.encode("utf-8"))

    def finish(self) -> None:
        if self.stream is not None:
            self.stream.commit()


def _sections(sections: Iterable[Section]) -> list[dict[str, object]]:
    return [
        {
            "heading": section.heading,
            "level": section.level,
            "blocks": [_block(block) for block in section.blocks],
            "sections": _sections(section.subsections),
        }
        for section in sections
    ]


def _block(block: Block) -> dict[str, object]:
    if block.kind == BlockKind.OMISSION:  # lines removed from the text here: how many, of what
        return {"kind": block.kind.value, "omitted_lines": block.omitted, "category": block.category}
    return {"kind": block.kind.value, "text": list(block.lines), "attribution": block.attribution}


def metadata_row(document: Document) -> dict[str, object]:
    metadata = document.metadata
    return {
        "id": document.id,
        "title": metadata.title.value,
        "authors": [author.name for author in metadata.authors],
        "affiliations": [author.affiliation for author in metadata.authors],
        "publication": metadata.publication.value,
        "date": metadata.date.value,
        "issue": metadata.issue.value,
        "volume": metadata.volume.value,
        "language": metadata.language.value,
        "url": metadata.url.value,
        "licence": metadata.licence.value,
        "keywords": list(metadata.keywords),
    }


class JsonLines(StreamedFormat):
    """`corpus.jsonl`: one JSON object per article with its metadata and sections."""

    name = "corpus.jsonl"

    def add(self, document: Document, record: ExportRecord) -> None:
        row = metadata_row(document)
        row["front"] = {
            "title": document.front.title,
            "standfirst": list(document.front.standfirst),
            "bylines": list(document.front.bylines),
            "epigraph": list(document.front.epigraph.lines) if document.front.epigraph else [],
        }
        row["sections"] = _sections(document.sections)
        row["signature"] = list(document.signature)
        row["removed_by_category"] = record.removal_counts
        self._write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")


class CsvCatalogue(StreamedFormat):
    """`catalogue.csv`: one row of metadata per article (lists joined with '; ')."""

    name = "catalogue.csv"

    def add(self, document: Document, record: ExportRecord) -> None:
        row = {key: "; ".join(map(str, value)) if isinstance(value, list) else value for key, value in metadata_row(document).items()}
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(row), lineterminator="\n")
        if self.stream is None:
            writer.writeheader()
        writer.writerow(row)
        self._write(buffer.getvalue())


WRITERS: dict[str, Callable[[Manifest, bool], FormatWriter]] = {
    "txt": PlainText,
    "jsonl": JsonLines,
    "csv": CsvCatalogue,
}
FORMATS = ("tei", *WRITERS)
