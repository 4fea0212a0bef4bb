"""The second stage: features of a line from the first stage's predictions over its whole page.

The first stage decides each line from its own features and its neighbours' (±2 lines). What it
cannot see is where the article ends: a comment thread, a related-articles list or a footer
below the last paragraph reads, line by line, much like prose, and most of the boilerplate the
first stage keeps lies there. From its predictions the page's article block can be found (the
stretch of lines that holds the most predicted text words, a maximum-sum segment), and each
line placed relative to it: before, inside or after, how far, how much predicted text follows.
A small binary model over these features and the first stage's probabilities gives the line's
text probability again.

The features are a pure function of the first stage's probabilities and the lines' word counts.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

WIDE = 10  # lines on each side of the wide window
NEAR = 3  # lines on each side of the near window and of the neighbours seen one by one


def stacked_features(text: Any, words: Sequence[int]) -> list[dict[str, float]]:
    """Each line's second-stage features, from the first stage's text probability of every
    line of the page (`text`, a float array) and the lines' word counts."""
    import numpy

    total = len(words)
    if not total:
        return []
    probability = numpy.asarray(text, dtype=numpy.float64)
    count = numpy.asarray(words, dtype=numpy.float64)
    text_words = probability * count  # expected article words of each line
    all_text = float(text_words.sum()) or 1.0
    before = numpy.cumsum(text_words) - text_words  # predicted text words above each line
    after = all_text - before - text_words
    start, end = _article_block(count * (probability - 0.5))
    block_words = float(text_words[start : end + 1].sum()) if end >= start else 0.0
    later_block = _later_blocks(probability, count)
    wide, near = _window_mean(probability, WIDE), _window_mean(probability, NEAR)
    share_after, share_before = (after / all_text).tolist(), (before / all_text).tolist()
    values, counts, afters = probability.tolist(), count.tolist(), after.tolist()
    vectors = []
    for index in range(total):
        vector: dict[str, float] = {
            "s2:p": values[index],
            "s2:wide": wide[index],
            "s2:near": near[index],
            "s2:after": share_after[index],
            "s2:before": share_before[index],
            "s2:afterw": afters[index],
            "s2:pos": index / total,
            "s2:w": counts[index],
            "s2:later": later_block[index],
            "s2:blockshare": block_words / all_text,
        }
        for offset in range(-NEAR, NEAR + 1):
            if offset and 0 <= index + offset < total:
                vector[f"s2:p{offset:+d}"] = values[index + offset]
        if end < start:
            vector["s2:zone=none"] = 1.0
        elif index < start:
            vector["s2:zone=before"] = 1.0
            vector["s2:tostart"] = float(start - index)
        elif index > end:
            vector["s2:zone=after"] = 1.0
            vector["s2:fromend"] = float(index - end)
            vector["s2:fromendw"] = float(count[end + 1 : index].sum())
        else:
            vector["s2:zone=inside"] = 1.0
        vectors.append(vector)
    return vectors


def _window_mean(values: Any, reach: int) -> list[float]:
    """Each line's mean of `values` over the lines within `reach` of it (the page's edge cuts
    the window): numpy's nanmean over a padded sliding window, all lines in one call."""
    import numpy

    padded = numpy.concatenate([numpy.full(reach, numpy.nan), values, numpy.full(reach, numpy.nan)])
    means: list[float] = numpy.nanmean(numpy.lib.stride_tricks.sliding_window_view(padded, 2 * reach + 1), axis=1).tolist()
    return means


def _article_block(gain: Any) -> tuple[int, int]:
    """The stretch of lines with the largest sum of `gain` (words × (text probability − ½)):
    the page's article, as the first stage sees it. (0, -1) when no line gains."""
    best, best_start, best_end = 0.0, 0, -1
    running, start = 0.0, 0
    for index, value in enumerate(gain):
        if running <= 0:
            running, start = 0.0, index
        running += float(value)
        if running > best:
            best, best_start, best_end = running, start, index
    return best_start, best_end


def _later_blocks(probability: Any, count: Any) -> list[float]:
    """For each line, the words of the largest run of predicted text lines (probability ≥ ½)
    strictly below it: a page whose text goes on after a line has more article to come."""
    total = len(count)
    runs = [0.0] * total
    run = 0.0
    for index in range(total - 1, -1, -1):
        run = run + float(count[index]) if probability[index] >= 0.5 else 0.0
        runs[index] = run
    later = [0.0] * total
    best = 0.0
    for index in range(total - 1, -1, -1):
        later[index] = best
        best = max(best, runs[index])
    return later
