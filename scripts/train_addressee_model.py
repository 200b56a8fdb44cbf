"""Train fabula's addressee model on PDNC, leave-novels-out, and ship its weights.

Usage: python scripts/train_addressee_model.py [PDNC_DIR] [--jobs 2]

Runs the pipeline twice per novel (finding the cast itself, and given the gold cast), each
time with the speaker ranker that never saw the novel, so the model learns from speakers as
wrong as they will be in use. Every candidate addressee of every quotation matched to a gold
one is labelled by whether it maps to a gold addressee. The model (a logistic unit plus a
small tanh layer; see fabula.attribution.addressees) is fitted with numpy, and its threshold
for adding more addressees is the one that maximises the training quotations' F1.

The folds are the speaker ranker's, those of ``fabula/data/folds.json``, so ``fabula eval
pdnc`` scores each novel with a ranker and an addressee model that both left it out: retrain
the ranker first. Writes src/fabula/data/addressee_model.json with its training record and
prints each fold's held-out F1 against the rule's.
"""

from __future__ import annotations

from dataclasses import asdict, replace
from pathlib import Path

import numpy as np

from fabula.attribution.addressees import FEATURES, AddresseeModel, rule_addressees
from fabula.attribution.scorer import Candidate
from fabula.evaluation.pdnc import GoldNovel, gold_cast, read_novel
from fabula.evaluation.scoring import map_characters, match_quotes
from fabula.model import KnownCharacter, SourceText
from fabula.models import ADDRESSEE_MODEL_FILE, load_models
from fabula.pipeline import Observer, Pipeline
from fabula.settings import Settings
from fabula.training.corpora import SHIPPED_DIR
from fabula.training.folds import pdnc_folds
from fabula.training.metrics import PRF
from fabula.training.pdnc import train_pdnc_models
from fabula.training.tanh import TanhTraining, fit_tanh_scorer

OUTPUT = SHIPPED_DIR / ADDRESSEE_MODEL_FILE
HYPERPARAMETERS = TanhTraining(units=16, hidden_scale=0.1, steps=800, learning_rate=0.02, l2=1e-4)
THRESHOLDS = tuple(np.round(np.arange(0.2, 0.75, 0.05), 2))


class Line:
    """One quotation's candidates: features, the gold id each maps to, the gold addressees."""

    def __init__(self, candidates: list[Candidate], gold_ids: list, gold: set[str]):
        self.candidates = candidates
        self.features = np.array([c.features for c in candidates], dtype=float)
        self.gold_ids = gold_ids
        self.gold = gold

    @property
    def labels(self) -> np.ndarray:
        return np.array([g in self.gold for g in self.gold_ids], dtype=float)

    def f1(self, chosen: tuple) -> float:
        """PDNC's addressee F1 (``fabula.evaluation.scoring``): unmapped picks don't count."""
        picked = set(chosen)
        found = {
            g for c, g in zip(self.candidates, self.gold_ids, strict=True) if c.character in picked
        }
        found.discard(None)
        return PRF.of_sets(found, self.gold).f1


class _Candidates(Observer):
    """Every attributed quotation's addressee candidates."""

    def __init__(self) -> None:
        self.seen: list[tuple[int, list[Candidate]]] = []

    def addressee_candidates(self, quote_index: int, candidates: list[Candidate]) -> None:
        self.seen.append((quote_index, candidates))


def collect(corpus: Path, name: str) -> list[Line]:
    """The candidate lines of one novel, with the system's cast and with the gold cast."""
    novel = read_novel(corpus, name)
    return _collect(novel, None) + _collect(novel, gold_cast(novel))


def _collect(novel: GoldNovel, cast: tuple[KnownCharacter, ...] | None) -> list[Line]:
    ranker = pdnc_folds().held_out_fold(novel.name)
    settings = Settings(speaker_ranker=ranker, addressee_model=None)
    observer = _Candidates()
    story = Pipeline(settings, load_models(settings), observer).run(SourceText(novel.text), cast)
    to_gold = map_characters(story.characters, novel)
    gold_by_id = {gold.id: gold for gold in novel.quotes}
    addressees_of = {
        quote.id: set(gold_by_id[gold_id].addressees)
        for gold_id, quote in match_quotes(story.quotes, novel.quotes).items()
    }
    lines = []
    for index, candidates in observer.seen:
        gold = addressees_of.get(story.quotes[index].id)
        if gold and candidates:
            lines.append(Line(candidates, [to_gold.get(c.character) for c in candidates], gold))
    return lines


def fit(lines: list[Line]) -> AddresseeModel:
    """Logistic loss over every candidate by full-batch Adam; then the best threshold."""
    features = np.vstack([line.features for line in lines])
    labels = np.concatenate([line.labels for line in lines])
    params = fit_tanh_scorer(
        features,
        lambda scores: (1.0 / (1.0 + np.exp(-scores)) - labels) / len(labels),
        HYPERPARAMETERS,
    )
    untuned = AddresseeModel(**params, threshold=0.5)
    best = max(THRESHOLDS, key=lambda t: f1_sum(lines, replace(untuned, threshold=t)))
    return replace(untuned, threshold=float(best))


def f1_sum(lines: list[Line], model: AddresseeModel | None) -> float:
    """Summed F1 of the model's (or, for None, the rule's) choices."""
    return sum(
        line.f1(model.choose(line.candidates) if model else rule_addressees(line.candidates))
        for line in lines
    )


def report(fold: str, test: list[Line], model: AddresseeModel) -> None:
    print(f"{fold}: held out {', '.join(pdnc_folds().held_out[fold])}; threshold {model.threshold}")
    print(
        f"  held-out lines {len(test)}: F1 model {f1_sum(test, model) / len(test):.3f},"
        f" rule {f1_sum(test, None) / len(test):.3f}"
    )


def main() -> None:
    train_pdnc_models(
        __doc__.splitlines()[0],
        collect,
        fit,
        report,
        output=OUTPUT,
        features=FEATURES,
        script="scripts/train_addressee_model.py",
        hyperparameters=asdict(HYPERPARAMETERS) | {"thresholds": [float(t) for t in THRESHOLDS]},
    )


if __name__ == "__main__":
    main()
