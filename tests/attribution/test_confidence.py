"""Calibrating speaker confidence: a monotone fit, and the shipped map is sane."""

from __future__ import annotations

import numpy as np
import pytest

from fabula.attribution.confidence import ConfidenceMap, fit_isotonic
from fabula.models import load_confidence_map


def test_isotonic_fit_is_monotone_and_matches_the_rates() -> None:
    raw = np.array([0.1, 0.2, 0.3, 0.4, 0.9, 0.95])
    right = np.array([0, 1, 0, 1, 1, 1])
    fitted = fit_isotonic(raw, right)
    assert list(fitted.calibrated) == sorted(fitted.calibrated)
    # 0.1 is wrong alone; 0.2 and 0.3 pool to one half; the rest are always right.
    assert fitted.apply(0.1) == 0.0 and fitted.apply(0.25) == pytest.approx(0.5)
    assert fitted.apply(0.95) == 1.0 and fitted.apply(2.0) == 1.0


def test_a_map_survives_json_and_refuses_bad_knots() -> None:
    confidence_map = ConfidenceMap((0.2, 0.8), (0.1, 0.7))
    assert ConfidenceMap.from_json(confidence_map.to_json()) == confidence_map
    assert confidence_map.apply(0.5) == pytest.approx(0.4)
    with pytest.raises(ValueError):
        ConfidenceMap.from_json({"raw": [0.8, 0.2], "calibrated": [0.1, 0.7]})


def test_the_shipped_map_is_monotone_within_zero_and_one() -> None:
    shipped = load_confidence_map()
    assert list(shipped.calibrated) == sorted(shipped.calibrated)
    assert all(0.0 <= value <= 1.0 for value in shipped.calibrated)
