"""Document <-> the cleaned text file a scholar reads and corrects by hand.

The file is plain UTF-8 text: a TOML header between `+++` lines holds the metadata (with the
provenance of each value as a comment), then the article in a light, Markdown-like markup:

    [title] The river that ran backwards        the article's own title line
    [standfirst] ...                             standfirst / subtitle
    [byline] By Ada Example                      byline
    [epigraph] “...”                             an opening quotation...
    [source] — Leon Trotsky                      ...and its attribution (also after a > quote)
    # Heading, ## Sub-heading                    headed sections (levels nest)
    * * *                                        a section break without a heading
    > “...”                                      a block quotation (one line per paragraph)
    - item   /   1) item                         list items (the original marker is kept)
    [signature] — A.B.                           a closing signature
    [removed] 2 lines (sharing)                  where the cleaner removed lines from the text
    plain lines                                  paragraphs, separated by blank lines

A paragraph that would read as markup starts with a backslash. `export` parses the file back,
so hand edits to the text or the header reach the TEI.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass

from .errors import CleanedFileError, NotCleanedError
from .model import (
    Author,
    Block,
    BlockKind,
    Category,
    Document,
    Field,
    Front,
    Metadata,
    Quotation,
    Section,
    nest_sections,
)
from .rules import genre_named, genres, lexicon_patterns
from .segment import caps_lead_in
from .values import is_iso_date, is_language_tag

DELIMITER = "+++"
TAG = re.compile(r"^\[(title|standfirst|byline|epigraph|source|signature|removed)\]\s?(.*)$")
REMOVED = re.compile(r"^(\d+) lines? \(([a-z]+)\)$")  # the value of a [removed] line
HEADING = re.compile(r"^(#{1,6})\s+(\S.*)$")
SECTION_BREAK = "* * *"
QUOTE_PREFIX = "> "
BULLET_PREFIX = "- "
HEADER_NOTE = (
    "# corpustools cleaned text. Correct the text and the metadata freely: `corpustools export`\n"
    "# reads this file, and `corpustools clean` will not overwrite it once edited (unless --force).\n"
    "# Comments after a value say where it came from; an empty value was not found in the text."
)
# What XML 1.0 cannot hold: C0 controls but tab, newline and carriage return; U+FFFE and U+FFFF.
NOT_XML_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
SIMPLE_FIELDS = ("title", "subtitle", "publication", "date", "issue", "volume", "language", "url", "licence", "retrieved")
OPTIONAL_FIELDS = ("subtitle", "url", "licence", "volume", "issue", "retrieved")  # written only when known
BYTE_ORDER_MARK = "\ufeff"


def _toml_string(value: str) -> str:
    """A TOML basic string: JSON's escaping is a subset TOML accepts."""
    return json.dumps(value, ensure_ascii=False)


def _comment(text: str) -> str:
    return f"  # {text}" if text else ""


def render_header(document: Document) -> str:
    metadata = document.metadata
    lines = [DELIMITER, HEADER_NOTE, f"id = {_toml_string(document.id)}"]
    for name in SIMPLE_FIELDS:
        value: Field = getattr(metadata, name)
        note = value.source
        if not value.value and not note:
            if name in OPTIONAL_FIELDS:
                continue
            note = "not found"
        lines.append(f"{name} = {_toml_string(value.value)}{_comment(note)}")
        if name == "date" and value.original and value.original != value.value:
            lines.append(f"date_in_text = {_toml_string(value.original)}  # the date as the text words it")
    keywords = ", ".join(_toml_string(word) for word in metadata.keywords)
    lines.append(f"keywords = [{keywords}]")
    if metadata.genre:
        labels = ", ".join(_toml_string(genre.label) for genre in genres() if genre.id in metadata.genre)
        lines.append(f"genre = [{labels}]  # rules/genres.toml")
    if not metadata.authors:
        lines.append("authors = []  # not found")
    else:
        names = ", ".join(_toml_string(author.name) for author in metadata.authors)
        lines.append(f"authors = [{names}]{_comment('; '.join(sorted({a.source for a in metadata.authors if a.source})))}")
    affiliations = [author for author in metadata.authors if author.affiliation]
    if affiliations:
        lines.append("[affiliations]")
        lines.extend(f"{_toml_string(a.name)} = {_toml_string(a.affiliation)}" for a in affiliations)
    lines.append(DELIMITER)
    return "\n".join(lines)


def _escape(text: str) -> str:
    """Protect a paragraph that would otherwise read as markup."""
    patterns = lexicon_patterns()
    if (
        text.startswith(("#", ">", "[", "\\", "- ", "* "))
        or text == SECTION_BREAK
        or patterns.numbered_item.match(text)
        or patterns.bullet_item.match(text)
    ):
        return "\\" + text
    return text


def render_body(document: Document) -> str:
    out: list[str] = []
    front = document.front
    if front.title:
        out.append(f"[title] {front.title}")
    out.extend(f"[standfirst] {text}" for text in front.standfirst)
    out.extend(f"[byline] {text}" for text in front.bylines)
    if front.epigraph:
        out.extend(f"[epigraph] {text}" for text in front.epigraph.lines)
        if front.epigraph.attribution:
            out.append(f"[source] {front.epigraph.attribution}")
    blocks: list[str] = ["\n".join(out)] if out else []
    _render_sections(document.sections, blocks, first=True)
    if document.signature:
        blocks.append("\n".join(f"[signature] {line}" for line in document.signature))
    return "\n\n".join(blocks) + "\n"


def _render_sections(sections: Iterable[Section], blocks: list[str], first: bool) -> None:
    for index, section in enumerate(sections):
        if section.heading:
            blocks.append(f"{'#' * section.level} {section.heading}")
        elif not (first and index == 0):
            blocks.append(SECTION_BREAK)
        for block in section.blocks:
            blocks.append(_render_block(block))
        _render_sections(section.subsections, blocks, first=False)
        first = False


def _render_block(block: Block) -> str:
    if block.kind == BlockKind.QUOTE:
        text = "\n".join(QUOTE_PREFIX + line for line in block.lines)
        return text + (f"\n[source] {block.attribution}" if block.attribution else "")
    if block.kind == BlockKind.OMISSION:
        return f"[removed] {block.omitted} line{'s' if block.omitted != 1 else ''} ({block.category})"
    if block.kind in (BlockKind.LIST, BlockKind.ORDERED_LIST):
        return "\n".join(item if block.kind == BlockKind.ORDERED_LIST else BULLET_PREFIX + item for item in block.lines)
    return _escape(block.lines[0])


def render(document: Document) -> str:
    """The whole cleaned file for a document."""
    return f"{render_header(document)}\n\n{render_body(document)}"


# ---------------------------------------------------------------- parsing back


def parse(text: str, origin: str = "") -> Document:
    """Read a (possibly hand-edited) cleaned file back into a Document.

    Every value a person may have typed is checked here, before any TEI is built from it, and a
    problem names its line: a date @when cannot hold would otherwise only be found by `validate`.
    """
    _refuse_control_characters(text, origin)
    parts = _split(text, origin)
    doc_id = _header_id(parts.header, origin)
    metadata = _metadata_from_header(parts, origin)
    front, sections, signature = _parse_body(parts.body, parts.body_line, origin)
    return Document(id=doc_id, metadata=metadata, front=front, sections=sections, signature=signature)


def parse_id(text: str, origin: str = "") -> str:
    """Only the document id of a cleaned file: enough to find clashes before anything is written."""
    return _header_id(_split(text, origin).header, origin)


def _refuse_control_characters(text: str, origin: str) -> None:
    """A control character pasted into the file (or its header, as a TOML escape) cannot go into XML."""
    found = NOT_XML_CHARACTER.search(text)
    if found:
        line = text.count("\n", 0, found.start()) + 1
        raise CleanedFileError(f"this line holds the control character U+{ord(found.group()):04X}, which XML cannot hold: delete it", origin, line)


@dataclass(frozen=True)
class _Parts:
    """A cleaned file split at its '+++' lines, with where each part starts in the file."""

    header: dict[str, object]
    header_lines: tuple[str, ...]  # the header's lines; the first is line 2 of the file
    body: str
    body_line: int  # the file's line number of the body's first line


def _split(text: str, origin: str) -> _Parts:
    """The TOML header (parsed) and the body of a cleaned file.

    What an editor may add unseen is let be: a byte order mark (Notepad) and spaces after '+++'.
    """
    lines = text.removeprefix(BYTE_ORDER_MARK).split("\n")
    if lines[0].rstrip() != DELIMITER:
        raise NotCleanedError("a cleaned file must start with a '+++' metadata header", origin, 1)
    closing = next((number for number in range(1, len(lines)) if lines[number].rstrip() == DELIMITER), 0)
    if not closing:
        raise CleanedFileError("the metadata header is not closed by a '+++' line", origin)
    header_lines = tuple(lines[1:closing])
    try:
        header = tomllib.loads("\n" + "\n".join(header_lines))  # the newline stands for the '+++' line: TOML's line numbers are the file's
    except tomllib.TOMLDecodeError as problem:
        raise CleanedFileError(f"the metadata header is not valid TOML: {problem}", origin) from None
    parts = _Parts(header, header_lines, "\n".join(lines[closing + 1 :]), closing + 2)
    for name, value in header.items():
        for text in _strings(value):
            found = NOT_XML_CHARACTER.search(text)
            if found:  # written as a TOML escape ("\u0007"), so not seen in the file's own text
                raise CleanedFileError(
                    f"metadata field {name!r} holds the control character U+{ord(found.group()):04X}, which XML cannot hold: delete it",
                    origin,
                    _header_line(parts, name),
                )
    return parts


def _header_line(parts: _Parts, name: str) -> int:
    """The file's line number of a top-level header key (0 if it cannot be told)."""
    key = re.compile(rf"^\s*(?:{re.escape(name)}|\"{re.escape(name)}\"|'{re.escape(name)}')\s*=")
    for number, line in enumerate(parts.header_lines, start=2):
        if line.lstrip().startswith("["):
            break  # a table: its keys are not the header's own
        if key.match(line):
            return number
    return 0


def _strings(value: object) -> Iterable[str]:
    """Every string in a header value (lists and tables included, keys too)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _strings(item)


def _header_id(header: dict[str, object], origin: str) -> str:
    doc_id = str(header.get("id", ""))
    if not doc_id:
        raise CleanedFileError("the metadata header has no id", origin)
    return doc_id


def _metadata_from_header(parts: _Parts, origin: str) -> Metadata:
    header = parts.header
    values: dict[str, object] = {}
    for name in SIMPLE_FIELDS:
        value = header.get(name, "")
        if not isinstance(value, str):
            raise CleanedFileError(f"metadata field {name!r} must be a string", origin, _header_line(parts, name))
        values[name] = Field(value)
    for name in ("date", "retrieved"):
        date = header.get(name, "")
        if date and not is_iso_date(str(date)):
            raise CleanedFileError(f"{name} {date!r} is not an ISO 8601 date: write YYYY-MM-DD, YYYY-MM or YYYY", origin, _header_line(parts, name))
    language = header.get("language", "")
    if language and not is_language_tag(str(language)):
        raise CleanedFileError(
            f"language {language!r} is not a language code: write a BCP 47 tag such as 'en', 'de' or 'pt-BR'", origin, _header_line(parts, "language")
        )
    date_in_text = header.get("date_in_text", "")
    if not isinstance(date_in_text, str):
        raise CleanedFileError("date_in_text must be a string", origin, _header_line(parts, "date_in_text"))
    values["date"] = Field(values["date"].value, original=date_in_text)  # type: ignore[attr-defined]
    authors = header.get("authors", [])
    affiliations = header.get("affiliations", {})
    if not isinstance(authors, list) or not all(isinstance(name, str) for name in authors):
        raise CleanedFileError("authors must be a list of names", origin, _header_line(parts, "authors"))
    if not isinstance(affiliations, dict) or not all(isinstance(place, str) for place in affiliations.values()):
        raise CleanedFileError("[affiliations] must map names to organisations", origin, _header_line(parts, "affiliations"))
    keywords = header.get("keywords", [])
    if not isinstance(keywords, list) or not all(isinstance(word, str) for word in keywords):
        raise CleanedFileError("keywords must be a list of strings", origin, _header_line(parts, "keywords"))
    genre = header.get("genre", [])
    if not isinstance(genre, list) or not all(isinstance(word, str) for word in genre):
        raise CleanedFileError("genre must be a list of strings", origin, _header_line(parts, "genre"))
    named = [genre_named(word) for word in genre]
    if None in named:
        known = ", ".join(repr(known.label) for known in genres())
        raise CleanedFileError(f"genre {genre[named.index(None)]!r} is not in rules/genres.toml: write one of {known}", origin, _header_line(parts, "genre"))
    return Metadata(
        authors=tuple(Author(name, affiliations.get(name, "")) for name in authors),
        keywords=tuple(keywords),
        genre=tuple(dict.fromkeys(found.id for found in named if found)),
        **values,  # type: ignore[arg-type]
    )


def _parse_body(body: str, first_line: int, origin: str) -> tuple[Front, tuple[Section, ...], tuple[str, ...]]:
    """The article after the header; `first_line` is the body's first line in the file, for errors."""
    title = ""
    title_line = 0
    standfirst: list[str] = []
    bylines: list[str] = []
    epigraph_lines: list[str] = []
    epigraph_source = ""
    signature: list[str] = []
    flat: list[tuple[str, int, list[Block]]] = [("", 1, [])]
    paragraph: list[str] = []
    last_kind = ""

    def flush() -> None:
        if paragraph:
            text = " ".join(paragraph)
            flat[-1][2].append(Block(BlockKind.PARAGRAPH, (text,), lead_in=caps_lead_in(text)))
            paragraph.clear()

    numbered = lexicon_patterns().numbered_item
    for number, raw in enumerate(body.split("\n"), start=first_line):
        line = raw.rstrip()
        if not line.strip():
            flush()
            last_kind = ""
            continue
        tag = TAG.match(line)
        heading = HEADING.match(line)
        blocks = flat[-1][2]
        if tag:
            flush()
            name, value = tag.groups()
            if not value.strip():
                raise CleanedFileError(f"an empty [{name}] line: write its text or delete the line", origin, number)
            if name == "title":
                if title_line:
                    raise CleanedFileError(f"a second [title] line (the first is line {title_line}): an article has one title", origin, number)
                title, title_line = value, number
            elif name == "standfirst":
                standfirst.append(value)
            elif name == "byline":
                bylines.append(value)
            elif name == "epigraph":
                epigraph_lines.append(value)
            elif name == "signature":
                signature.append(value)
            elif name == "removed":
                blocks.append(_omission(value, origin, number))
            elif name == "source":
                if last_kind == "quote" and blocks and blocks[-1].kind == BlockKind.QUOTE:
                    quote = blocks[-1]
                    blocks[-1] = Block(BlockKind.QUOTE, quote.lines, value)
                elif epigraph_lines and not epigraph_source and not any(b for _h, _l, b in flat):
                    epigraph_source = value
                else:
                    raise CleanedFileError("[source] must follow a quotation or an epigraph", origin, number)
            last_kind = name
        elif heading:
            flush()
            flat.append((heading.group(2), len(heading.group(1)), []))
            last_kind = "heading"
        elif line == SECTION_BREAK:
            flush()
            level = flat[-1][1]
            flat.append(("", level, []))
            last_kind = "break"
        elif line.startswith(QUOTE_PREFIX.rstrip()):
            flush()
            text = line[1:].strip()
            if not text:
                raise CleanedFileError("an empty quotation line ('>'): write the quotation or delete the line", origin, number)
            if last_kind == "quote" and blocks and blocks[-1].kind == BlockKind.QUOTE and not blocks[-1].attribution:
                blocks[-1] = Block(BlockKind.QUOTE, blocks[-1].lines + (text,))
            else:
                blocks.append(Block(BlockKind.QUOTE, (text,)))
            last_kind = "quote"
        elif line.startswith(BULLET_PREFIX) or numbered.match(line):
            flush()
            ordered = not line.startswith(BULLET_PREFIX)
            kind = BlockKind.ORDERED_LIST if ordered else BlockKind.LIST
            item = line if ordered else line[len(BULLET_PREFIX) :].strip()
            if last_kind == kind.value and blocks and blocks[-1].kind == kind:
                blocks[-1] = Block(kind, blocks[-1].lines + (item,))
            else:
                blocks.append(Block(kind, (item,)))
            last_kind = kind.value
        else:
            text = line[1:] if line.startswith("\\") else line
            paragraph.append(text.strip())
            last_kind = "p"
    flush()
    epigraph = Quotation(tuple(epigraph_lines), epigraph_source) if epigraph_lines else None
    front = Front(title=title, standfirst=tuple(standfirst), bylines=tuple(bylines), epigraph=epigraph)
    if not flat[0][2] and len(flat) > 1:
        flat.pop(0)
    return front, nest_sections(flat), tuple(signature)


def _omission(value: str, origin: str, number: int) -> Block:
    """A [removed] line read back: how many lines of what category the cleaner removed there."""
    found = REMOVED.match(value.strip())
    categories = {category.value for category in Category}
    if not found or found.group(2) not in categories or not int(found.group(1)):
        raise CleanedFileError(
            f"a [removed] line reads '[removed] N lines (category)', the category one of {', '.join(sorted(categories))}: correct it or delete the line",
            origin,
            number,
        )
    return Block(BlockKind.OMISSION, (), omitted=int(found.group(1)), category=found.group(2))


def article_text(document: Document, *, title_and_bylines: bool = True) -> list[str]:
    """The article's text as a list of text units in reading order (for round-trip checks).

    Without the title and bylines it is the article body as extraction benchmarks mark it.
    """
    units: list[str] = []
    front = document.front
    if front.title and title_and_bylines:
        units.append(front.title)
    units.extend(front.standfirst)
    if title_and_bylines:
        units.extend(front.bylines)
    if front.epigraph:
        units.extend(front.epigraph.lines)
        if front.epigraph.attribution:
            units.append(front.epigraph.attribution)

    def walk(sections: Iterable[Section]) -> None:
        for section in sections:
            if section.heading:
                units.append(section.heading)
            for block in section.blocks:
                units.extend(block.lines)
                if block.attribution:
                    units.append(block.attribution)
            walk(section.subsections)

    walk(document.sections)
    units.extend(document.signature)
    return [" ".join(unit.split()) for unit in units]
