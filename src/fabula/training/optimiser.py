"""The one optimiser step every trained model takes: Adam (Kingma & Ba 2015, Algorithm 1).

Dense for the small models (``step``), lazy for the hashed taggers (``step_rows``: only the
rows a batch touched move, and only their moments decay, as in lazy Adam for sparse
features). Parameters are numpy arrays updated in place; the caller adds any L2 term to the
gradient first.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

FIRST_DECAY = 0.9
SECOND_DECAY = 0.999
# Written out rather than computed as 1 - decay, which is 0.09999999999999998 in floating
# point: the shipped weights were fitted with these exact numbers.
FIRST_SHARE = 0.1
SECOND_SHARE = 0.001
EPSILON = 1e-8


class Adam:
    """Adam's moments for each named parameter and the step count they share."""

    def __init__(self, learning_rate: float) -> None:
        self.learning_rate = learning_rate
        self.steps = 0
        self._first: dict[str, np.ndarray] = {}
        self._second: dict[str, np.ndarray] = {}

    def step(self, params: Mapping[str, np.ndarray], gradients: Mapping[str, np.ndarray]) -> None:
        """One update of every parameter, in place."""
        self.steps += 1
        for name, value in params.items():
            first, second = self._moments(name, value)
            first[...] = FIRST_DECAY * first + FIRST_SHARE * gradients[name]
            second[...] = SECOND_DECAY * second + SECOND_SHARE * gradients[name] ** 2
            value -= self._update(first, second)

    def step_rows(
        self, name: str, value: np.ndarray, rows: np.ndarray, gradient: np.ndarray
    ) -> None:
        """One update of the given rows of one parameter (``gradient`` holds theirs, in the
        same order); the other rows and their moments stay as they are."""
        self.steps += 1
        first, second = self._moments(name, value)
        first[rows] = FIRST_DECAY * first[rows] + FIRST_SHARE * gradient
        second[rows] = SECOND_DECAY * second[rows] + SECOND_SHARE * gradient**2
        value[rows] -= self._update(first[rows], second[rows])

    def _moments(self, name: str, value: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        if name not in self._first:
            self._first[name] = np.zeros_like(value)
            self._second[name] = np.zeros_like(value)
        return self._first[name], self._second[name]

    def _update(self, first: np.ndarray, second: np.ndarray) -> np.ndarray:
        """The step from bias-corrected moments."""
        corrected_first = first / (1 - FIRST_DECAY**self.steps)
        corrected_second = second / (1 - SECOND_DECAY**self.steps)
        return self.learning_rate * corrected_first / (np.sqrt(corrected_second) + EPSILON)
