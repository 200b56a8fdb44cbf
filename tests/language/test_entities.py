"""Entity mentions: the head-and-extent tagger, its shipped weights, and LitBank's reader."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from fabula.evaluation.litbank import read_token_tsv
from fabula.language.analyse import parse_text
from fabula.language.entities import (
    EXTENTS,
    HEAD_LABELS,
    EntityCategory,
    EntityKind,
    EntitySpan,
    EntityTagger,
    Softmax,
    Syntax,
    find_entities,
    spans_for,
)
from fabula.model import Parse, Sentence, Token
from fabula.models import load_entity_tagger
from fabula.segmentation.paragraphs import find_paragraphs
from fabula.segmentation.quotes import find_quotes
from fabula.settings import DEFAULT_SETTINGS

LITBANK_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "litbank"

# Written for these tests: (word, pos, dep, head offset from the word).
_WORDS = (
    ("Ysolde", "PROPN", "nsubj", 1),
    ("met", "VERB", "ROOT", 0),
    ("the", "DET", "det", 2),
    ("tall", "ADJ", "amod", 1),
    ("miller", "NOUN", "dobj", -3),
    (",", "PUNCT", "punct", -1),
    ("Tobin", "PROPN", "appos", -2),
    (",", "PUNCT", "punct", -3),
    ("by", "ADP", "prep", -7),
    ("the", "DET", "det", 1),
    ("weir", "NOUN", "pobj", -2),
    (".", "PUNCT", "punct", -10),
)


def _hand_parse() -> Parse:
    """A parse built by hand, so the extents are tested without spaCy."""
    tokens, offset = [], 0
    for index, (word, pos, dep, head) in enumerate(_WORDS):
        tokens.append(
            Token(index, offset, offset + len(word), word, pos, pos, dep, index + head, 0, None)
        )
        offset += len(word) + 1
    return Parse(tuple(tokens), (Sentence(0, 0, len(tokens), 0),), (0,))


def _words(parse: Parse, first: int, last: int) -> str:
    return " ".join(t.text for t in parse.tokens[first : last + 1])


def test_extents_follow_the_subtree() -> None:
    parse = _hand_parse()
    syntax = Syntax.of(parse)
    miller = 4
    spans = {
        name: _words(parse, syntax.first[miller, e], syntax.last[miller, e])
        for e, name in enumerate(EXTENTS)
    }
    assert spans == {
        "subtree": "the tall miller , Tobin",
        "cut": "the tall miller",
        "head": "the tall miller",
    }
    assert _words(parse, syntax.first[1, 0], syntax.last[1, 0]) == _words(parse, 0, 10)


def test_spans_are_well_formed_and_never_cross() -> None:
    parse = _hand_parse()
    syntax = Syntax.of(parse)
    per_nom = HEAD_LABELS.index("PER-NOM")
    per_prop = HEAD_LABELS.index("PER-PROP")
    spans = spans_for(
        parse,
        syntax,
        np.array([4, 6, 10]),
        np.array([per_nom, per_prop, per_nom]),
        np.zeros(3, int),
    )
    assert [(s.token_start, s.token_end) for s in spans] == [(2, 7), (6, 7), (9, 11)]
    for span in spans:
        assert span.char_start == parse.tokens[span.token_start].char_start
        assert span.char_end == parse.tokens[span.token_end - 1].char_end
    assert spans[1] == EntitySpan(6, 7, 29, 34, EntityCategory.PER, EntityKind.PROP)


def test_weights_survive_the_json_round_trip() -> None:
    random = np.random.default_rng(0)
    heads = Softmax(random.normal(size=(64, len(HEAD_LABELS))).astype(np.float32), np.zeros(13))
    extents = Softmax(random.normal(size=(64, len(EXTENTS))).astype(np.float32), np.ones(3))
    loaded = EntityTagger.from_json(EntityTagger(heads, extents).to_json())
    assert loaded.buckets == 64
    # int8 with one scale per label: within half a step of the largest weight.
    step = np.abs(heads.weights).max(axis=0) / 127
    assert np.all(np.abs(loaded.heads.weights - heads.weights) <= step / 2 + 1e-6)
    stale = EntityTagger(heads, extents).to_json() | {"features": "fabula.entities.other.v0"}
    with pytest.raises(ValueError):
        EntityTagger.from_json(stale)


def test_an_empty_parse_has_no_mentions() -> None:
    assert find_entities(Parse((), (), ()), load_entity_tagger()) == ()


def test_the_shipped_tagger_loads_once() -> None:
    tagger = load_entity_tagger()
    assert tagger is load_entity_tagger()
    assert tagger.heads.weights.shape[1] == len(HEAD_LABELS)


def _entities(text: str) -> tuple[Parse, tuple[EntitySpan, ...]]:
    paragraphs = find_paragraphs(text)
    quotes, _ = find_quotes(text, paragraphs)
    parse = parse_text(text, paragraphs, quotes, settings=DEFAULT_SETTINGS)
    return parse, find_entities(parse, load_entity_tagger())


@pytest.mark.model
def test_places_and_people_in_a_sentence() -> None:
    text = "Mara walked from the harbour to the old chapel in Kestle."
    parse, spans = _entities(text)
    found = {text[s.char_start : s.char_end]: (s.category, s.kind) for s in spans}
    assert found["Mara"] == (EntityCategory.PER, EntityKind.PROP)
    assert found["the old chapel in Kestle"] == (EntityCategory.FAC, EntityKind.NOM)
    assert found["Kestle"] == (EntityCategory.GPE, EntityKind.PROP)
    for span in spans:
        assert 0 <= span.token_start < span.token_end <= len(parse.tokens)
        assert span.char_start == parse.tokens[span.token_start].char_start
        assert span.char_end == parse.tokens[span.token_end - 1].char_end


@pytest.mark.model
def test_natural_and_built_places() -> None:
    text = "At dusk they rowed down the river and climbed the hill to the house."
    _, spans = _entities(text)
    found = {text[s.char_start : s.char_end]: (s.category, s.kind) for s in spans}
    assert found["the river"] == (EntityCategory.LOC, EntityKind.NOM)
    assert found["the house"] == (EntityCategory.FAC, EntityKind.NOM)


@pytest.mark.model
def test_nominal_people_for_coreference() -> None:
    text = "Her sister gave the old man a loaf of bread, and he thanked her."
    _, spans = _entities(text)
    found = {text[s.char_start : s.char_end]: (s.category, s.kind) for s in spans}
    assert found["Her sister"] == (EntityCategory.PER, EntityKind.NOM)
    assert found["the old man"] == (EntityCategory.PER, EntityKind.NOM)
    assert "he" not in found and "her" not in found  # pronouns are coreference's business


def test_litbank_entity_files() -> None:
    directory = LITBANK_DIR / "entities" / "tsv"
    if not directory.is_dir():
        pytest.skip("LitBank not found at ../shared/data/litbank (present in CI)")
    files = sorted(directory.glob("*.tsv"))
    assert len(files) == 100
    words, opened = 0, Counter()
    for path in files:
        for sentence in read_token_tsv(path):
            words += len(sentence)
            opened.update(label[2:] for row in sentence for label in row[1:] if label[:2] == "B-")
    assert words == 210_532
    assert opened == {"PER": 9383, "FAC": 2154, "LOC": 1170, "GPE": 878, "VEH": 197, "ORG": 130}
