"""The small scorer both learned attribution models share, and how it is fitted.

A score is a linear term plus one tanh hidden layer: ``x·linear + tanh(x·hidden +
hidden_bias)·output``. The speaker ranker turns a turn's scores into a softmax; the addressee
model turns each candidate's into a probability.
"""

from __future__ import annotations

from collections.abc import Callable
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


def fit_weights(
    features: np.ndarray,
    score_error: Callable[[np.ndarray], np.ndarray],
    *,
    units: int,
    hidden_scale: float,
    steps: int,
    learning_rate: float,
    l2: float,
    seed: int = 0,
) -> dict[str, np.ndarray]:
    """Full-batch Adam over the scorer's weights (for the training scripts).

    ``score_error(scores)`` is the loss's gradient with respect to each row's score; L2
    applies to every weight.
    """
    random = np.random.default_rng(seed)
    params = {
        "linear": np.zeros(features.shape[1]),
        "hidden": random.normal(0, hidden_scale, (features.shape[1], units)),
        "hidden_bias": np.zeros(units),
        "output": random.normal(0, 0.1, units),
    }
    first_moment = {key: np.zeros_like(value) for key, value in params.items()}
    second_moment = {key: np.zeros_like(value) for key, value in params.items()}
    for step in range(1, steps + 1):
        hidden = np.tanh(features @ params["hidden"] + params["hidden_bias"])
        error = score_error(features @ params["linear"] + hidden @ params["output"])
        hidden_error = np.outer(error, params["output"]) * (1 - hidden**2)
        gradients = {
            "linear": features.T @ error,
            "hidden": features.T @ hidden_error,
            "hidden_bias": hidden_error.sum(axis=0),
            "output": hidden.T @ error,
        }
        for key, value in params.items():
            gradient = gradients[key] + l2 * value
            first_moment[key] = 0.9 * first_moment[key] + 0.1 * gradient
            second_moment[key] = 0.999 * second_moment[key] + 0.001 * gradient**2
            corrected_first = first_moment[key] / (1 - 0.9**step)
            corrected_second = second_moment[key] / (1 - 0.999**step)
            value -= learning_rate * corrected_first / (np.sqrt(corrected_second) + 1e-8)
    return params
