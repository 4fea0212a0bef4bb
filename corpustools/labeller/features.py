"""Line evidence -> the labeller's features: cheap shallow features of each line and of its neighbours.

The features follow boilerpipe (Kohlschütter et al. 2010: word count, word length, capitals,
terminal punctuation, stop words) and add what a plain-text scrape shows: position in the page
relative to its prose, blank lines around a line, runs of short lines (menus), list and heading
marks of the layout, the rule of the library that matched the line, the header-line finder's
claim and how often the line recurs in other articles of the same source. Values are bucketed
into strings, one feature per bucket, so that the model learns over shapes, not raw numbers.

Everything here is a pure function of the evidence: no model, no file, no language guess.
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from ..rules import FEATURE_SHAPES

WINDOW = 2  # neighbours on each side whose features a line sees
PROSE_WORDS = 15  # a finished sentence this long is article prose: the page's main text lies between such lines
SHORT_WORDS = 4  # a line this short, in a run of such lines, is a menu item


@dataclass(frozen=True)
class LineEvidence:
    """What the earlier stages know of one non-blank line: the labeller's whole input."""

    text: str  # the line, stripped
    blank_before: int = 0  # blank lines directly above
    indent: int = 0  # leading spaces in the scrape (an outline layout's nesting)
    bullet_depth: int = 0  # 1 for a list item, 2 for a nested one (0: not a list item)
    heading_level: int = 0  # a Markdown heading's level (0: none)
    link_ratio: float = 0.0  # share of the line's characters that were link text
    rule: str = ""  # id of the first rule of the library that matched the line
    rule_category: str = ""
    rule_strength: str = ""
    claimed: str = ""  # the header-line finder's rule, when it read the line as metadata
    proposed_layer: str = ""  # the rule layers' proposal (clean.propose_removals): which layer would remove it
    proposed_category: str = ""
    recurrences: int = 0  # articles of the same source that hold this line (this one included)


@lru_cache(maxsize=1)
def stopword_lists() -> dict[str, frozenset[str]]:
    """Function words by language, from rules/stopwords.toml."""
    text = resources.files("corpustools").joinpath("rules", "stopwords.toml").read_text("utf-8")
    return {language: frozenset(words) for language, words in tomllib.loads(text).items()}


def stopwords_for(language: str, lines: Sequence[LineEvidence]) -> frozenset[str]:
    """The language's function words; for a language without a list, the page's 40 most
    frequent words of at most four letters (mostly function words in any alphabetic script)."""
    known = stopword_lists().get(language)
    if known:
        return known
    counts: dict[str, int] = {}
    for line in lines:
        for word in FEATURE_SHAPES.word.findall(line.text.lower()):
            if len(word) <= 4:
                counts[word] = counts.get(word, 0) + 1
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return frozenset(word for word, _count in ranked[:40])


def _bucket(value: float, bounds: Sequence[float]) -> int:
    for index, bound in enumerate(bounds):
        if value <= bound:
            return index
    return len(bounds)


WORD_BOUNDS = (0, 1, 2, 3, 4, 6, 9, 14, 24, 49)
CHAR_BOUNDS = (10, 20, 40, 80, 160, 320)
RATIO_BOUNDS = (0.0, 0.2, 0.4, 0.6, 0.8, 0.99)
DISTANCE_BOUNDS = (0, 1, 2, 3, 5, 10, 20)
RECURRENCE_BOUNDS = (1, 2, 4, 9)


def _end_class(text: str) -> str:
    last = text[-1]
    if last in ".!?…":
        return "stop" if last != "?" else "question"
    if last in ":;,":
        return {":": "colon", ";": "semicolon", ",": "comma"}[last]
    if last in "\"”’»'“":
        return "quote"
    if last in ")]":
        return "paren"
    if last.isdigit():
        return "digit"
    if last.isalpha():
        return "letter"
    return "other"


def _start_class(text: str) -> str:
    first = text[0]
    if first.isupper():
        return "upper"
    if first.islower():
        return "lower"
    if first.isdigit():
        return "digit"
    if first in "\"“‘'«„":
        return "quote"
    if first in "-•*–—·▪◦‣○■►✓→+":
        return "bullet"
    return "other"


def own_features(line: LineEvidence, stopwords: frozenset[str]) -> dict[str, str]:
    """A line's features seen on its own (bucketed strings)."""
    text = line.text
    words = text.split()
    count = len(words)
    letters = FEATURE_SHAPES.word.findall(text)
    capitalised = sum(1 for word in letters if word[0].isupper())
    lowered = [word.lower() for word in letters]
    features = {
        "w": str(_bucket(count, WORD_BOUNDS)),
        "len": str(_bucket(len(text), CHAR_BOUNDS)),
        "mwl": str(_bucket(sum(len(word) for word in letters) / len(letters), (3, 4, 5, 6, 8)) if letters else 9),
        "cap": str(_bucket(capitalised / len(letters), RATIO_BOUNDS)) if letters else "none",
        "stop": str(_bucket(sum(1 for word in lowered if word in stopwords) / len(lowered), RATIO_BOUNDS)) if lowered else "none",
        "dig": str(_bucket(sum(map(str.isdigit, text)) / len(text), (0.0, 0.1, 0.3, 0.6))),
        "end": _end_class(text),
        "start": _start_class(text),
        "sent": str(min(3, len(FEATURE_SHAPES.sentence_inside.findall(text)))),
        "bb": str(min(2, line.blank_before)),
    }
    if text.isupper() and len(letters) >= 1:
        features["caps"] = "1"
    if FEATURE_SHAPES.separator.search(text):
        features["sep"] = str(min(3, len(FEATURE_SHAPES.separator.findall(text))))
    if FEATURE_SHAPES.web_address.search(text):
        features["url"] = "1"
    if FEATURE_SHAPES.copyright.search(text):
        features["copy"] = "1"
    if FEATURE_SHAPES.year.search(text):
        features["year"] = "1"
    if FEATURE_SHAPES.clock.search(text):
        features["clock"] = "1"
    if count <= 6 and lowered:
        # Short lines are where boilerplate lives; their words ("share", "menu", "lire") are the
        # evidence, learned from every language in the training data.
        features["fw"] = lowered[0]
        features["lw"] = lowered[-1]
        if count <= 3:
            features["tok"] = " ".join(lowered)
    if line.indent:
        features["ind"] = str(_bucket(line.indent, (2, 6, 12, 20)))
    if line.bullet_depth:
        features["bul"] = str(min(2, line.bullet_depth))
    if line.heading_level:
        features["hd"] = str(min(3, line.heading_level))
    if line.link_ratio:
        features["link"] = str(_bucket(line.link_ratio, (0.3, 0.7, 0.99)))
    if line.rule:
        features["rule"] = line.rule
        features["rcat"] = line.rule_category
        features["rstr"] = line.rule_strength
    if line.claimed:
        features["meta"] = line.claimed
    if line.proposed_layer:
        features["prop"] = line.proposed_layer
        features["pcat"] = line.proposed_category
    if line.recurrences:
        features["rec"] = str(_bucket(line.recurrences, RECURRENCE_BOUNDS))
    return features


NEIGHBOUR_KEYS = ("w", "end", "cap", "stop", "bb", "rcat", "bul", "link", "rec", "start", "hd", "meta", "prop")


def features_of(lines: Sequence[LineEvidence], language: str = "") -> list[dict[str, float]]:
    """Every line's feature vector: its own, its neighbours' (±WINDOW) and its place in the page."""
    stopwords = stopwords_for(language, lines)
    own = [own_features(line, stopwords) for line in lines]
    total = len(lines)
    word_counts = [len(line.text.split()) for line in lines]
    prose = [
        index for index, count in enumerate(word_counts) if count >= PROSE_WORDS and own[index]["end"] in ("stop", "question", "quote", "paren")
    ]
    first_prose, last_prose = (prose[0], prose[-1]) if prose else (total, -1)
    short_run = _short_runs(word_counts)
    distance = _distance_to_prose(prose, total)
    seen: dict[str, int] = {}
    repeats: list[int] = []  # how many times the line stood above, in this page
    for line in lines:
        repeats.append(seen.get(line.text, 0))
        seen[line.text] = repeats[-1] + 1
    vectors: list[dict[str, float]] = []
    for index, features in enumerate(own):
        vector: dict[str, float] = {"bias": 1.0}
        for key, value in features.items():
            vector[f"{key}={value}"] = 1.0
        for offset in range(-WINDOW, WINDOW + 1):
            if offset == 0:
                continue
            other = index + offset
            if not 0 <= other < total:
                vector[f"{offset}:edge"] = 1.0
                continue
            neighbour = own[other]
            for key in NEIGHBOUR_KEYS:
                if key in neighbour:
                    vector[f"{offset}:{key}={neighbour[key]}"] = 1.0
        # The page's prose: between its first and last long line, and how far from the nearest.
        # A short article may have no line that long: then nothing is far from its prose.
        zone = "none" if not prose else "before" if index < first_prose else "after" if index > last_prose else "inside"
        vector[f"zone={zone}"] = 1.0
        if prose:
            vector[f"dist={_bucket(distance[index], DISTANCE_BOUNDS)}"] = 1.0
        vector[f"zone={zone}|w={features['w']}"] = 1.0
        vector[f"zone={zone}|end={features['end']}"] = 1.0
        if not prose:
            pass
        elif index < first_prose:
            # The front matter (title, standfirst, byline) stands just above the first prose.
            vector[f"tofirst={_bucket(first_prose - index, (1, 2, 3, 4, 6, 10))}"] = 1.0
        elif index > last_prose:
            vector[f"fromlast={_bucket(index - last_prose, (1, 2, 3, 4, 6, 10))}"] = 1.0
        vector[f"pos={min(9, index * 10 // total)}"] = 1.0
        vector[f"run={_bucket(short_run[index], (0, 1, 2, 4, 8))}"] = 1.0
        if seen[lines[index].text] > 1:
            # A page repeats its teaser, description or headline; the article says it once.
            vector["repeated=later" if repeats[index] else "repeated=first"] = 1.0
        if index == 0:
            vector["first"] = 1.0
        vectors.append(vector)
    return vectors


def _short_runs(word_counts: Sequence[int]) -> list[int]:
    """For each line, the length of the run of consecutive short lines it is in (0: not short)."""
    runs = [0] * len(word_counts)
    start = 0
    while start < len(word_counts):
        if word_counts[start] > SHORT_WORDS:
            start += 1
            continue
        end = start
        while end < len(word_counts) and word_counts[end] <= SHORT_WORDS:
            end += 1
        for index in range(start, end):
            runs[index] = end - start
        start = end
    return runs


def _distance_to_prose(prose: Sequence[int], total: int) -> list[int]:
    """For each line, how many lines away the nearest prose line is (1000 when there is none)."""
    far = 1000
    is_prose = [False] * total
    for index in prose:
        is_prose[index] = True
    distance = [far] * total
    last = -far
    for index in range(total):
        if is_prose[index]:
            last = index
        distance[index] = min(far, index - last)
    following = total + far
    for index in range(total - 1, -1, -1):
        if is_prose[index]:
            following = index
        distance[index] = min(distance[index], following - index)
    return distance
