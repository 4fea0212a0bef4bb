"""Scoring against labelled corpora (tests/corpus/README.md describes the format).

`corpustools score` prints, over a labelled corpus: content retention and boilerplate removal
for corpustools and for the peers jusText and trafilatura (each article wrapped as simple HTML,
one <p> per line), heading precision/recall/F1, and the accuracy of each metadata field.
"""

from __future__ import annotations

import html
import re
import tomllib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .corpus import LineCounts
from .errors import InputError
from .labeller.gbm import in_sample_note
from .layout import lay_out
from .metadata import site_named_in
from .model import Document, Section
from .pipeline import clean_text, decode
from .rules import UserConfig, ruleset_for

CONTENT_LABELS = frozenset({"T", "S", "A", "E", "H", "H2", "H3", "P", "Q", "L", "G"})
HEADING_LABELS = frozenset({"H", "H2", "H3"})
ALL_LABELS = CONTENT_LABELS | {"M", "B"}
METADATA_FIELDS = ("title", "authors", "publication", "date", "issue", "language")
SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class LabelledLine:
    label: str  # "" for a blank line
    text: str


@dataclass(frozen=True)
class LabelledArticle:
    id: str
    site: str
    expected: dict[str, object]
    lines: tuple[LabelledLine, ...]

    @property
    def raw_text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    @property
    def key(self) -> str:
        """Unique within a corpus: sites often name their pages alike (two sites' `001.txt`)."""
        return f"{self.site}/{self.id}" if self.site else self.id


def read_labelled(path: Path, site: str = "") -> LabelledArticle:
    """Parse one labelled file; errors name the file and line."""
    text = path.read_text("utf-8")
    if not text.startswith("+++\n"):
        raise InputError("a labelled file starts with a +++ header", str(path))
    closing = text.find("\n+++\n", 3)
    if closing < 0:
        raise InputError("the +++ header is not closed", str(path))
    header, body = text[4 : closing + 1], text[closing + 5 :]
    try:
        expected = tomllib.loads(header)
    except tomllib.TOMLDecodeError as problem:
        raise InputError(f"the header is not valid TOML: {problem}", str(path)) from None
    lines = []
    for number, raw in enumerate(body.rstrip("\n").split("\n"), start=1):
        if raw == "":
            lines.append(LabelledLine("", ""))
            continue
        label, _, line_text = raw.partition(" ")
        if label not in ALL_LABELS:
            raise InputError(f"line {number}: unknown label {label!r}", str(path))
        lines.append(LabelledLine(label, line_text))
    return LabelledArticle(path.stem, site, expected, tuple(lines))


def read_corpus(folder: Path) -> list[LabelledArticle]:
    """All labelled articles under a folder; the sub-folder is the article's site."""
    articles = []
    for path in sorted(folder.rglob("*.txt")):
        site = path.parent.name if path.parent != folder else ""
        articles.append(read_labelled(path, site))
    return articles


# ---------------------------------------------------------------- boilerplate scores


@dataclass
class LineScore:
    content_total: int = 0
    content_kept: int = 0
    boilerplate_total: int = 0
    boilerplate_removed: int = 0
    lost: list[str] = field(default_factory=list)  # content lines dropped, for the report
    missed: list[str] = field(default_factory=list)  # boilerplate lines kept

    @property
    def retention(self) -> float:
        return self.content_kept / self.content_total if self.content_total else 1.0

    @property
    def removal(self) -> float:
        return self.boilerplate_removed / self.boilerplate_total if self.boilerplate_total else 1.0


def _normal(text: str) -> str:
    return SPACES.sub(" ", text).strip()


def score_lines(article: LabelledArticle, kept: Callable[[int, str], bool], score: LineScore) -> None:
    """Add one article to a score; `kept(line_number, text)` says whether a tool kept a line."""
    for number, line in enumerate(article.lines, start=1):
        if not line.label or not line.text.strip():
            if line.label == "B":
                score.boilerplate_total += 1
                score.boilerplate_removed += not kept(number, line.text)
            continue
        if line.label in CONTENT_LABELS:
            score.content_total += 1
            if kept(number, line.text):
                score.content_kept += 1
            else:
                score.lost.append(f"{article.site}/{article.id}:{number}: {line.text[:70]}")
        elif line.label == "B":
            score.boilerplate_total += 1
            if not kept(number, line.text):
                score.boilerplate_removed += 1
            else:
                score.missed.append(f"{article.site}/{article.id}:{number}: {line.text[:70]}")


def source_of_article(article: LabelledArticle) -> str:
    """As `clean` groups a folder: the sub-folder (the site), else the site named at the top."""
    return article.site or site_named_in(decode(article.raw_text).text)


def corpus_counts(articles: Sequence[LabelledArticle]) -> LineCounts:
    counts = LineCounts()
    for article in articles:
        counts.add_article(source_of_article(article), decode(article.raw_text).text.split("\n"), article.id)
    return counts


def run_corpustools(
    articles: Sequence[LabelledArticle], config: UserConfig | None = None, model_of: Callable[[LabelledArticle], Path | None] | None = None
) -> dict[str, Document]:
    """Clean every article as `corpustools clean` would clean the corpus's folder; `model_of`
    names the line labeller's model for an article (default: the shipped one), so that
    cross-validation cleans each article with a model trained without its site."""
    counts = corpus_counts(articles)
    config = config or UserConfig()
    documents = {}
    for article in articles:
        source = source_of_article(article)
        model = model_of(article) if model_of is not None else None
        documents[article.key] = clean_text(article.raw_text, article.id, ruleset=ruleset_for(config, source), counts=counts, source=source, model=model)
    return documents


def score_corpustools(articles: Sequence[LabelledArticle], documents: dict[str, Document]) -> LineScore:
    score = LineScore()
    for article in articles:
        removed = frozenset(line for removal in documents[article.key].removals for line in removal.source_lines)
        score_lines(article, _kept_unless_in(removed), score)
    return score


def laid_text_of_source_lines(article: LabelledArticle) -> dict[int, str]:
    """Each source line's text as the layout stage reads it (Markdown marks stripped, wrapped
    lines rejoined), keyed by the line's first source line: what the pipeline's output shows."""
    return {line.first_source_line: line.text for line in lay_out(decode(article.raw_text).text).lines}


def _kept_unless_in(removed: frozenset[int]) -> Callable[[int, str], bool]:
    return lambda number, _text: number not in removed


def as_html(article: LabelledArticle) -> str:
    """The article as a peer sees it: one <p> per non-blank line."""
    paragraphs = "\n".join(f"<p>{html.escape(line.text)}</p>" for line in article.lines if line.text.strip())
    return f"<html><head><title></title></head><body>\n{paragraphs}\n</body></html>"


def score_peer(articles: Sequence[LabelledArticle], extract: Callable[[LabelledArticle], list[str]]) -> LineScore:
    """Score a peer whose output is a list of paragraphs: a line is kept if its text is there."""
    score = LineScore()
    for article in articles:
        output = [_normal(paragraph) for paragraph in extract(article)]
        joined = "\n".join(output)
        output_set = set(output)

        def kept(_number: int, text: str, output_set: set[str] = output_set, joined: str = joined) -> bool:
            normal = _normal(text)
            return bool(normal) and (normal in output_set or normal in joined)

        score_lines(article, kept, score)
    return score


JUSTEXT_STOPLISTS = {"en": "English", "de": "German", "fr": "French", "es": "Spanish"}


def justext_paragraphs(article: LabelledArticle) -> list[str]:
    import justext

    stoplist = justext.get_stoplist(JUSTEXT_STOPLISTS.get(str(article.expected.get("language", "en")), "English"))
    paragraphs = justext.justext(as_html(article).encode("utf-8"), stoplist)
    return [paragraph.text for paragraph in paragraphs if not paragraph.is_boilerplate]


def trafilatura_paragraphs(article: LabelledArticle) -> list[str]:
    import trafilatura

    text = trafilatura.extract(as_html(article), include_comments=False, include_tables=False) or ""
    return text.split("\n")


# ---------------------------------------------------------------- structure and metadata


def headings_of(sections: Iterable[Section]) -> list[str]:
    found = []
    for section in sections:
        if section.heading:
            found.append(section.heading)
        found.extend(headings_of(section.subsections))
    return found


@dataclass
class MatchScore:
    """Precision, recall and F1 of things found against things expected (headings, line labels,
    metadata fields of real pages)."""

    true_positive: int = 0
    false_positive: int = 0
    false_negative: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def found(self) -> int:
        return self.true_positive + self.false_positive

    @property
    def expected(self) -> int:
        return self.true_positive + self.false_negative

    @property
    def precision(self) -> float:
        return self.true_positive / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        return self.true_positive / self.expected if self.expected else 1.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def score_headings(articles: Sequence[LabelledArticle], documents: dict[str, Document]) -> MatchScore:
    score = MatchScore()
    for article in articles:
        laid = laid_text_of_source_lines(article)
        expected = [_normal(laid.get(number, line.text)) for number, line in enumerate(article.lines, start=1) if line.label in HEADING_LABELS]
        found = [_normal(text) for text in headings_of(documents[article.key].sections)]
        remaining = list(found)
        for heading in expected:
            if heading in remaining:
                remaining.remove(heading)
                score.true_positive += 1
            else:
                score.false_negative += 1
                score.errors.append(f"missed   {article.site}/{article.id}: {heading}")
        score.false_positive += len(remaining)
        score.errors.extend(f"spurious {article.site}/{article.id}: {heading}" for heading in remaining)
    return score


def metadata_values(document: Document) -> dict[str, object]:
    metadata = document.metadata
    return {
        "title": metadata.title.value,
        "authors": sorted(author.name for author in metadata.authors),
        "publication": metadata.publication.value,
        "date": metadata.date.value,
        "issue": metadata.issue.value,
        "language": metadata.language.value,
    }


@dataclass
class MetadataScore:
    correct: dict[str, int] = field(default_factory=lambda: {name: 0 for name in METADATA_FIELDS})
    total: int = 0
    errors: list[str] = field(default_factory=list)

    def accuracy(self, name: str) -> float:
        return self.correct[name] / self.total if self.total else 1.0


def score_metadata(articles: Sequence[LabelledArticle], documents: dict[str, Document]) -> MetadataScore:
    score = MetadataScore()
    for article in articles:
        score.total += 1
        found = metadata_values(documents[article.key])
        for name in METADATA_FIELDS:
            expected = article.expected.get(name, [] if name == "authors" else "")
            if name == "authors":
                expected = sorted(str(author) for author in expected)  # type: ignore[attr-defined]
            if found[name] == expected:
                score.correct[name] += 1
            else:
                score.errors.append(f"{name:12} {article.site}/{article.id}: expected {expected!r}, found {found[name]!r}")
    return score


# ---------------------------------------------------------------- the report and its floors


def run_scoring(folder: Path, peers: bool = True, floors: Path | None = None, details: bool = False) -> tuple[str, list[str]]:
    """Score a labelled corpus; return the printed report and the figures below their floors."""
    articles = read_corpus(folder)
    if not articles:
        raise InputError("no labelled articles here", str(folder))
    documents = run_corpustools(articles)
    figures: dict[str, float] = {}
    lines = [f"labelled corpus: {folder} ({len(articles)} articles, {len({a.site for a in articles})} sites)"]
    note = in_sample_note([article.raw_text for article in articles])
    lines += [note, ""] if note else [""]
    lines.append(f"{'boilerplate':24}{'content retention':>20}{'boilerplate removal':>22}")
    ours = score_corpustools(articles, documents)
    figures["retention"], figures["removal"] = ours.retention, ours.removal
    lines.append(f"{'corpustools':24}{ours.retention:>20.4f}{ours.removal:>22.4f}")
    peer_scores: dict[str, LineScore] = {}
    if peers:
        for name, extract in (("jusText", justext_paragraphs), ("trafilatura", trafilatura_paragraphs)):
            try:
                peer_scores[name] = score_peer(articles, extract)
            except ImportError:
                lines.append(f"{name:24}{'not installed (pip install corpustools[compare])':>42}")
                continue
            lines.append(f"{name:24}{peer_scores[name].retention:>20.4f}{peer_scores[name].removal:>22.4f}")
    lines.append(f"  ({ours.content_total} content lines, {ours.boilerplate_total} boilerplate lines)")
    headings = score_headings(articles, documents)
    figures.update(heading_precision=headings.precision, heading_recall=headings.recall, heading_f1=headings.f1)
    lines += ["", f"headings: precision {headings.precision:.4f}  recall {headings.recall:.4f}  F1 {headings.f1:.4f}"]
    metadata = score_metadata(articles, documents)
    lines += ["", "metadata accuracy:"]
    for name in METADATA_FIELDS:
        figures[f"metadata_{name}"] = metadata.accuracy(name)
        lines.append(f"  {name:12}{metadata.accuracy(name):.4f}")
    if details:
        lines += ["", "content lines lost:"] + [f"  {line}" for line in ours.lost]
        lines += ["", "boilerplate lines kept:"] + [f"  {line}" for line in ours.missed]
        lines += ["", "heading errors:"] + [f"  {line}" for line in headings.errors]
        lines += ["", "metadata errors:"] + [f"  {line}" for line in metadata.errors]
    below = check_floors(figures, floors) if floors else []
    return "\n".join(lines), below


def check_floors(figures: dict[str, float], floors: Path) -> list[str]:
    """Figures under their recorded floor: a change that makes the tool worse fails CI."""
    recorded = tomllib.loads(floors.read_text("utf-8"))
    below = []
    for name, floor in sorted(recorded.get("floors", {}).items()):
        if name not in figures:
            below.append(f"{name}: no such figure")
        elif figures[name] + 1e-9 < float(floor):
            below.append(f"{name} = {figures[name]:.4f} < {float(floor):.4f}")
    return below
