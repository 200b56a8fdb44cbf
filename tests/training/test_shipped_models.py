"""The shipped models: each records the folds of folds.json, and one trained on other folds
(a tampered copy) refuses to load for evaluation."""

from __future__ import annotations

import json
import re

import pytest

from fabula import models
from fabula.errors import ConfigError
from fabula.training.corpora import SHIPPED_DIR
from fabula.training.folds import FULL_MODEL, litbank_folds, pdnc_folds
from fabula.training.ship import recorded_folds


@pytest.fixture
def shipped_from(monkeypatch: pytest.MonkeyPatch):
    """Make ``fabula.models`` read one weights file from a given text; caches cleared."""

    def clear() -> None:
        for cached in (
            models._shipped_pdnc_models,
            models.load_speaker_ranker,
            models.load_addressee_model,
        ):
            cached.cache_clear()

    def use(file_name: str, text: str) -> None:
        real = models._shipped_text
        monkeypatch.setattr(
            models, "_shipped_text", lambda name: text if name == file_name else real(name)
        )
        clear()

    yield use
    clear()


def test_every_shipped_model_records_the_folds_of_folds_json() -> None:
    for name, folds in (
        ("speaker_ranker.json", pdnc_folds()),
        ("addressee_model.json", pdnc_folds()),
        ("confidence_calibration.json", pdnc_folds()),
        ("entity_tagger.json", litbank_folds()),
        ("event_tagger.json", litbank_folds()),
    ):
        shipped = json.loads((SHIPPED_DIR / name).read_text())
        folds.check_recorded(recorded_folds(shipped), name)
        training = shipped["training"]
        assert training["hyperparameters"] and re.fullmatch(
            r"[0-9a-f]{64}", training["data_sha256"]
        )
        assert re.match(r"[0-9a-f]{40}", training["commit"]), name


def test_a_ranker_trained_on_other_folds_refuses_to_evaluate(shipped_from) -> None:
    shipped = json.loads((SHIPPED_DIR / models.SPEAKER_RANKER_FILE).read_text())
    held_out = shipped["training"]["folds"]["held_out"]
    held_out["fold1"].append(held_out["fold0"].pop())  # one novel moved to another fold
    shipped_from(models.SPEAKER_RANKER_FILE, json.dumps(shipped))
    with pytest.raises(ConfigError, match=r"other pdnc folds.*retrain"):
        models.load_speaker_ranker("fold0")
    with pytest.raises(ConfigError, match="retrain"):
        models.check_pdnc_folds()
    assert models.load_speaker_ranker(FULL_MODEL) is not None  # everyday use is unaffected


def test_an_addressee_model_without_a_training_record_refuses_to_evaluate(shipped_from) -> None:
    shipped = json.loads((SHIPPED_DIR / models.ADDRESSEE_MODEL_FILE).read_text())
    shipped.pop("training", None)
    shipped_from(models.ADDRESSEE_MODEL_FILE, json.dumps(shipped))
    with pytest.raises(ConfigError, match="records no pdnc folds; retrain"):
        models.load_addressee_model("fold2")


def test_eval_pdnc_says_in_one_line_to_retrain(shipped_from, tmp_path) -> None:
    from click.testing import CliRunner

    from fabula.cli import main
    from fabula.commands.exits import EXIT_CONFIG

    novel = tmp_path / "data" / "Emma"
    novel.mkdir(parents=True)
    (novel / "novel_text.txt").write_text("Written for this test.")
    shipped = json.loads((SHIPPED_DIR / models.SPEAKER_RANKER_FILE).read_text())
    shipped["training"]["folds"]["held_out"]["fold3"] = []
    shipped_from(models.SPEAKER_RANKER_FILE, json.dumps(shipped))
    result = CliRunner().invoke(main, ["eval", "pdnc", str(tmp_path)])
    assert result.exit_code == EXIT_CONFIG
    [line] = result.stderr.splitlines()
    assert line.startswith("fabula: speaker_ranker.json was trained on other pdnc folds")
    assert "retrain" in line
