"""Calibrated confidence: a raw speaker score becomes the share of such lines that are right.

The speaker stage's raw confidence ranks lines well but runs high (lines it gives 0.85 are
right about 73 % of the time on PDNC). A monotone map, fit by isotonic regression on PDNC with
held-out rankers (``scripts/calibrate_confidence.py``), turns it into a number a user can
threshold: keep lines above 0.8 and about 80 % of them are right.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from fabula.model import Attribution
from fabula.stages import stage


@dataclass(frozen=True, slots=True)
class ConfidenceMap:
    """Piecewise-linear through (raw, calibrated) knots, flat beyond the ends."""

    raw: tuple[float, ...]
    calibrated: tuple[float, ...]

    def apply(self, confidence: float) -> float:
        return float(np.interp(confidence, self.raw, self.calibrated))

    def apply_many(self, confidences: np.ndarray) -> np.ndarray:
        return np.interp(confidences, self.raw, self.calibrated)

    def to_json(self) -> dict:
        return {"raw": list(self.raw), "calibrated": list(self.calibrated)}

    @classmethod
    def from_json(cls, data: dict) -> ConfidenceMap:
        raw, calibrated = tuple(data["raw"]), tuple(data["calibrated"])
        if len(raw) != len(calibrated) or not raw or list(raw) != sorted(raw):
            raise ValueError("knots must be paired and in ascending raw order")
        return cls(raw, calibrated)


@stage(requires={"speakers"}, produces={"confidence"})
def calibrate_confidences(
    attributions: tuple[Attribution, ...], confidence_map: ConfidenceMap | None
) -> tuple[Attribution, ...]:
    """Each attribution with its confidence mapped through the calibration (unchanged
    without one)."""
    if confidence_map is None:
        return attributions
    return tuple(
        replace(found, confidence=confidence_map.apply(found.confidence)) for found in attributions
    )


def fit_isotonic(confidence: np.ndarray, right: np.ndarray) -> ConfidenceMap:
    """Pool adjacent violators: the non-decreasing step function closest (least squares) to
    rightness by raw confidence; its blocks' mean raw confidences become the knots."""
    order = np.argsort(confidence, kind="stable")
    xs, ys = np.asarray(confidence, float)[order], np.asarray(right, float)[order]
    # Each block: [sum of y, sum of x, count]; merged while a block's mean falls below the last.
    blocks: list[list[float]] = []
    for x, y in zip(xs, ys, strict=True):
        blocks.append([y, x, 1.0])
        while len(blocks) > 1 and blocks[-2][0] / blocks[-2][2] >= blocks[-1][0] / blocks[-1][2]:
            y_sum, x_sum, count = blocks.pop()
            blocks[-1][0] += y_sum
            blocks[-1][1] += x_sum
            blocks[-1][2] += count
    raw = [round(b[1] / b[2], 4) for b in blocks]
    calibrated = [round(b[0] / b[2], 4) for b in blocks]
    # Equal raw means (rounding) would break interpolation: keep the last of each.
    knots = dict(zip(raw, calibrated, strict=True))
    return ConfidenceMap(tuple(knots), tuple(knots.values()))
