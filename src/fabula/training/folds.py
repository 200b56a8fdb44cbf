"""The one fold assignment per training corpus, shipped in ``fabula/data/folds.json``.

Every model trained on PDNC (speaker ranker, addressee model, confidence calibration) uses the
PDNC folds, and both LitBank taggers (entities, events) the LitBank folds, so a model chain
never evaluates a text one of its models saw. Each shipped model records the folds it was
trained with (``fabula.training.ship``); ``fabula.models`` refuses to load a fold model for
evaluation when they disagree with this file.

>>> pdnc_folds().held_out_fold("Emma")
'fold1'
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import TypeVar

from fabula.errors import ConfigError, InputError

FOLDS_FILE = "folds.json"
# The model trained on every document, for everyday use; it is fair for evaluation only on a
# document in no fold (one no model in the file was trained on).
FULL_MODEL = "all"
T = TypeVar("T")
M = TypeVar("M")


@dataclass(frozen=True, slots=True)
class Folds:
    """A corpus's documents split into cross-validation folds (fold name -> held-out
    documents, each in corpus order)."""

    corpus: str
    held_out: Mapping[str, tuple[str, ...]]
    sealed: tuple[str, ...] = ()  # never tuned on: scored only to confirm a finished change

    @classmethod
    def from_json(cls, corpus: str, data: dict) -> Folds:
        held_out = {name: tuple(docs) for name, docs in data["folds"].items()}
        return cls(corpus, held_out, tuple(data.get("sealed", {}).get("documents", ())))

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self.held_out)

    @property
    def documents(self) -> tuple[str, ...]:
        """Every document in some fold, in corpus (sorted) order."""
        return tuple(sorted(doc for docs in self.held_out.values() for doc in docs))

    def held_out_fold(self, document: str) -> str:
        """The fold whose models never saw this document ("all" for a document in no fold:
        no model was trained on it)."""
        for name, documents in self.held_out.items():
            if document in documents:
                return name
        return FULL_MODEL

    def training(self, fold: str) -> tuple[str, ...]:
        """The documents a fold's model learns from: all but its held-out ones."""
        return tuple(doc for doc in self.documents if doc not in self.held_out[fold])

    def splits(
        self, per_document: Mapping[str, Sequence[T]]
    ) -> Iterator[tuple[str, list[T], list[T]]]:
        """Each fold's name, the items of its training documents and of its held-out ones."""
        for fold in self.names:
            train = [item for doc in self.training(fold) for item in per_document[doc]]
            test = [item for doc in self.held_out[fold] for item in per_document[doc]]
            yield fold, train, test

    def fit_models(
        self,
        per_document: Mapping[str, Sequence[T]],
        fit: Callable[[list[T]], M],
        report: Callable[[str, list[T], M], None],
    ) -> dict[str, M]:
        """One model per fold, fitted without its held-out documents and ``report``-ed on them
        (fold name, held-out items, model), and the model fitted on every document ("all")."""
        models: dict[str, M] = {}
        for fold, train, test in self.splits(per_document):
            models[fold] = fit(train)
            report(fold, test, models[fold])
        models[FULL_MODEL] = fit([item for doc in self.documents for item in per_document[doc]])
        return models

    def union(self, folds: Iterable[str]) -> tuple[str, ...]:
        """The documents of several folds, in corpus order."""
        return tuple(sorted(doc for name in folds for doc in self.held_out[name]))

    def to_json(self) -> dict:
        return {"corpus": self.corpus, "held_out": {k: list(v) for k, v in self.held_out.items()}}

    def check_corpus(self, available: Sequence[str]) -> tuple[str, ...]:
        """The fold documents, after checking the corpus holds every one of them; documents
        the corpus has beyond the folds are left out of training (so "all" stays fair on
        them)."""
        present = set(available)
        missing = [doc for doc in self.documents if doc not in present]
        if missing:
            raise InputError(
                f"the {self.corpus} corpus lacks {missing[0]} (and {len(missing) - 1} more) of"
                f" the documents in {FOLDS_FILE}"
            )
        return self.documents

    def check_recorded(self, recorded: dict | None, what: str) -> None:
        """Refuse a model whose recorded folds (``Folds.to_json`` at training time) are not
        these: its held-out scores would include documents it learnt from."""
        if recorded is None or recorded.get("corpus") != self.corpus:
            raise ConfigError(f"{what} records no {self.corpus} folds; retrain it")
        if recorded.get("held_out") != self.to_json()["held_out"]:
            raise ConfigError(
                f"{what} was trained on other {self.corpus} folds than fabula/data/{FOLDS_FILE};"
                " retrain it before evaluating with it"
            )


@functools.cache
def _shipped() -> dict:
    return json.loads(resources.files("fabula.data").joinpath(FOLDS_FILE).read_text("utf-8"))


def pdnc_folds() -> Folds:
    """The PDNC folds: novel i of the 22 sorted novel folders is in fold i % 4."""
    return Folds.from_json("pdnc", _shipped()["pdnc"])


def litbank_folds() -> Folds:
    """The LitBank folds: excerpt i of the 100 sorted excerpt names is in fold i % 10."""
    return Folds.from_json("litbank", _shipped()["litbank"])


def calibration_halves() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The two halves of PDNC the confidence calibration is checked on (each fit on one,
    scored on the other): unions of folds, so the rankers behind them stay held out too."""
    folds = pdnc_folds()
    first, second = _shipped()["pdnc"]["calibration_halves"]
    return folds.union(first), folds.union(second)
