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
    source = "socialist-worker"   # groups articles of one site for the corpus layer

Every key is optional; a key that is present (even "") wins over extraction, so a wrong
extraction can be blanked by hand.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .errors import CatalogueError

CATALOGUE_NAME = "catalogue.toml"
KNOWN_KEYS = frozenset({"url", "title", "subtitle", "authors", "date", "publication", "issue", "volume", "licence", "keywords", "language", "source", "note"})


@dataclass(frozen=True)
class CatalogueEntry:
    values: Mapping[str, object] = field(default_factory=dict)

    def get(self, key: str) -> object | None:
        return self.values.get(key)


@dataclass(frozen=True)
class Catalogue:
    entries: Mapping[str, CatalogueEntry] = field(default_factory=dict)

    def entry(self, doc_id: str) -> CatalogueEntry:
        return self.entries.get(doc_id, CatalogueEntry())


def load_catalogue(folder: Path) -> Catalogue:
    """Read `catalogue.toml` from an input folder; no file means an empty catalogue."""
    path = folder / CATALOGUE_NAME
    if not path.is_file():
        return Catalogue()
    try:
        table = tomllib.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError) as problem:
        raise CatalogueError(f"cannot read the catalogue: {problem}", str(path)) from None
    except tomllib.TOMLDecodeError as problem:
        raise CatalogueError(f"not valid TOML: {problem}", str(path)) from None
    entries = {}
    for doc_id, values in table.items():
        if not isinstance(values, dict):
            raise CatalogueError(f"entry {doc_id!r} must be a table of fields", str(path))
        unknown = sorted(set(values) - KNOWN_KEYS)
        if unknown:
            raise CatalogueError(f"entry {doc_id!r} has unknown keys: {', '.join(unknown)}", str(path))
        authors = values.get("authors")
        if authors is not None and not (isinstance(authors, list) and all(isinstance(a, str) for a in authors)):
            raise CatalogueError(f"entry {doc_id!r}: authors must be a list of names", str(path))
        entries[doc_id] = CatalogueEntry(values)
    return Catalogue(entries)
