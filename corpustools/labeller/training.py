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
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

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
    label_vectors,
    text_digest,
    write_model,
)

TRAINING_PARAMETERS = {
    "objective": "multiclass",
    "num_leaves": 31,
    "learning_rate": 0.1,
    "min_data_in_leaf": 20,
    "feature_fraction": 0.5,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "lambda_l2": 1.0,
    # The same data give the same model, byte for byte: one thread, fixed seeds.
    "num_threads": 1,
    "seed": 1,
    "deterministic": True,
    "force_row_wise": True,
    "verbose": -1,
}
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


def train(weighted: Weighted, path: Path) -> None:
    """Train the trees on the sequences' lines and write the model file."""
    import lightgbm
    import numpy

    counts: dict[str, int] = {}
    for sequence, _weight in weighted:
        for vector in sequence.vectors:
            for name in vector:
                counts[name] = counts.get(name, 0) + 1
    names = sorted(name for name, count in counts.items() if count >= MIN_FEATURE_COUNT and name != "bias")
    columns = {name: column for column, name in enumerate(names)}
    matrix = feature_matrix([vector for sequence, _weight in weighted for vector in sequence.vectors], columns)
    classes = numpy.asarray([LABELS.index(label) for sequence, _weight in weighted for label in sequence.labels])
    weights = numpy.asarray([weight for sequence, weight in weighted for _label in sequence.labels], dtype=numpy.float64)
    data = lightgbm.Dataset(matrix, classes, weight=weights, feature_name=[f"f{column}" for column in range(len(names))], free_raw_data=True)
    booster = lightgbm.train({**TRAINING_PARAMETERS, "num_class": len(LABELS)}, data, num_boost_round=BOOSTING_ROUNDS)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_model(booster, names, path)


def train_model(corpus: Sequence[TrainingSequence], pages: Sequence[TrainingSequence], path: Path) -> str:
    """Train the shipped model (training_mix) and write it with its training record, each
    atomically; returns the model file's SHA-256."""
    import hashlib
    import os
    import tempfile

    texts = sorted({sequence.digest for sequence in [*corpus, *pages] if sequence.digest})
    record = json.dumps({"model": path.name, "version": MODEL_VERSION, "texts": texts}, indent=0) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=path.parent) as work:  # beside the target: the renames are atomic
        written = Path(work) / path.name
        train(training_mix(corpus, pages), written)
        data = written.read_bytes()
        (Path(work) / TRAINING_RECORD).write_text(record, "utf-8")
        os.replace(written, path)  # atomic: a model is never half written
        os.replace(Path(work) / TRAINING_RECORD, path.with_name(TRAINING_RECORD))
    forget_models()
    return hashlib.sha256(data).hexdigest()


def cross_validate(weighted: Weighted, work: Path, folds: int = FOLDS) -> dict[str, tuple[LabelledLine, ...]]:
    """Each sequence labelled by a model that never saw its group: {name: predicted labels}.
    The fold models stay in `work` (fold_model), so that whole articles can be cleaned with
    them afterwards (the cross-validated metadata figures)."""
    predicted: dict[str, tuple[LabelledLine, ...]] = {}
    for fold in range(folds):
        held = [sequence for sequence, _weight in weighted if fold_of(sequence.group, folds) == fold]
        if not held:
            continue
        model = fold_model(work, fold)
        train([(sequence, weight) for sequence, weight in weighted if fold_of(sequence.group, folds) != fold], model)
        for sequence in held:
            predicted[sequence.name] = tuple(label_vectors(sequence.vectors, model))
        forget_models()  # a later run may write another model under the same name
    return predicted
