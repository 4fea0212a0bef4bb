"""kept lines -> the article's parts: front (title, standfirst, byline, epigraph), sections, blocks.

Decisions are made from a line's shape (length, case, final punctuation, numbering) and from
what surrounds it (a colon line followed by a quotation introduces it; a heading must be
followed by text). Word lists live in rules/lexicon.toml.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from .metadata import (
    author_from_standfirst,
    authors_from_byline,
    is_person_name,
    is_substantive,
    split_authors,
    without_honorific,
)
from .model import Author, Block, BlockKind, Category, Front, Line, Quotation, Removal, Section, nest_sections
from .rules import SHAPES, LexiconPatterns, lexicon_patterns

YEAR = SHAPES.year
NUMBERED_HEADING = SHAPES.numbered_heading
CAPS_LEAD_IN = SHAPES.caps_lead_in
LONGEST_HEADING = 14  # words
SPEAKER_TURN = SHAPES.speaker_turn
SENTENCE_INSIDE = SHAPES.sentence_inside
LONGEST_TITLE = 30  # words
LONGEST_ATTRIBUTION = 20  # words
LONGEST_SIGNATURE = 8  # words
LONGEST_BARE_ITEM = 20  # words
# The mark that closes a quotation each opening mark opens (German „…“, French «…», Swedish »…«).
QUOTE_CLOSERS = {"“": "”", "„": "“", "«": "»", "»": "«", "‹": "›", '"': '"', "‘": "’"}


@dataclass(frozen=True)
class Unit:
    """A paragraph-sized unit of kept text, with what the layout said around it."""

    text: str
    line: int
    blank_before: int  # blank source lines before it (removed lines in between reset this)


@dataclass
class Segmentation:
    """What segment() found; turned into a Document by the pipeline."""

    front: Front = Front()
    sections: tuple[Section, ...] = ()
    signature: tuple[str, ...] = ()
    authors: list[Author] = field(default_factory=list)
    title_source: str = ""


def units_from_lines(kept: Sequence[Line]) -> list[Unit]:
    """Group kept lines into units: one per line, joining hard-wrapped continuation lines."""
    units: list[Unit] = []
    previous_number = 0
    for line in kept:
        text = line.text.strip()
        if not text:
            continue
        gap = line.number - previous_number - 1
        blank = gap if previous_number else 0
        if units and gap == 0 and _continues(units[-1].text, text):
            last = units[-1]
            units[-1] = Unit(f"{last.text} {text}", last.line, last.blank_before)
        else:
            units.append(Unit(text, line.number, blank))
        previous_number = line.number
    return units


def _continues(previous: str, text: str) -> bool:
    """A hard-wrapped line: the previous line is long and unfinished, this one starts lower-case."""
    return len(previous) > 60 and previous[-1] not in ".!?:;…\"”’»)" and text[0].islower()


def _wrapped_sentence(unit: Unit, following: Unit) -> bool:
    """The first line of a hard-wrapped sentence ("... for the Cleveland" / "Browns' Week 11
    game ... Steelers."): long and unfinished, the next line straight after it ends the sentence
    and is shorter, as the last line of a wrapped paragraph is (a standfirst is one long line)."""
    return (
        following.blank_before == 0
        and 60 < len(unit.text) <= 80
        and len(following.text) < len(unit.text)
        and unit.text[-1] not in ".!?:;…\"”’»)"
        and following.text[-1] in ".!?"
    )


def segment(kept: Sequence[Line], blank_lines_before: dict[int, int] | None = None, removals: Sequence[Removal] = ()) -> Segmentation:
    """Find the front and the sections of an article from its kept lines; `removals` (the lines
    the cleaner took out) become omissions where they stood between two blocks of the body."""
    patterns = lexicon_patterns()
    units = units_from_lines(kept)
    if blank_lines_before is not None:
        units = [Unit(unit.text, unit.line, blank_lines_before.get(unit.line, unit.blank_before)) for unit in units]
    front, authors, title_source, rest = _front(units, patterns)
    body, signature, signature_author = _signature(rest, patterns)
    if signature_author and not authors:
        authors.append(signature_author)
    sections = _sections(body, patterns, removals)
    return Segmentation(front, sections, signature, authors, title_source)


# ------------------------------------------------------------------ front


def _front(units: list[Unit], patterns: LexiconPatterns) -> tuple[Front, list[Author], str, list[Unit]]:
    title = ""
    title_source = ""
    standfirst: list[str] = []
    bylines: list[str] = []
    authors: list[Author] = []
    epigraph: Quotation | None = None
    index = 0

    def byline_authors(unit: Unit) -> list[Author]:
        return authors_from_byline(unit.text, unit.line) if _is_byline(unit.text, patterns) else []

    following = units[index + 1] if index + 1 < len(units) else None
    if (
        index < len(units)
        and _is_title_like(units[index].text, patterns)
        and not byline_authors(units[index])
        and not (following and _wrapped_sentence(units[index], following) and not byline_authors(following))
    ):
        unit = units[index]
        split = author_from_standfirst(unit.text)
        if split and len(unit.text[len(split[0]) :].split()) <= len(split[1].split()) + 2:
            title, name = split  # "<title>? Charlie Kimber replies"
            bylines.append(unit.text[len(title) :].strip())
            authors.append(Author(name, "", f"line {unit.line} (rule metadata.standfirst-author)"))
        else:
            title = unit.text
        title_source = f"line {unit.line} (rule front.first-line-title)"
        index += 1
    # Standfirst and bylines, in either order, within the first few units.
    for _ in range(4):
        if index >= len(units):
            break
        unit = units[index]
        found = byline_authors(unit)
        if found or (patterns.byline.match(unit.text) or patterns.dated_byline.match(unit.text)) and _is_byline(unit.text, patterns):
            bylines.append(unit.text)  # a byline naming nobody ("By the editorial team") is one too
            authors.extend(found)
            index += 1
            continue
        split = author_from_standfirst(unit.text)
        if split and not is_substantive(split[0]) or split and len(unit.text.split()) <= 60 and not bylines:
            standfirst.append(unit.text)
            authors.append(Author(split[1], "", f"line {unit.line} (rule metadata.standfirst-author)"))
            index += 1
            continue
        following = units[index + 1] if index + 1 < len(units) else None
        if title and not standfirst and not bylines and following and byline_authors(following) and not _is_quotation_start(unit.text, patterns):
            standfirst.append(unit.text)
            index += 1
            continue
        break
    epigraph_units = _epigraph(units[index:], patterns)
    if epigraph_units:
        epigraph = epigraph_units[0]
        index += epigraph_units[1]
    front = Front(title=title, standfirst=tuple(standfirst), bylines=tuple(bylines), epigraph=epigraph)
    return front, _unique(authors), title_source, units[index:]


def _unique(authors: list[Author]) -> list[Author]:
    seen: set[str] = set()
    result = []
    for author in authors:
        if author.name.casefold() not in seen:
            seen.add(author.name.casefold())
            result.append(author)
    return result


def _is_title_like(text: str, patterns: LexiconPatterns) -> bool:
    words = text.split()
    return (
        0 < len(words) <= LONGEST_TITLE
        and text[-1] not in ".,;:"
        and not _is_quotation_start(text, patterns)
        and not patterns.bullet_item.match(text)
        and (text[0].isupper() or text[0].isdigit())
        and not (len(words) >= 15 and text[-1] in "!?…")
    )


def _is_byline(text: str, patterns: LexiconPatterns) -> bool:
    """'By X', 'Von X', or 'X, University of Y' (a name with an affiliation)."""
    if len(text.split()) > 16:
        return False
    if patterns.byline.match(text) or patterns.dated_byline.match(text):
        return True
    bare = re.sub(r"\s*\([^)]*\)", "", text)
    names = split_authors(bare)
    names = [without_honorific(name) for name in names]
    if text[-1] not in ".!?:;," and names and all(is_person_name(name) and " " in name for name in names) and len(bare.split()) <= 9:
        return True  # "Ada Example and Ben Sample" on a line of its own
    name, _, rest = text.partition(",")
    name = without_honorific(name)
    return bool(rest) and is_person_name(name) and "(" not in text and (bool(patterns.affiliation.search(rest)) or rest.strip().casefold() in patterns.roles)


def _is_quotation_start(text: str, patterns: LexiconPatterns) -> bool:
    return text.startswith(patterns.opening_quotes)


def _split_attribution(text: str, patterns: LexiconPatterns) -> tuple[str, str]:
    """'“...” – Leon Trotsky' -> ('“...”', '– Leon Trotsky'); '“...” (Lenin, Vol. 3)' likewise."""
    for closing in patterns.closing_quotes:
        position = text.rfind(closing + " ")
        if position <= 0:
            continue
        tail = text[position + len(closing) :].strip()
        if len(tail.split()) <= LONGEST_ATTRIBUTION and (
            patterns.attribution.match(tail) or (tail.startswith("(") and tail.endswith((")", ").")))
        ):
            return text[: position + len(closing)], tail
    return text, ""


def _epigraph(units: list[Unit], patterns: LexiconPatterns) -> tuple[Quotation, int] | None:
    """An opening quotation with its attribution, before the first paragraph."""
    if not units:
        return None
    first = units[0]
    quote, attribution = _split_attribution(first.text, patterns)
    if attribution and patterns.attribution.match(attribution) and len(quote.split()) <= 80:
        return Quotation((quote,), attribution), 1
    if len(units) > 1 and _is_quotation_start(first.text, patterns) and len(first.text.split()) <= 80:
        second = units[1].text
        if patterns.attribution.match(second) and len(second.split()) <= LONGEST_ATTRIBUTION:
            return Quotation((first.text,), second), 2
    return None


# ------------------------------------------------------------------ signature


def _signature(units: list[Unit], patterns: LexiconPatterns) -> tuple[list[Unit], tuple[str, ...], Author | None]:
    """Closing lines: '— Name' or a name alone, optionally followed by a place and date.

    A name found there becomes the author when nobody else is named.
    """
    if len(units) < 2:
        return units, (), None
    closing = units[-1:]
    last = units[-1].text
    if len(units) >= 3 and len(last.split()) <= 5 and YEAR.search(last) and last[-1] not in ".!?:" and units[-1].blank_before == 0:
        closing = units[-2:]  # "Lorvaux, janvier 2021" under the signed name
    signed = closing[0]
    before = units[-len(closing) - 1] if len(units) > len(closing) + 1 else None
    formula = before is not None and bool(patterns.closing_formula.match(before.text))
    text = signed.text
    words = text.split()
    dashed = patterns.attribution.match(text)
    author: Author | None = None
    if dashed and (len(words) <= LONGEST_SIGNATURE and text[-1] not in ".!?" or len(words) <= 4):
        name = dashed.group(1).split(",")[0].strip()
        if is_person_name(name) and " " in name:
            author = Author(name, "", f"line {signed.line} (rule metadata.signature)")
    elif is_person_name(text) and len(words) >= 2 and (signed.blank_before > 0 or formula):
        author = Author(text, "", f"line {signed.line} (rule metadata.signature)")
    elif not (formula and len(words) <= 4 and text[-1] not in ".!?:"):
        return units, (), None  # after "Mit herzlichen Grüßen" any short line signs ("Ihr Vorstand")
    if formula and before is not None:
        closing = [before, *closing]
    return units[: len(units) - len(closing)], tuple(unit.text for unit in closing), author


# ------------------------------------------------------------------ sections and blocks


def heading_level(text: str, patterns: LexiconPatterns, following: Unit | None, previous: str = "", attached: bool = False) -> int:
    """0 when the unit is not a heading, else its nesting level (numbered headings nest).

    `previous` is the unit before; `attached` says no blank line separates the two.
    """
    words = text.split()
    if attached and previous and _is_short_line(previous) and _line_shape(previous) == _line_shape(text) and not NUMBERED_HEADING.match(text):
        return 0  # the last of a run of like lines
    if following is None or len(words) > LONGEST_HEADING or len(text) > 120:
        return 0
    if _is_quotation_start(text, patterns) or patterns.bullet_item.match(text):
        return 0
    numbered = NUMBERED_HEADING.match(text)
    if numbered:
        if numbered.group(3):  # roman numeral
            rest = numbered.group(4) or ""
            return 1 if not rest or _is_heading_shape(rest, patterns, following) else 0
        number, rest = numbered.group(1), numbered.group(2)
        if rest[-1] in ".;," or len(rest.split()) > 10 or not (rest[0].isupper() or rest[0].isdigit()):
            return 0
        following_number = NUMBERED_HEADING.match(following.text)
        if following_number and following_number.group(1) and following_number.group(1).count(".") == number.count(".") and following.blank_before == 0:
            return 0  # consecutive numbered lines of the same depth are a list
        return number.count(".") + 1
    return 1 if _is_heading_shape(text, patterns, following) else 0


def _is_heading_shape(text: str, patterns: LexiconPatterns, following: Unit) -> bool:
    """A heading is one short title-like line that opens a stretch of text.

    Not a heading: a line in a run of short lines (a list without bullets, a schedule), a
    speaker's turn ("PRIYA: ..."), more than one sentence, a finished sentence.
    """
    words = text.split()
    last = text[-1]
    if not (text[0].isupper() or text[0].isdigit()) or last in ".,;…\"”’»)":
        return False
    if SPEAKER_TURN.match(text) or SENTENCE_INSIDE.search(text):
        return False
    if following.blank_before == 0 and _is_short_line(following.text) and _line_shape(text) == _line_shape(following.text):
        return False  # one item of a run of like lines, not the heading above them
    if last == "!":
        return False
    if last == "?":
        return len(words) <= 10
    if last == ":":
        if len([word for word in words if any(char.isalnum() for char in word)]) > 5 or patterns.speech_verb.search(text[:-1]) or _is_quotation_start(following.text, patterns):
            return False
        return True
    if sum(1 for word in words if word[:1].islower()) > len(words) * 0.6 and len(words) > 10:
        return False  # a sentence without its full stop, not a heading
    return True


def _line_shape(text: str) -> tuple[bool, bool, bool]:
    """(opens with a digit, all capitals, every word capitalised): like lines share a shape."""
    letters = [char for char in text if char.isalpha()]
    words = [word for word in text.split() if word[:1].isalpha() and len(word) > 3]
    return (
        text[:1].isdigit(),
        bool(letters) and all(char.isupper() for char in letters),
        bool(words) and all(word[0].isupper() for word in words),
    )


def _is_short_line(text: str) -> bool:
    """A line too short and unfinished to be a paragraph: a list item, a heading, a label."""
    words = len(text.split())
    if text[-1] == ":" and words > 4:
        return False  # a sentence announcing a list or a quotation
    return words <= LONGEST_HEADING and text[-1] not in ".!?…"


def _sections(units: list[Unit], patterns: LexiconPatterns, removals: Sequence[Removal] = ()) -> tuple[Section, ...]:
    """Split body units into nested sections of blocks."""
    flat: list[tuple[str, int, list[Block]]] = [("", 1, [])]
    index = 0
    previous_text = ""
    removed_lines = [removal.line for removal in removals]  # in source order, as the cleaner gives them
    while index < len(units):
        unit = units[index]
        following = units[index + 1] if index + 1 < len(units) else None
        text = unit.text
        if index:
            flat[-1][2].extend(omissions(removals, removed_lines, units[index - 1].line, unit.line))  # before a heading: the end of the section
        heading, current_level, blocks = flat[-1]
        if patterns.section_break.match(text):
            flat.append(("", current_level if heading else 1, []))
            index += 1
            continue
        level = heading_level(text, patterns, following, previous_text, unit.blank_before == 0)
        if level:
            flat.append((text, level, []))
            index += 1
            previous_text = text
            continue
        if any(block.kind != BlockKind.OMISSION for block in blocks) and (unit.blank_before >= 2 or caps_lead_in(text) and len(text.split()) > 8 and not previous_text.endswith(":")):
            flat.append(("", current_level, []))
            blocks = flat[-1][2]
        block, used = _list_block(units, index, patterns)
        if block is None:
            block, used = _bare_list(units, index, previous_text, patterns)
        if block is None:
            introduction, block, used = _continued_quotation(units, index, patterns)
            if introduction:
                blocks.append(Block(BlockKind.PARAGRAPH, (introduction,), lead_in=caps_lead_in(introduction)))
        if block is None:
            block, used = _quote_block(units, index, patterns, previous_text)
        if block is not None:
            blocks.append(block)
            index += used
            previous_text = ""  # a list or quotation ended: no run of short lines goes on
            continue
        blocks.append(Block(BlockKind.PARAGRAPH, (text,), lead_in=caps_lead_in(text)))
        previous_text = text
        index += 1
    if not flat[0][2] and len(flat) > 1:
        flat.pop(0)
    return nest_sections(flat)


def omissions(removals: Sequence[Removal], removed_lines: Sequence[int], after: int, before: int) -> list[Block]:
    """The lines removed between source lines `after` and `before`, as omissions: one per run of
    one category, with its number of lines. Not lines of invisible characters only: nothing of
    the text was there. Lines removed between the items of a list or the paragraphs of a
    quotation are not marked (the block is read as one); the header counts them all."""
    found: list[Block] = []
    for removal in removals[bisect.bisect_right(removed_lines, after) : bisect.bisect_left(removed_lines, before)]:
        if removal.category == Category.INVISIBLE:
            continue
        if found and found[-1].category == removal.category.value:
            found[-1] = Block(BlockKind.OMISSION, (), omitted=found[-1].omitted + 1, category=removal.category.value)
        else:
            found.append(Block(BlockKind.OMISSION, (), omitted=1, category=removal.category.value))
    return found


def caps_lead_in(text: str) -> str:
    """The words in capitals that open a paragraph ('WHO WAS' of 'WHO WAS Stalin...'), or ''.

    Decided here once, for segmentation (a long paragraph with a lead-in opens a new section), for
    the cleaned file read back and for the TEI (hi rend="caps"), so all three agree. At least two
    words: one capitalised word opening a paragraph is an acronym ("NATO officials") more often
    than a lead-in.
    """
    match = CAPS_LEAD_IN.match(text)
    return match.group(1) if match and len(match.group(1).split()) >= 2 else ""


def _bare_list(units: list[Unit], index: int, previous_text: str, patterns: LexiconPatterns) -> tuple[Block | None, int]:
    """Short lines set one under another after a colon, without bullets: a list all the same."""
    if not previous_text.endswith(":") or _is_quotation_start(units[index].text, patterns):
        return None, 0
    items: list[str] = []
    position = index
    while position < len(units):
        unit = units[position]
        following = units[position + 1] if position + 1 < len(units) else None
        if items and (unit.blank_before > 0 or heading_level(unit.text, patterns, following, items[-1], True)):
            break
        if len(unit.text.split()) > LONGEST_BARE_ITEM:
            break
        items.append(unit.text)
        position += 1
    if len(items) < 2:
        return None, 0
    return Block(BlockKind.LIST, tuple(items)), len(items)


def _list_block(units: list[Unit], index: int, patterns: LexiconPatterns) -> tuple[Block | None, int]:
    items: list[str] = []
    ordered = bool(patterns.numbered_item.match(units[index].text))
    pattern = patterns.numbered_item if ordered else patterns.bullet_item
    position = index
    while position < len(units):
        unit = units[position]
        if items and unit.blank_before > 1:
            break
        if not pattern.match(unit.text):
            break
        items.append(unit.text if ordered else pattern.match(unit.text).group(1))  # type: ignore[union-attr]
        position += 1
    if not items or (ordered and len(items) < 2 and not units[index].text.startswith(("1", "a", "(1", "(a", "(i"))):
        return None, 0
    return Block(BlockKind.ORDERED_LIST if ordered else BlockKind.LIST, tuple(items)), len(items)


def _quote_block(units: list[Unit], index: int, patterns: LexiconPatterns, previous_text: str) -> tuple[Block | None, int]:
    """A paragraph that is wholly a quotation (with an optional attribution) is a block quote."""
    text = units[index].text
    if not _is_quotation_start(text, patterns):
        return None, 0
    quote, attribution = _split_attribution(text, patterns)
    introduced = previous_text.endswith(":")
    if not (introduced or _wholly_quoted(quote, patterns)):
        return None, 0
    used = 1
    if not attribution:
        attribution, used = _attribution_after(units, index + 1, patterns), 1
        used += bool(attribution)
    return Block(BlockKind.QUOTE, (quote,), attribution), used


def _attribution_after(units: list[Unit], position: int, patterns: LexiconPatterns) -> str:
    """The unit at `position` when it names the source of the quotation just before it, else ''."""
    if position >= len(units):
        return ""
    following = units[position]
    dashed = patterns.attribution.match(following.text) and len(following.text.split()) <= LONGEST_ATTRIBUTION
    # A short unfinished line set directly under a quotation names its source.
    attached = following.blank_before == 0 and len(following.text.split()) <= 12 and following.text[-1] not in ".!?:;…"
    return following.text if dashed or attached else ""


def _continued_quotation(units: list[Unit], index: int, patterns: LexiconPatterns) -> tuple[str, Block | None, int]:
    """A quotation of several paragraphs, as typography marks one: each paragraph reopens the
    quotation mark and only the last closes it. It stays one quotation (a scholar marks one quote
    with its paragraphs), not a paragraph and a second quotation.

    The first paragraph may open with an introduction ending in a colon ('Trepper wrote: "But who
    ...'): that stays a paragraph of its own, returned first, as in a quotation set off as a block.
    """
    introduction, opener, first = _opening_quotation(units[index].text, patterns)
    if not opener or not _left_open(first, opener) or index + 1 >= len(units) or not units[index + 1].text.startswith(opener):
        return "", None, 0
    paragraphs = [first]
    position = index + 1
    while position < len(units) and units[position].text.startswith(opener) and _left_open(paragraphs[-1], opener):
        paragraphs.append(units[position].text)
        position += 1
    paragraphs[-1], attribution = _split_attribution(paragraphs[-1], patterns)
    if not attribution:
        attribution = _attribution_after(units, position, patterns)
        position += bool(attribution)
    return introduction, Block(BlockKind.QUOTE, tuple(paragraphs), attribution), position - index


def _opening_quotation(text: str, patterns: LexiconPatterns) -> tuple[str, str, str]:
    """(introduction, opening mark, quotation) of a paragraph that opens a quotation, at its start or
    after an introducing colon; ('', '', '') when it opens none."""
    if text[:1] in QUOTE_CLOSERS and _is_quotation_start(text, patterns):
        return "", text[0], text
    starts = [(text.find(": " + opener), opener) for opener in patterns.opening_quotes if opener in QUOTE_CLOSERS]
    found = [(position, opener) for position, opener in starts if position > 0]
    if not found:
        return "", "", ""
    position, opener = min(found)
    return text[: position + 1], opener, text[position + 2 :]


def _left_open(text: str, opener: str) -> bool:
    """The quotation opened in `text` is not closed by its end (a straight mark: an odd count)."""
    closer = QUOTE_CLOSERS[opener]
    if closer == opener:
        return text.count(opener) % 2 == 1
    return text.rfind(opener) > text.rfind(closer)


def _wholly_quoted(text: str, patterns: LexiconPatterns) -> bool:
    """True when the text opens with a quote mark and the first closing mark ends it."""
    opener = text[0]
    closer = QUOTE_CLOSERS.get(opener)
    if closer is None:
        return False
    body = text[1:].rstrip(".")
    position = body.find(closer)
    return position >= len(body) - 2 and position != -1
