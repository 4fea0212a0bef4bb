"""Metadata: dates at their precision, bylines of many forms, site lines, languages."""

from __future__ import annotations

import json

import pytest
from paths import RAW

from corpustools.batch import removal_log
from corpustools.candidates import (
    choose,
    choose_authors,
    choose_date,
    corroborated_title,
    date_in_byline,
    headline_of_page_title,
    is_author_name,
    is_credit_or_byline,
    is_menu_label,
    publication_candidates,
    split_page_title,
    without_site_suffix,
)
from corpustools.clean import split_lines
from corpustools.evaluate import score_metadata
from corpustools.metadata import (
    author_from_standfirst,
    authors_from_byline,
    detect_language,
    find_header_lines,
    parse_date,
)
from corpustools.model import Author, Document, Field, Metadata, MetadataCandidate
from corpustools.pipeline import clean_text


@pytest.mark.parametrize(
    ("text", "language", "iso"),
    [
        ("Sat 14 Sep 2002, 00:00 BST", "en", "2002-09-14"),
        ("October 2002", "en", "2002-10"),
        ("14/09/2002", "en", "2002-09-14"),
        ("2002-09-14", "en", "2002-09-14"),
        ("September 14, 2002", "en", "2002-09-14"),
        ("14. September 2002", "de", "2002-09-14"),
        ("14.09.2002, 09:30 Uhr", "de", "2002-09-14"),
        ("14 septembre 2002", "fr", "2002-09-14"),
        ("Publié le 3 mars 2021", "fr", "2021-03-03"),
        ("14 de septiembre de 2020", "es", "2020-09-14"),
        ("März 2019", "de", "2019-03"),
        ("Published 3 March 2021", "en", "2021-03-03"),
    ],
)
def test_dates_are_normalised_at_the_source_precision(text: str, language: str, iso: str) -> None:
    parsed = parse_date(text, language)
    assert parsed is not None and parsed.iso == iso


def test_an_ambiguous_numeric_date_is_flagged_in_english_but_not_in_german() -> None:
    assert parse_date("03/06/2021", "en").note == "day/month order ambiguous; read day first"
    assert parse_date("03.06.2021", "de").note == ""


@pytest.mark.parametrize("text", ["Issue No. 1817", "A Backward Economy", "Share this article", "The 2002 strike was long and bitter."])
def test_lines_that_are_not_only_a_date_are_not_dates(text: str) -> None:
    assert parse_date(text, "en") is None


@pytest.mark.parametrize(
    ("byline", "expected"),
    [
        ("By Ada Example", [("Ada Example", "")]),
        ("By Ada Example and Ben Sample", [("Ada Example", ""), ("Ben Sample", "")]),
        ("by Mordecai Levi, Cambridge Marxists", [("Mordecai Levi", "Cambridge Marxists")]),
        ("Von Jonas Reuter und Miriam Çelik", [("Jonas Reuter", ""), ("Miriam Çelik", "")]),
        ("Par Jeanne Exemple", [("Jeanne Exemple", "")]),
        ("Ruth Castellanos, Contributing Writer", [("Ruth Castellanos", "")]),
        ("Dr Helen Marsh (University of Calderbridge) and Dr Owen Pryce (Kestrel Field Institute)",
         [("Helen Marsh", "University of Calderbridge"), ("Owen Pryce", "Kestrel Field Institute")]),
        ("By Ada Example - 11/19/19 06:56 AM EST", [("Ada Example", "")]),
        ("Monday November 18, 2019 7:45 am PST by Ben Sample", [("Ben Sample", "")]),
        ("October 9, 2018 | by Ada Example", [("Ada Example", "")]),
        ("By Ada Example, Ben Sample 2019-11-18T22:05:36Z Spaceflight", [("Ada Example", ""), ("Ben Sample", "")]),
        ("Ada Example @adaexample", [("Ada Example", "")]),
        ("Ada Example@adaexample", [("Ada Example", "")]),
        ("Ada B. Example Senior Contributor", [("Ada B. Example", "")]),
        ("Ada Example Associated Press", [("Ada Example", "Associated Press")]),
        ("Von Anna Beispiel publiziert am 30. Juli 2018", [("Anna Beispiel", "")]),
        ("by Kath Example, Branch Secretary, Cowley Road", [("Kath Example", "Branch Secretary, Cowley Road")]),
        ("Ada Example, Business Insider", [("Ada Example", "Business Insider")]),
        ("Text: Ada Example. Photos: Ben Sample", [("Ada Example", "")]),
        ("Texte : Jeanne Exemple. Photos : Paul Modèle", [("Jeanne Exemple", "")]),
        ("Texto e fotos: Joana Exemplo e Caetano Modelo", [("Joana Exemplo", ""), ("Caetano Modelo", "")]),
        ("Posted by Eleanor Example | 12 June 2019 | 3 comments", [("Eleanor Example", "")]),
    ],
)
def test_authors_from_bylines(byline: str, expected: list[tuple[str, str]]) -> None:
    assert [(a.name, a.affiliation) for a in authors_from_byline(byline, 1)] == expected


@pytest.mark.parametrize(
    ("standfirst", "name"),
    [
        ("Was Stalin the same as Hitler? Charlie Kimber replies", "Charlie Kimber"),
        ("Former market trader Denise Oduya argues that a decade of money missed the shops", "Denise Oduya"),
        ("Gerade ihre Lücken machen sie wertvoll, argumentiert die Historikerin Selma Yıldız.", "Selma Yıldız"),
        ("Le travail de nuit est parfois choisi, explique la sociologue Amandine Perret, qui a enquêté.", "Amandine Perret"),
    ],
)
def test_author_named_inside_a_standfirst(standfirst: str, name: str) -> None:
    found = author_from_standfirst(standfirst)
    assert found is not None and found[1] == name


def test_no_author_is_invented_from_a_plain_sentence() -> None:
    assert author_from_standfirst("The council replies to questions on Thursdays.") is None


def test_site_issue_and_date_lines_are_claimed_with_their_provenance() -> None:
    text = "Valley Worker\n\n\nStrike at the depot\n\nIssue No. 214\n\n" + "\n\n".join(
        ["The drivers walked out on Monday after the company cut their break times for the third time this year."] * 3
    ) + "\n\nThe Valley Worker is sold at the gate.\n\nSat 14 Sep 2002, 00:00 BST"
    header = find_header_lines(split_lines(text), set(), "en")
    assert header.publication.value == "Valley Worker"
    assert header.issue.value == "214" and header.issue.source.startswith("line 6")
    assert header.date.value == "2002-09-14" and header.date.original == "Sat 14 Sep 2002, 00:00 BST"
    assert set(header.claimed.values()) == {"metadata.site-line", "metadata.issue-line", "metadata.date-line"}


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("The drivers walked out on Monday after the company cut their break times again.", "en"),
        ("Die Fahrer legten am Montag die Arbeit nieder, nachdem die Firma die Pausen gekürzt hatte.", "de"),
        ("Les chauffeurs ont cessé le travail lundi après que l'entreprise a réduit leurs pauses.", "fr"),
    ],
)
def test_language_identification(text: str, code: str) -> None:
    assert detect_language(text).value == code


def test_every_metadata_field_reaches_its_target_on_the_dev_corpus(dev_articles, dev_documents) -> None:
    score = score_metadata(dev_articles, dev_documents)
    for name in ("title", "authors", "publication", "date", "issue", "language"):
        assert score.accuracy(name) >= 0.95, [error for error in score.errors if error.startswith(name)]


# ---------------------------------------------------------------- publication from its evidence


@pytest.mark.parametrize(
    ("line", "split"),
    [
        ("Deval Patrick takes campaign to South Carolina - Connecticut Post", ("Deval Patrick takes campaign to South Carolina", "Connecticut Post", "suffix")),
        ("Snooze cruise: Study sees future for astronauts | CTV News", ("Snooze cruise: Study sees future for astronauts", "CTV News", "suffix")),
        ("The view on the harbour | Editorial | Opinion | The Valley Courier", ("The view on the harbour", "The Valley Courier", "suffix")),
        ("Jedi review - shoots for the moon - VG247", ("Jedi review - shoots for the moon", "VG247", "suffix")),
        ("Rescue of kidnapped girl - NBC 5 Dallas-Fort Worth", ("Rescue of kidnapped girl", "NBC 5 Dallas-Fort Worth", "suffix")),
        ("Results | Autoracing | F1 | Indy | StockCar", None),  # a menu, not a breadcrumb
        ("Take C.A.R.E. - comwrap auf der DMEXCO 2018", None),  # a clause with a year, not a name
        ("Dear Abby: husband springs for business class", ("husband springs for business class", "Dear Abby", "prefix")),
    ],
)
def test_a_page_title_line_is_split_into_headline_and_site(line: str, split: tuple[str, str, str] | None) -> None:
    assert split_page_title(line) == split


@pytest.mark.parametrize("label", ["News", "Today's Paper", "Open Navigation Menu", "Contact CT Post", "Life in the City", "I Accept", "Back To Main Menu", "Skip to Article", "AM EST"])
def test_menu_labels_and_calls_to_action_are_recognised(label: str) -> None:
    assert is_menu_label(label)


@pytest.mark.parametrize("name", ["The Detroit News", "Fox News", "Socialist Worker", "Ada Example", "nj.com"])
def test_names_are_not_menu_labels(name: str) -> None:
    assert not is_menu_label(name)


def test_a_prefix_alone_is_not_enough_but_a_copyright_line_supports_it() -> None:
    prefix = MetadataCandidate("publication", "Dear Abby", "line 1 (rule metadata.title-prefix)", 0.3)
    assert choose("publication", [prefix])[0].value == ""
    assert choose("publication", [prefix])[1][0].reason.startswith("confidence 0.30 below")
    holder = MetadataCandidate("publication", "Dear Abby", "line 90 (rule metadata.copyright-holder)", 0.45)
    chosen, rejected = choose("publication", [prefix, holder])
    assert chosen.value == "Dear Abby" and chosen.confidence == pytest.approx(0.615) and rejected == ()


def test_the_same_evidence_twice_counts_once() -> None:
    twice = [MetadataCandidate("publication", "Tennis Podcast", f"line {n} (rule metadata.title-prefix: 'x')", 0.3) for n in (1, 141)]
    assert choose("publication", twice)[0].value == ""


def test_the_site_suffix_is_the_publication_and_leaves_the_title() -> None:
    lines = split_lines("Lakers hold off OKC 112-107 - San Antonio Express-News\n\nMenu\n\nNews\n\nLakers hold off OKC 112-107\n\n© 2019 San Antonio Express-News")
    labels = {1: "M", 3: "B", 5: "B", 7: "T", 9: "B"}
    title = Field("Lakers hold off OKC 112-107 - San Antonio Express-News", "line 1 (rule front.first-line-title)")
    chosen, _rejected = choose("publication", publication_candidates(lines, labels, Field("News", "line 5 (rule metadata.site-line: name-like)"), title))
    assert chosen.value == "San Antonio Express-News" and chosen.confidence >= 0.9
    assert without_site_suffix(title, chosen).value == "Lakers hold off OKC 112-107"


def test_a_site_line_the_labeller_calls_boilerplate_is_rejected() -> None:
    lines = split_lines("News\n\nA headline without a site name\n\nText.")
    candidates = publication_candidates(lines, {1: "B", 3: "T", 5: "P"}, Field("News", "line 1 (rule metadata.site-line: name-like)"), Field(""))
    chosen, rejected = choose("publication", candidates)
    assert chosen.value == "" and rejected[0].reason == "the labeller calls the line B, not M"


def test_rejected_candidates_go_to_the_removal_log() -> None:
    rejected = MetadataCandidate("publication", "News", "line 3 (rule metadata.site-line: name-like)", 0.0, "the labeller calls the line B, not M")
    document = Document("a", Metadata(rejected=(rejected,)))
    log = json.loads(removal_log(document, b""))
    assert log["rejected_metadata"] == [
        {"field": "publication", "value": "News", "source": "line 3 (rule metadata.site-line: name-like)", "confidence": 0.0, "reason": "the labeller calls the line B, not M"}
    ]


@pytest.mark.parametrize("name", ["I Accept", "Back To Main Menu", "AM EST", "Admin", "Associated Press", "Photo: Ada Example", "Ada Example View More Articles", "About Ada Example", "Biography Ada Example"])
def test_what_is_no_persons_name_is_no_author(name: str) -> None:
    assert not is_author_name(name)


def test_authors_come_from_the_first_line_the_labeller_calls_a_byline_when_the_front_names_nobody() -> None:
    lines = split_lines("Headline\n\nDefensive Line\n\nBy Ada Example | 12 June 2019 | 3 comments\n\nBy Ben Sample")
    heading = Author("Defensive Line", "", "line 3 (rule metadata.byline)")  # a name-shaped heading the front took for a byline
    authors, rejected = choose_authors([heading], lines, {1: "T", 3: "H", 5: "A", 7: "A"})
    assert [author.name for author in authors] == ["Ada Example"]
    assert [(candidate.value, candidate.reason) for candidate in rejected] == [("Defensive Line", "confidence 0.40 below 0.5")]


# ---------------------------------------------------------------- the article's own date


@pytest.mark.parametrize(
    ("byline", "iso"),
    [
        ("By Ada Example - 11/19/19 06:56 AM EST", "2019-11-19"),
        ("By Ada Example 2019-11-18T20:51:19Z Science", "2019-11-18"),
        ("Monday November 18, 2019 7:45 am PST by Ada Example", "2019-11-18"),
        ("Posted by Eleanor Example | 12 June 2019 | 3 comments", "2019-06-12"),
        ("Associated Press November 19, 2019, 9:02 AM", "2019-11-19"),  # not "19, 2019" read in the current month
        ("By Ada Example", ""),
    ],
)
def test_the_date_a_byline_carries(byline: str, iso: str) -> None:
    assert date_in_byline(byline) == iso


def test_dates_of_related_articles_and_the_masthead_are_rejected() -> None:
    text = "\n".join(["Wednesday, November 20, 2019", "Menu", "News", "Sport", "The headline", "By Ada Example", "November 18, 2019",
                       "The first paragraph of the article, long enough to be one.", "The second.", "The third.", "Related", "Another story", "November 16, 2016",
                       "A third story", "September 12, 2016"])
    lines = split_lines(text)
    labels = dict(enumerate("BBBBTABPPPBBBBB", 1))
    dates = [Field(iso, f"line {number} (rule metadata.date-line)") for number, iso in ((1, "2019-11-20"), (7, "2019-11-18"), (13, "2016-11-16"), (15, "2016-09-12"))]
    chosen, rejected = choose_date(dates, lines, labels, "The headline")
    assert chosen.value == "2019-11-18" and chosen.confidence == 0.7
    assert {candidate.value: candidate.reason for candidate in rejected} == {
        "2019-11-20": "the labeller calls the line B, and it stands apart from the headline and byline or gives no day",
        "2016-11-16": "the labeller calls the line B, and it is one of a list of dated lines",
        "2016-09-12": "the labeller calls the line B, and it is one of a list of dated lines",
    }


# ---------------------------------------------------------------- no menu label is a name


def test_no_author_or_publication_of_any_corpus_is_a_menu_label(every_document: list[Document]) -> None:
    """Over every labelled corpus and raw/: no author or publication is a navigation label,
    section name or call to action (judged by the lexicon's word lists), and every author has a
    person's name by shape."""
    raw = [clean_text(path.read_bytes(), path.stem) for path in sorted(RAW.glob("*.txt"))]
    documents = [*every_document, *raw]
    publications = {document.id: document.metadata.publication.value for document in documents if document.metadata.publication.value}
    authors = {(document.id, author.name) for document in documents for author in document.metadata.authors}
    assert len(publications) >= 60 and len(authors) >= 50  # the test looks at something
    assert [(doc_id, name) for doc_id, name in publications.items() if is_menu_label(name)] == []
    assert [(doc_id, name) for doc_id, name in sorted(authors) if is_menu_label(name) or not is_author_name(name)] == []


def test_a_trusted_page_title_gives_the_headline_where_the_front_took_a_caption() -> None:
    lines = split_lines("Deval Patrick takes campaign south - Connecticut Post\n\nMenu\n\nDeval Patrick takes campaign south\n\nPhoto: Ada Example, AP\n\nText.")
    labels = {1: "B", 3: "B", 5: "B", 7: "P", 9: "P"}
    publication = Field("Connecticut Post", "line 1 (rule metadata.title-suffix: '...') (confidence 0.73)", confidence=0.73)
    caption = Field("Photo: Ada Example, AP", "line 7 (rule front.first-line-title)")
    assert headline_of_page_title(caption, publication, lines, labels).value == "Deval Patrick takes campaign south"
    headline = Field("Patrick heads south", "line 7 (rule front.first-line-title)")
    assert headline_of_page_title(headline, publication, lines, {**labels, 7: "T"}) == headline  # the labeller's title stands


def test_a_by_line_next_to_the_headline_names_the_author_though_the_labeller_removed_it() -> None:
    lines = split_lines("Hunter catches plague\nMenu\nHunter catches plague\nBy Ada Example\nView author archive\nRelated\nBy Ben Sample\nMore")
    labels = dict(enumerate("BBBBBBBB", 1))
    authors, _rejected = choose_authors([], lines, labels, "")
    assert [(author.name, author.source) for author in authors] == [("Ada Example", "line 4 (rule metadata.byline); next to the headline")]


@pytest.mark.parametrize(("text", "credit"), [
        ("Photo: Ada Example, AP", True),
        ("Ben Sample, Ap Sports Writer", True),
        ("Lakers hold off OKC 112-107", False),
        ("Associated Press November 19, 2019, 9:02 AM", True),  # an agency's dateline (inscriptis)
        ("Reuters, 3 March 2021", True),
        ("Reuters wins award for 2021 coverage", False),
    ])
def test_a_credit_or_a_byline_is_no_title(text: str, credit: bool) -> None:
    assert is_credit_or_byline(text) is credit


def test_only_the_page_title_line_is_split_a_headline_keeps_its_dash() -> None:
    lines = split_lines("Digg\n\nThe early reviews are here — And They're Not Great\n\nAnd They're Not Great, say the critics.")
    title = Field("The early reviews are here — And They're Not Great", "line 3 (rule front.first-line-title)")
    assert [candidate.value for candidate in publication_candidates(lines, {1: "B", 3: "T", 5: "P"}, Field(""), title)] == []


def _publication_of(text: str, labels: dict[int, str]) -> str:
    lines = split_lines(text)
    return choose("publication", publication_candidates(lines, labels, Field(""), Field("")))[0].value


@pytest.mark.parametrize(
    ("witness", "found"),
    [
        ("Search Harbour Gazette", "Harbour Gazette"),  # the site's own call
        ("Subscribe to Harbour Gazette Newsletter", "Harbour Gazette"),
        ("Welcome to Harbour Gazette’s reader survey", "Harbour Gazette"),  # its possessive
        ("Harbour Gazette Store", ""),  # a name merely mentioned
        ("Contact Harbour Gazette Sports", ""),  # another name than the holder's
        ("Photo: Harbour Gazette", ""),  # a credit proves no site
    ],
)
def test_a_copyright_holder_is_the_publication_where_the_site_names_itself_again(witness: str, found: str) -> None:
    # Without a page-title line (the inscriptis and html2text layouts have none), the copyright
    # line alone stays below the threshold; the site calling itself by that name is a second witness.
    text = f"Menu\n\n{witness}\n\nA headline\n\nThe council met on Tuesday.\n\n© 2019 Harbour Gazette. All rights reserved."
    labels = {1: "B", 3: "B", 5: "T", 7: "P", 9: "B"}
    assert _publication_of(text, labels) == found


def test_a_publishers_legal_name_gives_the_masthead_above_the_article_only() -> None:
    footer = "© 2019 Harbour Media Group Limited"
    above = f"Menu\n\nThe Harbour\n\nA headline\n\nThe council met on Tuesday.\n\n{footer}"
    assert _publication_of(above, {1: "B", 3: "B", 5: "T", 7: "P", 9: "B"}) == "The Harbour"
    below = f"Menu\n\nA headline\n\nThe council met on Tuesday.\n\nThe Harbour\n\n{footer}"  # a sister site in the footer
    assert _publication_of(below, {1: "B", 3: "T", 5: "P", 7: "B", 9: "B"}) == ""
    listed = f"Menu\n\n* Harbour\n\nA headline\n\nThe council met on Tuesday.\n\n{footer}"  # a group's list of companies
    assert _publication_of(listed, {1: "B", 3: "B", 5: "T", 7: "P", 9: "B"}) == ""


def test_an_updated_date_is_recorded_as_such_and_its_pair_is_no_list() -> None:
    # "Posted" and "Updated" one under the other by the headline were taken for a list of dated
    # links (related articles) and both rejected: the article had no date.
    text = "\n".join(["Menu", "The headline", "Posted: 18 Nov 2019 8:11 pm", "Updated: 19 Nov 2019 9:38 pm",
                      "The first paragraph of the article, long enough to be one.", "The second.", "The third."])
    lines = split_lines(text)
    labels = dict(enumerate("BTBBPPP", 1))
    dates = [Field("2019-11-18", "line 3 (rule metadata.date-line)"), Field("2019-11-19", "line 4 (rule metadata.date-line)")]
    chosen, rejected = choose_date(dates, lines, labels, "The headline")
    assert chosen.value == "2019-11-18"
    assert [(candidate.value, candidate.reason) for candidate in rejected] == [("2019-11-19", "an updated date (the article's last change), not its publication date")]
    alone_lines = split_lines(text.replace("Posted: 18 Nov 2019 8:11 pm", "Share"))
    alone, _rejected = choose_date(dates[1:], alone_lines, labels, "The headline")  # the page gives no other date: it stands, and says what it is
    assert alone.value == "2019-11-19" and "an updated date, the only one the page gives" in alone.source


@pytest.mark.parametrize(
    ("text", "label", "kept"),
    [
        ("October 9, 2018 at 4:02 pm", "B", False),  # a dateline the labeller kept for text
        ("11/19/2019 by Lars Brandle", "B", False),  # a dated byline
        ("Updated on: November 19, 2019 / 10:07 AM", "P", False),
        ("Get The Magazine", "A", False),  # a call to action
        ("Follow the author of this article", "B", False),
        ("Opening Bell 11.18.19", "B", True),  # a headline that holds a date
        ("2018 Boys State Swim Results", "B", True),
        ("October 9, 2018 at 4:02 pm", "T", True),  # the labeller calls it a title: it stands
    ],
)
def test_a_title_line_shaped_as_a_date_or_a_call_is_no_title_unless_the_labeller_says_so(text: str, label: str, kept: bool) -> None:
    lines = split_lines(f"Menu\n\n{text}\n\nThe first paragraph.")
    title = Field(text, "line 3 (rule front.first-line-title)")
    chosen, rejected = corroborated_title(title, lines, {1: "B", 3: label, 5: "P"})
    assert (chosen.value == text) == kept and len(rejected) == (0 if kept else 1)
    if not kept:
        assert rejected[0].field == "title" and rejected[0].reason.startswith(f"the labeller calls its line {label}, not T")


def test_the_one_by_line_before_the_text_names_the_author_though_far_from_the_headline() -> None:
    # A caption and share links stand between the headline and "By X": out of the headline's
    # reach, and the labeller removed the byline with the furniture.
    text = "\n".join(["Menu", "A headline", "A caption under the photo.", "(Photo credit)", "Email", "Print", "By Meg JamesStaff Writer", "Facebook", "Twitter",
                      "Share", "Comment", "The first paragraph of the article, long enough to be one.", "The second."])
    lines = split_lines(text)
    labels = dict(enumerate("BTBBBBBBBBBPP", 1))
    authors, _rejected = choose_authors((), lines, labels, "")
    assert [(author.name, author.source) for author in authors] == [("Meg James", "line 7 (rule metadata.byline); the one byline before the text")]
    teasers = text.replace("Print", "By Ada Example")  # two "By" lines before the text: a list of teasers
    assert choose_authors((), split_lines(teasers), labels, "")[0] == ()


@pytest.mark.parametrize(
    ("dateline", "iso"),
    [
        ("November 18, 2019 | 4:10pm", "2019-11-18"),  # more on the line than a date line holds
        ("19 November 2019 • 1:16pm", "2019-11-19"),
        ("Published Nov 18, 2019 at 4:07 PM | Updated at 5:36 PM CST on Nov 18, 2019", "2019-11-18"),
        ("05/10/2018 - Publicado por: Clarissa Borba", "2018-10-05"),
        ("Wednesday November 20, 2019 Wednesday's Daily Headlines", ""),  # a dated teaser
        ("15:23 2019", ""),  # a time and a year name no day
    ],
)
def test_a_dateline_by_the_headline_gives_the_date(dateline: str, iso: str) -> None:
    text = "\n".join(["Menu", "The headline", dateline, "The first paragraph of the article, long enough to be one.", "The second."])
    chosen, _rejected = choose_date([], split_lines(text), dict(enumerate("BTBPP", 1)), "The headline")
    assert chosen.value == iso
    if iso:
        assert chosen.source.startswith("line 3 (rule metadata.dateline)")


def test_an_agency_byline_without_by_next_to_the_headline_names_the_author() -> None:
    text = "\n".join(["Menu", "The headline", "Tom Krisher, Ap Auto Writer", "Updated 1:39 am EST, Wednesday, November 20, 2019",
                      "The first paragraph of the article, long enough to be one.", "The second."])
    authors, _rejected = choose_authors((), split_lines(text), dict(enumerate("BTBBPP", 1)), "The headline")
    assert [author.name for author in authors] == ["Tom Krisher"]
    menu = text.replace("Tom Krisher, Ap Auto Writer", "Sports, Business Editor")  # no person's name before the role
    assert choose_authors((), split_lines(menu), dict(enumerate("BTBBPP", 1)), "The headline")[0] == ()
