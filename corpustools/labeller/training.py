"""Training data, training and cross-validation of the line labeller (`corpustools train`).

Training sequences come from two kinds of data, read the way `clean` reads an article (through
`pipeline.read_article`, so that the features are the ones the model meets at run time):

- labelled corpora (tests/corpus/README.md): every line labelled by a person;
- real pages with gold article text (pages.py): labels derived by alignment (align.py).

Each sequence belongs to a group (its site); cross-validation holds out whole groups, so a
figure never comes from a site the model was trained on. Training is deterministic: the same
data, parameters and crfsuite version give the same model file, byte for byte.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..evaluate import LabelledLine as LabelledArticleLine
from ..evaluate import corpus_counts, read_corpus, source_of_article
from ..model import LineLabel
from ..pages import Page, fold_of, read_pages
from ..rules import UserConfig, ruleset_for
from .align import align_labels
from .crf import MODEL_VERSION, TRAINING_RECORD, LabelledLine, forget_taggers, label_vectors, text_digest, trained_on

TRAINING_PARAMETERS = {
    "c1": 0.05,  # L1: most of the many sparse features get no weight at all (a small model)
    "c2": 0.01,
    "max_iterations": 200,
    "feature.possible_transitions": True,
}
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
    digest: str = ""  # crf.text_digest of the text as scraped, for the training record


def _label_of(raw: str) -> LineLabel:
    return LineLabel("H" if raw in ("H2", "H3") else raw)


def labelled_sequences(folder: Path) -> list[TrainingSequence]:
    """Sequences from a labelled corpus; each sub-folder of `folder` is scored as its own corpus."""
    from ..pipeline import decode, read_article

    sequences = []
    corpora = sorted(path for path in folder.iterdir() if path.is_dir()) if not any(folder.glob("*.txt")) else [folder]
    for corpus in corpora:
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
                        group=f"{corpus.name}/{article.site or article.id}",
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
    from ..corpus import LineCounts
    from ..metadata import site_named_in
    from ..pipeline import decode, read_article

    pages = list(pages) if pages is not None else read_pages(folder)
    config = UserConfig()
    decoded = {(page.id, page.layout): decode(page.text) for page in pages}
    sources = {key: site_named_in(value.text) for key, value in decoded.items()}
    counts: dict[str, LineCounts] = {}
    for page in pages:  # a folder of one layout is what `clean` would see: count within it
        key = (page.id, page.layout)
        counts.setdefault(page.layout, LineCounts()).add_article(sources[key], decoded[key].text.split("\n"))
    sequences = []
    for page in pages:
        key = (page.id, page.layout)
        reading = read_article(decoded[key], ruleset_for(config, sources[key]), counts[page.layout], sources[key])
        texts = [line.text for line in reading.evidence]
        labels = align_labels(texts, page.gold, page.meta, [line.bullet_depth > 0 for line in reading.evidence])
        sequences.append(
            TrainingSequence(
                group=f"pages/{page.site}",
                name=f"{page.id}/{page.layout}",
                vectors=tuple(reading.vectors()),
                labels=tuple(labels),
                texts=tuple(texts),
                digest=text_digest(page.text),
            )
        )
    return sequences


def train(sequences: Iterable[TrainingSequence], path: Path) -> None:
    """Train the CRF on the sequences (in the order given) and write the model file."""
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for sequence in sequences:
        trainer.append(list(sequence.vectors), [label.value for label in sequence.labels])
    trainer.set_params(TRAINING_PARAMETERS)
    path.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(path))


def train_model(corpus: Sequence[TrainingSequence], pages: Sequence[TrainingSequence], path: Path) -> str:
    """The shipped model's recipe: corpora (weighted) then pages; returns the file's SHA-256."""
    import hashlib
    import os
    import tempfile

    texts = sorted({sequence.digest for sequence in [*corpus, *pages] if sequence.digest})
    record = json.dumps({"model": path.name, "version": MODEL_VERSION, "texts": texts}, indent=0) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=path.parent) as work:  # beside the target: the renames are atomic
        written = Path(work) / path.name
        train(list(corpus) * CORPUS_WEIGHT + list(pages), written)
        data = written.read_bytes()
        (Path(work) / TRAINING_RECORD).write_text(record, "utf-8")
        os.replace(written, path)  # atomic: a model is never half written
        os.replace(Path(work) / TRAINING_RECORD, path.with_name(TRAINING_RECORD))
    trained_on.cache_clear()
    forget_taggers()
    return hashlib.sha256(data).hexdigest()


def cross_validate(sequences: Sequence[TrainingSequence], work: Path, folds: int = FOLDS) -> dict[str, tuple[LabelledLine, ...]]:
    """Each sequence labelled by a model that never saw its group: {name: predicted labels}."""

    predicted: dict[str, tuple[LabelledLine, ...]] = {}
    for fold in range(folds):
        held = [sequence for sequence in sequences if fold_of(sequence.group, folds) == fold]
        if not held:
            continue
        model = work / f"fold-{fold}.crfsuite"
        train((sequence for sequence in sequences if fold_of(sequence.group, folds) != fold), model)
        for sequence in held:
            predicted[sequence.name] = tuple(label_vectors(sequence.vectors, model))
        forget_taggers()  # the next fold writes another model under the same name
    return predicted
