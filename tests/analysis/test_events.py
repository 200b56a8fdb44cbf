"""Realis events: the tagger on sentences written for these tests, its features and weights
file without a model, and the LitBank reader when the corpus is present."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from fabula.analysis.events import EventTagger, event_features, tag_events
from fabula.evaluation.litbank import LitbankText, parse_litbank
from fabula.evaluation.litbank_events import (
    event_files,
    read_event_excerpt,
    requote,
    score_events,
    word_labels,
)
from fabula.language.analyse import parse_text
from fabula.model import Parse, Sentence, Token
from fabula.models import load_event_tagger
from fabula.segmentation.paragraphs import find_paragraphs
from fabula.segmentation.quotes import find_quotes
from fabula.settings import DEFAULT_SETTINGS
from fabula.training.metrics import PRF

ROOT = Path(__file__).resolve().parents[2]
LITBANK_EVENTS = ROOT.parent / "shared" / "data" / "litbank" / "events"


def parse_of(text: str) -> Parse:
    paragraphs = find_paragraphs(text)
    spans, _ = find_quotes(text, paragraphs)
    return parse_text(text, paragraphs, spans, settings=DEFAULT_SETTINGS)


def tagged_words(text: str) -> list[str]:
    parse = parse_of(text)
    return [parse.tokens[i].text for i in tag_events(parse, load_event_tagger())]


def hand_parse() -> Parse:
    """'Ann ran .' built by hand: no spaCy needed."""
    words = (("Ann", "PROPN", "NNP", "nsubj", 1), ("ran", "VERB", "VBD", "ROOT", 1))
    words += ((".", "PUNCT", ".", "punct", 1),)
    tokens, start = [], 0
    for index, (text, pos, tag, dep, head) in enumerate(words):
        tokens.append(Token(index, start, start + len(text), text, pos, tag, dep, head, 0, None))
        start += len(text) + 1
    return Parse(tuple(tokens), (Sentence(0, 0, 3, 0),), (0,))


@pytest.mark.model
def test_narrated_actions_are_events() -> None:
    assert tagged_words("She slammed the door and ran down the stairs.") == ["slammed", "ran"]


@pytest.mark.model
@pytest.mark.parametrize(
    "text",
    [
        "If she had gone, she would have seen him.",
        "He will leave tomorrow.",
        "She did not answer the letter.",
    ],
)
def test_hypothetical_future_and_negated_events_are_not_realis(text: str) -> None:
    assert tagged_words(text) == []


@pytest.mark.model
def test_the_shipped_tagger_loads_and_scores_every_token() -> None:
    tagger = load_event_tagger()
    parse = parse_of("The wind rose. Marta shut the shutters and lit the lamp.")
    probabilities = tagger.probabilities(parse)
    assert probabilities.shape == (len(parse.tokens),)
    assert 0 < tagger.threshold < 1
    assert {parse.tokens[i].text for i in tag_events(parse, tagger)} >= {"shut", "lit"}


def test_an_empty_parse_has_no_events() -> None:
    assert tag_events(Parse((), (), ()), load_event_tagger()) == ()


def test_only_verbs_nouns_and_adjectives_are_candidates() -> None:
    features = event_features(hand_parse(), 16)
    assert features.tokens.tolist() == [1]
    assert set(features.rows.tolist()) == {0}
    assert features.columns.max() < 2**16


def test_features_do_not_depend_on_the_process() -> None:
    """Hashes are crc32, not Python's salted ``hash``, so shipped weights stay valid in a
    process with another string-hash seed."""
    code = (
        "from tests.analysis.test_events import event_features, hand_parse; "
        "print(event_features(hand_parse(), 20).columns.tolist())"
    )
    environment = os.environ | {"PYTHONHASHSEED": "12345"}
    environment["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), str(ROOT)])
    other = subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True
    )
    assert other.stdout.strip() == str(event_features(hand_parse(), 20).columns.tolist())


def test_weights_round_trip_through_json() -> None:
    weights = np.zeros(2**8)
    weights[[3, 200]] = [0.5, -1.25]
    tagger = EventTagger(8, weights, -2.0, 0.3)
    again = EventTagger.from_json(tagger.to_json())
    assert again.weights.tolist() == weights.tolist()
    assert (again.bias, again.threshold) == (-2.0, 0.3)


def test_scoring_counts_words() -> None:
    gold = ((True, False, True), (False,))
    predicted = word_labels([1, 2], [[0, 1, 2], [3]])
    assert predicted == ((False, True, True), (False,))
    counts = score_events(gold, predicted)
    assert counts == PRF(correct=1, predicted=2, gold=2)
    assert (counts.precision, counts.recall, counts.f1) == (0.5, 0.5, 0.5)


@pytest.mark.model
def test_a_speech_over_several_sentences_stays_quoted() -> None:
    excerpt = LitbankText.of(
        "written", [["“", "Stay", "."], ["We", "left", "early", "."], ["Go", "!", "”"]]
    )
    parse, word_tokens = parse_litbank(excerpt)
    quoted = requote(parse, excerpt, word_tokens)
    left = word_tokens[1][1]
    assert parse.tokens[left].in_quote is None  # each sentence laid out as a paragraph
    assert quoted.tokens[left].in_quote == 0


def test_litbank_events_reader() -> None:
    if not (LITBANK_EVENTS / "tsv").is_dir():
        pytest.skip("LitBank not found at ../shared/data/litbank (present in CI)")
    excerpts = [read_event_excerpt(path) for path in event_files(LITBANK_EVENTS / "tsv")]
    assert len(excerpts) == 100
    assert sum(excerpt.event_count for excerpt in excerpts) > 7_000
    assert all(
        len(words) == len(labels)
        for excerpt in excerpts
        for words, labels in zip(excerpt.text.sentences, excerpt.labels, strict=True)
    )
