"""The user's catalogue: per-article metadata that wins over what the tool extracts.

`raw/catalogue.toml` has one table per document id:

    ["000_7584a26c6b66eb82"]
    url = "https://..."
    title = "..."
    authors = ["Charlie Kimber"]
    date = "2002-09-14"
    publication = "Socialist Worker"
    licence = "..."
    keywords = ["Stalinism"]
    genre = "book review"         # a genre of rules/genres.toml (its label or id)
    retrieved = "2024-05-01"      # when the page was scraped (the web source's access date)
    source = "socialist-worker"   # groups articles of one site for the corpus layer

Every key is optional; a key that is present (even "") wins over extraction, so a wrong
extraction can be blanked by hand.
"""

from __future__ import annotations

import datetime
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .errors import CatalogueError
from .rules import genre_named, genres
from .values import is_iso_date, is_language_tag

CATALOGUE_NAME = "catalogue.toml"
TEXT_KEYS = ("url", "title", "subtitle", "publication", "licence", "source", "note")
NUMBER_KEYS = ("issue", "volume")  # "214" or 214
LIST_KEYS = ("authors", "keywords", "genre")
DATE_KEYS = ("date", "retrieved")
KNOWN_KEYS = frozenset({*TEXT_KEYS, *NUMBER_KEYS, *LIST_KEYS, *DATE_KEYS, "language"})
TABLE_LINE = re.compile(r"^\s*\[(?!\[)(?P<key>[^\]#]+)\]\s*(#.*)?$")


@dataclass(frozen=True)
class CatalogueEntry:
    values: Mapping[str, object] = field(default_factory=dict)

    def get(self, key: str) -> object | None:
        return self.values.get(key)


@dataclass(frozen=True)
class Catalogue:
    entries: Mapping[str, CatalogueEntry] = field(default_factory=dict)
    path: str = ""  # the file it was read from ("" for no catalogue)
    lines: Mapping[str, int] = field(default_factory=dict)  # the line of each entry's [id], for reports

    def entry(self, doc_id: str) -> CatalogueEntry:
        return self.entries.get(doc_id, CatalogueEntry())

    def unmatched(self, doc_ids: set[str]) -> list[tuple[str, str]]:
        """(where, message) for each entry whose id names none of `doc_ids`: a typo would be lost unseen."""
        return [
            (f"{self.path}:{self.lines[doc_id]}" if self.lines.get(doc_id) else self.path, f"entry {doc_id!r} matches no article in the input (a typo in its id?): not used")
            for doc_id in self.entries
            if doc_id not in doc_ids
        ]


def load_catalogue(folder: Path) -> Catalogue:
    """Read `catalogue.toml` from an input folder; no file means an empty catalogue.

    Each value must be of its key's type: a list where a string goes (`url = ["x"]`) would
    otherwise reach the TEI as the text "['x']".
    """
    path = folder / CATALOGUE_NAME
    if not path.is_file():
        return Catalogue()
    try:
        text = path.read_text("utf-8")
        table = tomllib.loads(text)
    except (OSError, UnicodeDecodeError) as problem:
        raise CatalogueError(f"cannot read the catalogue: {problem}", str(path)) from None
    except tomllib.TOMLDecodeError as problem:
        raise CatalogueError(f"not valid TOML: {problem}", str(path)) from None
    lines = text.split("\n")
    starts = _entry_lines(lines)
    entries = {}
    for doc_id, values in table.items():
        start = starts.get(doc_id, 0)
        if not isinstance(values, dict):
            raise CatalogueError(f"entry {doc_id!r} must be a table of fields", str(path), _key_line(lines, 0, doc_id) or start)
        unknown = sorted(set(values) - KNOWN_KEYS)
        if unknown:
            raise CatalogueError(f"entry {doc_id!r} has unknown keys: {', '.join(map(repr, unknown))}", str(path), start)
        checked = {}
        for key, value in values.items():
            expected = _expected(key, value)
            if expected:
                raise CatalogueError(f"entry {doc_id!r}: {key} must be {expected}, not {value!r}", str(path), _key_line(lines, start, key) or start)
            checked[key] = _normalised(value)
        entries[doc_id] = CatalogueEntry(checked)
    return Catalogue(entries, str(path), starts)


def _expected(key: str, value: object) -> str:
    """What the value of `key` must be, if it is not that ("" when it is)."""
    if key in TEXT_KEYS and not isinstance(value, str):
        return "a string"
    if key in NUMBER_KEYS and not (isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool))):
        return "a string or a whole number"
    if key == "authors" and not (isinstance(value, list) and all(isinstance(name, str) for name in value)):
        return "a list of names"
    if key in ("keywords", "genre") and not (isinstance(value, str) or (isinstance(value, list) and all(isinstance(word, str) for word in value))):
        return "a list of strings"
    if key == "genre":
        words = [value] if isinstance(value, str) else list(value)  # type: ignore[call-overload]
        unknown = [word for word in words if genre_named(word) is None]
        if unknown:
            return f"a genre of rules/genres.toml ({', '.join(genre.label for genre in genres())}), which {unknown[0]!r} is not"
    if key in DATE_KEYS:
        # An unquoted TOML date is a date; one with a time is more than @when records here.
        text = value.isoformat() if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime) else value
        if not isinstance(text, str) or (text and not is_iso_date(text)):
            return "an ISO 8601 date (YYYY-MM-DD, YYYY-MM or YYYY)"
    if key == "language" and not (isinstance(value, str) and (not value or is_language_tag(value))):
        return "a BCP 47 language code such as 'en', 'de' or 'pt-BR'"
    return ""


def _normalised(value: object) -> object:
    """A checked value as the pipeline takes it: text, or a list of text."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    return value


def _entry_lines(lines: list[str]) -> dict[str, int]:
    """The line number of each `[id]` table header (its key read as TOML reads it)."""
    found: dict[str, int] = {}
    for number, line in enumerate(lines, start=1):
        header = TABLE_LINE.match(line)
        if header:
            try:
                keys = list(tomllib.loads(f"{header.group('key').strip()} = 0"))
            except tomllib.TOMLDecodeError:
                continue
            found.setdefault(keys[0], number)
    return found


def _key_line(lines: list[str], start: int, key: str) -> int:
    """The line of `key = ...` in the table that starts on line `start` (0: the top level)."""
    pattern = re.compile(rf"^\s*(?:{re.escape(key)}|\"{re.escape(key)}\"|'{re.escape(key)}')\s*=")
    for number in range(start + 1, len(lines) + 1):
        line = lines[number - 1]
        if TABLE_LINE.match(line) or line.lstrip().startswith("[["):
            break
        if pattern.match(line):
            return number
    return 0
