"""The pipeline, readable top to bottom: decode -> layout -> evidence (rules, metadata lines, corpus) -> labeller -> clean -> segment.

These functions work on strings and bytes only; io.py and the CLI deal with files. A notebook
can call `clean_text` on a string and get the Document back:

    >>> from corpustools import clean_text, to_tei_string
    >>> document = clean_text(open("raw/x.txt", "rb").read(), "x")
    >>> document.metadata.title.value
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from .candidates import (
    choose,
    choose_authors,
    choose_date,
    corroborated_title,
    headline_of_page_title,
    publication_candidates,
    without_site_suffix,
)
from .catalogue import CatalogueEntry
from .clean import apply_labels, match_rules, propose_removals, strong_lines
from .corpus import LineCounts
from .decode import decode_bytes, repair_text
from .labeller import LineEvidence
from .labeller.features import features_of
from .labeller.gbm import LabelledLine, label_vectors, weighed_features_of
from .layout import lay_out
from .metadata import HeaderLines, detect_language, find_header_lines
from .model import (
    Author,
    Category,
    CleanResult,
    DecodedText,
    Document,
    Field,
    Line,
    LineDecision,
    Metadata,
    Provenance,
    Removal,
)
from .provenance import RECORDED_FIELDS, line_of
from .rules import BoilerplateRule, RuleSet, UserConfig, genre_named, ruleset_for
from .segment import Segmentation, segment

LONGEST_SUBTITLE = 40  # words: a longer standfirst is a summary, not a subtitle


def decode(data: bytes | str) -> DecodedText:
    """Bytes are decoded (encoding detected); a str is only repaired."""
    return decode_bytes(data) if isinstance(data, bytes) else repair_text(data)


@dataclass(frozen=True)
class Reading:
    """What the stages before the labeller found in one article: the labeller's evidence."""

    lines: list[Line]
    matches: dict[int, BoilerplateRule]  # line number -> first rule of the library that matched
    header: HeaderLines
    language: Field
    proposal: CleanResult  # what the rule layers would remove
    numbers: list[int]  # the non-blank lines, in order: the labeller's sequence
    evidence: list[LineEvidence]  # one per number
    layout_changes: tuple[str, ...] = ()  # what reading the scraper's layout changed (joins, marks)
    spans: tuple[tuple[int, int], ...] = ()  # each line's first and last source line (rejoined wrapped lines)

    def vectors(self) -> list[dict[str, float]]:
        return features_of(self.evidence, self.language.value)


def read_article(
    decoded: DecodedText, ruleset: RuleSet, counts: LineCounts | None = None, source: str = ""
) -> Reading:
    """Split into lines and gather every layer's evidence: the labeller's input, for `clean`
    and for `corpustools train` alike (one way, so the model sees at run time what it was
    trained on)."""
    laid = lay_out(decoded.text)
    shapes = laid.lines
    lines = [Line(line.number, line.text) for line in shapes]
    matches = match_rules(lines, ruleset)
    boilerplate = strong_lines(matches)
    language = detect_language("\n".join(line.text for line in lines if line.number not in boilerplate))
    # Lines where a site names itself: footers, appeals, app prompts (menus name sections).
    furniture = {number for number in boilerplate if matches[number].category != Category.NAVIGATION}
    header = find_header_lines(lines, boilerplate, language.value, counts, source, ruleset.corpus_min_articles, furniture)
    proposal = propose_removals(lines, ruleset, matches, header.claimed, counts, source)
    proposed = {removal.line: removal for removal in proposal.removals}
    numbers: list[int] = []
    evidence: list[LineEvidence] = []
    blank_before = 0
    for line, shape in zip(lines, shapes):
        text = line.text.strip()
        if not text:
            blank_before += 1
            continue
        rule = matches.get(line.number)
        removal = proposed.get(line.number)
        numbers.append(line.number)
        evidence.append(
            LineEvidence(
                text=text,
                blank_before=blank_before,
                indent=shape.indent,
                bullet_depth=shape.bullet_depth,
                heading_level=shape.heading_level,
                link_ratio=shape.link_ratio,
                rule=rule.id if rule else "",
                rule_category=rule.category.value if rule else "",
                rule_strength=rule.strength if rule else "",
                claimed=header.claimed.get(line.number, ""),
                proposed_layer=removal.layer.value if removal else "",
                proposed_category=removal.category.value if removal else "",
                recurrences=counts.count(source, line.text) if counts is not None else 0,
            )
        )
        blank_before = 0
    spans = tuple((line.first_source_line, line.last_source_line) for line in shapes)
    return Reading(lines, matches, header, language, proposal, numbers, evidence, laid.changes, spans)


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
    explain: bool = False,
    model: Path | None = None,
) -> Document:
    """Clean one article and segment it into a Document (the whole of `corpustools clean`).

    `decoded` is `decode(data)` when the caller has it already (a batch needs the decoded
    lines for its incremental check, and decoding is not cheap). `model` is a line labeller's
    model file other than the shipped one (cross-validation cleans each page with a model
    trained without its site).
    """
    ruleset = ruleset or ruleset_for(UserConfig(), source)
    decoded = decoded or decode(data)
    reading = read_article(decoded, ruleset, counts, source)
    vectors = reading.vectors()
    labelled = dict(zip(reading.numbers, label_vectors(vectors, [len(line.text.split()) for line in reading.evidence], model)))
    forced = {number: rule for number, rule in reading.matches.items() if rule.user}
    result = apply_labels(reading.lines, labelled, reading.proposal, forced, reading.header.claimed)
    parts = segment(result.kept, blank_runs(reading.lines), result.removals)
    labels = {number: labelled[number].label.value for number in reading.numbers}
    metadata = apply_catalogue(build_metadata(parts, reading.header, reading.language, reading.lines, labels), catalogue)
    provenance = Provenance(
        source_file=source_file,
        source_sha256=source_sha256,
        encoding=decoded.encoding,
        repairs=decoded.repairs + reading.layout_changes,
        removed_characters=decoded.removed_characters,
    )
    document = Document(
        id=doc_id,
        metadata=metadata,
        front=parts.front,
        sections=parts.sections,
        signature=parts.signature,
        removals=result.removals,
        provenance=provenance,
        warnings=result.warnings + losses(reading.lines, result.kept),
        decisions=decisions(reading.numbers, vectors, labelled, result, explain, model),
    )
    return numbered_as_the_source(document, reading.spans)


LINE_REFERENCE = re.compile(r"\bline (\d+)")


def numbered_as_the_source(document: Document, spans: Sequence[tuple[int, int]]) -> Document:
    """The stages number the lines the layout stage reads; a hard-wrapped paragraph it rejoined
    is one of them over several source lines. What the Document tells a reader (the removal
    log, --explain, the provenance of each value) is numbered as an editor shows the raw file."""
    if all(first == last == number for number, (first, last) in enumerate(spans, start=1)):
        return document  # nothing was rejoined: the numbers are the source's already

    def span(number: int) -> tuple[int, int]:
        return spans[number - 1] if 0 < number <= len(spans) else (number, number)

    def first(number: int) -> int:
        return span(number)[0]

    def renumbered_removal(removal: Removal) -> Removal:
        start, end = span(removal.line)
        return replace(removal, line=start, last_line=end if end > start else 0)

    def in_text(source: str) -> str:
        return LINE_REFERENCE.sub(lambda match: f"line {first(int(match.group(1)))}", source)

    def field(value: Field) -> Field:
        return replace(value, source=in_text(value.source)) if value.source else value

    metadata = document.metadata
    renumbered = {name: field(getattr(metadata, name)) for name in RECORDED_FIELDS}
    metadata = replace(
        metadata,
        **renumbered,  # type: ignore[arg-type]
        authors=tuple(replace(author, source=in_text(author.source)) for author in metadata.authors),
        rejected=tuple(replace(candidate, source=in_text(candidate.source)) for candidate in metadata.rejected),
    )
    removals = tuple(renumbered_removal(removal) for removal in document.removals)
    decisions_ = tuple(replace(decision, line=first(decision.line)) for decision in document.decisions)
    return replace(document, metadata=metadata, removals=removals, decisions=decisions_)


def decisions(
    numbers: Sequence[int],
    vectors: Sequence[dict[str, float]],
    labelled: dict[int, LabelledLine],
    result: CleanResult,
    explain: bool,
    model: Path | None = None,
) -> tuple[LineDecision, ...]:
    """Every non-blank line's label, and with `explain` the features that weighed most for it."""
    removed = {removal.line for removal in result.removals}
    weighed = weighed_features_of(vectors, [labelled[number].label for number in numbers], model) if explain else [[] for _ in numbers]
    return tuple(
        LineDecision(number, labelled[number].label.value, round(labelled[number].probability, 3), number not in removed, tuple(weights))
        for number, weights in zip(numbers, weighed)
    )


MOST_WORDS = 0.5  # an article that loses more than this share of its words is named in the summary


def losses(lines: Sequence[Line], kept: Sequence[Line]) -> tuple[str, ...]:
    """A warning when cleaning removed most of an article's words, so that a person looks."""
    total = sum(len(line.text.split()) for line in lines)
    left = sum(len(line.text.split()) for line in kept)
    if not total:
        return ()
    if not left:
        return ("every line was removed",)
    if left < total * (1 - MOST_WORDS):
        return (f"{1 - left / total:.0%} of the words were removed ({total - left} of {total})",)
    return ()


def blank_runs(lines: Sequence[Line]) -> dict[int, int]:
    """For each line, how many blank (or invisible) lines stand directly before it."""
    runs: dict[int, int] = {}
    run = 0
    for line in lines:
        runs[line.number] = run
        run = run + 1 if not line.text.strip() else 0
    return runs


def build_metadata(
    parts: Segmentation, header: HeaderLines, language: Field, lines: Sequence[Line] = (), labels: Mapping[int, str] | None = None
) -> Metadata:
    """The header's fields from the front matter, the metadata lines and the labeller's labels.

    Publication is weighed from every candidate the page offers (candidates.py); a title that
    keeps the site's name as a suffix loses it once that name is the publication.
    """
    title = Field(parts.front.title, parts.title_source) if parts.front.title else Field("", "not found: the text has no title line")
    publication, rejected = choose("publication", publication_candidates(lines, labels or {}, header.publication, title))
    authors, rejected_authors = choose_authors(parts.authors, lines, labels or {}, title.value)
    bylines = [number for number in (line_of(author.source) for author in authors) if number is not None]
    date, rejected_dates = choose_date(header.dates, lines, labels, title.value, bylines) if labels is not None else (header.date, ())
    title = headline_of_page_title(without_site_suffix(title, publication), publication, lines, labels or {})
    title, rejected_titles = corroborated_title(title, lines, labels or {})
    standfirst = parts.front.standfirst[0] if parts.front.standfirst else ""
    subtitle = Field(standfirst, "the article's standfirst") if standfirst and len(standfirst.split()) <= LONGEST_SUBTITLE else Field("")
    return Metadata(
        title=title,
        subtitle=subtitle,
        authors=authors,
        publication=publication,
        date=date,
        issue=header.issue,
        volume=header.volume,
        language=language,
        rejected=rejected_titles + rejected + rejected_authors + rejected_dates,
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
    if "retrieved" in values:
        changes["retrieved"] = Field(str(values["retrieved"]), "catalogue")
    genre = [named.id for named in (genre_named(str(word)) for word in _as_list(values.get("genre", []))) if named]
    if "keywords" in values:
        # A keyword that names a genre ("book review") says what kind of text it is: the genre.
        words = [str(word) for word in _as_list(values["keywords"])]
        genre.extend(named.id for named in (genre_named(word) for word in words) if named)
        changes["keywords"] = tuple(word for word in words if genre_named(word) is None)
    if genre:
        changes["genre"] = tuple(dict.fromkeys(genre))
    return replace(metadata, **changes)  # type: ignore[arg-type]


def _as_list(value: object) -> list[object]:
    """Catalogue lists are checked when the catalogue is read; a lone string counts as one item."""
    return list(value) if isinstance(value, (list, tuple)) else [value]
