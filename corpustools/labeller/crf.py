"""The shipped linear-chain CRF (python-crfsuite): features in, one label per line out.

A CRF rather than per-line classification because a line's role depends on its neighbours'
roles (a menu item sits among menu items, a paragraph follows a heading); the Viterbi pass over
label transitions gives the best sequence, and the marginals give how sure the model is of each
line. The model file ships in the package and is loaded once per process.
"""

from __future__ import annotations

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

MODEL_NAME = "line-labeller.crfsuite"
MODEL_VERSION = "1"  # bump with any change of features or label set: the model must be retrained


@dataclass(frozen=True)
class LabelledLine:
    """The labeller's decision for one line, and how sure it is (the marginal probability)."""

    label: LineLabel
    probability: float
    text_probability: float  # that the line is article text at all, whatever its role


TRAINING_RECORD = "line-labeller.training.json"  # which texts the shipped model was trained on


def model_path() -> Path:
    return Path(str(resources.files("corpustools").joinpath("labeller", MODEL_NAME)))


def text_digest(text: str) -> str:
    """How the training record names a text (a short SHA-256: no third-party text is stored)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


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


class _Taggers(threading.local):
    """One tagger per thread and model file: a crfsuite Tagger holds the sequence it is
    labelling, so threads (a Dask worker runs several) must not share one."""

    def __init__(self) -> None:
        self.by_path: dict[str, Any] = {}


_TAGGERS = _Taggers()


def _tagger(path: str) -> Any:
    tagger = _TAGGERS.by_path.get(path)
    if tagger is None:
        import pycrfsuite

        if not Path(path).is_file():
            raise ConfigError("the line labeller's model is missing: run `corpustools train`", path)
        tagger = pycrfsuite.Tagger()
        tagger.open(path)
        _TAGGERS.by_path[path] = tagger
    return tagger


def forget_taggers() -> None:
    """Drop this thread's open models (a model file was rewritten under the same name)."""
    _TAGGERS.by_path.clear()
    _state_weights.cache_clear()


def label_lines(lines: Sequence[LineEvidence], language: str = "", model: Path | None = None) -> list[LabelledLine]:
    """Label each non-blank line of one article (blank lines are not part of the sequence)."""
    if not lines:
        return []
    return label_vectors(features_of(lines, language), model)


def label_vectors(vectors: Sequence[Mapping[str, float]], model: Path | None = None) -> list[LabelledLine]:
    tagger = _tagger(str(model or model_path()))
    tagger.set(list(vectors))
    labels = tagger.tag()
    removed = [label for label in tagger.labels() if not LineLabel(label).is_text]
    results = []
    for position, label in enumerate(labels):
        text_probability = 1.0 - sum(tagger.marginal(other, position) for other in removed)
        results.append(LabelledLine(LineLabel(label), round(tagger.marginal(label, position), 4), round(text_probability, 4)))
    return results


def weighed_features(vector: Mapping[str, float], label: LineLabel, model: Path | None = None, top: int = 3) -> list[tuple[str, float]]:
    """The features that weighed most for a line's label (for --explain)."""
    weights = _state_weights(str(model or model_path()))
    scored = [(name, weights.get((name, label.value), 0.0) * value) for name, value in vector.items()]
    scored.sort(key=lambda item: (-abs(item[1]), item[0]))
    return [(name, round(weight, 2)) for name, weight in scored[:top] if weight]


@lru_cache(maxsize=2)
def _state_weights(path: str) -> dict[tuple[str, str], float]:
    return dict(_tagger(path).info().state_features)
