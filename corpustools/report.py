"""Documents -> one self-contained HTML page about the corpus (`corpustools report`).

The page is meant to be mailed, archived beside the corpus and opened years later offline, so
everything it needs is inside it: inline CSS, an inline SVG chart, no scripts, no external
assets. It is a pure function of the documents and the run facts (no clock, no file system), so
the same corpus always gives the same bytes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape

from . import __version__
from .cleanfile import article_text
from .model import BlockKind, Document, Section
from .tei import ExportRecord, language_name

CHART_WIDTH = 760  # SVG user units; the chart scales to the page width
CHART_LABEL_WIDTH = 230  # room for a document id on the left of each bar
CHART_VALUE_WIDTH = 90  # room for "12,345 words" on the right of the longest bar
CHART_ROW_HEIGHT = 24
CHART_BAR_HEIGHT = 16
CHART_MARGIN = 8
NOT_FOUND = '<span class="missing">not found</span>'
NO_TITLE = '<span class="missing">no title in the source</span>'  # the report's own words: the TEI leaves the title empty

STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; color: #1d1d1f; max-width: 72em; margin: 2em auto; padding: 0 1em; }
h1 { font-size: 1.7em; margin-bottom: 0.2em; }
h2 { font-size: 1.3em; margin-top: 2em; border-bottom: 1px solid #ccc; padding-bottom: 0.2em; }
h3 { font-size: 1.05em; margin: 1.4em 0 0.3em; }
table { border-collapse: collapse; width: 100%; margin: 0.6em 0; }
th, td { border: 1px solid #d4d4d8; padding: 0.3em 0.5em; text-align: left; vertical-align: top; }
th { background: #f4f4f5; }
td.number, th.number { text-align: right; font-variant-numeric: tabular-nums; }
tfoot td { font-weight: bold; background: #fafafa; }
td.date { white-space: nowrap; }
code { font-size: 0.9em; }
.missing { color: #a1a1aa; font-style: italic; }
.summary { color: #52525b; }
.failures { color: #b91c1c; }
svg.chart { width: 100%; height: auto; max-width: 60em; }
svg.chart text { font: 12px ui-monospace, monospace; fill: #1d1d1f; }
svg.chart rect.bar { fill: #3b82f6; }
ol.outline { margin: 0.2em 0; }
ol.outline .count { color: #71717a; font-size: 0.9em; }
footer { margin-top: 3em; color: #71717a; font-size: 0.9em; }
"""


@dataclass(frozen=True)
class RunFacts:
    """What the report says about the run besides the articles: where they came from, what failed."""

    folder: str = ""  # the folder the articles were read from, as the user named it
    failures: tuple[tuple[str, str], ...] = ()  # (file, message) for articles that could not be read
    title: str = "corpustools corpus report"


def article_words(document: Document) -> int:
    """Words in the article text, counted as the TEI header's `extent` counts them."""
    return sum(len(unit.split()) for unit in article_text(document))


def build_report(articles: Sequence[tuple[Document, ExportRecord]], facts: RunFacts | None = None) -> str:
    """The HTML page: summary, size chart, metadata table, removals table, section outlines."""
    facts = facts or RunFacts()
    ordered = sorted(articles, key=lambda pair: pair[0].id)
    words = {document.id: article_words(document) for document, _ in ordered}
    removed = sum(sum(record.removal_counts.values()) for _, record in ordered)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(facts.title)}</title>",
        f"<style>{STYLE}</style>",
        "</head>",
        "<body>",
        f"<h1>{escape(facts.title)}</h1>",
        _summary(len(ordered), sum(words.values()), removed, facts),
        '<h2 id="sizes">Article sizes</h2>',
        _chart([(document.id, words[document.id]) for document, _ in ordered]),
        '<h2 id="articles">Articles</h2>',
        _metadata_table(ordered, words),
        '<h2 id="removed">Lines removed, by category</h2>',
        _removal_table(ordered),
        '<h2 id="sections">Sections</h2>',
        *(_outline(document) for document, _ in ordered),
        f"<footer>Made by corpustools {escape(__version__)} (<code>corpustools report</code>).</footer>",
        "</body>",
        "</html>",
    ]
    return "\n".join(part for part in parts if part) + "\n"


def _summary(count: int, total_words: int, removed: int, facts: RunFacts) -> str:
    origin = f" from <code>{escape(facts.folder)}</code>" if facts.folder else ""
    lines = [
        f'<p class="summary">{count} {_plural(count, "article")}{origin}: '
        f"{total_words:,} words; {removed:,} {_plural(removed, 'line')} removed as boilerplate or metadata.</p>"
    ]
    if facts.failures:
        items = "".join(f"<li><code>{escape(name)}</code>: {escape(message)}</li>" for name, message in facts.failures)
        count = len(facts.failures)
        verb = "could not be read and is" if count == 1 else "could not be read and are"
        lines.append(f'<div class="failures"><p>{count} {_plural(count, "article")} {verb} left out:</p>\n<ul>{items}</ul></div>')
    return "\n".join(lines)


def _plural(count: int, word: str) -> str:
    return word if count == 1 else word + "s"


def _chart(sizes: Sequence[tuple[str, int]]) -> str:
    """A horizontal bar chart, one bar per article: reads well for three articles or three hundred."""
    if not sizes:
        return '<p class="missing">No articles.</p>'
    largest = max(count for _, count in sizes) or 1
    span = CHART_WIDTH - CHART_LABEL_WIDTH - CHART_VALUE_WIDTH
    height = 2 * CHART_MARGIN + CHART_ROW_HEIGHT * len(sizes)
    rows = []
    for index, (doc_id, count) in enumerate(sizes):
        top = CHART_MARGIN + index * CHART_ROW_HEIGHT
        bar_top = top + (CHART_ROW_HEIGHT - CHART_BAR_HEIGHT) / 2
        middle = top + CHART_ROW_HEIGHT / 2
        width = span * count / largest
        label = f"{doc_id}: {count:,} {_plural(count, 'word')}"
        rows.append(
            f'<g class="row"><text x="{CHART_LABEL_WIDTH - 8}" y="{middle:.1f}" text-anchor="end" dominant-baseline="middle">{escape(doc_id)}</text>'
            f'<rect class="bar" x="{CHART_LABEL_WIDTH}" y="{bar_top:.1f}" width="{width:.1f}" height="{CHART_BAR_HEIGHT}" data-words="{count}">'
            f"<title>{escape(label)}</title></rect>"
            f'<text x="{CHART_LABEL_WIDTH + width + 6:.1f}" y="{middle:.1f}" dominant-baseline="middle">{count:,}</text></g>'
        )
    return (
        f'<svg class="chart" viewBox="0 0 {CHART_WIDTH} {height}" width="{CHART_WIDTH}" height="{height}" role="img" '
        f'aria-label="Article sizes in words, one bar per article">\n' + "\n".join(rows) + "\n</svg>"
    )


def _cell(value: str, css_class: str = "") -> str:
    opening = f'<td class="{css_class}">' if css_class else "<td>"
    return f"{opening}{escape(value) if value else NOT_FOUND}</td>"


def _metadata_table(articles: Sequence[tuple[Document, ExportRecord]], words: dict[str, int]) -> str:
    head = "<tr><th>Id</th><th>Title</th><th>Authors</th><th>Publication</th><th>Date</th><th>Language</th><th class=\"number\">Words</th></tr>"
    rows = []
    for document, _ in articles:
        metadata = document.metadata
        title = escape(metadata.title.value) if metadata.title.value else NO_TITLE
        authors = "; ".join(
            f"{author.name} ({author.affiliation})" if author.affiliation else author.name for author in metadata.authors
        )
        code = metadata.language.value
        language = f"{code} ({language_name(code)})" if language_name(code) != code else code
        rows.append(
            f'<tr id="article-{escape(document.id)}"><td><a href="#outline-{escape(document.id)}"><code>{escape(document.id)}</code></a></td>'
            f"<td>{title}</td>{_cell(authors)}{_cell(metadata.publication.value)}{_cell(metadata.date.value, 'date')}"
            f'{_cell(language)}<td class="number">{words[document.id]:,}</td></tr>'
        )
    total = sum(words.values())
    foot = f'<tr><td colspan="6">All {len(articles)} {_plural(len(articles), "article")}</td><td class="number">{total:,}</td></tr>'
    return f'<table class="articles">\n<thead>{head}</thead>\n<tbody>\n' + "\n".join(rows) + f"\n</tbody>\n<tfoot>{foot}</tfoot>\n</table>"


def _removal_table(articles: Sequence[tuple[Document, ExportRecord]]) -> str:
    """Articles by categories; a category appears as a column once any article has a removal in it."""
    totals: Counter[str] = Counter()
    for _, record in articles:
        totals.update(record.removal_counts)
    categories = sorted(totals)
    head = "<tr><th>Id</th>" + "".join(f'<th class="number">{escape(name)}</th>' for name in categories) + '<th class="number">Total</th></tr>'
    rows = []
    for document, record in articles:
        cells = "".join(f'<td class="number">{record.removal_counts.get(name, 0)}</td>' for name in categories)
        rows.append(f"<tr><td><code>{escape(document.id)}</code></td>{cells}<td class=\"number\">{sum(record.removal_counts.values())}</td></tr>")
    foot_cells = "".join(f'<td class="number">{totals[name]}</td>' for name in categories)
    foot = f"<tr><td>Total</td>{foot_cells}<td class=\"number\">{sum(totals.values())}</td></tr>"
    return f'<table class="removals">\n<thead>{head}</thead>\n<tbody>\n' + "\n".join(rows) + f"\n</tbody>\n<tfoot>{foot}</tfoot>\n</table>"


def _outline(document: Document) -> str:
    title = escape(document.metadata.title.value) if document.metadata.title.value else NO_TITLE
    return (
        f'<section class="outline" id="outline-{escape(document.id)}"><h3><code>{escape(document.id)}</code> {title}</h3>\n'
        + _outline_list(document.sections)
        + "\n</section>"
    )


def _outline_list(sections: Iterable[Section]) -> str:
    items = []
    for section in sections:
        heading = escape(section.heading) if section.heading else '<span class="missing">(no heading)</span>'
        count = sum(1 for block in section.blocks if block.kind != BlockKind.OMISSION)
        nested = _outline_list(section.subsections) if section.subsections else ""
        items.append(f'<li>{heading} <span class="count">({count} {_plural(count, "block")})</span>{nested}</li>')
    if not items:
        return '<p class="missing">No text.</p>'
    return '<ol class="outline">' + "".join(items) + "</ol>"
