"""Where each metadata value came from, kept across the cleaned file, and what a person changed.

The cleaned file prints each value's provenance as a TOML comment, which the parser cannot
keep; so the removal log records every value with its source and confidence, and `export`
restores them: a value still as `clean` wrote it keeps its provenance, a value that differs
was typed by a person ("hand edit"). The log also holds a short digest of every line of the
cleaned file, so export can say how many lines a person changed without keeping a copy.
"""

from __future__ import annotations

import difflib
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from .model import Author, Field, Metadata

RECORDED_FIELDS = ("title", "subtitle", "publication", "date", "issue", "volume", "language", "url", "licence", "retrieved")
HAND_EDIT = "hand edit"
DIGEST_LENGTH = 8  # hex characters of SHA-256 per line: a chance collision hides one edited line in 4 billion


def metadata_record(metadata: Metadata) -> dict[str, Any]:
    """The log's record of the header as `clean` wrote it: each value, its source and confidence."""
    record: dict[str, Any] = {
        name: {"value": field.value, "source": field.source, "confidence": round(field.confidence, 3)}
        | ({"original": field.original} if field.original and field.original != field.value else {})
        for name in RECORDED_FIELDS
        if (field := getattr(metadata, name)).value
    }
    record["authors"] = [
        {"name": author.name, "affiliation": author.affiliation, "source": author.source, "confidence": round(author.confidence, 3)} for author in metadata.authors
    ]
    record["keywords"] = list(metadata.keywords)
    record["genre"] = list(metadata.genre)
    return record


def line_digests(text: str) -> list[str]:
    """A short digest of each line of a cleaned file."""
    return [hashlib.sha256(line.encode("utf-8")).hexdigest()[:DIGEST_LENGTH] for line in text.split("\n")]


def changed_lines(recorded: Sequence[str], text: str) -> int:
    """How many lines of `text` differ from the recorded file: replaced, added or deleted."""
    matcher = difflib.SequenceMatcher(None, list(recorded), line_digests(text), autojunk=False)
    return sum(max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal")


@dataclass(frozen=True)
class Restored:
    """The parsed header with its provenance back, and the fields a person changed."""

    metadata: Metadata
    edited_fields: tuple[str, ...]


def restore(parsed: Metadata, record: Mapping[str, Any]) -> Restored:
    """Give each parsed value the provenance the log recorded for it, or mark it a hand edit."""
    changes: dict[str, object] = {}
    edited: list[str] = []
    for name in RECORDED_FIELDS:
        field: Field = getattr(parsed, name)
        kept = record.get(name) or {}
        if field.value == kept.get("value", ""):
            if field.value:
                changes[name] = replace(field, source=str(kept.get("source", "")), confidence=float(kept.get("confidence", 1.0)))
            if name == "date" and field.original != kept.get("original", ""):
                edited.append("date_in_text")  # the wording changed, the date did not: the date keeps its provenance
        else:
            edited.append(name)
            changes[name] = replace(field, source=HAND_EDIT if field.value else "removed by hand", confidence=1.0)
    recorded_authors = {str(author.get("name", "")): author for author in record.get("authors", []) if isinstance(author, dict)}
    authors = []
    for author in parsed.authors:
        kept = recorded_authors.get(author.name)
        if kept:
            authors.append(Author(author.name, author.affiliation, str(kept.get("source", "")), float(kept.get("confidence", 1.0))))
        else:
            authors.append(Author(author.name, author.affiliation, HAND_EDIT))
    recorded_pairs = [(str(author.get("name", "")), str(author.get("affiliation", ""))) for author in recorded_authors.values()]
    if [author.name for author in parsed.authors] != [name for name, _ in recorded_pairs]:
        edited.append("authors")
    if [(author.name, author.affiliation) for author in parsed.authors if author.affiliation] != [pair for pair in recorded_pairs if pair[1]]:
        edited.append("affiliations")
    changes["authors"] = tuple(authors)
    if list(parsed.keywords) != list(record.get("keywords", [])):
        edited.append("keywords")
    if list(parsed.genre) != list(record.get("genre", [])):
        edited.append("genre")
    return Restored(replace(parsed, **changes), tuple(edited))  # type: ignore[arg-type]


CATALOGUE = "catalogue"
CERTAINTY = ((0.9, "high"), (0.7, "medium"))  # accepted values are >= 0.5 (lexicon.toml's threshold)


def certainty(confidence: float) -> str:
    """A confidence as TEI's @cert words it: high, medium or low."""
    return next((word for floor, word in CERTAINTY if confidence >= floor), "low")


def line_of(source: str) -> int | None:
    """The line number a provenance string starts with ("line 5 (rule ...)")."""
    words = source.split(maxsplit=2)
    return int(words[1]) if len(words) > 1 and words[0] == "line" and words[1].isdigit() else None


def lines_of(source: str) -> tuple[int, ...]:
    """The source lines a provenance string names ("line 5 (rule ...); line 9 (...)")."""
    return tuple(number for part in source.split(";") if (number := line_of(part)) is not None)


def by_person(source: str) -> bool:
    """Whether a person gave the value (the catalogue, or a hand edit), not the tool."""
    return source in (CATALOGUE, HAND_EDIT)
