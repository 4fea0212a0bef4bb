"""Metadata: the lines that only carry metadata (site name, date, issue), authors, language.

Every value keeps its provenance (the line and rule it came from) and, for dates, the original
wording. Nothing is invented: a field that is not found stays empty and is reported.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from .corpus import LineCounts
from .model import Author, Field, Line
from .rules import SHAPES, LexiconPatterns, lexicon_patterns, month_numbers

SENTENCE_END = SHAPES.unfinished_end
SENTENCE_INSIDE = SHAPES.sentence_inside
YEAR = SHAPES.year
NUMERIC_DATE = SHAPES.numeric_date
TOKEN = SHAPES.word
LONGEST_DATE_LINE = 12  # words
LONGEST_SITE_LINE = 6  # words
SITE_LINE_WINDOW = 8  # opening lines searched for the site's name


@dataclass(frozen=True)
class HeaderLines:
    """Lines found to carry only metadata, and what they said."""

    claimed: dict[int, str] = field(default_factory=dict)  # line number -> rule id
    publication: Field = Field("")
    date: Field = Field("")
    issue: Field = Field("")
    volume: Field = Field("")
    dates: tuple[Field, ...] = ()  # every date line of the head and tail zones, in order: the date's candidates


def is_substantive(text: str) -> bool:
    """A line that is surely article text: a long sentence. Zones are bounded by these."""
    words = text.split()
    return len(words) >= 15 and text.rstrip()[-1:] in ".!?…\"”’»)'"


def zones(lines: Sequence[Line], skip: Collection[int]) -> tuple[int, int]:
    """(first, last) line numbers of the article's core; the head and tail zones lie outside.

    The core starts at the second substantive line, because a long standfirst often stands
    before the byline and date lines.
    """
    numbers = [line.number for line in lines if line.number not in skip and is_substantive(line.text)]
    if not numbers:
        return (lines[-1].number + 1 if lines else 1, 0)
    return numbers[min(1, len(numbers) - 1)], numbers[-1]


@lru_cache(maxsize=1)
def _date_parser():  # type: ignore[no-untyped-def]
    """dateparser is slow to set up: one parser per process, languages we have rules for."""
    from dateparser.date import DateDataParser

    return DateDataParser(
        languages=["en", "de", "fr", "es", "it", "nl", "pt"],
        settings={"PREFER_DAY_OF_MONTH": "first", "DATE_ORDER": "DMY", "PARSERS": ["absolute-time"]},
    )


@lru_cache(maxsize=65536)
def _date_data(candidate: str):  # type: ignore[no-untyped-def]
    """dateparser's reading of a date line (2 ms each), remembered: a corpus repeats its dates."""
    return _date_parser().get_date_data(candidate)


@dataclass(frozen=True)
class ParsedDate:
    iso: str
    note: str = ""  # e.g. an ambiguity the reader should know about


def parse_date(text: str, language: str = "") -> ParsedDate | None:
    """Parse a date line into ISO 8601 at the precision it gives (year, month or day)."""
    patterns = lexicon_patterns()
    candidate = patterns.date_prefix.sub("", text.strip()).strip(" .,;:|–—-")
    if not candidate or not YEAR.search(candidate) and not NUMERIC_DATE.search(candidate):
        return None
    if not only_date_words(candidate, patterns):
        return None
    iso = common_date(candidate)
    if iso is None:
        data = _date_data(candidate)
        if data is None or data.date_obj is None:
            return None
        when = data.date_obj
        if data.period == "year":
            iso = f"{when.year:04d}"
        elif data.period == "month":
            iso = f"{when.year:04d}-{when.month:02d}"
        else:
            iso = f"{when.year:04d}-{when.month:02d}-{when.day:02d}"
    note = ""
    numeric = NUMERIC_DATE.search(candidate)
    if numeric and int(numeric.group(1)) <= 12 and int(numeric.group(2)) <= 12 and numeric.group(1) != numeric.group(2):
        if language not in patterns.day_first_languages:
            note = "day/month order ambiguous; read day first"
    return ParsedDate(iso, note)


# The forms most date lines take, read without dateparser (2 ms a call): "14 March 2019",
# "14. März 2019", "March 14, 2019", "14.03.2019", "14/03/2019". Anything else, or a date that
# does not exist, goes to dateparser; tests/test_dates.py checks that both read these the same.
DAY_MONTH_YEAR = re.compile(r"(\d{1,2})\.? ([^\W\d_]+) (\d{4})")
MONTH_DAY_YEAR = re.compile(r"([^\W\d_]+) (\d{1,2}), (\d{4})")
DAY_MONTH_YEAR_NUMBERS = re.compile(r"(\d{1,2})([./])(\d{1,2})\2(\d{4})")


def common_date(candidate: str) -> str | None:
    """The ISO day of a date line in one of the common forms, or None (dateparser decides)."""
    day = month = year = 0
    if found := DAY_MONTH_YEAR.fullmatch(candidate):
        day, month, year = int(found.group(1)), month_numbers().get(found.group(2).casefold(), 0), int(found.group(3))
    elif found := MONTH_DAY_YEAR.fullmatch(candidate):
        day, month, year = int(found.group(2)), month_numbers().get(found.group(1).casefold(), 0), int(found.group(3))
    elif found := DAY_MONTH_YEAR_NUMBERS.fullmatch(candidate):
        day, month, year = int(found.group(1)), int(found.group(3)), int(found.group(4))
    if not (month and 1900 <= year <= 2099 and 1 <= month <= 12 and 1 <= day <= _days_in(month, year)):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def _days_in(month: int, year: int) -> int:
    import calendar

    return calendar.monthrange(year, month)[1]


def only_date_words(text: str, patterns: LexiconPatterns) -> bool:
    """True when every word of the line is part of a date (month, weekday, time, zone)."""
    words = TOKEN.findall(text.casefold())
    return len(text.split()) <= LONGEST_DATE_LINE and all(word in patterns.date_words for word in words)


@dataclass(frozen=True)
class MetadataPart:
    """One part of a metadata line ("Numéro 87 · mars 2019" has two)."""

    field: str  # "issue", "volume", "date", "publication" or "" (known, carries nothing: "12 min read")
    value: str
    note: str = ""


def read_metadata_part(text: str, language: str, head: bool = True) -> MetadataPart | None:
    """What one part of a line says, or None when it is not metadata at all."""
    patterns = lexicon_patterns()
    issue = patterns.issue_line.match(text)
    if issue:
        return MetadataPart("issue", issue.group(1))
    volume = patterns.volume_line.match(text)
    if volume:
        return MetadataPart("volume", volume.group(1), volume.group(2) or "")
    ordinal_volume = patterns.ordinal_volume.match(text)
    if ordinal_volume:
        return MetadataPart("volume", ordinal_volume.group(1))
    published_in = patterns.published_in.match(text)
    if published_in:
        return MetadataPart("publication", published_in.group(1).strip())
    if patterns.reading_time.match(text):
        return MetadataPart("", text)
    parsed = parse_date(text, language)
    if parsed is None and head:
        # "Paris, le 12 mars 2025" opens a press release; at the end, under a signed name, the
        # same shape belongs to the signature ("Lorvaux, janvier 2021").
        dateline = SHAPES.place_before_date.match(text)
        parsed = parse_date(dateline.group(1), language) if dateline else None
    if parsed:
        return MetadataPart("date", parsed.iso, parsed.note)
    return None


def read_metadata_line(text: str, language: str, head: bool = True) -> list[MetadataPart] | None:
    """All parts of a line that only carries metadata ('12 min read · Mar 3, 2021'), else None."""
    parts = [part.strip() for part in lexicon_patterns().metadata_separator.split(text) if part.strip()]
    found = []
    unread = []
    for part in parts:
        read = read_metadata_part(part, language, head)
        if read is None:
            unread.append(part)
        else:
            found.append(read)
    if unread and not (
        # "Mitteilungen des Kleingartenvereins · Ausgabe 31 · März 2024": a name beside two facts
        len([part for part in found if part.field]) >= 2
        and all(len(part.split()) <= 8 and not SENTENCE_INSIDE.search(part) and part[-1] not in "!?:;" for part in unread)
    ):
        return None
    return found or None


def find_header_lines(
    lines: Sequence[Line],
    skip: Collection[int],
    language: str = "",
    counts: LineCounts | None = None,
    source: str = "",
    min_articles: int = 2,
    furniture: Collection[int] = (),
) -> HeaderLines:
    """Find the site-name, date, issue and volume lines in the head and tail zones.

    `skip` holds lines already known to be boilerplate; they do not bound the zones and never
    give the site name, but a boilerplate line made only of facts (date, issue) is claimed. The first value found for a field wins; later lines are still claimed.
    """
    first_text, last_text = zones(lines, skip)
    claimed: dict[int, str] = {}
    fields: dict[str, Field] = {}
    dates: list[Field] = []
    for line in lines:
        text = line.text.strip()
        # A line a boilerplate rule matched is still read: "Vol. 6 · N.º 58 · Novembro de 2023"
        # has the shape of a menu, but every part of it is a fact for the header.
        if not text or first_text <= line.number <= last_text:
            continue
        dated_byline = lexicon_patterns().dated_byline.match(text)
        if dated_byline:
            # "Posted on 18 June 2023 by Margaret Ashby": the date goes to the header, the line
            # stays in the text as the byline.
            parsed = parse_date(dated_byline.group("date"), language)
            if parsed:
                found = Field(parsed.iso, f"line {line.number} (rule metadata.dated-byline)", dated_byline.group("date"))
                dates.append(found)
                fields.setdefault("date", found)
            continue
        parts = read_metadata_line(text, language, head=line.number < first_text)
        if parts is None:
            continue
        kinds = sorted({part.field for part in parts if part.field})
        rule = f"metadata.{'-'.join(kinds) or 'label'}-line"
        claimed[line.number] = rule
        for part in parts:
            known = fields.get(part.field)
            note = f"line {line.number} (rule {rule})"
            if not part.field:
                continue
            if part.field == "date":
                dates.append(Field(part.value, note + (f"; {part.note}" if part.note else ""), text))
            if known is None:
                extra = f"; {part.note}" if part.field == "date" and part.note else ""
                fields[part.field] = Field(part.value, note + extra, text)
                if part.field == "volume" and part.note and "issue" not in fields:
                    fields["issue"] = Field(part.note, note, text)
            elif part.field == "date" and len(part.value) > len(known.value) and part.value.startswith(known.value):
                # A later, more precise date that agrees refines the first ("mars 2019" ... "14 mars 2019").
                fields["date"] = Field(part.value, f"{note}; refines {known.value}", text)
    publication = fields.get("publication") or find_site_line(lines, skip | claimed.keys(), counts, source, min_articles, furniture)
    if publication.value and publication.source.startswith("line ") and "site-line" in publication.source:
        claimed[int(publication.source.split()[1])] = "metadata.site-line"
    return HeaderLines(
        claimed, publication, fields.get("date", Field("")), fields.get("issue", Field("")), fields.get("volume", Field("")), tuple(dates)
    )


def find_site_line(
    lines: Sequence[Line],
    skip: Collection[int],
    counts: LineCounts | None,
    source: str,
    min_articles: int,
    furniture: Collection[int] = (),
) -> Field:
    """The site's name, when a short name-like line in the head of the article gives it.

    The first of the opening lines with evidence wins. Evidence, any of: the name recurs in the
    article's text; a word typical of periodical names (also as part of a word: "Kanaalpost");
    the line, of two or more words, recurs across articles of the same source.
    """
    patterns = lexicon_patterns()
    content = [line for line in lines if line.text.strip() and line.number not in skip]
    if len(content) < 3:
        return Field("")
    lines_by_number = {line.number: line.text for line in lines}
    for index, line in enumerate(content[:SITE_LINE_WINDOW]):
        text = line.text.strip()
        words = text.split()
        if (
            len(words) > LONGEST_SITE_LINE
            or SENTENCE_END.search(text)
            or text[0] in patterns.opening_quotes
            or patterns.byline.match(text)
            or patterns.numbered_item.match(text)
            or not text[0].isupper()
        ):
            continue
        next_is_prose = index + 1 >= len(content) or is_substantive(content[index + 1].text)
        lowered = text.casefold()
        # The name must recur in the site's furniture ("add Socialist Worker to your home
        # screen"), not merely in the prose: an article's title is often repeated in its text,
        # and once the furniture is gone (cleaning a cleaned text) no site line is found again.
        recurs = any(lowered in lines_by_number[number].casefold() for number in furniture if number > line.number)
        tokens = [token.casefold() for token in TOKEN.findall(text)]
        typical = any(token in patterns.publication_words or any(token.endswith(word) for word in patterns.publication_words if len(word) >= 4) for token in tokens)
        opens_others = counts is not None and len(words) >= 2 and counts.count(source, text) >= min_articles
        if recurs or opens_others or typical and not next_is_prose:
            evidence = "recurs in the site's furniture" if recurs else "recurs across the source" if opens_others else "name-like"
            return Field(text, f"line {line.number} (rule metadata.site-line: {evidence})")
    return Field("")


def site_named_in(text: str) -> str:
    """The site name an article opens with, judged on its first lines alone ("" when none).

    Used to group the articles of a flat input folder by site before any cleaning.
    """
    opening = [Line(number, line) for number, line in enumerate(text.split("\n", SITE_LINE_WINDOW * 3)[: SITE_LINE_WINDOW * 3], 1)]
    return find_site_line(opening, set(), None, "", 0).value


def split_authors(names: str) -> list[str]:
    """'Ada Example and Ben Sample' -> ['Ada Example', 'Ben Sample']."""
    patterns = lexicon_patterns()
    return [part.strip(" ,;") for part in patterns.author_separator.split(names) if part.strip(" ,;")]


def is_person_name(text: str) -> bool:
    """A plausible personal name: 1-5 capitalised words (particles allowed), no digits."""
    patterns = lexicon_patterns()
    words = text.replace(".", ". ").split()
    if not 1 <= len(words) <= 4 or any(char.isdigit() for char in text) or text.rstrip()[-1:] in ",;:!?":
        return False
    if any(word.casefold() in patterns.not_name_words for word in words):
        return False
    capitalised = [word for word in words if word[0].isupper()]
    return bool(capitalised) and all(word[0].isupper() or word in patterns.name_particles for word in words)


def authors_from_byline(text: str, line_number: int) -> list[Author]:
    """Authors named in a byline: 'By X and Y', 'X, Org' (affiliation), 'X | date'."""
    patterns = lexicon_patterns()
    stripped = text.strip()
    dated = patterns.dated_byline.match(stripped)
    late = patterns.late_byline.search(stripped)
    if dated:
        stripped = dated.group("names")
    elif late and not patterns.byline.match(stripped):
        stripped = late.group(1)  # "11/19/2019 by Lars Brandle", "October 9, 2018 | by Olivia Larsen"
    stripped = patterns.other_credit.sub("", stripped)  # "Text: X. Photos: Y": Y took the photographs
    match = patterns.byline.match(stripped)
    body = match.group(1) if match else stripped
    # The names end where a separator, a date, a time or a @handle begins: names hold no digits.
    body = patterns.byline_tail.split(body, maxsplit=1)[0].strip()
    source = f"line {line_number} (rule metadata.byline)"
    if "(" in body:
        # "Dr A (University X) and Dr B (Institute Y)": each name with its own affiliation.
        authors = []
        for part in split_authors(body):
            name, _, rest = part.partition("(")
            name = without_honorific(name)
            if is_person_name(name):
                authors.append(Author(name, rest.rstrip(") ").strip(), source))
        if authors:
            return authors
    authors = []
    parts = [part.strip() for part in body.split(",")]
    # "Name, Organisation": the part after the comma is an affiliation unless it is a name too.
    names_part = parts[0]
    affiliation = ""
    names = split_authors(names_part)
    if len(parts) > 1:
        rest = ", ".join(parts[1:])
        if all(is_person_name(part) for part in split_authors(rest)) and not _is_role(rest) and " and " in f" {rest} ":
            names = split_authors(body)
        elif all(_is_full_name(part) and not patterns.affiliation.search(part) and not holds_role(part) and not _holds_organisation_word(part) for part in parts):
            names = parts  # "Tariq Malik, Mike Wall": a list of names
        elif not _is_role(rest):
            affiliation = rest
    for name in names:
        name = without_roles(without_date_words(trailing_name(without_honorific(name))))
        credited = patterns.trailing_agency.match(name)
        if credited and is_person_name(credited.group(1)):
            authors.append(Author(credited.group(1), credited.group(2), source))  # "Tom Davies Associated Press"
        elif is_person_name(name):
            authors.append(Author(name, affiliation, source))
    return authors


def _is_full_name(text: str) -> bool:
    """A first name and a surname at least, every word capitalised: 'Mike Wall'."""
    words = text.split()
    return len(words) >= 2 and is_person_name(text) and all(word[0].isupper() for word in words)


def holds_role(text: str) -> bool:
    """'Branch Secretary', 'Communications Officer': a part of a byline that names a role."""
    roles = lexicon_patterns().role_words
    return any(word.casefold() in roles for word in text.split())


def _holds_organisation_word(text: str) -> bool:
    """'Business Insider', 'Cowley Road Post': a part of a byline naming a section or a periodical."""
    patterns = lexicon_patterns()
    return any(word.casefold() in patterns.section_words or word.casefold() in patterns.publication_words for word in text.split())


def without_date_words(name: str) -> str:
    """'Regan September' (from 'Regan September 24, 2019') -> 'Regan': a month closes the name."""
    words = name.split()
    dates = lexicon_patterns().date_words
    while len(words) > 1 and words[-1].casefold().strip(",.") in dates:
        words.pop()
    return " ".join(words)


def without_roles(name: str) -> str:
    """'Bruce Y. Lee Senior Contributor' -> 'Bruce Y. Lee': a role set after the name closes it."""
    words = name.split()
    roles = lexicon_patterns().role_words
    while len(words) > 2 and words[-1].casefold() in roles:
        words.pop()
    return " ".join(words)


def without_honorific(name: str) -> str:
    """'Dr Helen Marsh' -> 'Helen Marsh'."""
    return lexicon_patterns().honorific.sub("", name.strip())


def trailing_name(text: str) -> str:
    """'unserer Redakteurin Miriam Oberholz' -> 'Miriam Oberholz': the name closes the phrase."""
    words = text.split()
    particles = lexicon_patterns().name_particles
    if all(word[0].isupper() or word in particles for word in words):
        return text
    leading: list[str] = []
    for word in words:
        if not (word[0].isupper() or word in particles):
            break
        leading.append(word)
    if len(leading) >= 2:
        return " ".join(leading)  # "Moritz Bachmann publiziert am 30. Juli 2018": the name opens the phrase
    run: list[str] = []
    for word in reversed(words):
        if not word[0].isupper():
            break
        run.insert(0, word)
    roles = lexicon_patterns().roles
    while run and run[0].casefold() in roles:
        run.pop(0)
    return " ".join(run[-3:]) if len(run) >= 2 else text


def _is_role(text: str) -> bool:
    return text.strip().casefold() in lexicon_patterns().roles


def author_from_standfirst(text: str) -> tuple[str, str] | None:
    """'... Charlie Kimber replies' -> (text before the name, 'Charlie Kimber').

    The name is the run of capitalised words right before a verb of writing ("replies",
    "argues that", "schreibt"); it may close the standfirst or stand inside it.
    """
    patterns = lexicon_patterns()
    for match in patterns.standfirst_verb.finditer(text):
        before = text[: match.start()].rstrip()
        words = before.split()
        name_words: list[str] = []
        for word in reversed(words):
            if word[-1] in ".?!:;,”\"’" or not (word[0].isupper() or word in patterns.name_particles):
                break
            name_words.insert(0, word)
        while name_words and name_words[0] in patterns.name_particles:
            name_words.pop(0)
        name = " ".join(name_words[-4:])
        if len(name_words) >= 2 and is_person_name(name):
            return before[: len(before) - len(name)].rstrip(), name
        if before.endswith(","):
            # Inverted: "..., argumentiert die Historikerin Selma Yıldız." / "..., explique la sociologue X"
            after = re.split(r"[,.;:!?]", text[match.end() :], maxsplit=1)[0].split()
            run = [word for word in after[:6] if word[0].isupper()]
            name = " ".join(run[-2:])
            if len(run) >= 2 and is_person_name(name):
                return text.strip(), name
    return None


def detect_language(text: str) -> Field:
    """Identify the language of the article text with py3langid (ISO 639-1 code)."""
    sample = text[:4000]
    if len(TOKEN.findall(sample)) < 5:
        return Field("")
    import py3langid  # loads its model on first use, then keeps it for the process

    language, _score = py3langid.classify(sample)
    return Field(str(language), "py3langid")
