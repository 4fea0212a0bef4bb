"""The line labeller: what each line of a scraped article is, decided by a trained model.

The rule library, the header-line finder and the corpus layer do not decide here; they give
evidence (`LineEvidence`) that becomes features (`features.py`) of gradient-boosted trees
(`gbm.py`), trained on labelled articles and on real web pages (`training.py`), the way GROBID
segments documents with sequence models trained on annotated files.
"""

from .features import LineEvidence
from .gbm import LabelledLine, label_lines

__all__ = ["LabelledLine", "LineEvidence", "label_lines"]
