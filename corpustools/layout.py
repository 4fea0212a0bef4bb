"""Scraper layouts -> logical lines: rejoin hard-wrapped paragraphs, read bullets, strip Markdown.

The same page reaches corpustools in three layouts: html-text writes one block a line, inscriptis
an indented outline with "*", "+" and "o" bullets, html2text hard-wrapped Markdown. The stages
after this one read one block a line, so this stage turns each layout into that, and records on
every logical line what the layout told (indentation, list depth, heading level, link text) and
which source lines it came from.

A one-block-a-line text comes out as it went in, line for line (only indentation is taken off):
the labelled corpora's line labels depend on it. A file is read as an outline or as Markdown, and
its lines rejoined, only on strong evidence weighed over the whole file.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from .model import LaidOut, Layout, LayoutMark
from .rules import LayoutShapes, layout_shapes

MIN_WRAP_WIDTH = 30  # narrower than this, short lines would pass for wrapped ones
MAX_WRAP_WIDTH = 200
MIN_WRAPPED_PAIRS = 5  # fewer line pairs that look hard-wrapped than this prove nothing
OVERLONG_WEIGHT = 2  # a prose line longer than the width counts against it as two wrapped pairs
MIN_MARKDOWN_MARKS = 3  # "# " headings, **bold** pairs, links and escapes that make a file Markdown
MIN_OUTLINE_SHARE = 0.3  # share of a file's text lines that are indented in an outline
MIN_OUTLINE_LINES = 5
PROTECTED = 0xE000  # escaped characters hide in the private-use area while marks are stripped


Row = tuple[str, int, int, int, int, float, tuple[LayoutMark, ...]]  # a LaidOut's columns, one line


@dataclass(frozen=True)
class Evidence:
    """What a whole file shows of its layout: the layout read, and the hard-wrap width (0: none)."""

    layout: Layout
    wrap_width: int


def lay_out(text: str) -> LaidOut:
    """Read a text in any scraper layout as logical lines, recording what each line was."""
    shapes = layout_shapes()
    evidence = weigh_evidence(text, shapes)
    lines = text.split("\n")
    if evidence.layout is Layout.ONE_BLOCK_A_LINE:
        return read_blocks(lines, shapes)
    return _Reader(evidence, shapes).read_all(lines)


def weigh_evidence(text: str, shapes: LayoutShapes) -> Evidence:
    """Decide how a file is laid out, from counts the regex engine makes over the whole text.

    Markdown needs several of its marks, or hard-wrapping; an outline needs a good share of its
    lines indented. Anything else is one block a line, and is left as it is.
    """
    framed = "\n" + text  # the whole-file shapes open with the newline before a line
    width = wrap_width(framed, shapes)
    marks = (
        len(shapes.heading_lines.findall(framed))
        + len(shapes.strong_pairs.findall(text))
        + len(shapes.link_marks.findall(text))
        + len(shapes.escape.findall(text))
    )
    if width or marks >= MIN_MARKDOWN_MARKS:
        return Evidence(Layout.MARKDOWN, width)
    indented = len(shapes.indented_lines.findall(framed))
    if indented >= MIN_OUTLINE_LINES and indented >= MIN_OUTLINE_SHARE * len(shapes.text_lines.findall(framed)):
        return Evidence(Layout.OUTLINE, 0)
    return Evidence(Layout.ONE_BLOCK_A_LINE, 0)


def wrap_width(framed: str, shapes: LayoutShapes) -> int:
    """The width a file's paragraphs (the text after a newline) were hard-wrapped at, or 0.

    A line wrapped at width W is at most W long, and the next line's first word would not have
    fitted on it. Each pair of long line and continuation (two words or more, at the margin, no
    list item or heading) is such a pair for a range of widths; the width that explains most
    pairs, less the prose lines too long for it, wins, if enough pairs back it. Text written one
    block a line has paragraphs longer than any such width, and few pairs.
    """
    pairs = [0] * (MAX_WRAP_WIDTH + 2)  # differences: pairs[w] - pairs[w - 1]
    overlong = [0] * (MAX_WRAP_WIDTH + 2)  # prose lines of that length (the last: longer)
    for match in shapes.long_lines.finditer(framed):
        line = match[1]
        length = len(line.rstrip())
        if line.endswith("  "):  # a Markdown hard break: table rows, verse, addresses
            continue
        if " " in line and not opens_block(line, shapes):
            overlong[min(length, MAX_WRAP_WIDTH + 1)] += 1
        next_start = match.end() + 1
        next_end = framed.find("\n", next_start)
        following = framed[next_start : next_end if next_end >= 0 else len(framed)]
        first_word = following.find(" ")
        if first_word <= 0 or length > MAX_WRAP_WIDTH or opens_block(following, shapes):
            continue
        pairs[length] += 1
        pairs[min(length + first_word, MAX_WRAP_WIDTH) + 1] -= 1
    best_width, best_score, explained, too_long = 0, 0, 0, sum(overlong)
    for width in range(MAX_WRAP_WIDTH + 1):
        explained += pairs[width]
        too_long -= overlong[width]
        score = explained - OVERLONG_WEIGHT * too_long
        # Of widths that explain the wrapping equally well, the narrowest: the longest wrapped line.
        if width >= MIN_WRAP_WIDTH and explained >= MIN_WRAPPED_PAIRS and score > best_score:
            best_width, best_score = width, score
    return best_width


def _wrappable_length(source: str, width: int) -> int:
    """A source line's length if a continuation may follow it (it fits the width, no hard break); else 0."""
    if source.endswith("  "):
        return 0
    length = len(source.rstrip())
    return length if length <= width else 0


def opens_block(body: str, shapes: LayoutShapes) -> bool:
    """Whether a line's body starts a block of its own (item, heading, quote, table): never a continuation."""
    return body[:1] in shapes.block_characters and (
        shapes.bullet.match(body) is not None
        or shapes.heading.match(body) is not None
        or shapes.quote.match(body) is not None
        or shapes.numbered_item.match(body) is not None
        or body.startswith("|")
    )


def strip_inline(text: str, shapes: LayoutShapes) -> tuple[str, int, tuple[LayoutMark, ...]]:
    """Take Markdown's inline marks off a line and keep their text.

    Returns the text, how many of its characters were link text, and the marks taken off.
    Escaped characters are set aside first, so that "\\*" stays a literal star.
    """
    found: set[LayoutMark] = set()
    link_characters = 0

    def link_text(match: re.Match[str]) -> str:
        nonlocal link_characters
        link_characters += len(match[1])
        return match[1]

    def apply(pattern: re.Pattern[str], replacement: str | Callable[[re.Match[str]], str], mark: LayoutMark) -> None:
        nonlocal text
        result = pattern.sub(replacement, text)
        if result != text:
            found.add(mark)
            text = result

    if "\\" in text:
        apply(shapes.escape, _protect, LayoutMark.ESCAPE)
    if "](" in text:
        apply(shapes.image, "", LayoutMark.IMAGE)
        apply(shapes.link, link_text, LayoutMark.LINK)
    if "<" in text:
        apply(shapes.autolink, link_text, LayoutMark.LINK)
    if "**" in text or "__" in text:
        apply(shapes.strong, r"\2", LayoutMark.STRONG)
        apply(shapes.stray_strong, " ", LayoutMark.STRONG)
    if "*" in text or "_" in text:
        apply(shapes.emphasis, r"\2", LayoutMark.EMPHASIS)
    if LayoutMark.ESCAPE in found:
        text = text.translate(_UNPROTECT)
    # A stray mark leaves the spaces that stood around it; a link's or image's removal may too.
    text = " ".join(text.split()) if found & _SPACING_MARKS else text.strip()
    return text, min(link_characters, len(text)), tuple(mark for mark in LayoutMark if mark in found)


def _protect(match: re.Match[str]) -> str:
    """An escaped character, moved to the private-use area until the marks are stripped."""
    return chr(PROTECTED + ord(match[1]))


_SPACING_MARKS = {LayoutMark.STRONG, LayoutMark.IMAGE, LayoutMark.LINK}
_UNPROTECT = {PROTECTED + code: chr(code) for code in range(128)}


def read_blocks(lines: list[str], shapes: LayoutShapes) -> LaidOut:
    """Read a one-block-a-line text: each line is a logical line, its text only unindented.

    Bullets ("- item", "• item") stay in the text, where the segmenter reads them; their depth
    is recorded. No Markdown is read: "#climate" and "*" stay as the author wrote them.
    """
    texts = [line.lstrip() or line for line in lines]  # a line of invisible characters stays
    indents = [len(line) - len(text) for line, text in zip(lines, texts, strict=True)]
    bullet = shapes.bullet
    if any(indents):
        depths = _bullet_depths(texts, indents, shapes)
    else:
        depths = [1 if text[:1] in shapes.bullet_characters and bullet.match(text) else 0 for text in texts]
    count = len(lines)
    indented = count - indents.count(0)
    return LaidOut(
        texts=tuple(texts),
        last_source_lines=tuple(range(1, count + 1)),
        indents=tuple(indents),
        bullet_depths=tuple(depths),
        heading_levels=(0,) * count,
        link_ratios=(0.0,) * count,
        marks=((),) * count,
        changes=(f"layout: indentation stripped on {indented} lines",) if indented else (),
    )


def _bullet_depths(texts: list[str], indents: list[int], shapes: LayoutShapes) -> list[int]:
    """List depth of each line of an indented one-block-a-line text: deeper bullets nest."""
    depths = []
    columns: list[int] = []  # columns of the list items enclosing the line
    for text, indent in zip(texts, indents, strict=True):
        if not text.strip():
            depths.append(0)
            continue
        while columns and columns[-1] >= indent:
            columns.pop()
        if text[:1] in shapes.bullet_characters and shapes.bullet.match(text):
            columns.append(indent)
            depths.append(len(columns))
        else:
            depths.append(0)
    return depths


class _Reader:
    """Reads an outline's or a Markdown file's source lines into logical lines, in one pass.

    The logical line being read stays open while hard-wrapped continuations arrive; it is
    finished (parts joined, inline marks stripped, its row written) when a line that cannot
    continue it comes. The loop is the stage's hot path, so it keeps its state in locals.
    """

    def __init__(self, evidence: Evidence, shapes: LayoutShapes) -> None:
        self.layout = evidence.layout
        self.width = evidence.wrap_width
        self.shapes = shapes
        self.markdown = evidence.layout is Layout.MARKDOWN
        outline = evidence.layout is Layout.OUTLINE
        self.bullet = shapes.outline_bullet if outline else shapes.bullet
        self.bullet_starts = shapes.outline_bullet_characters if outline else shapes.bullet_characters
        self.opening_characters = shapes.block_characters + self.bullet_starts  # a mark may open the line
        self.rows: list[Row] = []
        self.list_columns: list[int] = []  # columns of the list items that enclose the line
        self.indented = self.bullets = self.wrapped_lines = self.paragraphs = self.marked = 0

    def read_all(self, lines: list[str]) -> LaidOut:
        rows, width, markdown, shapes = self.rows, self.width, self.markdown, self.shapes
        append, quote_mark, opening_characters = rows.append, shapes.quote, self.opening_characters
        hint = shapes.inline_hint.search if markdown else None
        columns = self.list_columns
        # The logical line being read (no parts: none) and what a continuation must match.
        parts: list[str] = []
        last = indent_of = quote_of = depth = level = 0
        marks: tuple[LayoutMark, ...] = ()
        last_length = 0  # length of its last source line if a continuation may follow; else 0
        for number, source in enumerate(lines, 1):
            body = source.strip()
            indent = quote = 0
            if body:
                indent = len(source) - len(source.lstrip())
                if markdown and body[0] == ">":
                    while quote_mark.match(body):
                        body = body[1:].lstrip()
                        quote += 1
                    if not body:
                        body, quote = ">" * quote, 0
                if last_length:
                    first_word = body.find(" ")
                    if (
                        quote == quote_of
                        and indent == indent_of
                        and last_length + 1 + (first_word if first_word > 0 else len(body)) > width
                        and not opens_block(body, shapes)
                    ):
                        parts.append(body)
                        last = number
                        last_length = _wrappable_length(source, width)
                        continue
            if parts:
                text = parts[0]
                if marks or len(parts) > 1 or (hint is not None and hint(text)):
                    append(self._finished(parts, last, indent_of, depth, level, marks))
                else:
                    append((text, last, indent_of, 0, 0, 0.0, ()))
                parts = []
            if not body:  # a blank line, kept as it is (with its invisible characters, if any)
                append((source, number, 0, 0, 0, 0.0, ()))
                last_length = 0
                continue
            while columns and columns[-1] >= indent:
                columns.pop()
            if body[0] in opening_characters or quote:
                body, depth, level, marks = self._opening_marks(body, indent, quote)
            else:
                depth = level = 0
                marks = ()
            if indent:
                self.indented += 1
            parts = [body]
            last, indent_of, quote_of = number, indent, quote
            last_length = _wrappable_length(source, width) if width else 0
        if parts:
            append(self._finished(parts, last, indent_of, depth, level, marks))
        return self._finish()

    def _opening_marks(self, body: str, indent: int, quote: int) -> tuple[str, int, int, tuple[LayoutMark, ...]]:
        """Read a line's bullets and heading marks: its text, list depth, heading level and marks."""
        marks: list[LayoutMark] = [LayoutMark.QUOTE] if quote else []
        depth = level = 0
        if body[0] in self.bullet_starts and not self.shapes.rule_line.match(body):
            columns = self.list_columns
            item = self.bullet.match(body)
            column = indent
            while item is not None:  # "*   * item": an empty item holding a nested one
                columns.append(column)
                depth = len(columns)
                body = item[1]
                column += 2
                item = self.bullet.match(body)
            if depth:
                marks.append(LayoutMark.BULLET)
                self.bullets += 1
        if self.markdown and body[0] == "#":
            heading = self.shapes.heading.match(body)
            if heading is not None:
                level, body = len(heading[1]), heading[2]
                marks.append(LayoutMark.HEADING)
        return body, depth, level, tuple(marks)

    def _finished(self, parts: list[str], last: int, indent: int, depth: int, level: int, marks: tuple[LayoutMark, ...]) -> Row:
        """A logical line's row: its parts joined, its inline marks stripped, "- " before an item."""
        text = " ".join(parts) if len(parts) > 1 else parts[0]
        if len(parts) > 1:
            self.wrapped_lines += len(parts)
            self.paragraphs += 1
            marks = (LayoutMark.WRAP, *marks)
        ratio = 0.0
        if self.markdown and self.shapes.inline_hint.search(text):
            text, link_characters, inline = strip_inline(text, self.shapes)
            if inline:
                marks = tuple(mark for mark in LayoutMark if mark in marks or mark in inline)
                ratio = link_characters / len(text) if text else 1.0
        if self.markdown and len(marks) > (LayoutMark.WRAP in marks) + (LayoutMark.BULLET in marks):
            self.marked += 1
        if depth:
            text = "- " + text
        return (text, last, indent, depth, level, ratio, marks)

    def _finish(self) -> LaidOut:
        texts, ends, indents, depths, levels, ratios, marks = zip(*self.rows, strict=True) if self.rows else ((),) * 7
        return LaidOut(
            texts=texts,
            last_source_lines=ends,
            indents=indents,
            bullet_depths=depths,
            heading_levels=levels,
            link_ratios=ratios,
            marks=marks,
            layout=self.layout,
            wrap_width=self.width,
            changes=self._changes(),
        )

    def _changes(self) -> tuple[str, ...]:
        notes = []
        if self.layout is not Layout.ONE_BLOCK_A_LINE:
            notes.append(f"layout: read as {self.layout.value}")
        if self.paragraphs:
            notes.append(
                f"layout: {self.wrapped_lines} hard-wrapped lines rejoined into {self.paragraphs} paragraphs"
                f" (wrapped at {self.width} columns)"
            )
        if self.indented:
            notes.append(f"layout: indentation stripped on {self.indented} lines")
        if self.bullets:
            notes.append(f'layout: {self.bullets} list bullets rewritten as "- "')
        if self.marked:
            notes.append(f"layout: Markdown marks stripped on {self.marked} lines")
        return tuple(notes)
