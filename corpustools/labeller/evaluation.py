"""Cross-validated figures of the line labeller (`corpustools train --cross-validate`).

Every figure here comes from a model that never saw the site it is measured on: whole sites are
held out (training.cross_validate), on the labelled corpora and on the real pages alike.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from ..clean import is_body_line, is_kept
from ..evaluate import METADATA_FIELDS, LabelledArticle, MatchScore, read_corpus, run_corpustools, score_metadata
from ..model import LineLabel
from ..pages import LAYOUTS, Page, clean_pages, fold_of, metadata_report, score_texts
from .gbm import LabelledLine, forget_models
from .training import (
    FOLDS,
    OutOfFold,
    TrainingSequence,
    article_group,
    corpora_in,
    cross_validate,
    fold_model,
    page_group,
    training_mix,
)

KEPT_OUT_OF_BODY = frozenset({LineLabel.TITLE, LineLabel.BYLINE})  # the gold body holds neither


def kept_lines(vectors: Sequence[Mapping[str, float]], results: Sequence[LabelledLine]) -> list[bool]:
    """Which lines `clean` keeps, guard rail included (clean.apply_labels): when the model
    keeps no body line, the rule layers' proposal (the `prop=` features) decides."""
    kept = [is_kept(result) for result in results]
    claimed = [any(name.startswith("meta=") for name in vector) for vector in vectors]
    proposed = [any(name.startswith("prop=") for name in vector) for vector in vectors]
    if any(keep and is_body_line(claim, result.label) for keep, claim, result in zip(kept, claimed, results)):
        return kept
    if not any(not removed and not claim for removed, claim in zip(proposed, claimed)):
        return kept
    return [not removed for removed in proposed]


def body_text(texts: Sequence[str], results: Sequence[LabelledLine | LineLabel], vectors: Sequence[Mapping[str, float]] = ()) -> str:
    """What the TEI body would hold of a page: kept lines but the title and bylines."""
    if results and not isinstance(results[0], LineLabel) and vectors:
        keeps = kept_lines(vectors, results)  # type: ignore[arg-type]
    else:
        keeps = [result.is_text if isinstance(result, LineLabel) else is_kept(result) for result in results]
    kept = []
    for text, result, keep in zip(texts, results, keeps):
        label = result if isinstance(result, LineLabel) else result.label
        if keep and label not in KEPT_OUT_OF_BODY:
            kept.append(text)
    return "\n".join(kept)


def cross_validated_report(
    corpus: Sequence[TrainingSequence],
    pages: Sequence[TrainingSequence],
    page_list: Sequence[Page],
    pages_folder: Path | None,
    work: Path,
    corpus_folder: Path | None = None,
    out_of_fold: OutOfFold | None = None,
) -> tuple[str, dict[str, float]]:
    """Train and label fold by fold; return the printed report and its figures. `out_of_fold`
    (of training_mix(corpus, pages)) brings first-stage fold models already trained. With each
    fold's two stages written to `work`, the pages (and the labelled corpora of `corpus_folder`)
    are then cleaned whole, each by the model that never saw its site: cross-validated metadata."""
    predicted = cross_validate(out_of_fold or OutOfFold(training_mix(corpus, pages), FOLDS), work)
    try:
        metadata_lines, metadata_figures = _cross_validated_metadata(page_list if pages else (), corpus_folder, work)
    finally:
        forget_models()  # the fold models go with `work`
    corpus = [sequence for sequence in corpus if not sequence.variant]  # scored as scraped only
    figures: dict[str, float] = {}
    lines = [f"cross-validated: {FOLDS} folds, whole sites held out ({len(corpus)} labelled articles, {len(pages)} pages)"]
    if pages and pages_folder is not None:
        lines += ["", f"{'real pages (F1 / precision / recall)':40}{'labeller':>24}{'alignment ceiling':>24}"]
        by_name = {sequence.name: sequence for sequence in pages}
        for layout in LAYOUTS:
            chosen = [page for page in page_list if page.layout == layout]
            if not chosen:
                continue
            ours = {}
            ceiling = {}
            for page in chosen:
                sequence = by_name[f"{page.id}/{page.layout}"]
                ours[(page.id, layout)] = body_text(sequence.texts, predicted[sequence.name], sequence.vectors)
                ceiling[(page.id, layout)] = body_text(sequence.texts, sequence.labels)
            score, best = score_texts(pages_folder, chosen, ours), score_texts(pages_folder, chosen, ceiling)
            figures[f"pages_{layout}_f1"], figures[f"pages_{layout}_recall"] = score.f1, score.recall
            figures[f"pages_{layout}_precision"] = score.precision
            lines.append(
                f"  {layout:38}{score.f1:>8.3f} /{score.precision:.3f} /{score.recall:.3f}{best.f1:>8.3f} /{best.precision:.3f} /{best.recall:.3f}"
            )
    if corpus:
        lines += ["", f"{'labelled corpora':24}{'content kept':>14}{'boilerplate removed':>22}"]
        by_corpus: dict[str, list[TrainingSequence]] = {}
        for sequence in corpus:
            by_corpus.setdefault(sequence.name.split("/")[0], []).append(sequence)
        by_corpus["all"] = list(corpus)
        for name, sequences in by_corpus.items():
            kept, removed = _kept_and_removed(sequences, predicted)
            figures[f"corpus_{name}_retention"], figures[f"corpus_{name}_removal"] = kept, removed
            lines.append(f"  {name:22}{kept:>14.4f}{removed:>22.4f}")
        labels = _label_scores(corpus, predicted)
        lines += ["", "labels on the labelled corpora (precision / recall / F1):"]
        for label, label_score in labels.items():
            figures[f"label_{label}_f1"] = label_score.f1
            counted = label_score.true_positive + label_score.false_negative
            lines.append(f"  {label}  {label_score.precision:.3f} / {label_score.recall:.3f} / {label_score.f1:.3f}  ({counted} lines)")
    lines += metadata_lines
    figures.update(metadata_figures)
    return "\n".join(lines), figures


def _fold_model_of(work: Path, corpus: str) -> Callable[[LabelledArticle], Path]:
    """The fold model that never saw a labelled article's site."""
    return lambda article: fold_model(work, fold_of(article_group(corpus, article), FOLDS))


def _cross_validated_metadata(page_list: Sequence[Page], corpus_folder: Path | None, work: Path) -> tuple[list[str], dict[str, float]]:
    """Metadata figures of the whole tool with the fold models: each real page and labelled
    article cleaned by the model trained without its site (figures cv_metadata_* for the pages,
    as `score` names its in-sample ones; cv_corpus_<corpus>_metadata_<field> for the corpora)."""
    lines: list[str] = []
    figures: dict[str, float] = {}
    if page_list:
        cleaned = clean_pages(page_list, lambda page: fold_model(work, fold_of(page_group(page), FOLDS)))
        layouts = [layout for layout in LAYOUTS if any(page.layout == layout for page in page_list)]
        page_lines, page_figures, _first = metadata_report(page_list, cleaned, layouts, prefix="cv_metadata")
        lines += ["", "real pages, metadata with the fold models:"] + [f"  {line}" if line else line for line in page_lines[1:]]
        figures.update(page_figures)
    if corpus_folder is not None:
        lines += ["", "labelled corpora, metadata accuracy with the fold models:", f"  {'':10}" + "".join(f"{name:>12}" for name in METADATA_FIELDS)]
        for folder in corpora_in(corpus_folder):
            articles = read_corpus(folder)
            if not articles:
                continue
            documents = run_corpustools(articles, model_of=_fold_model_of(work, folder.name))
            score = score_metadata(articles, documents)
            for name in METADATA_FIELDS:
                figures[f"cv_corpus_{folder.name}_metadata_{name}"] = score.accuracy(name)
            lines.append(f"  {folder.name:10}" + "".join(f"{score.accuracy(name):>12.4f}" for name in METADATA_FIELDS))
    return lines, figures


def _kept_and_removed(sequences: Sequence[TrainingSequence], predicted: dict[str, tuple[LabelledLine, ...]]) -> tuple[float, float]:
    content = kept = boilerplate = removed = 0
    for sequence in sequences:
        results = predicted[sequence.name]
        for gold, keep in zip(sequence.labels, kept_lines(sequence.vectors, results)):
            if gold.is_text:
                content += 1
                kept += keep
            elif gold == LineLabel.BOILERPLATE:
                boilerplate += 1
                removed += not keep
    return (kept / content if content else 1.0), (removed / boilerplate if boilerplate else 1.0)


def _label_scores(sequences: Sequence[TrainingSequence], predicted: dict[str, tuple[LabelledLine, ...]]) -> dict[str, MatchScore]:
    confusion: Counter[tuple[LineLabel, LineLabel]] = Counter()
    for sequence in sequences:
        for gold, result in zip(sequence.labels, predicted[sequence.name]):
            confusion[(gold, result.label)] += 1
    scores: dict[str, MatchScore] = {}
    for label in LineLabel:
        score = MatchScore()
        for (gold, guess), count in confusion.items():
            if gold == label and guess == label:
                score.true_positive += count
            elif guess == label:
                score.false_positive += count
            elif gold == label:
                score.false_negative += count
        if score.true_positive + score.false_negative:
            scores[label.value] = score
    return scores
