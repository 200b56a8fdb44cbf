"""The taggers' hashed features on a parse built by hand: the shipped weights were trained on
these exact buckets, so any change to the hashing shows up here before it reaches a score."""

from __future__ import annotations

import hashlib

from fabula.analysis.events import event_features
from fabula.language.entities import Syntax, token_features
from fabula.model import Parse, Sentence, Token

# Written for these tests: (word, pos, tag, dep, head, sentence, quotation).
_WORDS = (
    ("Mara", "PROPN", "NNP", "nsubj", 4, 0, None),
    ("would", "AUX", "MD", "aux", 4, 0, None),
    ("not", "PART", "RB", "neg", 4, 0, None),
    ("have", "AUX", "VB", "aux", 4, 0, None),
    ("left", "VERB", "VBN", "ROOT", 4, 0, None),
    ("the", "DET", "DT", "det", 7, 0, None),
    ("old", "ADJ", "JJ", "amod", 7, 0, None),
    ("chapel", "NOUN", "NN", "dobj", 4, 0, None),
    (".", "PUNCT", ".", "punct", 4, 0, None),
    ("“", "PUNCT", "``", "punct", 11, 1, 0),
    ("Ysolde", "PROPN", "NNP", "nsubj", 11, 1, 0),
    ("ran", "VERB", "VBD", "ROOT", 11, 1, 0),
    ("to", "ADP", "IN", "prep", 11, 1, 0),
    ("Kestle", "PROPN", "NNP", "pobj", 12, 1, 0),
    (",", "PUNCT", ",", "punct", 13, 1, 0),
    ("Tobin", "PROPN", "NNP", "appos", 13, 1, 0),
    ("?", "PUNCT", ".", "punct", 11, 1, 0),
    ("”", "PUNCT", "''", "punct", 11, 1, 0),
)
LEFT, CHAPEL, RAN, KESTLE = 4, 7, 11, 13
ENTITY_BUCKETS = 1 << 16
EVENT_BITS = 20


def hand_parse() -> Parse:
    """Two sentences, the second quoted: a modal, a negation, a noun phrase, an apposition."""
    tokens, start = [], 0
    for index, (text, pos, tag, dep, head, sentence, quote) in enumerate(_WORDS):
        tokens.append(
            Token(index, start, start + len(text), text, pos, tag, dep, head, sentence, quote)
        )
        start += len(text) + 1
    return Parse(tuple(tokens), (Sentence(0, 0, 9, 0), Sentence(1, 9, 18, 1)), (0, 9))


def _digest(value: object) -> str:
    return hashlib.sha256(str(value).encode()).hexdigest()


def test_entity_features_are_the_trained_buckets() -> None:
    parse = hand_parse()
    matrix = token_features(parse, Syntax.of(parse), ENTITY_BUCKETS)
    assert matrix.shape == (len(_WORDS), 36)
    # The first templates (word, shape, prefix, suffixes, tag) of "left" and "Kestle".
    assert matrix[LEFT, :6].tolist() == [60063, 56055, 57338, 33641, 56200, 63703]
    assert matrix[KESTLE, :6].tolist() == [32946, 45726, 36019, 34346, 62467, 59872]
    assert _digest(matrix.tolist()) == (
        "a871e60f8115b93ea03d766a6c71d015f149e5cabdc24f1abab9b335ceba130e"
    )


def test_event_features_are_the_trained_buckets() -> None:
    features = event_features(hand_parse(), EVENT_BITS)
    assert features.tokens.tolist() == [LEFT, 6, CHAPEL, RAN]
    assert len(features.columns) == 156
    # The bias, then each candidate's word.
    assert features.columns[:8].tolist() == [
        *[485979] * 4,
        *[920715, 278278, 803231, 104566],
    ]
    assert _digest(
        (features.tokens.tolist(), features.rows.tolist(), features.columns.tolist())
    ) == ("45622ff9ad9ca4f80540837d1a33879c6ead616b23e168e8e2d7de5ad3f84888")
