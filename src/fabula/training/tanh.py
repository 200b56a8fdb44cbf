"""Fitting the tanh scorer both learned attribution models share
(``fabula.attribution.scorer.TanhScorer``): full-batch Adam over its four weights."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from fabula.training.optimiser import Adam

# The output layer starts small and random; the hidden layer's scale is the caller's.
OUTPUT_SCALE = 0.1


@dataclass(frozen=True, slots=True)
class TanhTraining:
    """The hyperparameters of one tanh scorer's fit (saved with its weights)."""

    units: int  # hidden tanh units
    hidden_scale: float  # standard deviation of the hidden layer's first weights
    steps: int  # full-batch Adam steps
    learning_rate: float
    l2: float  # on every weight
    seed: int = 0


def fit_tanh_scorer(
    features: np.ndarray, score_error: Callable[[np.ndarray], np.ndarray], training: TanhTraining
) -> dict[str, np.ndarray]:
    """The scorer's weights (``TanhScorer`` keyword arguments) for a (rows, features) matrix.

    ``score_error(scores)`` is the loss's gradient with respect to each row's score.
    """
    random = np.random.default_rng(training.seed)
    units, l2 = training.units, training.l2
    params = {
        "linear": np.zeros(features.shape[1]),
        "hidden": random.normal(0, training.hidden_scale, (features.shape[1], units)),
        "hidden_bias": np.zeros(units),
        "output": random.normal(0, OUTPUT_SCALE, units),
    }
    adam = Adam(training.learning_rate)
    for _ in range(training.steps):
        hidden = np.tanh(features @ params["hidden"] + params["hidden_bias"])
        error = score_error(features @ params["linear"] + hidden @ params["output"])
        hidden_error = np.outer(error, params["output"]) * (1 - hidden**2)
        gradients = {
            "linear": features.T @ error,
            "hidden": features.T @ hidden_error,
            "hidden_bias": hidden_error.sum(axis=0),
            "output": hidden.T @ error,
        }
        adam.step(params, {key: gradients[key] + l2 * params[key] for key in params})
    return params
