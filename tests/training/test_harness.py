"""The training harness: folds, the one F1, the one Adam step, ship() and the fold check."""

from __future__ import annotations

import json
import random
import re
import subprocess
from pathlib import Path

import numpy as np
import pytest

from fabula.errors import ConfigError, InputError
from fabula.training.corpora import pdnc_dir
from fabula.training.folds import (
    FULL_MODEL,
    Folds,
    calibration_halves,
    litbank_folds,
    pdnc_folds,
)
from fabula.training.metrics import PRF
from fabula.training.optimiser import Adam
from fabula.training.ship import data_sha256, git_commit, recorded_folds, ship
from fabula.training.tanh import TanhTraining, fit_tanh_scorer

PDNC_FOLDS = 4
LITBANK_FOLDS = 10
SEALED_SEED = 20261202


def test_pdnc_folds_are_novel_i_in_fold_i_mod_4() -> None:
    folds = pdnc_folds()
    novels = folds.documents
    assert len(novels) == 22
    assert folds.names == tuple(f"fold{k}" for k in range(PDNC_FOLDS))
    for index, novel in enumerate(novels):
        assert folds.held_out_fold(novel) == f"fold{index % PDNC_FOLDS}"
    assert folds.held_out_fold("Emma") == "fold1"
    assert folds.held_out_fold("NoSuchNovel") == FULL_MODEL


def test_litbank_folds_are_excerpt_i_in_fold_i_mod_10() -> None:
    folds = litbank_folds()
    excerpts = folds.documents
    assert len(excerpts) == 100
    assert [len(folds.held_out[name]) for name in folds.names] == [10] * LITBANK_FOLDS
    for index, excerpt in enumerate(excerpts):
        assert folds.held_out_fold(excerpt) == f"fold{index % LITBANK_FOLDS}"


def test_the_sealed_novels_are_the_recorded_sample_and_stay_in_their_folds() -> None:
    folds = pdnc_folds()
    chosen = random.Random(SEALED_SEED).sample(sorted(folds.documents), 6)
    assert sorted(folds.sealed) == sorted(chosen)
    assert folds.sealed == (
        "AHandfulOfDust",
        "DaisyMiller",
        "Emma",
        "Persuasion",
        "TheManWhoWasThursday",
        "TheSignOfTheFour",
    )
    assert all(folds.held_out_fold(novel) != FULL_MODEL for novel in folds.sealed)


def test_a_fold_trains_on_every_other_document_and_halves_are_folds() -> None:
    folds = pdnc_folds()
    for name in folds.names:
        training = folds.training(name)
        assert set(training) | set(folds.held_out[name]) == set(folds.documents)
        assert not set(training) & set(folds.held_out[name])
    even, odd = calibration_halves()
    assert even == folds.documents[0::2] and odd == folds.documents[1::2]


def test_splits_give_each_folds_items_in_corpus_order() -> None:
    folds = Folds("toy", {"fold0": ("a", "c"), "fold1": ("b",)})
    per_document = {"a": [1, 2], "b": [3], "c": [4]}
    assert list(folds.splits(per_document)) == [
        ("fold0", [3], [1, 2, 4]),
        ("fold1", [1, 2, 4], [3]),
    ]


def test_fit_models_fits_each_fold_without_its_documents_then_all() -> None:
    folds = Folds("toy", {"fold0": ("a", "c"), "fold1": ("b",)})
    reported: list[tuple[str, list[int], int]] = []
    fitted = folds.fit_models(
        {"a": [1, 2], "b": [3], "c": [4]},
        sum,
        lambda fold, test, model: reported.append((fold, test, model)),
    )
    assert fitted == {"fold0": 3, "fold1": 7, FULL_MODEL: 10}
    assert reported == [("fold0", [1, 2, 4], 3), ("fold1", [3], 7)]


def test_the_folds_match_the_corpus_listing(pdnc_dir: Path) -> None:
    from fabula.evaluation.pdnc import list_novels

    assert pdnc_folds().check_corpus(list_novels(pdnc_dir)) == list_novels(pdnc_dir)


def test_a_corpus_missing_a_fold_document_is_refused() -> None:
    with pytest.raises(InputError, match="lacks Emma"):
        pdnc_folds().check_corpus([n for n in pdnc_folds().documents if n != "Emma"])


def test_precision_recall_and_f1_from_fixed_counts() -> None:
    counts = PRF(correct=3, predicted=4, gold=6)
    assert (counts.precision, counts.recall, counts.f1) == (0.75, 0.5, 0.6)
    assert PRF().f1 == 0.0 and PRF(0, 5, 0).precision == 0.0
    assert counts + PRF(1, 1, 2) == PRF(4, 5, 8)
    assert PRF.of_sets({"a", "b", "x"}, {"a", "b", "c", "d"}) == PRF(2, 3, 4)
    assert "F1 60.0" in counts.summary()


def test_one_adam_step_moves_each_weight_by_the_learning_rate() -> None:
    """On the first step the bias-corrected moments are g and g², so each weight moves by
    ``rate · g / (|g| + ε)``."""
    weights = np.array([1.0, -2.0, 0.5])
    gradient = np.array([0.3, -4.0, 0.0])
    Adam(0.1).step({"w": weights}, {"w": gradient})
    expected = np.array([1.0, -2.0, 0.5]) - 0.1 * gradient / (np.abs(gradient) + 1e-8)
    assert np.allclose(weights, expected, rtol=0, atol=1e-12)


def test_adam_finds_the_minimum_of_a_quadratic() -> None:
    target = np.array([3.0, -1.0])
    value = np.zeros(2)
    adam = Adam(0.05)
    for _ in range(2000):
        adam.step({"x": value}, {"x": 2 * (value - target)})
    assert np.allclose(value, target, atol=1e-3)
    assert adam.steps == 2000


def test_lazy_rows_move_only_the_rows_given() -> None:
    dense = np.ones((4, 2))
    lazy = np.ones((4, 2))
    gradient = np.array([[0.5, -0.5], [2.0, 1.0]])
    rows = np.array([1, 3])
    full_gradient = np.zeros((4, 2))
    full_gradient[rows] = gradient
    Adam(0.01).step({"w": dense}, {"w": full_gradient})
    Adam(0.01).step_rows("w", lazy, rows, gradient)
    assert np.array_equal(lazy[rows], dense[rows])
    assert np.array_equal(lazy[[0, 2]], np.ones((2, 2)))


def test_the_tanh_scorer_learns_a_separable_problem() -> None:
    features = np.array([[1.0, 0.0], [0.0, 1.0]] * 20)
    labels = np.array([1.0, 0.0] * 20)
    params = fit_tanh_scorer(
        features,
        lambda scores: (1 / (1 + np.exp(-scores)) - labels) / len(labels),
        TanhTraining(units=4, hidden_scale=0.1, steps=200, learning_rate=0.05, l2=0.0),
    )
    scores = features @ params["linear"] + np.tanh(features @ params["hidden"]) @ params["output"]
    assert np.all((scores > 0) == (labels == 1))


def _toy_corpus(root: Path) -> list[Path]:
    (root / "a").mkdir(parents=True)
    files = [root / "a" / "one.txt", root / "two.txt"]
    files[0].write_text("first")
    files[1].write_text("second")
    return files


def test_the_data_hash_depends_on_content_not_on_the_folder(tmp_path: Path) -> None:
    here = _toy_corpus(tmp_path / "here")
    there = _toy_corpus(tmp_path / "there")
    assert data_sha256(tmp_path / "here", here) == data_sha256(tmp_path / "there", there)
    there[1].write_text("changed")
    assert data_sha256(tmp_path / "here", here) != data_sha256(tmp_path / "there", there)


def test_ship_writes_the_weights_with_their_training_record(tmp_path: Path) -> None:
    files = _toy_corpus(tmp_path / "corpus")
    path = tmp_path / "model.json"
    record = ship(
        path,
        {"weights": [0.5]},
        script="scripts/train_toy.py",
        hyperparameters={"steps": 3},
        folds=pdnc_folds(),
        corpus=tmp_path / "corpus",
        data=files,
    )
    shipped = json.loads(path.read_text())
    assert shipped["weights"] == [0.5]
    training = shipped["training"]
    assert training["script"] == "scripts/train_toy.py"
    assert training["hyperparameters"] == {"steps": 3}
    assert training["data_sha256"] == data_sha256(tmp_path / "corpus", files)
    # tmp_path is no git checkout: the commit says so rather than guessing.
    assert training["commit"] == record.commit == "unknown"
    assert recorded_folds(shipped) == pdnc_folds().to_json()
    pdnc_folds().check_recorded(recorded_folds(shipped), "model.json")


def test_the_commit_is_recorded_and_uncommitted_changes_are_marked(tmp_path: Path) -> None:
    def git(*arguments: str) -> str:
        result = subprocess.run(["git", "-C", str(tmp_path), *arguments], capture_output=True)
        return result.stdout.decode().strip()

    git("init", "-q")
    (tmp_path / "features.py").write_text("A = 1\n")
    git("add", "features.py")
    git("-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "features")
    head = git("rev-parse", "HEAD")
    assert re.fullmatch(r"[0-9a-f]{40}", head)
    assert git_commit(tmp_path) == head
    (tmp_path / "features.py").write_text("A = 2\n")
    assert git_commit(tmp_path) == head + "+uncommitted"


def test_fold_taggers_for_coreference_must_have_the_litbank_folds(tmp_path: Path) -> None:
    from fabula.evaluation.command import _held_out_taggers

    folds = litbank_folds()
    for fold in folds.names:
        record = {"training": {"folds": folds.to_json()}, "fold": fold}
        (tmp_path / f"{fold}.json").write_text(json.dumps(record))
    names = list(folds.documents[:3])
    assert _held_out_taggers(tmp_path, names) == [str(tmp_path / f"fold{k}.json") for k in range(3)]
    tampered = folds.to_json()
    tampered["held_out"]["fold0"] = tampered["held_out"]["fold0"][1:]
    (tmp_path / "fold0.json").write_text(json.dumps({"training": {"folds": tampered}}))
    with pytest.raises(ConfigError, match="retrain"):
        _held_out_taggers(tmp_path, names)


def test_the_default_corpora_are_beside_the_repository() -> None:
    assert pdnc_dir().parts[-3:] == ("shared", "data", "pdnc")
