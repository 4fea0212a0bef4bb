"""Other formats from the same documents: plain text (Voyant, TXM), JSON Lines (NLP), CSV catalogue."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Sequence

from .cleanfile import article_text
from .model import Document, Section
from .tei import ExportRecord

Exported = Sequence[tuple[Document, ExportRecord]]


def plain_text(exported: Exported) -> Iterable[tuple[str, bytes]]:
    """One `<id>.txt` per article: the article text, one paragraph per line."""
    for document, _record in exported:
        yield f"{document.id}.txt", ("\n\n".join(article_text(document)) + "\n").encode("utf-8")


def _sections(sections: Iterable[Section]) -> list[dict[str, object]]:
    return [
        {
            "heading": section.heading,
            "level": section.level,
            "blocks": [{"kind": block.kind.value, "text": list(block.lines), "attribution": block.attribution} for block in section.blocks],
            "sections": _sections(section.subsections),
        }
        for section in sections
    ]


def _metadata_row(document: Document) -> dict[str, object]:
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


def json_lines(exported: Exported) -> Iterable[tuple[str, bytes]]:
    """`corpus.jsonl`: one JSON object per article with its metadata and sections."""
    lines = []
    for document, record in exported:
        row = _metadata_row(document)
        row["front"] = {
            "title": document.front.title,
            "standfirst": list(document.front.standfirst),
            "bylines": list(document.front.bylines),
            "epigraph": list(document.front.epigraph.lines) if document.front.epigraph else [],
        }
        row["sections"] = _sections(document.sections)
        row["signature"] = list(document.signature)
        row["removed_by_category"] = record.removal_counts
        lines.append(json.dumps(row, ensure_ascii=False, sort_keys=True))
    yield "corpus.jsonl", ("\n".join(lines) + "\n").encode("utf-8")


def csv_catalogue(exported: Exported) -> Iterable[tuple[str, bytes]]:
    """`catalogue.csv`: one row of metadata per article (lists joined with '; ')."""
    buffer = io.StringIO()
    writer = None
    for document, _record in exported:
        row = {key: "; ".join(value) if isinstance(value, list) else value for key, value in _metadata_row(document).items()}
        if writer is None:
            writer = csv.DictWriter(buffer, fieldnames=list(row), lineterminator="\n")
            writer.writeheader()
        writer.writerow(row)
    yield "catalogue.csv", buffer.getvalue().encode("utf-8")


EXPORTERS: dict[str, Callable[[Exported], Iterable[tuple[str, bytes]]]] = {
    "txt": plain_text,
    "jsonl": json_lines,
    "csv": csv_catalogue,
}
FORMATS = ("tei", *EXPORTERS)
