"""The document model every stage speaks: small frozen dataclasses and enums.

Each stage takes one of these types and returns the next, so the pipeline can be read from the
type signatures alone: bytes -> DecodedText -> CleanResult -> Document.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from functools import cached_property


class Layer(str, Enum):
    """Which layer of the cleaner decided to remove a line."""

    RULE = "rule"  # a rule of the rule library matched the line
    STRUCTURE = "structure"  # where the line sits and what surrounds it
    CORPUS = "corpus"  # the line recurs across articles of the same source
    METADATA = "metadata"  # the line only carried metadata, now in the header
    LABELLER = "labeller"  # the trained line labeller (rules and the other layers are its features)
    WHITESPACE = "whitespace"  # the line held only invisible characters


class Category(str, Enum):
    """What kind of boilerplate a removed line is; the summary counts removals by these."""

    SUBSCRIPTION = "subscription"
    DONATION = "donation"
    SHARING = "sharing"
    COMMENTS = "comments"
    NAVIGATION = "navigation"
    CONSENT = "consent"
    POPUP = "popup"
    LEGAL = "legal"
    ADVERTISING = "advertising"
    CREDIT = "credit"
    METADATA = "metadata"
    INVISIBLE = "invisible"
    SITE = "site"  # recurring site boilerplate found by the corpus layer
    BOILERPLATE = "boilerplate"  # the labeller's call where no rule names the kind


class LineLabel(str, Enum):
    """What a line of the scrape is: the line labeller's label set (tests/corpus/README.md)."""

    TITLE = "T"
    STANDFIRST = "S"
    BYLINE = "A"
    EPIGRAPH = "E"
    HEADING = "H"
    PARAGRAPH = "P"
    QUOTATION = "Q"
    LIST_ITEM = "L"
    SIGNATURE = "G"
    METADATA = "M"  # carries only metadata: goes to the header, not the text
    BOILERPLATE = "B"

    @property
    def is_text(self) -> bool:
        """Lines of the article's own text (kept); M and B lines leave the text."""
        return self not in (LineLabel.METADATA, LineLabel.BOILERPLATE)


class BlockKind(str, Enum):
    """The kinds of block inside a section of the article body."""

    PARAGRAPH = "p"
    QUOTE = "quote"
    LIST = "list"
    ORDERED_LIST = "ordered-list"
    OMISSION = "omission"  # lines the cleaner removed from between two blocks: no text, a TEI gap


@dataclass(frozen=True)
class Line:
    """One line of the decoded source, numbered from 1 as an editor shows it."""

    number: int
    text: str


class Layout(str, Enum):
    """How a scraper laid the page out as plain text; the layout stage reads each its own way."""

    ONE_BLOCK_A_LINE = "one-block-a-line"  # html-text and the labelled corpora: lines are blocks
    OUTLINE = "outline"  # inscriptis: indentation shows nesting, "*", "+", "o" bullets
    MARKDOWN = "markdown"  # html2text: "#" headings, "**bold**", links, maybe hard-wrapped


class LayoutMark(str, Enum):
    """A mark of layout the layout stage took off a line (its text is kept)."""

    WRAP = "wrap"  # the line was hard-wrapped over several source lines
    BULLET = "bullet"  # an outline or Markdown bullet, rewritten as "- "
    HEADING = "heading"  # "## " heading marks
    QUOTE = "quote"  # "> " block quotation marks
    STRONG = "strong"  # **bold** or __bold__
    EMPHASIS = "emphasis"  # _em_ or *em*
    LINK = "link"  # [text](url): the text is kept
    IMAGE = "image"  # ![alt](src): removed
    ESCAPE = "escape"  # a backslash before a literal character: "\-", "1\."


@dataclass(frozen=True)
class LaidLine:
    """One logical line as the layout stage reads it, and the source lines it came from."""

    number: int  # 1..n over the logical lines
    text: str
    first_source_line: int
    last_source_line: int  # greater than first_source_line when hard-wrapped lines were rejoined
    indent: int = 0  # leading whitespace characters of the first source line
    bullet_depth: int = 0  # 0: no list item; 1: a top-level item; 2: nested once...
    heading_level: int = 0  # 0: no Markdown heading; 1 for "# ", 2 for "## "...
    link_ratio: float = 0.0  # share of the text's characters that were link text
    marks: tuple[LayoutMark, ...] = ()


@dataclass(frozen=True)
class LaidOut:
    """A text read as logical lines, with what each line was in the scraper's layout.

    Stored as one column per attribute: the layout stage runs over whole corpora, and building a
    frozen object for every line would cost it more than all its reading; `lines` builds the
    LaidLine objects once, when a caller asks for them. Each logical line begins on the source
    line after the one where the previous line ended, so the ends alone give every span.
    """

    texts: tuple[str, ...]
    last_source_lines: tuple[int, ...]
    indents: tuple[int, ...]
    bullet_depths: tuple[int, ...]
    heading_levels: tuple[int, ...]
    link_ratios: tuple[float, ...]
    marks: tuple[tuple[LayoutMark, ...], ...]
    layout: Layout = Layout.ONE_BLOCK_A_LINE
    wrap_width: int = 0  # the width paragraphs were hard-wrapped at; 0 when they were not
    changes: tuple[str, ...] = ()  # what the stage did, for the removal log

    @property
    def text(self) -> str:
        return "\n".join(self.texts)

    @cached_property
    def lines(self) -> tuple[LaidLine, ...]:
        firsts = (0, *self.last_source_lines)
        return tuple(
            LaidLine(number, text, first + 1, last, indent, depth, level, ratio, marks)
            for number, (text, first, last, indent, depth, level, ratio, marks) in enumerate(
                zip(
                    self.texts,
                    firsts,
                    self.last_source_lines,
                    self.indents,
                    self.bullet_depths,
                    self.heading_levels,
                    self.link_ratios,
                    self.marks,
                    strict=False,
                ),
                1,
            )
        )


@dataclass(frozen=True)
class Removal:
    """A source line the cleaner removed, and why: the audit trail of every decision."""

    line: int
    text: str
    layer: Layer
    rule: str
    category: Category
    label: str = ""  # the labeller's label (B or M), when it made the decision
    probability: float = 1.0  # how sure the labeller was of that label
    last_line: int = 0  # the last source line, when hard-wrapped lines were read as one (0: `line` alone)

    @property
    def source_lines(self) -> range:
        """The source lines removed, numbered as an editor shows the raw file."""
        return range(self.line, max(self.line, self.last_line) + 1)


@dataclass(frozen=True)
class LineDecision:
    """The labeller's decision on one non-blank line, kept or not: for --explain and the log."""

    line: int
    label: str  # a LineLabel value
    probability: float
    kept: bool
    features: tuple[tuple[str, float], ...] = ()  # the weights that decided the label (only when explaining)


@dataclass(frozen=True)
class DecodedText:
    """Text decoded from bytes, with a record of every repair made on the way."""

    text: str
    encoding: str
    repairs: tuple[str, ...] = ()
    removed_characters: int = 0


@dataclass(frozen=True)
class CleanResult:
    """The lines the cleaner kept and the lines it removed, in source order."""

    kept: tuple[Line, ...]
    removals: tuple[Removal, ...]
    warnings: tuple[str, ...] = ()  # what a reader of the log must check (a body kept by the guard rail)


@dataclass(frozen=True)
class Field:
    """A metadata value with its provenance, so a reader can check where it came from."""

    value: str
    source: str = ""  # e.g. "line 5 (rule date.numeric)", "catalogue", "hand edit"
    original: str = ""  # the wording in the source, when it differs from the value
    confidence: float = 1.0  # how sure the evidence makes the value (candidates.py); 1.0 when a person gave it


@dataclass(frozen=True)
class MetadataCandidate:
    """A value the text offers for a metadata field, with the evidence and how sure it is.

    The rejected ones are kept (removal log, `--explain`), so a reader sees what the tool
    declined to assert and why.
    """

    field: str  # "publication", "authors", "date"...
    value: str
    source: str  # the line and rule that offered it
    confidence: float
    reason: str = ""  # why it was rejected, when it was


@dataclass(frozen=True)
class Author:
    name: str
    affiliation: str = ""
    source: str = ""
    confidence: float = 1.0  # how sure the evidence makes the name (candidates.py); 1.0 when a person gave it


@dataclass(frozen=True)
class Metadata:
    """What is known about the article. An empty Field means: not found, not invented."""

    title: Field = Field("")
    subtitle: Field = Field("")
    authors: tuple[Author, ...] = ()
    publication: Field = Field("")
    date: Field = Field("")  # ISO 8601 at the source's precision; original wording kept
    issue: Field = Field("")
    volume: Field = Field("")
    language: Field = Field("")
    url: Field = Field("")
    licence: Field = Field("")
    keywords: tuple[str, ...] = ()
    rejected: tuple[MetadataCandidate, ...] = ()  # candidates below the threshold or outweighed
    retrieved: Field = Field("")  # when the page was scraped (a catalogue value), ISO 8601
    genre: tuple[str, ...] = ()  # ids of rules/genres.toml: what kind of text it is

    def missing(self) -> list[str]:
        """Names of the core fields nobody could find, for the run summary."""
        core = ("title", "publication", "date", "language")
        names = [name for name in core if not getattr(self, name).value]
        if not self.authors:
            names.insert(1, "authors")
        return names


@dataclass(frozen=True)
class Quotation:
    """A quotation with its optional attribution (TEI cit/quote/bibl)."""

    lines: tuple[str, ...]
    attribution: str = ""


@dataclass(frozen=True)
class Block:
    """A block of the body: a paragraph, a block quotation or a list."""

    kind: BlockKind
    lines: tuple[str, ...]  # paragraph: one text; quote: its paragraphs; list: its items
    attribution: str = ""  # quotations only
    lead_in: str = ""  # paragraphs only: the opening words the source sets in capitals ("WHO WAS")
    omitted: int = 0  # omissions only: how many source lines were removed here...
    category: str = ""  # ...and what they were (a Category value)


@dataclass(frozen=True)
class Section:
    """A division of the body, with or without a heading; numbered headings nest."""

    heading: str = ""
    level: int = 1
    blocks: tuple[Block, ...] = ()
    subsections: tuple[Section, ...] = ()


@dataclass(frozen=True)
class Front:
    """The article's front matter as it stands in the text (not the header's metadata)."""

    title: str = ""
    standfirst: tuple[str, ...] = ()
    bylines: tuple[str, ...] = ()
    epigraph: Quotation | None = None


@dataclass(frozen=True)
class Provenance:
    """Where the article came from and what was done to it, for the TEI header."""

    source_file: str = ""
    source_sha256: str = ""
    encoding: str = "utf-8"
    repairs: tuple[str, ...] = ()
    removed_characters: int = 0
    hand_edited: bool = False


@dataclass(frozen=True)
class Document:
    """One article: metadata, front, sections and the record of what was removed."""

    id: str
    metadata: Metadata
    front: Front = Front()
    sections: tuple[Section, ...] = ()
    signature: tuple[str, ...] = ()  # closing lines: a signed name, a place and date
    removals: tuple[Removal, ...] = ()
    provenance: Provenance = field(default_factory=Provenance)
    warnings: tuple[str, ...] = ()  # for the summary and the log: most of the text removed, a duplicate
    decisions: tuple[LineDecision, ...] = ()  # the labeller's label of every non-blank line

    def removal_counts(self) -> dict[str, int]:
        """Removed lines by category, in a stable order, for headers and summaries."""
        counts: dict[str, int] = {}
        for removal in self.removals:
            counts[removal.category.value] = counts.get(removal.category.value, 0) + 1
        return dict(sorted(counts.items()))


def nest_sections(flat: list[tuple[str, int, list[Block]]]) -> tuple[Section, ...]:
    """Turn a flat run of (heading, level, blocks) into nested Sections: deeper levels nest."""

    def build(start: int, level: int) -> tuple[list[Section], int]:
        result: list[Section] = []
        index = start
        while index < len(flat):
            heading, section_level, blocks = flat[index]
            if section_level < level:
                break
            children, index = build(index + 1, section_level + 1)
            result.append(Section(heading, section_level, tuple(blocks), tuple(children)))
        return result, index

    return tuple(build(0, 1)[0])
