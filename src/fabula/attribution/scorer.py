"""The small scorer both learned attribution models share: weights, JSON form, scores.

A score is a linear term plus one tanh hidden layer: ``x·linear + tanh(x·hidden +
hidden_bias)·output``. The speaker ranker turns a turn's scores into a softmax; the addressee
model turns each candidate's into a probability. Fitting it is the training scripts' business
(``fabula.training.tanh``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from fabula.model import CharacterId

WEIGHT_KEYS = ("linear", "hidden", "hidden_bias", "output")


@dataclass(frozen=True, slots=True)
class Candidate:
    """One character a model chooses among, with its feature vector (in the model's order)."""

    character: CharacterId
    features: tuple[float, ...]


@dataclass(frozen=True, slots=True, eq=False)
class TanhScorer:
    linear: np.ndarray  # (features,)
    hidden: np.ndarray  # (features, units)
    hidden_bias: np.ndarray  # (units,)
    output: np.ndarray  # (units,)

    @staticmethod
    def arrays_from_json(weights: dict) -> tuple[np.ndarray, ...]:
        return tuple(np.asarray(weights[key], dtype=float) for key in WEIGHT_KEYS)

    @classmethod
    def from_json(cls, weights: dict):
        return cls(*cls.arrays_from_json(weights))

    def to_json(self) -> dict:
        return {key: np.round(getattr(self, key), 4).tolist() for key in WEIGHT_KEYS}

    def scores(self, features: np.ndarray) -> np.ndarray:
        """One score per row of a (rows, features) matrix."""
        hidden = np.tanh(features @ self.hidden + self.hidden_bias)
        return features @ self.linear + hidden @ self.output
