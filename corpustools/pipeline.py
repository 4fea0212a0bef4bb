"""The pipeline, readable top to bottom: decode -> rules -> metadata lines -> clean -> segment.

These functions work on strings and bytes only; io.py and the CLI deal with files. A notebook
can call `clean_text` on a string and get the Document back:

    >>> from corpustools import clean_text, to_tei_string
    >>> document = clean_text(open("raw/x.txt", "rb").read(), "x")
    >>> document.metadata.title.value
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from .catalogue import CatalogueEntry
from .clean import clean_lines, match_rules, split_lines, strong_lines
from .corpus import LineCounts
from .decode import decode_bytes, repair_text
from .metadata import HeaderLines, detect_language, find_header_lines
from .model import Author, Category, DecodedText, Document, Field, Line, Metadata, Provenance
from .rules import RuleSet, UserConfig, ruleset_for
from .segment import Segmentation, segment

LONGEST_SUBTITLE = 40  # words: a longer standfirst is a summary, not a subtitle


def decode(data: bytes | str) -> DecodedText:
    """Bytes are decoded (encoding detected); a str is only repaired."""
    return decode_bytes(data) if isinstance(data, bytes) else repair_text(data)


def clean_text(
    data: bytes | str,
    doc_id: str = "article",
    *,
    ruleset: RuleSet | None = None,
    counts: LineCounts | None = None,
    source: str = "",
    catalogue: CatalogueEntry | None = None,
    source_file: str = "",
    source_sha256: str = "",
    decoded: DecodedText | None = None,
) -> Document:
    """Clean one article and segment it into a Document (the whole of `corpustools clean`).

    `decoded` is `decode(data)` when the caller has it already (a batch needs the decoded
    lines for its incremental check, and decoding is not cheap).
    """
    ruleset = ruleset or ruleset_for(UserConfig(), source)
    decoded = decoded or decode(data)
    lines = split_lines(decoded.text)
    matches = match_rules(lines, ruleset)
    boilerplate = strong_lines(matches)
    language = detect_language("\n".join(line.text for line in lines if line.number not in boilerplate))
    # Lines where a site names itself: footers, appeals, app prompts (menus name sections).
    furniture = {number for number in boilerplate if matches[number].category != Category.NAVIGATION}
    header = find_header_lines(lines, boilerplate, language.value, counts, source, ruleset.corpus_min_articles, furniture)
    result = clean_lines(lines, ruleset, matches, header.claimed, counts, source)
    parts = segment(result.kept, blank_runs(lines))
    metadata = apply_catalogue(build_metadata(parts, header, language), catalogue)
    provenance = Provenance(
        source_file=source_file,
        source_sha256=source_sha256,
        encoding=decoded.encoding,
        repairs=decoded.repairs,
        removed_characters=decoded.removed_characters,
    )
    return Document(
        id=doc_id,
        metadata=metadata,
        front=parts.front,
        sections=parts.sections,
        signature=parts.signature,
        removals=result.removals,
        provenance=provenance,
    )


def blank_runs(lines: Sequence[Line]) -> dict[int, int]:
    """For each line, how many blank (or invisible) lines stand directly before it."""
    runs: dict[int, int] = {}
    run = 0
    for line in lines:
        runs[line.number] = run
        run = run + 1 if not line.text.strip() else 0
    return runs


def build_metadata(parts: Segmentation, header: HeaderLines, language: Field) -> Metadata:
    title = Field(parts.front.title, parts.title_source) if parts.front.title else Field("", "not found: the text has no title line")
    standfirst = parts.front.standfirst[0] if parts.front.standfirst else ""
    subtitle = Field(standfirst, "the article's standfirst") if standfirst and len(standfirst.split()) <= LONGEST_SUBTITLE else Field("")
    return Metadata(
        title=title,
        subtitle=subtitle,
        authors=tuple(parts.authors),
        publication=header.publication,
        date=header.date,
        issue=header.issue,
        volume=header.volume,
        language=language,
    )


def apply_catalogue(metadata: Metadata, entry: CatalogueEntry | None) -> Metadata:
    """Catalogue values win over extracted ones (a present key wins, even when empty)."""
    if entry is None or not entry.values:
        return metadata
    values = dict(entry.values)
    changes: dict[str, object] = {}
    for name in ("title", "subtitle", "publication", "date", "issue", "volume", "language", "url", "licence"):
        if name in values:
            changes[name] = Field(str(values[name]), "catalogue")
    if "authors" in values:
        affiliations = {author.name: author.affiliation for author in metadata.authors}
        names = [str(name) for name in _as_list(values["authors"])]
        changes["authors"] = tuple(Author(name, affiliations.get(name, ""), "catalogue") for name in names)
    if "keywords" in values:
        changes["keywords"] = tuple(str(word) for word in _as_list(values["keywords"]))
    return replace(metadata, **changes)  # type: ignore[arg-type]


def _as_list(value: object) -> list[object]:
    """Catalogue lists are checked when the catalogue is read; a lone string counts as one item."""
    return list(value) if isinstance(value, (list, tuple)) else [value]
