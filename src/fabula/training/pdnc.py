"""The run the PDNC-trained models share: collect something from each novel of the PDNC
folds; for the speaker ranker and the addressee model, fit one model per fold and one on all
and ship them in one file."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, Protocol, TypeVar

from fabula.evaluation.pdnc import list_novels
from fabula.training.corpora import map_documents, pdnc_dir, pdnc_files, require_dir
from fabula.training.folds import Folds, pdnc_folds
from fabula.training.ship import ship

T = TypeVar("T")


class Shippable(Protocol):
    def to_json(self) -> dict: ...


M = TypeVar("M", bound=Shippable)


@dataclass(frozen=True, slots=True)
class Collected(Generic[T]):
    """What a script collected from each novel of the PDNC folds."""

    folds: Folds
    corpus: Path
    novels: tuple[str, ...]
    per_novel: dict[str, T]


def collect_pdnc(description: str, collect: Callable[[Path, str], T]) -> Collected[T]:
    """``[PDNC_DIR] [--jobs N]`` from the command line, then ``collect(corpus, novel)`` over
    the novels of the PDNC folds, ``--jobs`` at a time."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("corpus", nargs="?", type=Path, default=pdnc_dir())
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    folds = pdnc_folds()
    corpus = require_dir(args.corpus, "PDNC")
    novels = folds.check_corpus(list_novels(corpus))
    return Collected(folds, corpus, novels, map_documents(collect, corpus, novels, args.jobs))


def train_pdnc_models(
    description: str,
    collect: Callable[[Path, str], list[T]],
    fit: Callable[[list[T]], M],
    report: Callable[[str, list[T], M], None],
    *,
    output: Path,
    features: Sequence[str],
    script: str,
    hyperparameters: Mapping[str, object],
) -> None:
    """A training script's ``main``: ``collect_pdnc``, then ``fit`` per fold (each
    ``report``-ed on its held-out novels) and on all, and the models shipped to ``output``."""
    collected = collect_pdnc(description, collect)
    fitted = collected.folds.fit_models(collected.per_novel, fit, report)
    ship(
        output,
        {
            "features": list(features),
            "models": {name: {"weights": model.to_json()} for name, model in fitted.items()},
        },
        script=script,
        hyperparameters=hyperparameters,
        folds=collected.folds,
        corpus=collected.corpus,
        data=pdnc_files(collected.corpus, collected.novels),
    )
    print(f"wrote {output}")
