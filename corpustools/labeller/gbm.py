"""The shipped model: gradient-boosted trees (LightGBM) over each line's windowed features.

Trees rather than the linear-chain CRF this stage began with: on the same cross-validated folds
(whole sites held out) the trees score a mean article-text F1 of 0.887 over the three scraper
layouts against the CRF's 0.847 (a site bootstrap puts the gain between +0.014 and +0.076),
because they combine features (a short line *and* after the prose *and* a rule fired) that a
linear model can only add. A Viterbi pass over label transitions did not help: the neighbours'
features (±2 lines) and the page features already carry the context, and labels change nothing
of which lines are kept. Each line's label is the most probable class; its text probability is
the sum of the text classes' probabilities.

The model ships in the package as LightGBM's text format, gzip-compressed without a timestamp
(so the same training gives the same bytes), beside the list of feature names it was trained
on; it is loaded once per thread.

Two stages (stacking.py): the first labels each line from its own and its neighbours' features;
the second, a small binary model, reads the first's probabilities over the whole page (where
the article ends, how much predicted text follows) and gives each line's text probability
again. The file holds both boosters.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from ..model import LineLabel
from .features import LineEvidence, features_of
from .stacking import stacked_features

MODEL_NAME = "line-labeller.lgb.gz"
MODEL_VERSION = "3"  # bump with any change of features or label set: the model must be retrained
LABELS = tuple(LineLabel)  # the classes, in this order
TEXT_CLASSES = tuple(index for index, label in enumerate(LABELS) if label.is_text)
TRAINING_RECORD = "line-labeller.training.json"  # which texts the shipped model was trained on


@dataclass(frozen=True)
class LabelledLine:
    """The labeller's decision for one line, and how sure it is (the class probability)."""

    label: LineLabel
    probability: float
    text_probability: float  # that the line is article text at all, whatever its role


def model_path() -> Path:
    return Path(str(resources.files("corpustools").joinpath("labeller", MODEL_NAME)))


def text_digest(text: str) -> str:
    """How the training record names a text (a short SHA-256: no third-party text is stored)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


# ---------------------------------------------------------------- the model file


@dataclass(frozen=True)
class LineModel:
    """A loaded model: each stage's booster and the column of each of its feature names."""

    booster: Any  # lightgbm.Booster: the first stage, multiclass over LABELS
    columns: Mapping[str, int]
    second: Any = None  # lightgbm.Booster: the second stage, binary (article text or not)
    second_columns: Mapping[str, int] | None = None

    def matrix(self, vectors: Sequence[Mapping[str, float]]) -> Any:
        return feature_matrix(vectors, self.columns)


def feature_matrix(vectors: Sequence[Mapping[str, float]], columns: Mapping[str, int]) -> Any:
    """The vectors as a sparse matrix over the model's columns (unknown features dropped): one
    way for training and labelling alike."""
    import numpy
    from scipy.sparse import csr_matrix

    # Built row by row as CSR arrays rather than through COO triples: the same matrix, in half
    # the time (issue 15); indices sorted as the COO conversion left them.
    indptr = [0]
    cols: list[int] = []
    values: list[float] = []
    lookup = columns.get
    for vector in vectors:
        for name, value in vector.items():
            column = lookup(name)
            if column is not None:
                cols.append(column)
                values.append(value)
        indptr.append(len(cols))
    matrix = csr_matrix(
        (numpy.asarray(values, dtype=numpy.float64), numpy.asarray(cols, dtype=numpy.int32), numpy.asarray(indptr, dtype=numpy.int32)),
        shape=(len(vectors), len(columns)),
    )
    matrix.sort_indices()
    return matrix


def write_model(booster: Any, feature_names: Sequence[str], path: Path, second: Any = None, second_names: Sequence[str] = ()) -> None:
    """The model file: the feature names, then LightGBM's text dump of each stage, gzip without
    a timestamp."""
    first = booster.model_to_string()
    facts: dict[str, Any] = {"version": MODEL_VERSION, "labels": [label.value for label in LABELS], "features": list(feature_names)}
    if second is not None:
        facts["first_stage_characters"] = len(first)
        facts["second_stage_features"] = list(second_names)
    text = json.dumps(facts) + "\n" + first + (second.model_to_string() if second is not None else "")
    path.write_bytes(gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0))


def read_model(path: Path) -> LineModel:
    import lightgbm

    if not path.is_file():
        raise ConfigError("the line labeller's model is missing: run `corpustools train`", str(path))
    header, _, dump = gzip.decompress(path.read_bytes()).decode("utf-8").partition("\n")
    facts = json.loads(header)
    if facts.get("version") != MODEL_VERSION or facts.get("labels") != [label.value for label in LABELS]:
        raise ConfigError(f"the line labeller's model is version {facts.get('version')!r}, this corpustools needs {MODEL_VERSION}: run `corpustools train`", str(path))
    columns = {name: column for column, name in enumerate(facts["features"])}
    split = facts.get("first_stage_characters")
    if split is None:
        return LineModel(lightgbm.Booster(model_str=dump), columns)
    second_columns = {name: column for column, name in enumerate(facts["second_stage_features"])}
    return LineModel(lightgbm.Booster(model_str=dump[:split]), columns, lightgbm.Booster(model_str=dump[split:]), second_columns)


class _Models(threading.local):
    """One loaded model per thread and file (a Dask worker runs several threads)."""

    def __init__(self) -> None:
        self.by_path: dict[str, LineModel] = {}


_MODELS = _Models()


def loaded(path: Path | None = None) -> LineModel:
    key = str(path or model_path())
    model = _MODELS.by_path.get(key)
    if model is None:
        model = _MODELS.by_path[key] = read_model(Path(key))
    return model


def forget_models() -> None:
    """Drop this thread's loaded models (a model file was rewritten under the same name)."""
    _MODELS.by_path.clear()
    trained_on.cache_clear()


# ---------------------------------------------------------------- labelling


def label_lines(lines: Sequence[LineEvidence], language: str = "", model: Path | None = None) -> list[LabelledLine]:
    """Label each non-blank line of one article (blank lines are not part of the sequence)."""
    return label_vectors(features_of(lines, language), [len(line.text.split()) for line in lines], model) if lines else []


def label_vectors(vectors: Sequence[Mapping[str, float]], words: Sequence[int], model: Path | None = None) -> list[LabelledLine]:
    """Label one article's lines from their feature vectors and word counts, both stages."""
    if not vectors:
        return []
    line_model = loaded(model)
    probabilities = first_stage(vectors, model)
    if line_model.second is not None:
        probabilities = second_stage(line_model, probabilities, vectors, words)
    return labelled_from(probabilities)


def labelled_from(probabilities: Any) -> list[LabelledLine]:
    """Each line's most probable label, its probability and the line's text probability."""
    results = []
    for row in probabilities:
        best = int(row.argmax())
        text = float(sum(row[index] for index in TEXT_CLASSES))
        results.append(LabelledLine(LABELS[best], round(float(row[best]), 4), round(text, 4)))
    return results


def first_stage(vectors: Sequence[Mapping[str, float]], model: Path | None = None) -> Any:
    """The first stage's class probabilities of each line (an array, one row a line)."""
    line_model = loaded(model)
    return line_model.booster.predict(line_model.matrix(vectors), num_threads=1)


def second_stage(line_model: LineModel, probabilities: Any, vectors: Sequence[Mapping[str, float]], words: Sequence[int]) -> Any:
    """The class probabilities again, the text classes' share set to the mean of the two
    stages' text probabilities (the second stage corrects, it does not overrule: the mean kept
    the corpora's boilerplate removal where the second stage alone lowered it) and each class
    keeping its share within text and non-text."""
    assert line_model.second is not None and line_model.second_columns is not None
    return stacked(line_model.second, line_model.second_columns, probabilities, vectors, words)


def stacked(second: Any, columns: Mapping[str, int], probabilities: Any, vectors: Sequence[Mapping[str, float]], words: Sequence[int]) -> Any:
    """second_stage with the second booster and its columns given (training uses it too)."""
    import numpy

    rows = second_stage_vectors(probabilities, vectors, words)
    text = numpy.asarray(second.predict(feature_matrix(rows, columns), num_threads=1))
    return combined(probabilities, (text_probabilities(probabilities) + text) / 2)


def text_probabilities(probabilities: Any) -> Any:
    """Each row's probability that the line is article text (the sum of the text classes)."""
    return probabilities[:, list(TEXT_CLASSES)].sum(axis=1)


STACKED_CLASSES = tuple(index for index, label in enumerate(LABELS) if label.value in "BMTAHL")


def second_stage_vectors(probabilities: Any, vectors: Sequence[Mapping[str, float]], words: Sequence[int]) -> list[dict[str, float]]:
    """The second stage's input: the page features of stacking.py, the first stage's
    probabilities of the classes that are confused with text (boilerplate, metadata, and the
    short text lines: title, byline, heading, list item), and the line's first-stage features."""
    rows = stacked_features(text_probabilities(probabilities), words)
    for row, vector, probability in zip(rows, vectors, probabilities):
        for index in STACKED_CLASSES:
            row[f"s2:c{LABELS[index].value}"] = float(probability[index])
        row.update(vector)
    return rows


def combined(probabilities: Any, text: Any) -> Any:
    """The class probabilities rescaled so that the text classes sum to `text`."""
    import numpy

    first = numpy.clip(text_probabilities(probabilities), 1e-6, 1 - 1e-6)
    is_text = numpy.zeros(probabilities.shape[1], dtype=bool)
    is_text[list(TEXT_CLASSES)] = True
    result = probabilities.copy()
    result[:, is_text] *= (text / first)[:, None]
    result[:, ~is_text] *= ((1 - text) / (1 - first))[:, None]
    return result


def weighed_features(vector: Mapping[str, float], label: LineLabel, model: Path | None = None, top: int = 3) -> list[tuple[str, float]]:
    """The line's features that weighed most for its label (for --explain)."""
    return weighed_features_of([vector], [label], model, top)[0]


def weighed_features_of(
    vectors: Sequence[Mapping[str, float]], labels: Sequence[LineLabel], model: Path | None = None, top: int = 3
) -> list[list[tuple[str, float]]]:
    """For each line, its features with the largest SHAP contributions to its label's score
    (LightGBM's pred_contrib), all lines in one call."""
    if not vectors:
        return []
    line_model = loaded(model)
    contributions = line_model.booster.predict(line_model.matrix(vectors), pred_contrib=True, num_threads=1)
    width = len(line_model.columns) + 1  # dense: each class's value per column, then its bias
    found = []
    for row, (vector, label) in enumerate(zip(vectors, labels)):
        index = LABELS.index(label)
        if isinstance(contributions, list):  # sparse input: one sparse matrix per class
            block = contributions[index].getrow(row).toarray()[0]
        else:
            block = contributions[row][index * width : (index + 1) * width]
        scored = [(name, float(block[line_model.columns[name]])) for name in vector if name in line_model.columns]
        scored.sort(key=lambda item: (-abs(item[1]), item[0]))
        found.append([(name, round(weight, 2)) for name, weight in scored[:top] if round(weight, 2)])
    return found


# ---------------------------------------------------------------- what it was trained on


@lru_cache(maxsize=1)
def trained_on() -> frozenset[str]:
    """Digests of the texts the shipped model saw in training, so that a score on them can say
    it is in-sample (and no figure on training data passes for a measurement)."""
    record = model_path().with_name(TRAINING_RECORD)
    if not record.is_file():
        return frozenset()
    return frozenset(json.loads(record.read_text("utf-8")).get("texts", ()))


def in_sample_note(texts: Sequence[str]) -> str:
    """A warning line when some of the scored texts were the shipped model's training data."""
    seen = sum(1 for text in texts if text_digest(text) in trained_on())
    if not seen:
        return ""
    return (
        f"note: the shipped model was trained on {seen} of these {len(texts)} texts: these figures are in-sample; "
        "the cross-validated ones come from `corpustools train --cross-validate`"
    )
