"""The tanh scorer's JSON: the shipped weights load and write back unchanged, and a model read
back from its JSON text scores every candidate exactly as before."""

from __future__ import annotations

import json
from importlib import resources

import numpy as np
import pytest

from fabula.attribution.addressees import AddresseeModel
from fabula.attribution.conversation import FEATURES as ADDRESSEE_FEATURES
from fabula.attribution.ranker import FEATURES as SPEAKER_FEATURES
from fabula.attribution.ranker import SpeakerRanker
from fabula.attribution.scorer import WEIGHT_KEYS, TanhScorer

SHIPPED = [
    ("speaker_ranker.json", SpeakerRanker, len(SPEAKER_FEATURES)),
    ("addressee_model.json", AddresseeModel, len(ADDRESSEE_FEATURES)),
]
CANDIDATES = 12
UNITS = 5


def _shipped_models(file_name: str) -> dict[str, dict]:
    text = resources.files("fabula.data").joinpath(file_name).read_text("utf-8")
    return json.loads(text)["models"]


def _fixed_features(width: int) -> np.ndarray:
    """Candidates as the models see them: mostly 0/1 flags, some graded values."""
    random = np.random.default_rng(13)
    flags = (random.random((CANDIDATES, width)) < 0.3).astype(float)
    return flags * random.choice([1.0, 0.5, 0.25, 2.0], size=(CANDIDATES, width))


def _through_text(model: TanhScorer) -> TanhScorer:
    """Written as JSON text and read back, as the training scripts and nlp.py do."""
    return type(model).from_json(json.loads(json.dumps(model.to_json())))


@pytest.mark.parametrize(("file_name", "model_class", "width"), SHIPPED)
def test_shipped_weights_write_back_unchanged(file_name, model_class, width) -> None:
    for name, entry in _shipped_models(file_name).items():
        model = model_class.from_json(entry["weights"])
        assert type(model) is model_class
        assert model.to_json() == entry["weights"], name
        assert model.linear.shape == (width,) and model.hidden.shape[0] == width


@pytest.mark.parametrize(("file_name", "model_class", "width"), SHIPPED)
def test_a_model_read_back_scores_exactly_as_before(file_name, model_class, width) -> None:
    features = _fixed_features(width)
    for name, entry in _shipped_models(file_name).items():
        model = model_class.from_json(entry["weights"])
        again = _through_text(model)
        for key in WEIGHT_KEYS:
            assert np.array_equal(getattr(again, key), getattr(model, key)), (name, key)
        assert np.array_equal(again.scores(features), model.scores(features)), name
        assert np.unique(model.scores(features)).size > 1  # the features tell candidates apart


def test_the_addressee_threshold_survives() -> None:
    weights = _shipped_models("addressee_model.json")["all"]["weights"]
    shipped = AddresseeModel.from_json(weights)
    again = _through_text(shipped)
    assert again.threshold == shipped.threshold == weights["threshold"]
    features = _fixed_features(len(ADDRESSEE_FEATURES))
    assert np.array_equal(again.probabilities(features), shipped.probabilities(features))


def test_fitted_weights_are_rounded_once_then_kept() -> None:
    """Freshly fitted weights hold every digit; JSON keeps four decimals, and from then on a
    round trip changes nothing, so a model saved twice is the same file."""
    random = np.random.default_rng(7)
    width = len(SPEAKER_FEATURES)
    fitted = SpeakerRanker(
        random.normal(0, 1, width),
        random.normal(0, 1, (width, UNITS)),
        random.normal(0, 1, UNITS),
        random.normal(0, 1, UNITS),
    )
    saved = _through_text(fitted)
    assert saved.to_json() == fitted.to_json()
    assert _through_text(saved).to_json() == saved.to_json()
    features = _fixed_features(width)
    assert np.array_equal(_through_text(saved).scores(features), saved.scores(features))
    # Four decimals move each score by far less than the gaps the ranker's softmax reads.
    assert np.allclose(saved.scores(features), fitted.scores(features), atol=0.01)
