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

MODEL_NAME = "line-labeller.lgb.gz"
MODEL_VERSION = "2"  # bump with any change of features or label set: the model must be retrained
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
    """A loaded model: the booster and the column of each feature name."""

    booster: Any  # lightgbm.Booster
    columns: Mapping[str, int]

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


def write_model(booster: Any, feature_names: Sequence[str], path: Path) -> None:
    """The model file: LightGBM's text dump and the feature names, gzip without a timestamp."""
    payload = json.dumps({"version": MODEL_VERSION, "labels": [label.value for label in LABELS], "features": list(feature_names)})
    text = payload + "\n" + booster.model_to_string()
    path.write_bytes(gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0))


def read_model(path: Path) -> LineModel:
    import lightgbm

    if not path.is_file():
        raise ConfigError("the line labeller's model is missing: run `corpustools train`", str(path))
    header, _, dump = gzip.decompress(path.read_bytes()).decode("utf-8").partition("\n")
    facts = json.loads(header)
    if facts.get("version") != MODEL_VERSION or facts.get("labels") != [label.value for label in LABELS]:
        raise ConfigError(f"the line labeller's model is version {facts.get('version')!r}, this corpustools needs {MODEL_VERSION}: run `corpustools train`", str(path))
    booster = lightgbm.Booster(model_str=dump)
    return LineModel(booster, {name: column for column, name in enumerate(facts["features"])})


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
    return label_vectors(features_of(lines, language), model) if lines else []


def label_vectors(vectors: Sequence[Mapping[str, float]], model: Path | None = None) -> list[LabelledLine]:
    if not vectors:
        return []
    line_model = loaded(model)
    probabilities = line_model.booster.predict(line_model.matrix(vectors), num_threads=1)
    results = []
    for row in probabilities:
        best = int(row.argmax())
        text = float(sum(row[index] for index in TEXT_CLASSES))
        results.append(LabelledLine(LABELS[best], round(float(row[best]), 4), round(text, 4)))
    return results


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
