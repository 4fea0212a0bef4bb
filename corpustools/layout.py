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


@dataclass(frozen=True)
class Evidence:
    """What a whole file shows of its layout: the layout read, and the hard-wrap width (0: none)."""

    layout: Layout
    wrap_width: int


def lay_out(text: str) -> LaidOut:
    """Read a text in any scraper layout as logical lines, recording what each line was."""
    shapes = layout_shapes()
    evidence = weigh_evidence(text, shapes)
    reader = _Reader(evidence, shapes)
    for number, source in enumerate(text.split("\n"), 1):
        reader.read(number, source)
    return reader.finish()


def weigh_evidence(text: str, shapes: LayoutShapes) -> Evidence:
    """Decide how a file is laid out, from counts the regex engine makes over the whole text.

    Markdown needs several of its marks, or hard-wrapping; an outline needs a good share of its
    lines indented. Anything else is one block a line, and is left as it is.
    """
    width = wrap_width(text, shapes)
    marks = (
        len(shapes.heading_lines.findall(text))
        + len(shapes.strong_pairs.findall(text))
        + len(shapes.link_marks.findall(text))
        + len(shapes.escape.findall(text))
    )
    if width or marks >= MIN_MARKDOWN_MARKS:
        return Evidence(Layout.MARKDOWN, width)
    indented = len(shapes.indented_lines.findall(text))
    if indented >= MIN_OUTLINE_LINES and indented >= MIN_OUTLINE_SHARE * len(shapes.text_lines.findall(text)):
        return Evidence(Layout.OUTLINE, 0)
    return Evidence(Layout.ONE_BLOCK_A_LINE, 0)


def wrap_width(text: str, shapes: LayoutShapes) -> int:
    """The width a file's paragraphs were hard-wrapped at, or 0 when they were not.

    A line wrapped at width W is at most W long, and the next line's first word would not have
    fitted on it. Each pair of long line and continuation (two words or more, at the margin, no
    list item or heading) is such a pair for a range of widths; the width that explains most
    pairs, less the prose lines too long for it, wins, if enough pairs back it. Text written one
    block a line has paragraphs longer than any such width, and few pairs.
    """
    pairs = [0] * (MAX_WRAP_WIDTH + 2)  # differences: pairs[w] - pairs[w - 1]
    overlong = [0] * (MAX_WRAP_WIDTH + 2)  # prose lines of that length (the last: longer)
    for match in shapes.long_lines.finditer(text):
        line = match.group()
        length = len(line.rstrip())
        if line.endswith("  "):  # a Markdown hard break: table rows, verse, addresses
            continue
        if " " in line and not opens_block(line, shapes):
            overlong[min(length, MAX_WRAP_WIDTH + 1)] += 1
        next_start = match.end() + 1
        next_end = text.find("\n", next_start)
        following = text[next_start : next_end if next_end >= 0 else len(text)]
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
        if width >= MIN_WRAP_WIDTH and explained >= MIN_WRAPPED_PAIRS and score > best_score:
            best_width, best_score = width, score
    return best_width


def opens_block(body: str, shapes: LayoutShapes) -> bool:
    """Whether a line's body starts a block of its own (item, heading, quote, table): never a continuation."""
    return body[:1] in "*+-•#>|0123456789" and (
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


class _Reader:
    """Reads source lines one by one into the columns of a LaidOut: the stage's one pass.

    The logical line being read stays open while hard-wrapped continuations arrive; it is
    finished (inline marks stripped, its row written) when a line that cannot continue it comes.
    """

    def __init__(self, evidence: Evidence, shapes: LayoutShapes) -> None:
        self.layout = evidence.layout
        self.width = evidence.wrap_width
        self.shapes = shapes
        self.markdown = evidence.layout is Layout.MARKDOWN
        self.rewrites_bullets = evidence.layout is not Layout.ONE_BLOCK_A_LINE
        self.bullet = shapes.outline_bullet if evidence.layout is Layout.OUTLINE else shapes.bullet
        self.bullet_starts = "*+-•o" if evidence.layout is Layout.OUTLINE else "*+-•"
        self.texts: list[str] = []
        self.ends: list[int] = []
        self.indents: list[int] = []
        self.depths: list[int] = []
        self.levels: list[int] = []
        self.ratios: list[float] = []
        self.marks: list[tuple[LayoutMark, ...]] = []
        self.list_columns: list[int] = []  # columns of the list items that enclose this line
        # The open logical line: its parts, and what a continuation must match.
        self.parts: list[str] = []
        self.open_marks: tuple[LayoutMark, ...] = ()
        self.open_quote = 0
        self.open_column = 0
        self.last_length = 0  # length of its last source line; 0: it takes no continuation
        self.indented = self.bullets = self.wrapped_lines = self.paragraphs = self.marked = 0

    def read(self, number: int, source: str) -> None:
        body = source.strip() if self.markdown or self.rewrites_bullets else source.lstrip()
        if not body:  # a blank line, kept as it is (with its invisible characters, if any)
            self._close()
            self._row(source, number, 0, 0, 0, 0.0, ())
            return
        indent = len(source) - len(source.lstrip())
        quote = 0
        if self.markdown and body[0] == ">":
            while self.shapes.quote.match(body):
                body = body[1:].lstrip()
                quote += 1
            if not body:
                body = ">" * quote
                quote = 0
        if self.last_length and self._continues(indent, quote, body):
            self.parts.append(body)
            self.ends[-1] = number
            self.last_length = self._length_if_wrappable(source)
            return
        self._close()
        self._open(number, source, body, indent, quote)

    def _continues(self, indent: int, quote: int, body: str) -> bool:
        first_word = body.find(" ")
        return (
            quote == self.open_quote
            and indent == self.open_column
            and self.last_length + 1 + (first_word if first_word > 0 else len(body)) > self.width
            and not opens_block(body, self.shapes)
        )

    def _open(self, number: int, source: str, body: str, indent: int, quote: int) -> None:
        marks: list[LayoutMark] = [LayoutMark.QUOTE] if quote else []
        depth = level = 0
        columns = self.list_columns
        while columns and columns[-1] >= indent:
            columns.pop()
        if body[0] in self.bullet_starts and not self.shapes.rule_line.match(body):
            item = self.bullet.match(body)
            column = indent
            while item is not None:  # "*   * item": an empty item holding a nested one
                columns.append(column)
                depth = len(columns)
                body = item[1] if self.rewrites_bullets else body
                column += 2
                item = self.bullet.match(item[1])
            if depth and self.rewrites_bullets:
                marks.append(LayoutMark.BULLET)
                self.bullets += 1
        if self.markdown and body[0] == "#":
            heading = self.shapes.heading.match(body)
            if heading is not None:
                level, body = len(heading[1]), heading[2]
                marks.append(LayoutMark.HEADING)
        if indent:
            self.indented += 1
        self.parts = [body]
        self.open_marks = tuple(marks)
        self.open_quote = quote
        self.open_column = indent
        self.last_length = self._length_if_wrappable(source)
        self._row(body, number, indent, depth, level, 0.0, self.open_marks)

    def _length_if_wrappable(self, source: str) -> int:
        """The source line's length if a continuation may follow it; 0 if none may."""
        if not self.width or source.endswith("  "):
            return 0
        length = len(source.rstrip())
        return length if length <= self.width else 0

    def _close(self) -> None:
        """Finish the open logical line: join its parts, strip its inline marks, write its row."""
        if not self.parts:
            return
        parts, self.parts, self.last_length = self.parts, [], 0
        text = " ".join(parts) if len(parts) > 1 else parts[0]
        marks = self.open_marks
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
        depth = self.depths[-1]
        if depth and self.rewrites_bullets:
            text = "- " + text
        self.texts[-1] = text
        self.ratios[-1] = ratio
        self.marks[-1] = marks

    def _row(self, text: str, end: int, indent: int, depth: int, level: int, ratio: float, marks: tuple[LayoutMark, ...]) -> None:
        self.texts.append(text)
        self.ends.append(end)
        self.indents.append(indent)
        self.depths.append(depth)
        self.levels.append(level)
        self.ratios.append(ratio)
        self.marks.append(marks)

    def finish(self) -> LaidOut:
        self._close()
        return LaidOut(
            texts=tuple(self.texts),
            last_source_lines=tuple(self.ends),
            indents=tuple(self.indents),
            bullet_depths=tuple(self.depths),
            heading_levels=tuple(self.levels),
            link_ratios=tuple(self.ratios),
            marks=tuple(self.marks),
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
