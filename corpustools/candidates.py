"""Metadata candidates weighed by their evidence: one value per field, or "not found".

A page offers several values for a field (a menu label and the site's own name, a byline and
a "Back To Main Menu" link): each becomes a candidate with the confidence of the evidence
that found it (lexicon.toml's [confidence] table). Evidences that agree on one value add up;
the best value at or above the threshold is taken, every other candidate is kept as rejected,
with the reason, for the removal log and `--explain`. Precision first: an archive cites what
the header asserts, so a field stays empty rather than wrong.

This stage runs after the line labeller, so it can ask what the labeller made of each line:
a site line it calls boilerplate is a menu, a byline it calls a byline is one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from .metadata import authors_from_byline, holds_role, is_person_name, parse_date
from .model import Author, Field, Line, LineLabel, MetadataCandidate
from .provenance import line_of
from .rules import SHAPES, evidence_confidence, lexicon_patterns

LONGEST_SITE_NAME = 6  # words
NEAR_HEADLINE = 3  # non-blank lines: a dateline or byline stands next to the headline or the first paragraph
DATED_LIST_GAP = 4  # non-blank lines: dates closer than this to each other are a list's items
OPENING_LINES = 1  # the page's own title (<title>) is its first line when a scraper keeps it; a headline
# further down holds its dashes as part of it ("Are Here — And They're Not Great")


def combined(confidences: Iterable[float]) -> float:
    """Independent evidences for one value: 1 - (1-a)(1-b)..."""
    doubt = 1.0
    for confidence in confidences:
        doubt *= 1.0 - confidence
    return round(1.0 - doubt, 3)


def normal_name(text: str) -> str:
    """A name compared without case, quotes or a leading article's spacing."""
    return " ".join(text.casefold().replace("’", "'").split()).strip(" \"'“”«».,")


def is_menu_label(text: str) -> bool:
    """A navigation label, section name or call to action: "News", "Today's Paper",
    "Open Navigation Menu", "Contact CT Post", "I Accept", "Back To Main Menu"."""
    patterns = lexicon_patterns()
    words = [word.strip(".,:;!?()[]\"'“”").casefold() for word in text.split()]
    words = [word for word in words if word]
    if not words:
        return True
    if words[0] in patterns.action_words:
        return True
    if all(word in patterns.section_words or word in patterns.date_words for word in words):
        return True
    return any(word in patterns.action_words for word in words) and all(
        word in patterns.section_words or word in patterns.action_words for word in words
    )


def is_site_name_shape(text: str) -> bool:
    """A site's name as a title suffix or copyright holder writes it: a few capitalised words or a
    web address ("The Detroit News", "nj.com", "VG247"); not a clause, a date or a menu label."""
    words = text.split()
    if not 1 <= len(words) <= LONGEST_SITE_NAME or is_menu_label(text):
        return False
    if text[-1] in ",;:!?-–—|" or SHAPES.sentence_inside.search(text):
        return False
    particles = lexicon_patterns().site_name_particles
    for word in words:
        if SHAPES.year.fullmatch(word):
            return False  # "comwrap auf der DMEXCO 2018" is a clause with a year, not a name ("NBC 5" is one)
        if not (word[0].isupper() or word[0].isdigit() or word.casefold() in particles or "." in word[1:]):
            return False
    return True


def is_company(holder: str) -> bool:
    """'Hearst Communications, Inc.', 'Telegraph Media Group Limited': a publisher's legal name."""
    corporate = lexicon_patterns().corporate_words
    return any(word.strip(".,()").casefold() in corporate for word in holder.split())


def split_page_title(text: str) -> tuple[str, str, str] | None:
    """("headline", "site", form) from "Headline – Site" / "Headline | Site" (form "suffix") or
    "Site: Headline" (form "prefix"); None when the line holds no such split."""
    patterns = lexicon_patterns()
    stripped = text.strip()
    separators = list(patterns.title_separator.finditer(stripped))
    if separators:
        last = separators[-1]
        site = stripped[last.end() :].strip()
        # "Headline | Editorial | Opinion | The Guardian": what stands between the headline and
        # the site must be section names (a breadcrumb); "NASCAR | Autoracing | F1 | Indy" is a menu.
        pieces = [stripped[: separators[0].start()]] + [
            stripped[before.end() : after.start()] for before, after in zip(separators, separators[1:])
        ]
        headline = pieces[0].strip()
        if len(pieces) > 1 and not all(is_menu_label(piece) for piece in pieces[1:]):
            headline = ""
            if len(separators) == 1 or not all(len(piece.split()) <= 3 for piece in pieces[1:]):
                headline = stripped[: last.start()].strip()  # "Review - shoots for the moon - VG247"
        if site and headline and is_site_name_shape(site):
            return headline, site, "suffix"
    prefix, colon, rest = stripped.partition(": ")
    if colon and rest and len(prefix.split()) <= LONGEST_SITE_NAME and is_site_name_shape(prefix):
        return rest.strip(), prefix.strip(), "prefix"
    return None


def publication_candidates(
    lines: Sequence[Line],
    labels: Mapping[int, str],
    header_publication: Field,
    title: Field,
) -> list[MetadataCandidate]:
    """Every value the page offers as its publication's name, with the evidence for each."""
    weights = evidence_confidence()
    patterns = lexicon_patterns()
    candidates: list[MetadataCandidate] = []
    texts = [(line.number, line.text.strip()) for line in lines if line.text.strip()]
    if header_publication.value:
        line = line_of(header_publication.source)
        value = header_publication.value
        if "publication-line" in header_publication.source:
            candidates.append(MetadataCandidate("publication", value, header_publication.source, weights.of("published_in")))
        elif line is not None and labels.get(line) not in (None, LineLabel.METADATA.value):
            candidates.append(MetadataCandidate("publication", value, header_publication.source, 0.0, f"the labeller calls the line {labels.get(line)}, not M"))
        elif is_menu_label(value):
            candidates.append(MetadataCandidate("publication", value, header_publication.source, 0.0, "a menu label or section name"))
        else:
            kind = "site_line_name_like" if "name-like" in header_publication.source else "site_line"
            candidates.append(MetadataCandidate("publication", value, header_publication.source, weights.of(kind)))
    for number, text in texts[:OPENING_LINES]:
        split = split_page_title(text)
        if split is None:
            continue
        headline, site, form = split
        reasons = [f"line {number} (rule metadata.title-{form}: {text!r})"]
        if form == "prefix":
            # A kicker ("Tennis Podcast: ...", "Fact Check: ...") recurs on the page as much as a
            # site's name does: only another kind of evidence (copyright, site line) supports it.
            candidates.append(MetadataCandidate("publication", site, reasons[0], weights.of("title_prefix")))
            continue
        evidence = [weights.of("title_suffix")]
        folded_headline, folded_site = normal_name(headline), normal_name(site)
        if any(normal_name(other) == folded_headline for other_number, other in texts if other_number != number) or (
            title.value and normal_name(title.value) == folded_headline
        ):
            evidence.append(weights.of("headline_repeated"))
            reasons.append("the headline stands on the page as its own line")
        if any(folded_site in normal_name(other) and folded_headline not in normal_name(other) for other_number, other in texts if other_number != number):
            evidence.append(weights.of("named_elsewhere"))
            reasons.append("the name recurs on another line")
        candidates.append(MetadataCandidate("publication", site, "; ".join(reasons), combined(evidence)))
    # Where the article opens (its first headline or paragraph line): a masthead stands above.
    opening = min((number for number, label in labels.items() if label in (LineLabel.TITLE.value, LineLabel.PARAGRAPH.value)), default=0)
    for number, text in texts:
        if "©" not in text and not SHAPES.year.search(text):
            continue
        found = patterns.copyright_holder.search(text)
        if not found:
            continue
        holder = found.group("holder").strip(" .,")
        if not is_site_name_shape(holder) and not is_company(holder):
            continue
        company = is_company(holder)
        confidence = weights.of("copyright_company" if company else "copyright_holder")
        source = f"line {number} (rule metadata.copyright-holder)"
        candidates.append(MetadataCandidate("publication", holder, source, confidence))
        # The holder's name where the page names itself elsewhere ("Follow The Telegraph", a
        # masthead line, "Search SlashGear"): a second witness, as a title suffix would be; what
        # a publisher's legal name holds before its company words ("AutoIndustriya.com, Inc.",
        # "Telegraph Media Group Limited") counts when a masthead line says it alone.
        named = _named_elsewhere(holder, texts, number, opening) if not company else _masthead_of(holder, texts, opening)
        if named is not None and not patterns.news_agency.match(holder):
            value, where = named
            # The holder's own candidate pools with this one (same value); a masthead's wording
            # differs from the legal name, so it carries the company's evidence with it.
            support = weights.of("named_elsewhere") if not company else combined([confidence, weights.of("named_elsewhere")])
            candidates.append(MetadataCandidate("publication", value, f"line {where} (rule metadata.copyright-named: {holder!r} of line {number})", support))
    return candidates


def _is_witness_line(text: str) -> bool:
    """A line that may name the site: not a copyright line again, nor a caption's credit or a
    byline (a photographer's copyright is named in their credit, which proves no site)."""
    patterns = lexicon_patterns()
    if "©" in text or SHAPES.year.search(text) and patterns.copyright_holder.search(text):
        return False
    words = {word.strip(".,:;!?()[]\"'“”").casefold() for word in text.split()}
    return not (patterns.credit_line.match(text) or patterns.byline.match(text) or words & patterns.credit_words)


def _named_elsewhere(holder: str, texts: Sequence[tuple[int, str]], number: int, opening: int) -> tuple[str, int] | None:
    """(the holder, the line) where the page names the copyright holder as itself: alone on a
    line above the article (`opening`: its first headline or paragraph line), a masthead; or
    after a call of the site's own ("Search SlashGear", "Follow The Telegraph", "More
    Washington Examiner"). A name merely mentioned ("Condé Nast Store", "powered by Microsoft
    News") or standing alone below the article (a list of sister sites) proves nothing."""
    calls = lexicon_patterns().site_call
    folded = _words_only(holder)
    for other_number, other in texts:
        if other_number == number or not _is_witness_line(other):
            continue
        bare = _without_bullet(other)
        if other_number < opening and bare == other.strip() and bare == holder.strip():
            return holder, other_number
        called = calls.match(_words_only(bare, keep_possessive=True))
        if called and _names(called.group(1), folded):
            return holder, other_number
    return None


def _names(phrase: str, name: str) -> bool:
    """The phrase after a site's call is the name, the name's possessive ("the detroit news's
    european union experience") or the name and a word of the lexicon's call tails ("the
    paradigm newsletter"); "bbc news" does not name "BBC"."""
    if phrase == name or phrase.startswith(f"{name}'s "):
        return True
    tail = phrase[len(name) :].split() if phrase.startswith(f"{name} ") else []
    return bool(tail) and tail[0] in lexicon_patterns().site_call_tails


def _without_bullet(text: str) -> str:
    bullet = lexicon_patterns().bullet_item.match(text.strip())
    return bullet.group(1).strip() if bullet else text.strip()


def _masthead_of(holder: str, texts: Sequence[tuple[int, str]], opening: int) -> tuple[str, int] | None:
    """A company's name without its company words ("Telegraph Media Group Limited" ->
    "Telegraph"), when a line above the article holds that name alone, with or without "The"
    ("The Telegraph"): the masthead; its wording is the value."""
    corporate = lexicon_patterns().corporate_words
    words = holder.replace(",", " ").split()
    while words and words[-1].strip(".()").casefold() in corporate:
        words.pop()
    core = normal_name(" ".join(words))
    if not core or not is_site_name_shape(" ".join(words)):
        return None
    for other_number, other in texts:
        bare = other.strip()  # a masthead is no list item ("* Hearst" lists a group's companies)
        if other_number < opening and normal_name(bare) in (core, f"the {core}") and is_site_name_shape(bare) and _is_witness_line(bare):
            return bare, other_number
    return None


def _words_only(text: str, keep_possessive: bool = False) -> str:
    """A line compared as words: casefolded, quotes and (unless kept) a possessive "’s" dropped."""
    folded = normal_name(text) if keep_possessive else normal_name(text).replace("'s ", " ")
    return " ".join(word.strip(".,:;!?()[]\"“”«»|") for word in folded.split())


def choose(name: str, candidates: Sequence[MetadataCandidate]) -> tuple[Field, tuple[MetadataCandidate, ...]]:
    """The best-supported value of a field, if it reaches the threshold; the rest, rejected.

    Candidates whose values agree (without case) pool their evidence: a title suffix and a
    copyright line naming the same site are two witnesses.
    """
    threshold = evidence_confidence().threshold
    pooled: dict[str, list[MetadataCandidate]] = {}
    for candidate in candidates:
        if candidate.confidence > 0:
            pooled.setdefault(normal_name(candidate.value), []).append(candidate)
    best: tuple[float, list[MetadataCandidate]] | None = None
    for group in pooled.values():
        # One kind of evidence counts once: the page title and the headline that repeats it
        # are the same witness.
        strongest: dict[str, float] = {}
        for candidate in group:
            kind = _rule_of(candidate.source)
            strongest[kind] = max(strongest.get(kind, 0.0), candidate.confidence)
        confidence = combined(strongest.values())
        if best is None or confidence > best[0]:
            best = (confidence, group)
    rejected: list[MetadataCandidate] = []
    chosen = Field("", f"not found: no evidence reaches {threshold}") if candidates else Field("")
    if best is not None and best[0] >= threshold:
        confidence, group = best
        first = max(group, key=lambda candidate: candidate.confidence)
        sources = "; ".join(candidate.source for candidate in group)
        chosen = Field(first.value, f"{sources} (confidence {confidence:.2f})", confidence=confidence)
    for candidate in candidates:
        if chosen.value and normal_name(candidate.value) == normal_name(chosen.value):
            continue
        reason = candidate.reason or (
            f"confidence {candidate.confidence:.2f} below {threshold}" if not chosen.value else f"{chosen.value!r} has more evidence"
        )
        rejected.append(MetadataCandidate(name, candidate.value, candidate.source, candidate.confidence, reason))
    return chosen, tuple(rejected)


def without_site_suffix(title: Field, publication: Field) -> Field:
    """'Headline - The New York Times' -> 'Headline' once the suffix is the publication found."""
    if not title.value or not publication.value:
        return title
    split = split_page_title(title.value)
    if split is None or split[2] != "suffix" or normal_name(split[1]) != normal_name(publication.value):
        return title
    return Field(split[0], f"{title.source}; site name {split[1]!r} split off", title.original or title.value, title.confidence)


def is_credit_or_byline(text: str) -> bool:
    """'Photo: Meg Kinnard, AP', 'Greg Beacham, Ap Sports Writer': a caption's credit or a
    byline that the front took for the title."""
    if lexicon_patterns().credit_line.match(text):
        return True
    if is_agency_dateline(text):
        return True
    return len(text.split()) <= 8 and holds_role(text) and bool(authors_from_byline(text, 0))


def is_agency_dateline(text: str) -> bool:
    """'Associated Press November 19, 2019, 9:02 AM': a news agency (the lexicon's list) and
    nothing after it but a date: a credit line, never a headline."""
    words = text.split()
    agency = lexicon_patterns().news_agency
    return any(
        agency.match(" ".join(words[:cut]).rstrip(",;:|–—-")) and parse_date(" ".join(words[cut:])) is not None
        for cut in range(1, len(words))
    )


def headline_of_page_title(title: Field, publication: Field, lines: Sequence[Line], labels: Mapping[int, str]) -> Field:
    """The headline a trusted page-title split gives, where the front matter found no title or a
    line that is not the headline ("Photo: Meg Kinnard, AP").

    Trusted: the split's site name is the publication chosen, and the headline stands on the
    page as its own line. The front's title stands when the labeller calls its line a title.
    """
    if title.value and is_credit_or_byline(title.value):
        title = Field("", f"not found: {title.value!r} is a credit or a byline ({title.source})")
    if not publication.value or "metadata.title-suffix" not in publication.source:
        return title
    title_line = line_of(title.source) if title.value else None
    if title_line is not None and labels.get(title_line) == LineLabel.TITLE.value:
        return title
    texts = [(line.number, line.text.strip()) for line in lines if line.text.strip()]
    for number, text in texts[:OPENING_LINES]:
        split = split_page_title(text)
        if split is None or split[2] != "suffix" or normal_name(split[1]) != normal_name(publication.value):
            continue
        folded = normal_name(split[0])
        if title.value and normal_name(title.value) == folded:
            return title
        repeated = next((other_number for other_number, other in texts if other_number != number and normal_name(other) == folded), None)
        if repeated is not None:
            return Field(split[0], f"line {number} (rule metadata.title-suffix: the headline, repeated on line {repeated})", confidence=0.9)
    return title


def corroborated_title(title: Field, lines: Sequence[Line], labels: Mapping[int, str]) -> tuple[Field, tuple[MetadataCandidate, ...]]:
    """The front's title, unless its line is no headline by shape and the labeller does not call
    it a title either: a line that opens with a date ("October 9, 2018 at 4:02 pm", "11/19/2019
    by Lars Brandle": a dateline or a byline) or a call to action or menu label ("Get The
    Magazine", "Follow the author of this article"). With the fold models, a fifth of the wrong
    titles on ../shared/aeb-dev, 10 of 48, were such lines kept for text. Rejected with the reason, for
    the log and --explain."""
    if not title.value or not labels or _rule_of(title.source) != "front.first-line-title":
        return title, ()
    number = line_of(title.source)
    label = labels.get(number) if number is not None else None
    if label == LineLabel.TITLE.value:
        return title, ()
    if opens_with_date(title.value):
        shape = "it opens with a date (a dateline or a byline)"
    elif len(title.value.split()) <= LONGEST_SITE_NAME and is_menu_label(title.value):
        shape = "it is a call to action or a menu label"
    else:
        return title, ()
    reason = f"the labeller calls its line {label}, not T, and {shape}"
    return Field("", f"not found: {title.value!r} ({title.source}): {reason}"), (MetadataCandidate("title", title.value, title.source, 0.0, reason),)


def _may_follow_a_date(word: str) -> bool:
    """A time, a separator, a filler ("at", "um") or a byline's link ("by", "von") after a date."""
    patterns = lexicon_patterns()
    folded = word.casefold()
    return word[0] in "|•·/–—-(" or word[0].isdigit() or folded in patterns.date_words or folded in patterns.byline_links


def opens_with_date(text: str) -> bool:
    """'October 9, 2018 at 4:02 pm', 'Updated on: November 19, 2019 / 10:07 AM', '11/19/2019 by
    X': the line's first words (after a date prefix) read as a whole day."""
    return bool(opening_date(text))


def opening_date(text: str, language: str = "", dateline: bool = False) -> str:
    """The ISO day a line's first words give (after a date prefix), or "": "November 18, 2019 |
    4:10pm", "Published Nov 18, 2019 at 4:07 PM | Updated ...", "11/19/2019 by X". As a
    `dateline`, only a time, a separator or a byline may follow the date: "Wednesday November
    20, 2019 Wednesday's Daily Headlines" is a dated teaser."""
    patterns = lexicon_patterns()
    words = patterns.date_prefix.sub("", text.strip()).split()
    for count in range(min(len(words), LONGEST_BYLINE_DATE), 1, -1):
        if dateline and count < len(words) and not _may_follow_a_date(words[count]):
            continue
        window = " ".join(words[:count]).strip(" ,|·•–—-/")
        # A month named or a numeric day and month: "15:23 2019" (a time and a year) is read by
        # the date parser in the current day and month.
        named = any(word.strip(".,").casefold() in patterns.month_words for word in words[:count]) or SHAPES.numeric_date.search(window)
        parsed = parse_date(window, language) if named else None
        if parsed and len(parsed.iso) == len("2019-11-18"):
            return parsed.iso
    numeric = SHAPES.numeric_date.match(words[0]) if words else None
    parsed = parse_date(numeric.group(0), language) if numeric is not None else None
    return parsed.iso if parsed and len(parsed.iso) == len("2019-11-18") else ""


def _rule_of(source: str) -> str:
    """The rule a provenance string names ("line 5 (rule metadata.byline)" -> "metadata.byline")."""
    _before, _rule, after = source.partition("(rule ")
    return after.split(")")[0].split(":")[0].split()[0] if after else source



def is_author_name(name: str) -> bool:
    """A person's name by shape and lexicon: two words at least ("Admin", "Reuters" and
    "Astronomy" are not persons), never a menu label, section name, call to action, news
    agency or a credit ("Photo: Meg Kinnard")."""
    patterns = lexicon_patterns()
    words = name.split()
    return (
        len(words) >= 2
        and is_person_name(name)
        and not is_menu_label(name)
        and not patterns.news_agency.match(name)  # an organisation, not a person
        and not any(":" in word or word.casefold() in patterns.not_author_words for word in words)  # "Photo: Meg Kinnard"
    )


LONGEST_ROLE_BYLINE = 8  # words
GLUED_WORD = re.compile(r"^(\w*[a-z])([A-Z][a-z]+)$")  # "JamesStaff": two words a scraper joined


def without_glued_role(author: Author) -> Author:
    """'Meg JamesStaff' -> 'Meg James': html2text joins a linked name to the role after it
    ("By [Meg James](...)Staff Writer"); a role word glued to the name's last word is cut off
    ("McDonald", "LeBron" stay: no role word follows their capital)."""
    words = author.name.split()
    glued = GLUED_WORD.match(words[-1]) if words else None
    if glued is None or glued.group(2).casefold() not in lexicon_patterns().role_words:
        return author
    return Author(" ".join([*words[:-1], glued.group(1)]), author.affiliation, author.source)


def is_role_byline(text: str) -> bool:
    """'Tom Krisher, Ap Auto Writer', 'Steve Peoples, Ap National Political Writer': a name,
    a comma and a role, the agency's byline without "By"."""
    name, comma, role = text.partition(",")
    return bool(comma) and len(text.split()) <= LONGEST_ROLE_BYLINE and holds_role(role) and is_author_name(name.strip())


def choose_authors(
    front_authors: Sequence[Author], lines: Sequence[Line], labels: Mapping[int, str], title: str = ""
) -> tuple[tuple[Author, ...], tuple[MetadataCandidate, ...]]:
    """The article's authors: those of its front matter (byline, standfirst, signature) when
    any is a person's name; otherwise those of the first line the labeller calls a byline (A);
    otherwise those of a "By X" line next to the headline or the first paragraph.

    Each name's confidence comes from its evidence (a byline the labeller labelled A is surer
    than the same shape on a line it labelled otherwise); below the threshold, or not a
    person's name, a name is rejected with the reason.
    """
    weights = evidence_confidence()
    threshold = weights.threshold
    rejected: list[MetadataCandidate] = []

    texts = {line.number: line.text.strip() for line in lines}
    patterns = lexicon_patterns()

    def weighed(author: Author) -> float:
        rule = _rule_of(author.source)
        if rule == "metadata.standfirst-author":
            return weights.of("standfirst_author")
        if rule == "metadata.signature":
            return weights.of("signature")
        line = line_of(author.source)
        if line is not None and labels.get(line) == LineLabel.BYLINE.value:
            return weights.of("byline")
        if author.source.endswith("next to the headline"):
            return weights.of("byline_near_headline")
        if author.source.endswith("the one byline before the text"):
            return weights.of("byline_before_text")
        text = texts.get(line, "") if line is not None else ""
        marked = patterns.byline.match(text) or patterns.dated_byline.match(text) or patterns.late_byline.search(text)
        return weights.of("byline_unlabelled" if marked else "bare_name_unlabelled")

    def accepted(authors: Iterable[Author]) -> list[Author]:
        kept = []
        for author in map(without_glued_role, authors):
            confidence = weighed(author)
            if not is_author_name(author.name):
                rejected.append(MetadataCandidate("authors", author.name, author.source, 0.0, "not a person's name by shape and lexicon"))
            elif confidence < threshold:
                rejected.append(MetadataCandidate("authors", author.name, author.source, confidence, f"confidence {confidence:.2f} below {threshold}"))
            else:
                kept.append(replace(author, confidence=confidence))
        return kept

    chosen = accepted(front_authors)
    if not chosen:
        for line in lines:
            if labels.get(line.number) != LineLabel.BYLINE.value or not line.text.strip():
                continue
            chosen = accepted(authors_from_byline(line.text, line.number))
            if chosen:
                break
    if not chosen:
        # "By Natalie Musumeci" under the headline, which the labeller removed with the page's
        # furniture: a byline shaped "By X" next to the headline or the first paragraph.
        order = {line.number: index for index, line in enumerate(line for line in lines if line.text.strip())}
        anchors = [order[number] for number in header_anchors(lines, labels, title, with_bylines=False) if number in order]
        for line in lines:
            text = line.text.strip()
            if not text or line.number not in order or not (patterns.byline.match(text) or is_role_byline(text)):
                continue
            if any(0 < abs(order[line.number] - anchor) <= NEAR_HEADLINE for anchor in anchors):
                found = [Author(author.name, author.affiliation, f"{author.source}; next to the headline") for author in authors_from_byline(text, line.number)]
                chosen = accepted(found)
                if chosen:
                    break
    if not chosen:
        # "By Meg James Staff Writer" above the article, out of the headline's reach (a caption,
        # share links between, or no headline found): the page's one "By X" line before its
        # first paragraph. Two or more there are a list of teasers, not the article's byline.
        first_paragraph = min((number for number, label in labels.items() if label == LineLabel.PARAGRAPH.value), default=None)
        before = [
            line for line in lines
            if first_paragraph is not None and line.number < first_paragraph and patterns.byline.match(line.text.strip())
        ]
        if len(before) == 1:
            line = before[0]
            chosen = accepted(Author(author.name, author.affiliation, f"{author.source}; the one byline before the text") for author in authors_from_byline(line.text, line.number))
    names = {author.name.casefold() for author in chosen}
    return tuple(chosen), tuple(candidate for candidate in rejected if candidate.value.casefold() not in names)




def header_anchors(lines: Sequence[Line], labels: Mapping[int, str], title: str, with_bylines: bool = True) -> set[int]:
    """The lines that mark the article's header area, whatever the labeller kept: the headline
    (labelled T, or repeating the title), the byline (labelled A, or shaped "By X"), and the first
    paragraph, which the dateline stands right above."""
    patterns = lexicon_patterns()
    # The headline as the title found it, and as the page's title line gives it (whole or split).
    headlines = {normal_name(title)} if title else set()
    first = next((line for line in lines if line.text.strip()), None)
    if first is not None:
        split = split_page_title(first.text)
        headlines |= {normal_name(first.text)} | ({normal_name(split[0])} if split else set())
    anchors = set()
    first_paragraph = next((number for number, label in sorted(labels.items()) if label == LineLabel.PARAGRAPH.value), None)
    if first_paragraph is not None:
        anchors.add(first_paragraph)
    for line in lines:
        text = line.text.strip()
        if not text:
            continue
        label = labels.get(line.number)
        if label in (LineLabel.TITLE.value, LineLabel.BYLINE.value):
            anchors.add(line.number)
        elif normal_name(text) in headlines and (first is None or line.number != first.number):
            anchors.add(line.number)
        elif with_bylines and patterns.byline.match(text) and authors_from_byline(text, line.number):
            anchors.add(line.number)
    return anchors


LONGEST_BYLINE_DATE = 8  # words of a byline read as its date
LONGEST_DATELINE = 20  # words of a line read as a dateline by its opening date ("Published Nov 18, 2019 at 4:07 PM | Updated at ...")


def date_in_byline(text: str, language: str = "") -> str:
    """The date a byline carries beside the names ("By X - 11/19/19 06:56 AM EST", "By X
    2019-11-18T20:51:19Z Science", "Monday November 18, 2019 7:45 am PST by X"), or ""."""
    stamp = SHAPES.iso_timestamp.search(text)
    if stamp:
        parsed = parse_date(stamp.group(1), language)
        return parsed.iso if parsed else ""
    words = text.split()
    # The earliest start wins: "November 19, 2019" begins before "19, 2019", which lacks its
    # month (and would be read in the current one).
    for start in range(min(len(words), LONGEST_BYLINE_DATE * 2)):
        for count in range(min(len(words) - start, LONGEST_BYLINE_DATE), 1, -1):
            parsed = parse_date(" ".join(words[start : start + count]).strip(" ,|·•–—-"), language)
            if parsed and len(parsed.iso) == 10:
                return parsed.iso
    return ""


def is_updated_line(text: str) -> bool:
    """'Updated: 18 Nov 2019', 'Last modified on ...', 'Aktualisiert am ...': a line that opens
    with the lexicon's words for a later change."""
    return bool(lexicon_patterns().updated_prefix.match(_without_bullet(text)))


def choose_date(
    dates: Sequence[Field], lines: Sequence[Line], labels: Mapping[int, str], title: str = "", bylines: Sequence[int] = ()
) -> tuple[Field, tuple[MetadataCandidate, ...]]:
    """The article's own date: from a line the labeller calls metadata or byline, or one that
    stands next to the headline, the byline or the first paragraph; refined by a later, more
    precise date that agrees.

    Elsewhere a date the labeller calls boilerplate is a related article's, the site's "today"
    in its masthead or an archive's year: rejected, with the reason.
    """
    weights = evidence_confidence()
    order = {line.number: index for index, line in enumerate(line for line in lines if line.text.strip())}
    anchors = [order[number] for number in header_anchors(lines, labels, title) if number in order]
    candidates: list[tuple[float, Field]] = []
    rejected: list[MetadataCandidate] = []
    found_in_bylines = []
    for byline in lines:
        number = byline.number
        if (labels.get(number) == LineLabel.BYLINE.value or number in bylines) and not any(line_of(found.source) == number for found in dates):
            iso = date_in_byline(byline.text.strip())
            if iso:
                found_in_bylines.append(Field(iso, f"line {number} (rule metadata.byline-date)", byline.text.strip()))
    dates = [*dates, *found_in_bylines]
    texts = {line.number: line.text.strip() for line in lines}
    # "November 18, 2019 | 4:10pm", "19 November 2019 • 1:16pm" by the headline: a dateline with
    # more on its line than a date line holds (a time, a separator, an update), read from its
    # opening words.
    known = {line_of(found.source) for found in dates}
    for number, text in texts.items():
        if number in known or number not in order or not text or len(text.split()) > LONGEST_DATELINE:
            continue
        if not any(abs(order[number] - anchor) <= NEAR_HEADLINE for anchor in anchors):
            continue
        iso = opening_date(text, dateline=True)
        if iso:
            dates.append(Field(iso, f"line {number} (rule metadata.dateline)", text))
    # "Updated: 18 Nov 2019 9:38 pm" beside "Posted: 18 Nov 2019 8:11 pm": the article's last
    # change, not its date, and the pair is no list of dated links. It is weighed like any
    # date, apart: it stands only where the page gives no other date, and says so; elsewhere it
    # is rejected as the update, with the reason.
    updated = {number for number in (line_of(found.source) for found in dates) if number is not None and is_updated_line(texts.get(number, ""))}
    dated_lines = sorted(order[number] for number in (line_of(found.source) for found in dates) if number in order and number not in updated)
    updates: list[tuple[float, Field]] = []
    for found in dates:
        line = line_of(found.source)
        label = labels.get(line) if line is not None else None
        weighed = updates if line in updated else candidates
        near = line in order and any(abs(order[line] - anchor) <= NEAR_HEADLINE for anchor in anchors)
        # "Headline / date / Headline / date": a date a few lines from another is an item of a
        # list of dated links (related articles), however close it stands to the article.
        listed = line in order and line not in updated and any(0 < abs(order[line] - other) <= DATED_LIST_GAP for other in dated_lines)
        if "metadata.byline-date" in found.source:
            weighed.append((weights.of("date_in_byline"), found))
        elif label != LineLabel.BOILERPLATE.value:
            weighed.append((weights.of("date_header"), found))
        elif listed:
            rejected.append(MetadataCandidate("date", found.value, found.source, 0.0, "the labeller calls the line B, and it is one of a list of dated lines"))
        elif near and len(found.value) == len("2019-11-18"):
            weighed.append((weights.of("date_near_headline"), found))
        else:
            rejected.append(MetadataCandidate("date", found.value, found.source, 0.0, "the labeller calls the line B, and it stands apart from the headline and byline or gives no day"))
    usable = [(confidence, found) for confidence, found in candidates if confidence >= weights.threshold]
    for confidence, found in updates:
        if usable or confidence < weights.threshold:
            reason = "an updated date (the article's last change), not its publication date" if usable else f"confidence {confidence:.2f} below {weights.threshold}"
            rejected.append(MetadataCandidate("date", found.value, found.source, confidence, reason))
    if not usable:
        usable = [
            (confidence, Field(found.value, f"{found.source}; an updated date, the only one the page gives", found.original))
            for confidence, found in updates
            if confidence >= weights.threshold
        ]
        candidates = list(usable)
    if not usable:
        return Field("", "not found: no date line by the headline or outside the boilerplate" if dates else ""), tuple(rejected)
    best = max(confidence for confidence, _found in usable)
    confidence, chosen = next((confidence, found) for confidence, found in usable if confidence == best)
    for other_confidence, found in candidates:
        if found is chosen:
            continue
        if len(found.value) > len(chosen.value) and found.value.startswith(chosen.value):
            chosen = Field(found.value, f"{found.source}; refines {chosen.value}", found.original)
        elif found.value != chosen.value:
            rejected.append(MetadataCandidate("date", found.value, found.source, other_confidence, f"{chosen.value} has more evidence or comes first"))
    return Field(chosen.value, f"{chosen.source} (confidence {confidence:.2f})", chosen.original, confidence), tuple(rejected)
