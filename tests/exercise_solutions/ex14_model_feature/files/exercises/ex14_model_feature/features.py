"""What the category model reads from a task's text: TF-IDF of words and of characters."""

from __future__ import annotations

from typing import Any

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion


def task_text_features() -> Any:
    """An unfitted scikit-learn transformer from a list of texts to a feature matrix.

    TF-IDF of the words (rare words weigh more) beside TF-IDF of character 3- and 4-grams
    (word forms and typos share them).
    """
    return FeatureUnion(
        [
            ("words", TfidfVectorizer(sublinear_tf=True, strip_accents="unicode")),
            (
                "chars",
                TfidfVectorizer(
                    analyzer="char_wb", ngram_range=(3, 4), min_df=2, sublinear_tf=True
                ),
            ),
        ]
    )
