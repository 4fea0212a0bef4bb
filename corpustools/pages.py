"""Real web pages with gold article text (the article-extraction benchmark's layout).

A page folder holds `<layout>/raw/<id>.txt` (the page as a scraper saved it, in up to three
layouts), `gold.json` ({id: article body}), `meta.json` ({id: page metadata}), `ids.json`
({id: {url}}) and the benchmark's own scorer `evaluate.py`. The pages are third-party text:
they stay in their folder, which every command takes as an argument; nothing is copied here.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import urlsplit

from .corpus import LineCounts
from .errors import InputError
from .evaluate import MatchScore
from .labeller.gbm import in_sample_note
from .model import DecodedText

LAYOUTS = ("html-text", "inscriptis", "html2text")


@dataclass(frozen=True)
class Page:
    """One page in one scraper layout, with what a person marked as its article."""

    id: str
    site: str  # the host, without "www.": pages of one site share a fold
    layout: str
    text: str
    gold: str
    meta: Mapping[str, Any]


def _load_json(path: Path) -> dict[str, Any]:
    try:
        value = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as problem:
        raise InputError(f"cannot read it: {problem}", str(path)) from None
    if not isinstance(value, dict):
        raise InputError("expected a JSON object", str(path))
    return value


def site_of(url: str) -> str:
    host = urlsplit(url).hostname or url
    return host[4:] if host.startswith("www.") else host


def read_pages(folder: Path, layouts: Sequence[str] = LAYOUTS) -> list[Page]:
    """Every page of the folder in each of the layouts present, sorted by id then layout."""
    gold = _load_json(folder / "gold.json")
    meta = _load_json(folder / "meta.json") if (folder / "meta.json").is_file() else {}
    ids = _load_json(folder / "ids.json") if (folder / "ids.json").is_file() else {}
    pages = []
    for page_id in sorted(gold):
        site = site_of(str(ids.get(page_id, {}).get("url", page_id)))
        for layout in layouts:
            path = folder / layout / "raw" / f"{page_id}.txt"
            if path.is_file():
                pages.append(Page(page_id, site, layout, path.read_text("utf-8"), str(gold[page_id]), meta.get(page_id, {})))
    if not pages:
        raise InputError("no pages here (expected <layout>/raw/<id>.txt and gold.json)", str(folder))
    return pages


def fold_of(site: str, folds: int = 5) -> int:
    """A site's fold: from a hash of its name, so folds never depend on order or on other pages."""
    return int.from_bytes(hashlib.blake2b(site.encode(), digest_size=4).digest(), "big") % folds


@lru_cache(maxsize=2)
def benchmark_scorer(folder: Path) -> ModuleType:
    """The benchmark's own scorer (`evaluate.py` beside the pages), unchanged."""
    path = folder / "evaluate.py"
    spec = importlib.util.spec_from_file_location("aeb_evaluate", path)
    if spec is None or spec.loader is None or not path.is_file():
        raise InputError("the benchmark's evaluate.py is missing", str(path))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@dataclass(frozen=True)
class TextScore:
    f1: float
    precision: float
    recall: float
    pages: int


def score_texts(folder: Path, pages: Iterable[Page], predicted: Mapping[tuple[str, str], str]) -> TextScore:
    """F1 / precision / recall of predicted article bodies, over word 4-shingles (the benchmark's
    metric, each page weighted alike); `predicted` is keyed by (id, layout)."""
    scorer = benchmark_scorer(folder)
    counts = [scorer.string_shingle_matching(true=page.gold, pred=predicted.get((page.id, page.layout), "")) for page in pages]
    if not counts:
        return TextScore(0.0, 0.0, 0.0, 0)
    metrics = scorer.metrics_from_tp_fp_fns(counts)
    return TextScore(metrics["f1"], metrics["precision"], metrics["recall"], len(counts))


# ---------------------------------------------------------------- the whole tool on the pages


def _normal(text: str) -> str:
    return " ".join(text.casefold().replace("’", "'").split()).strip(" \"'“”«»")


def _letters(name: str) -> str:
    """A name's letters and digits only: spacing and punctuation of a brand vary between markup and page."""
    return "".join(character for character in name.casefold() if character.isalnum())


def _is_right(name: str, found: object, meta: Mapping[str, Any]) -> bool:
    if name == "authors":
        wanted = {_normal(str(author)) for author in meta.get("authors") or []}
        return {_normal(str(author)) for author in found} == wanted  # type: ignore[attr-defined]
    if name == "date":
        return str(found) == str(meta.get("date"))[: len(str(found))] and len(str(found)) >= 10
    accepted = [meta.get(name), *(meta.get(f"{name}_alt") or [])]
    if name == "publication":  # a brand the markup writes "CTVNews" or "Barrons" and the page "CTV News", "Barron's"
        return _letters(str(found)) in {_letters(str(value)) for value in accepted if value}
    return _normal(str(found)) in {_normal(str(value)) for value in accepted if value}


PAGE_FIELDS = ("title", "authors", "date", "publication")


def score_page_metadata(pages: Iterable[Page], documents: Mapping[tuple[str, str], Any]) -> dict[str, MatchScore]:
    """Per field: right values are found and expected, a wrong one is both a false find and a
    miss; fields are scored on the pages that show them (precision = right / given, recall =
    right / shown)."""
    scores = {name: MatchScore() for name in PAGE_FIELDS}
    for page in pages:
        metadata = documents[(page.id, page.layout)].metadata
        for name in PAGE_FIELDS:
            shown = bool(page.meta.get(name))
            found: object = [author.name for author in metadata.authors] if name == "authors" else getattr(metadata, name).value
            score = scores[name]
            if not shown:
                continue
            if not found:
                score.false_negative += 1
            elif _is_right(name, found, page.meta):
                score.true_positive += 1
            else:
                score.false_positive += 1
                score.false_negative += 1
                score.errors.append(f"{page.id}: {name} {found!r}, page says {page.meta.get(name)!r}")
    return scores


def as_folders(pages: Sequence[Page]) -> tuple[dict[tuple[str, str], DecodedText], dict[tuple[str, str], str], dict[str, LineCounts]]:
    """Each layout read as one flat folder, as `clean` would see it: every page decoded, the
    site its opening lines name (its source) and the corpus layer's counts per layout."""
    from .metadata import site_named_in
    from .pipeline import decode

    decoded = {(page.id, page.layout): decode(page.text) for page in pages}
    sources = {key: site_named_in(text.text) for key, text in decoded.items()}
    counts: dict[str, LineCounts] = {}
    for page in pages:
        key = (page.id, page.layout)
        counts.setdefault(page.layout, LineCounts()).add_article(sources[key], decoded[key].text.split("\n"), page.id)
    return decoded, sources, counts


def clean_pages(pages: Sequence[Page], model_of: Callable[[Page], Path | None] | None = None) -> dict[tuple[str, str], Any]:
    """Every page through `clean`, one layout as one flat folder (as `clean` would see it).

    `model_of` names the line labeller's model for a page (default: the shipped one), so that
    cross-validation can clean each page with a model trained without its site.
    """
    from .pipeline import clean_text
    from .rules import UserConfig, ruleset_for

    config = UserConfig()
    decoded, sources, counts = as_folders(pages)
    return {
        (page.id, page.layout): clean_text(
            page.text, page.id, ruleset=ruleset_for(config, sources[(page.id, page.layout)]),
            counts=counts[page.layout], source=sources[(page.id, page.layout)], decoded=decoded[(page.id, page.layout)],
            model=model_of(page) if model_of is not None else None,
        )
        for page in pages
    }


def _as_html(text: str) -> str:
    import html

    paragraphs = "\n".join(f"<p>{html.escape(line)}</p>" for line in text.split("\n") if line.strip())
    return f"<html><head><title></title></head><body>\n{paragraphs}\n</body></html>"


def _justext(page: Page) -> str:
    import justext

    paragraphs = justext.justext(_as_html(page.text).encode("utf-8"), justext.get_stoplist("English"))
    return "\n".join(paragraph.text for paragraph in paragraphs if not paragraph.is_boilerplate)


def _trafilatura(page: Page) -> str:
    import trafilatura

    return trafilatura.extract(_as_html(page.text), include_comments=False, include_tables=False) or ""


def metadata_report(
    pages: Sequence[Page], documents: Mapping[tuple[str, str], Any], layouts: Sequence[str], prefix: str = "metadata"
) -> tuple[list[str], dict[str, float], dict[str, MatchScore]]:
    """Metadata precision / recall per layout: the printed lines, the figures (the first
    layout's keep the bare prefix: metadata_title_precision ...) and the first layout's scores."""
    lines: list[str] = []
    figures: dict[str, float] = {}
    first: dict[str, MatchScore] = {}
    for layout in layouts:
        lines += ["", f"metadata (precision / recall), {layout} layout:"]
        field_scores = score_page_metadata([page for page in pages if page.layout == layout], documents)
        name_prefix = prefix if layout == layouts[0] else f"{prefix}_{layout}"
        for name, field_score in field_scores.items():
            figures[f"{name_prefix}_{name}_precision"], figures[f"{name_prefix}_{name}_recall"] = field_score.precision, field_score.recall
            lines.append(f"  {name:12}{field_score.precision:.3f} / {field_score.recall:.3f}  ({field_score.found} given, {field_score.expected} shown)")
        if layout == layouts[0]:
            first = field_scores
    return lines, figures, first


def run_page_scoring(folder: Path, peers: bool = True, floors: Path | None = None, details: bool = False) -> tuple[str, list[str]]:
    """The whole tool (the shipped model) on real pages: article text and metadata, beside peers."""
    from .cleanfile import article_text
    from .evaluate import check_floors

    pages = read_pages(folder)
    documents = clean_pages(pages)
    figures: dict[str, float] = {}
    layouts = [layout for layout in LAYOUTS if any(page.layout == layout for page in pages)]
    lines = [f"real pages: {folder} ({len({page.id for page in pages})} pages, layouts {', '.join(layouts)})"]
    note = in_sample_note([page.text for page in pages])
    lines += [note, ""] if note else [""]
    lines.append(f"{'article text F1 / precision / recall':40}" + "".join(f"{layout:>22}" for layout in layouts))
    tools: list[tuple[str, Any]] = [("corpustools", None)]
    if peers:
        tools += [("jusText", _justext), ("trafilatura", _trafilatura)]
    for name, extract in tools:
        cells = []
        for layout in layouts:
            chosen = [page for page in pages if page.layout == layout]
            try:
                predicted = {
                    (page.id, layout): "\n".join(article_text(documents[(page.id, layout)], title_and_bylines=False))
                    if extract is None else extract(page)
                    for page in chosen
                }
            except ImportError:
                cells.append(f"{'not installed':>22}")
                continue
            score = score_texts(folder, chosen, predicted)
            if extract is None:
                figures[f"{layout}_f1"], figures[f"{layout}_precision"], figures[f"{layout}_recall"] = score.f1, score.precision, score.recall
            cells.append(f"{score.f1:>10.3f} /{score.precision:.3f} /{score.recall:.3f}")
        lines.append(f"{name:40}" + "".join(cells))
    metadata_lines, metadata_figures, metadata = metadata_report(pages, documents, layouts)
    lines += metadata_lines
    figures.update(metadata_figures)
    if details:
        for name, field_score in metadata.items():
            lines += ["", f"{name} errors:"] + [f"  {error}" for error in field_score.errors]
    below = check_floors(figures, floors) if floors else []
    return "\n".join(lines), below
