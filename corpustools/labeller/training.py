"""Training data, training and cross-validation of the line labeller (`corpustools train`).

Training sequences come from two kinds of data, read the way `clean` reads an article (through
`pipeline.read_article`, so that the features are the ones the model meets at run time):

- labelled corpora (tests/corpus/README.md): every line labelled by a person;
- real pages with gold article text (pages.py): labels derived by alignment (align.py).

Each sequence belongs to a group (its site); cross-validation holds out whole groups, so a
figure never comes from a site the model was trained on. Training is deterministic: the same
data, parameters and LightGBM version give the same model file, byte for byte.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..evaluate import LabelledArticle, corpus_counts, read_corpus, source_of_article
from ..evaluate import LabelledLine as LabelledArticleLine
from ..model import LineLabel
from ..pages import Page, as_folders, fold_of, read_pages
from ..rules import UserConfig, ruleset_for
from .align import align_labels
from .gbm import (
    LABELS,
    MODEL_VERSION,
    TRAINING_RECORD,
    LabelledLine,
    feature_matrix,
    forget_models,
    labelled_from,
    second_stage_vectors,
    stacked,
    text_digest,
    write_model,
)

# What both stages share: the regularisation, and the same data giving the same model, byte for
# byte (one thread, fixed seeds).
SHARED_PARAMETERS = {
    "learning_rate": 0.1,
    "min_data_in_leaf": 20,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "lambda_l2": 1.0,
    "num_threads": 1,
    "seed": 1,
    "deterministic": True,
    "force_row_wise": True,
    "verbose": -1,
}
TRAINING_PARAMETERS = {"objective": "multiclass", "num_leaves": 31, "feature_fraction": 0.5, **SHARED_PARAMETERS}
BOOSTING_ROUNDS = 300
MIN_FEATURE_COUNT = 2  # a feature seen once in the training data teaches nothing
FOLDS = 5
# Each labelled article counts this many times: the corpora are few (80 articles) beside the
# pages (306 page layouts), and they are the style of article the tool is made for.
CORPUS_WEIGHT = 4


@dataclass(frozen=True)
class TrainingSequence:
    """One article's feature vectors and labels, with where it came from."""

    group: str  # the site: held out as a whole
    name: str  # corpus/site/id or page id and layout
    vectors: tuple[dict[str, float], ...]
    labels: tuple[LineLabel, ...]
    texts: tuple[str, ...]  # the lines, for scoring and for reading the errors
    variant: str = ""  # "" for the article as scraped; else how it was cut (never scored)
    digest: str = ""  # gbm.text_digest of the text as scraped, for the training record


def article_group(corpus: str, article: LabelledArticle) -> str:
    """A labelled article's group: its site in its corpus (an article without a site alone)."""
    return f"{corpus}/{article.site or article.id}"


def page_group(page: Page) -> str:
    """A real page's group: its site (its layouts share it)."""
    return f"pages/{page.site}"


def fold_model(work: Path, fold: int) -> Path:
    """Where cross_validate writes the model trained without fold `fold`'s groups."""
    return work / f"fold-{fold}.lgb.gz"


def _label_of(raw: str) -> LineLabel:
    return LineLabel("H" if raw in ("H2", "H3") else raw)


def corpora_in(folder: Path) -> list[Path]:
    """The labelled corpora of a folder: its sub-folders, or the folder itself if it holds articles."""
    return sorted(path for path in folder.iterdir() if path.is_dir()) if not any(folder.glob("*.txt")) else [folder]


def labelled_sequences(folder: Path) -> list[TrainingSequence]:
    """Sequences from a labelled corpus; each sub-folder of `folder` is scored as its own corpus."""
    from ..pipeline import decode, read_article

    sequences = []
    for corpus in corpora_in(folder):
        articles = read_corpus(corpus)
        counts = corpus_counts(articles)
        config = UserConfig()
        for article in articles:
            source = source_of_article(article)
            for variant, lines in _variants(article.lines):
                raw = "\n".join(line.text for line in lines)
                reading = read_article(decode(raw), ruleset_for(config, source), counts if not variant else None, source)
                labels = tuple(_label_of(lines[number - 1].label) for number in reading.numbers)
                sequences.append(
                    TrainingSequence(
                        group=article_group(corpus.name, article),
                        name=f"{corpus.name}/{article.site}/{article.id}" + (f"#{variant}" if variant else ""),
                        vectors=tuple(reading.vectors()),
                        labels=labels,
                        texts=tuple(line.text for line in reading.evidence),
                        variant=variant,
                        digest=text_digest(article.raw_text),
                    )
                )
    return sequences


SHORT_LINES = 3  # non-blank lines of the "short" variant: a title and the opening paragraphs


def _variants(lines: Sequence[LabelledArticleLine]) -> list[tuple[str, Sequence[LabelledArticleLine]]]:
    """The article as scraped, and as text that is already clean: its text lines alone ("bare",
    what a cleaned file or a careful scraper gives), their first lines ("short", a stub or a
    teaser) and its body without the front ("body", an extract that opens with prose). The
    model must keep every line of those, which no scraped page teaches it."""
    text: list[LabelledArticleLine] = []
    for line in lines:
        if line.label and _label_of(line.label).is_text:
            text.append(line)
        elif not line.label and text and text[-1].label:
            text.append(line)
    short: list[LabelledArticleLine] = []
    for line in text:
        if sum(1 for kept in short if kept.label) == SHORT_LINES:
            break
        short.append(line)
    body: list[LabelledArticleLine] = []  # an extract that opens with the prose itself
    for line in text:
        if line.label and _label_of(line.label) in BODY_LABELS:
            body.append(line)
        elif not line.label and body and body[-1].label:
            body.append(line)
    return [("", lines), ("bare", text), ("short", short), ("body", body)]


BODY_LABELS = frozenset({LineLabel.HEADING, LineLabel.PARAGRAPH, LineLabel.QUOTATION, LineLabel.LIST_ITEM})


def page_sequences(folder: Path, pages: Sequence[Page] | None = None) -> list[TrainingSequence]:
    """Sequences from real pages, labelled by alignment with their gold text."""
    from ..pipeline import read_article

    pages = list(pages) if pages is not None else read_pages(folder)
    config = UserConfig()
    decoded, sources, counts = as_folders(pages)
    sequences = []
    for page in pages:
        key = (page.id, page.layout)
        reading = read_article(decoded[key], ruleset_for(config, sources[key]), counts[page.layout], sources[key])
        texts = [line.text for line in reading.evidence]
        labels = align_labels(texts, page.gold, page.meta, [line.bullet_depth > 0 for line in reading.evidence])
        sequences.append(
            TrainingSequence(
                group=page_group(page),
                name=f"{page.id}/{page.layout}",
                vectors=tuple(reading.vectors()),
                labels=tuple(labels),
                texts=tuple(texts),
                digest=text_digest(page.text),
            )
        )
    return sequences


Weighted = Sequence[tuple[TrainingSequence, float]]  # each sequence with the weight of its lines


def training_mix(corpus: Sequence[TrainingSequence], pages: Sequence[TrainingSequence]) -> list[tuple[TrainingSequence, float]]:
    """The shipped model's recipe: the labelled corpora, each line counted CORPUS_WEIGHT times,
    then the pages."""
    return [(sequence, float(CORPUS_WEIGHT)) for sequence in corpus] + [(sequence, 1.0) for sequence in pages]


SECOND_STAGE_PARAMETERS = {"objective": "binary", "num_leaves": 15, "feature_fraction": 0.8, **SHARED_PARAMETERS}
SECOND_STAGE_ROUNDS = 100  # one tree a round (binary): a few per cent of the first stage's 300 x 11


def _fit(vectors: Sequence[Mapping[str, float]], targets: Sequence[int], weights: Sequence[float], parameters: Mapping[str, Any], rounds: int) -> tuple[Any, list[str]]:
    """Trees over the vectors' features seen at least MIN_FEATURE_COUNT times: (booster, names)."""
    import lightgbm
    import numpy

    counts: dict[str, int] = {}
    for vector in vectors:
        for name in vector:
            counts[name] = counts.get(name, 0) + 1
    names = sorted(name for name, count in counts.items() if count >= MIN_FEATURE_COUNT and name != "bias")
    matrix = feature_matrix(vectors, {name: column for column, name in enumerate(names)})
    data = lightgbm.Dataset(
        matrix,
        numpy.asarray(targets),
        weight=numpy.asarray(weights, dtype=numpy.float64),
        feature_name=[f"f{column}" for column in range(len(names))],
        free_raw_data=True,
    )
    return lightgbm.train(dict(parameters), data, num_boost_round=rounds), names


def fit_first_stage(weighted: Weighted) -> tuple[Any, list[str]]:
    """The first stage: multiclass over LABELS, from each line's windowed features."""
    return _fit(
        [vector for sequence, _weight in weighted for vector in sequence.vectors],
        [LABELS.index(label) for sequence, _weight in weighted for label in sequence.labels],
        [weight for sequence, weight in weighted for _label in sequence.labels],
        {**TRAINING_PARAMETERS, "num_class": len(LABELS)},
        BOOSTING_ROUNDS,
    )


def fit_second_stage(weighted: Weighted, probabilities: Mapping[str, Any]) -> tuple[Any, list[str]]:
    """The second stage (stacking.py): article text or not, from first-stage probabilities
    that never saw the sequence they are of (`probabilities`, out of fold, by sequence name)."""
    vectors = []
    for sequence, _weight in weighted:
        vectors += second_stage_vectors(probabilities[sequence.name], sequence.vectors, [len(text.split()) for text in sequence.texts])
    return _fit(
        vectors,
        [int(label.is_text) for sequence, _weight in weighted for label in sequence.labels],
        [weight for sequence, weight in weighted for _label in sequence.labels],
        SECOND_STAGE_PARAMETERS,
        SECOND_STAGE_ROUNDS,
    )


class OutOfFold:
    """First-stage probabilities from models trained without some folds, each model trained
    once: the shipped model's second stage and the cross-validation share them."""

    def __init__(self, weighted: Weighted, folds: int = FOLDS) -> None:
        self.weighted = list(weighted)
        self.folds = folds
        self.fold = {sequence.name: fold_of(sequence.group, folds) for sequence, _weight in self.weighted}
        self._held: dict[frozenset[int], dict[str, Any]] = {}
        self._first: dict[frozenset[int], tuple[Any, list[str]]] = {}  # one held fold: the CV's fold models

    def used(self) -> list[int]:
        """The folds that hold a sequence."""
        return sorted(set(self.fold.values()))

    def without(self, held: frozenset[int]) -> dict[str, Any]:
        """The held folds' sequences' probabilities, from a first stage trained on the others."""
        if held not in self._held:
            booster, names = fit_first_stage([(sequence, weight) for sequence, weight in self.weighted if self.fold[sequence.name] not in held])
            columns = {name: column for column, name in enumerate(names)}
            self._held[held] = {
                sequence.name: booster.predict(feature_matrix(sequence.vectors, columns), num_threads=1)
                for sequence, _weight in self.weighted
                if self.fold[sequence.name] in held
            }
            if len(held) == 1:
                self._first[held] = (booster, names)
        return self._held[held]

    def first_stage_without(self, held: frozenset[int]) -> tuple[Any, list[str]]:
        """The first stage trained without one fold (the booster `without` trained for it, kept
        so that a fold's model file needs no training of its own): (booster, names)."""
        if len(held) != 1:
            raise ValueError(f"only a single held fold's first stage is kept, not {sorted(held)}")
        self.without(held)
        return self._first[held]

    def second_stage_for(self, held: frozenset[int]) -> tuple[Any, list[str]] | None:
        """A second stage trained on every fold but the held ones, on probabilities from first
        stages that saw neither the held folds nor the sequence's own (None: too few folds)."""
        rest = [fold for fold in self.used() if fold not in held]
        if len(rest) < 2:
            return None
        probabilities: dict[str, Any] = {}
        for fold in rest:
            probabilities.update(
                {name: value for name, value in self.without(held | {fold}).items() if self.fold[name] == fold}
            )
        return fit_second_stage([(sequence, weight) for sequence, weight in self.weighted if self.fold[sequence.name] in rest], probabilities)


def train(weighted: Weighted, path: Path, out_of_fold: OutOfFold | None = None) -> None:
    """Train both stages on the sequences' lines and write the model file."""
    out_of_fold = out_of_fold or OutOfFold(weighted)
    booster, names = fit_first_stage(weighted)
    second = out_of_fold.second_stage_for(frozenset())
    path.parent.mkdir(parents=True, exist_ok=True)
    if second is None:
        write_model(booster, names, path)
    else:
        write_model(booster, names, path, second[0], second[1])


def train_model(corpus: Sequence[TrainingSequence], pages: Sequence[TrainingSequence], path: Path, out_of_fold: OutOfFold | None = None) -> str:
    """Train the shipped model (training_mix) and write it with its training record, each
    atomically; returns the model file's SHA-256. `out_of_fold` (of training_mix(corpus,
    pages)) keeps its first-stage fold models for a cross-validation to reuse."""
    import hashlib
    import os
    import tempfile

    texts = sorted({sequence.digest for sequence in [*corpus, *pages] if sequence.digest})
    record = json.dumps({"model": path.name, "version": MODEL_VERSION, "texts": texts}, indent=0) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=path.parent) as work:  # beside the target: the renames are atomic
        written = Path(work) / path.name
        train(training_mix(corpus, pages), written, out_of_fold)
        data = written.read_bytes()
        (Path(work) / TRAINING_RECORD).write_text(record, "utf-8")
        os.replace(written, path)  # atomic: a model is never half written
        os.replace(Path(work) / TRAINING_RECORD, path.with_name(TRAINING_RECORD))
    forget_models()
    return hashlib.sha256(data).hexdigest()


def cross_validate(out_of_fold: OutOfFold, work: Path | None = None) -> dict[str, tuple[LabelledLine, ...]]:
    """Each sequence labelled by a model that never saw its group: {name: predicted labels}.

    Both stages are held out: a fold's first stage is trained without it, and its second stage
    on the other folds' probabilities from first stages trained without that fold as well, so
    that the second stage learns from out-of-fold probabilities, as the shipped one does. With
    `work`, each fold's two stages are also written there as a model file (fold_model), so that
    whole articles can be cleaned with them afterwards (the cross-validated metadata figures)."""
    predicted: dict[str, tuple[LabelledLine, ...]] = {}
    for fold in out_of_fold.used():
        held = frozenset({fold})
        probabilities = out_of_fold.without(held)
        second = out_of_fold.second_stage_for(held)
        if work is not None:
            booster, names = out_of_fold.first_stage_without(held)
            path = fold_model(work, fold)
            path.parent.mkdir(parents=True, exist_ok=True)
            if second is None:
                write_model(booster, names, path)
            else:
                write_model(booster, names, path, second[0], second[1])
        for sequence, _weight in out_of_fold.weighted:
            if out_of_fold.fold[sequence.name] != fold:
                continue
            found = probabilities[sequence.name]
            if second is not None:
                columns = {name: column for column, name in enumerate(second[1])}
                found = stacked(second[0], columns, found, sequence.vectors, [len(text.split()) for text in sequence.texts])
            predicted[sequence.name] = tuple(labelled_from(found))
    if work is not None:
        forget_models()  # a later run may write other models under the same names
    return predicted
