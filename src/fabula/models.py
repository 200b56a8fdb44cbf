"""The only place fabula's own trained models are loaded, as one bundle the stages receive.

Each weights file lives in ``fabula/data``, is read once per process and checked against the
features the code computes; a fold model (for evaluation) is also checked against the folds of
``fabula/data/folds.json``. ``load_models(settings)`` gives the bundle a run uses. (The spaCy
pipeline and VADER are language resources: ``fabula/nlp.py``.)
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from fabula.analysis.events import FEATURE_VERSION, EventTagger
from fabula.attribution.addressees import AddresseeModel
from fabula.attribution.confidence import ConfidenceMap
from fabula.attribution.conversation import FEATURES as ADDRESSEE_FEATURES
from fabula.attribution.ranker import FEATURES, SpeakerRanker
from fabula.errors import ConfigError
from fabula.language.entities import EntityTagger
from fabula.settings import Settings
from fabula.training.folds import FULL_MODEL, pdnc_folds
from fabula.training.ship import recorded_folds

SPEAKER_RANKER_FILE = "speaker_ranker.json"
ADDRESSEE_MODEL_FILE = "addressee_model.json"
EVENT_TAGGER_FILE = "event_tagger.json"
ENTITY_TAGGER_FILE = "entity_tagger.json"
CONFIDENCE_FILE = "confidence_calibration.json"
_PDNC_FEATURES = {SPEAKER_RANKER_FILE: FEATURES, ADDRESSEE_MODEL_FILE: ADDRESSEE_FEATURES}


@dataclass(frozen=True, slots=True)
class Models:
    """Every trained model one analysis uses; ``None`` where the settings turn one off."""

    speaker_ranker: SpeakerRanker | None
    addressee_model: AddresseeModel | None
    entity_tagger: EntityTagger
    event_tagger: EventTagger
    confidence_map: ConfidenceMap | None


def load_models(settings: Settings) -> Models:
    """The bundle the settings ask for; each model is read from disk once per process."""
    return Models(
        speaker_ranker=(
            load_speaker_ranker(settings.speaker_ranker) if settings.speaker_ranker else None
        ),
        addressee_model=(
            load_addressee_model(settings.addressee_model) if settings.addressee_model else None
        ),
        entity_tagger=load_entity_tagger(settings.entity_tagger),
        event_tagger=load_event_tagger(),
        confidence_map=load_confidence_map() if settings.calibrate_confidence else None,
    )


def _shipped_text(name: str) -> str:
    return resources.files("fabula.data").joinpath(name).read_text("utf-8")


@functools.cache
def _shipped_pdnc_models(file_name: str) -> dict:
    """A shipped file of PDNC-trained models (one per fold, and "all"), read and checked
    against the features the code computes once per process."""
    shipped = json.loads(_shipped_text(file_name))
    if tuple(shipped["features"]) != _PDNC_FEATURES[file_name]:
        raise ConfigError(f"{file_name} was trained on other features; retrain it")
    return shipped


def _pdnc_weights(file_name: str, name: str) -> dict:
    """One model's weights from a PDNC models file. A fold model is for evaluation: it loads
    only if the file was trained on the folds of ``folds.json``."""
    shipped = _shipped_pdnc_models(file_name)
    models = shipped["models"]
    if name not in models:
        known = ", ".join(sorted(models))
        raise ConfigError(f"no model named {name!r} in {file_name} (known: {known})")
    if name != FULL_MODEL:
        pdnc_folds().check_recorded(recorded_folds(shipped), file_name)
    return models[name]["weights"]


def check_pdnc_folds() -> None:
    """Refuse to evaluate on PDNC with a shipped speaker ranker or addressee model trained on
    other folds than ``folds.json`` (``fabula eval pdnc`` calls this before it starts)."""
    for file_name in _PDNC_FEATURES:
        pdnc_folds().check_recorded(recorded_folds(_shipped_pdnc_models(file_name)), file_name)


@functools.cache
def load_speaker_ranker(name: str) -> SpeakerRanker:
    """Load one of the shipped speaker rankers by name ("all", "fold0", ...)."""
    return SpeakerRanker.from_json(_pdnc_weights(SPEAKER_RANKER_FILE, name))


@functools.cache
def load_addressee_model(name: str) -> AddresseeModel:
    """Load one of the shipped addressee models by name ("all", "fold0", ...)."""
    return AddresseeModel.from_json(_pdnc_weights(ADDRESSEE_MODEL_FILE, name))


@functools.cache
def load_event_tagger() -> EventTagger:
    """The shipped realis-event tagger (trained on all of LitBank's event excerpts)."""
    shipped = json.loads(_shipped_text(EVENT_TAGGER_FILE))
    if shipped.get("features") != FEATURE_VERSION:
        raise ConfigError(f"{EVENT_TAGGER_FILE} was trained on other features; retrain it")
    return EventTagger.from_json(shipped)


@functools.cache
def load_entity_tagger(path: str | None = None) -> EntityTagger:
    """The shipped entity tagger (see ``fabula.language.entities``), or the one in the JSON
    file ``path``; read once per process."""
    if path is None:
        text = _shipped_text(ENTITY_TAGGER_FILE)
    else:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as error:
            raise ConfigError(f"cannot read the entity tagger {path}: {error.strerror}") from error
    try:
        return EntityTagger.from_json(json.loads(text))
    except ValueError as error:
        raise ConfigError(f"{ENTITY_TAGGER_FILE}: {error}; retrain it") from error


@functools.cache
def load_confidence_map() -> ConfidenceMap:
    """The shipped map from raw to calibrated speaker confidence."""
    try:
        return ConfidenceMap.from_json(json.loads(_shipped_text(CONFIDENCE_FILE)))
    except (ValueError, KeyError) as error:
        raise ConfigError(f"{CONFIDENCE_FILE}: {error}; refit it") from error
