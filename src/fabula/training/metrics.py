"""The one precision / recall / F1: counts that add up across documents (micro averages).

>>> PRF(correct=1, predicted=2, gold=4).f1
0.3333333333333333
"""

from __future__ import annotations

from collections.abc import Set
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PRF:
    """How many predictions were right, how many were made, how many the gold holds."""

    correct: int = 0
    predicted: int = 0
    gold: int = 0

    @classmethod
    def of_sets(cls, predicted: Set, gold: Set) -> PRF:
        return cls(len(predicted & gold), len(predicted), len(gold))

    def __add__(self, other: PRF) -> PRF:
        return PRF(
            self.correct + other.correct,
            self.predicted + other.predicted,
            self.gold + other.gold,
        )

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.correct / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        """``2·correct / (predicted + gold)``, the harmonic mean of precision and recall
        computed from the counts (0 when there is nothing to score)."""
        total = self.predicted + self.gold
        return 2 * self.correct / total if total else 0.0

    def summary(self) -> str:
        return (
            f"P {100 * self.precision:.1f}  R {100 * self.recall:.1f}  F1 {100 * self.f1:.1f}"
            f"  ({self.correct} right of {self.predicted} predicted, {self.gold} gold)"
        )
