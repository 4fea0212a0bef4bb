"""The HTML report: what it says about the three seed articles, that it stands alone, the CLI.

The page is also opened in headless Chromium in test_browser.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
import pytest
from click.testing import CliRunner
from paths import RAW, SEED_IDS

from corpustools.batch import clean_folder, cleaned_files, load_cleaned
from corpustools.cli import main
from corpustools.model import Author, Document, Field, Metadata
from corpustools.report import CHART_LABEL_WIDTH, CHART_VALUE_WIDTH, CHART_WIDTH, RunFacts, article_words, build_report
from corpustools.tei import ExportRecord, build_tei

REMOVED_IN_SEEDS = {
    "comments": 3, "donation": 6, "invisible": 2, "metadata": 5,
    "navigation": 1, "popup": 4, "sharing": 2, "subscription": 1,
}  # fmt: skip
HEADINGS_002 = [
    "A Backward Economy", "International Isolation", "Stalin and the Bureaucracy", "World Revolution",
    "Trotsky’s Exile", "Betrayals and Purges", "World War II", "Trotsky and Stalin", "The Collapse of Stalinism",
]  # fmt: skip


@pytest.fixture(scope="module")
def seeds_clean(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("report") / "clean"
    summary = clean_folder(RAW, folder)
    assert summary.ok, summary.failures
    return folder


@pytest.fixture(scope="module")
def articles(seeds_clean: Path) -> list[tuple[Document, ExportRecord]]:
    return [load_cleaned(path) for path in cleaned_files(seeds_clean)]


@pytest.fixture(scope="module")
def page(articles: list[tuple[Document, ExportRecord]]) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(build_report(articles, RunFacts(folder="clean")))


def _row_texts(table: lxml.html.HtmlElement, part: str) -> list[list[str]]:
    return [[" ".join(cell.text_content().split()) for cell in row.findall("td")] for row in table.findall(f"{part}/tr")]


def test_chart_has_one_bar_per_article_sized_by_words(page: lxml.html.HtmlElement, articles: list[tuple[Document, ExportRecord]]) -> None:
    bars = page.xpath("//svg[@class='chart']//rect[@class='bar']")
    assert [bar.findtext("title") for bar in bars] == [
        "000_7584a26c6b66eb82: 1,507 words",
        "002_89b6ca824f38df5a: 4,504 words",
        "004_7ffd91957bcffdf4: 1,858 words",
    ]
    span = CHART_WIDTH - CHART_LABEL_WIDTH - CHART_VALUE_WIDTH
    widths = [float(bar.get("width")) for bar in bars]
    assert widths[1] == span  # the longest article fills the bar area
    assert widths[0] == pytest.approx(span * 1507 / 4504, abs=0.05)
    assert widths[2] == pytest.approx(span * 1858 / 4504, abs=0.05)


@pytest.mark.parametrize("doc_id", SEED_IDS)
def test_words_agree_with_the_tei_extent(articles: list[tuple[Document, ExportRecord]], doc_id: str) -> None:
    document, record = next(pair for pair in articles if pair[0].id == doc_id)
    extent = build_tei(document, record).getroot().find(".//{http://www.tei-c.org/ns/1.0}measure")
    assert extent is not None and int(extent.get("quantity")) == article_words(document)


def test_metadata_table_shows_what_was_found_and_marks_what_was_not(page: lxml.html.HtmlElement) -> None:
    table = page.xpath("//table[@class='articles']")[0]
    assert [" ".join(th.text_content().split()) for th in table.findall("thead/tr/th")] == [
        "Id", "Title", "Authors", "Publication", "Date", "Language", "Words",
    ]  # fmt: skip
    assert _row_texts(table, "tbody") == [
        [
            "000_7584a26c6b66eb82",
            "Did the 1917 Russian Revolution have to end in tyranny? Was Stalin the same as Hitler?",
            "Charlie Kimber", "Socialist Worker", "2002-09-14", "en (English)", "1,507",
        ],
        [
            "002_89b6ca824f38df5a", "no title in the source", "Mordecai Levi (Cambridge Marxists)",
            "not found", "not found", "en (English)", "4,504",
        ],
        [
            "004_7ffd91957bcffdf4", "Review: Martin Amis: Koba the Dread, Laughter and the twenty millions",
            "not found", "not found", "2002-10", "en (English)", "1,858",
        ],
    ]  # fmt: skip
    assert _row_texts(table, "tfoot") == [["All 3 articles", "7,869"]]


def test_removals_by_category_per_article_and_in_total(page: lxml.html.HtmlElement, articles: list[tuple[Document, ExportRecord]]) -> None:
    table = page.xpath("//table[@class='removals']")[0]
    columns = [th.text_content() for th in table.findall("thead/tr/th")]
    assert columns == ["Id", *sorted(REMOVED_IN_SEEDS), "Total"]
    rows = _row_texts(table, "tbody")
    for (document, record), row in zip(articles, rows):
        assert row[0] == document.id
        assert row[1:] == [str(record.removal_counts.get(name, 0)) for name in sorted(REMOVED_IN_SEEDS)] + [str(sum(record.removal_counts.values()))]
    assert _row_texts(table, "tfoot") == [["Total", *(str(REMOVED_IN_SEEDS[name]) for name in sorted(REMOVED_IN_SEEDS)), "24"]]


def test_outline_lists_the_section_headings(page: lxml.html.HtmlElement) -> None:
    def headings(doc_id: str) -> list[str]:
        items = page.xpath(f"//section[@id='outline-{doc_id}']//li")
        return [item.text.strip() for item in items if item.text and item.text.strip()]

    assert headings("002_89b6ca824f38df5a") == HEADINGS_002
    assert headings("004_7ffd91957bcffdf4") == ["Total fabrication", "Purge trials", "Heroic opposition"]
    assert headings("000_7584a26c6b66eb82") == []
    first = page.xpath("//section[@id='outline-000_7584a26c6b66eb82']//li")
    assert [" ".join(item.text_content().split()) for item in first] == ["(no heading) (25 blocks)"]


def test_page_is_self_contained(articles: list[tuple[Document, ExportRecord]]) -> None:
    html = build_report(articles)
    tree = lxml.html.fromstring(html)
    assert tree.xpath("//script | //link | //img | //iframe | //*[@src]") == []
    assert all(href.startswith("#") for href in tree.xpath("//@href"))
    assert not re.search(r"url\(|@import|https?://", html)


def test_same_input_gives_the_same_bytes(articles: list[tuple[Document, ExportRecord]]) -> None:
    assert build_report(articles) == build_report(list(reversed(articles)))


def test_text_is_escaped_and_failures_are_listed() -> None:
    document = Document(
        id="x<1>",
        metadata=Metadata(title=Field('Bread & <b>roses</b> "now"'), authors=(Author("A <script>"),)),
    )
    html = build_report([(document, ExportRecord())], RunFacts(failures=(("bad.txt", "not UTF-8 <sic>"),)))
    assert "<b>roses" not in html and "<script>" not in html and "<sic>" not in html
    tree = lxml.html.fromstring(html)
    assert tree.xpath("//table[@class='articles']/tbody/tr/td[2]")[0].text_content() == 'Bread & <b>roses</b> "now"'
    assert " ".join(tree.xpath("//div[@class='failures']")[0].text_content().split()) == (
        "1 article could not be read and is left out: bad.txt: not UTF-8 <sic>"
    )


def test_empty_corpus_still_gives_a_page() -> None:
    tree = lxml.html.fromstring(build_report([]))
    assert tree.xpath("//svg") == []
    assert "0 articles" in tree.xpath("//p[@class='summary']")[0].text_content()


# ---------------------------------------------------------------- the command


def test_cli_writes_the_page(seeds_clean: Path, tmp_path: Path) -> None:
    output = tmp_path / "out" / "report.html"
    result = CliRunner().invoke(main, ["report", str(seeds_clean), "-o", str(output)])
    assert result.exit_code == 0, result.output
    assert result.output == f"reported on 3 of 3 articles: {output}\n"
    first = output.read_bytes()
    assert b"<svg" in first and b"no title in the source" in first
    again = CliRunner().invoke(main, ["report", str(seeds_clean), "-o", str(output)])
    assert again.exit_code == 0 and output.read_bytes() == first


def test_cli_keeps_going_past_an_unreadable_article(seeds_clean: Path, tmp_path: Path) -> None:
    folder = tmp_path / "clean"
    folder.mkdir()
    for path in seeds_clean.iterdir():
        (folder / path.name).write_bytes(path.read_bytes())
    (folder / "zzz_broken.txt").write_bytes(b"\xff\xfe not utf-8")
    output = tmp_path / "report.html"
    result = CliRunner().invoke(main, ["report", str(folder), "-o", str(output)])
    assert result.exit_code == 1
    assert "error: zzz_broken.txt: not UTF-8 (cleaned files are always UTF-8)" in result.output
    assert "reported on 3 of 4 articles" in result.output
    page = lxml.html.fromstring(output.read_bytes())
    assert len(page.xpath("//rect[@class='bar']")) == 3
    assert "zzz_broken.txt" in page.xpath("//div[@class='failures']")[0].text_content()


def test_cli_refuses_a_tei_folder_with_a_hint(tmp_path: Path) -> None:
    (tmp_path / "a.xml").write_text("<TEI/>")
    result = CliRunner().invoke(main, ["report", str(tmp_path), "-o", str(tmp_path / "r.html")])
    assert result.exit_code == 2
    assert "no cleaned articles (*.txt)" in result.output and "give the cleaned folder that `export` read" in result.output
    assert not (tmp_path / "r.html").exists()
