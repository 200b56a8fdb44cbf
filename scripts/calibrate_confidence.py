"""Fit the map from the speaker stage's raw confidence to a calibrated one, on PDNC.

Usage: ``.venv/bin/python scripts/calibrate_confidence.py [PDNC_DIR] [--jobs 2]``.

Every novel is analysed end to end with the speaker ranker that never saw it (its fold in
``fabula/data/folds.json``; retrain the ranker first); each matched quotation gives (raw
confidence, was the speaker right). An isotonic (monotone) fit of rightness on raw confidence
is the calibration map. It is checked across novels: the map fit on one half of the novels is
scored on the other half, both ways (the halves are unions of folds, ``calibration_halves``
in folds.json), and the script prints the expected calibration error before and after and a
precision/coverage table. The map fit on all 22 novels is written, with its training record,
to ``src/fabula/data/confidence_calibration.json``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from fabula.attribution.confidence import fit_isotonic
from fabula.evaluation.pdnc import read_novel
from fabula.evaluation.scoring import score_story
from fabula.models import CONFIDENCE_FILE
from fabula.pipeline import analyze
from fabula.settings import Settings
from fabula.training.corpora import SHIPPED_DIR, pdnc_files
from fabula.training.folds import calibration_halves, pdnc_folds
from fabula.training.pdnc import collect_pdnc
from fabula.training.ship import ship

OUTPUT = SHIPPED_DIR / CONFIDENCE_FILE
BINS = 10
COVERAGES = (0.2, 0.4, 0.6, 0.8, 0.9, 1.0)


def novel_points(corpus: Path, name: str) -> tuple[str, list[float], list[bool]]:
    """(novel, raw confidences, rightness) of the quotations fabula matched in one novel."""
    novel = read_novel(corpus, name)
    ranker = pdnc_folds().held_out_fold(name)
    settings = Settings(speaker_ranker=ranker, calibrate_confidence=False)
    story = analyze(novel.text, settings=settings)
    confidence = {quote.id: quote.confidence for quote in story.quotes}
    score = score_story(story, novel)
    matched = [q for q in score.quotes if q.predicted_id is not None]
    return name, [confidence[q.predicted_id] for q in matched], [q.speaker_correct for q in matched]


def expected_calibration_error(confidence: np.ndarray, right: np.ndarray) -> float:
    """Mean |accuracy − confidence| over ten equal-width bins, weighted by their size."""
    bins = np.minimum((confidence * BINS).astype(int), BINS - 1)
    total = 0.0
    for b in range(BINS):
        inside = bins == b
        if inside.any():
            total += inside.sum() * abs(right[inside].mean() - confidence[inside].mean())
    return total / len(confidence)


def main() -> None:
    collected = collect_pdnc(__doc__.splitlines()[0], novel_points)
    points = collected.per_novel
    results = [points[name] for name in collected.novels]
    halves = [[points[name] for name in half] for half in calibration_halves()]
    raw_all, calibrated_all, right_all = [], [], []
    for fit_on, test_on in ((halves[0], halves[1]), (halves[1], halves[0])):
        fitted = fit_isotonic(
            np.concatenate([r[1] for r in fit_on]), np.concatenate([r[2] for r in fit_on])
        )
        raw = np.concatenate([r[1] for r in test_on])
        raw_all.append(raw)
        calibrated_all.append(fitted.apply_many(raw))
        right_all.append(np.concatenate([r[2] for r in test_on]).astype(float))
    raw, calibrated, right = (np.concatenate(x) for x in (raw_all, calibrated_all, right_all))
    print(f"{len(raw)} matched quotations, speaker right {right.mean():.3f}")
    before = expected_calibration_error(raw, right)
    after = expected_calibration_error(calibrated, right)
    print(f"expected calibration error, held-out halves: raw {before:.3f}, calibrated {after:.3f}")
    print("| coverage | precision | threshold (calibrated confidence) |")
    print("|---:|---:|---:|")
    order = np.argsort(-calibrated, kind="stable")
    for coverage in COVERAGES:
        kept = order[: max(int(coverage * len(order)), 1)]
        print(f"| {coverage:.0%} | {right[kept].mean():.1%} | {calibrated[kept[-1]]:.3f} |")
    final = fit_isotonic(
        np.concatenate([r[1] for r in results]), np.concatenate([r[2] for r in results])
    )
    ship(
        OUTPUT,
        final.to_json(),
        script="scripts/calibrate_confidence.py",
        hyperparameters={"fit": "isotonic", "speaker_ranker": "held out", "ece_bins": BINS},
        folds=collected.folds,
        corpus=collected.corpus,
        data=pdnc_files(collected.corpus, collected.novels),
    )
    print(f"wrote {OUTPUT}")


if __name__ == "__main__":
    main()
