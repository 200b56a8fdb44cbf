"""Train fabula's addressee model on PDNC, leave-novels-out, and ship its weights.

Usage: python scripts/train_addressee_model.py [PDNC_DIR] [--jobs 2]

Runs the pipeline twice per novel (finding the cast itself, and given the gold cast), each
time with the speaker ranker that never saw the novel, so the model learns from speakers as
wrong as they will be in use. Every candidate addressee of every quotation matched to a gold
one is labelled by whether it maps to a gold addressee. The model (a logistic unit plus a
small tanh layer; see fabula.attribution.addressees) is fitted with numpy, and its threshold
for adding more addressees is the one that maximises the training quotations' F1.

The folds are the speaker ranker's (``fabula.nlp.speaker_ranker_folds``), so ``fabula eval
pdnc`` scores each novel with a ranker and an addressee model that both left it out. Writes
src/fabula/data/addressee_model.json and prints each fold's held-out F1 against the rule's.
"""

from __future__ import annotations

import argparse
import json
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path

import numpy as np

from fabula.attribution.addressees import (
    FEATURES,
    AddresseeCandidate,
    AddresseeModel,
    rule_addressees,
)
from fabula.attribution.scorer import fit_weights
from fabula.evaluation.command import held_out_fold
from fabula.evaluation.pdnc import GoldNovel, gold_cast, list_novels, read_novel
from fabula.evaluation.scoring import map_characters, match_quotes
from fabula.model import KnownCharacter, SourceText
from fabula.models import speaker_ranker_folds
from fabula.pipeline import analyze_source
from fabula.settings import Settings

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "data" / "pdnc"
OUTPUT = REPO / "src" / "fabula" / "data" / "addressee_model.json"
L2 = 1e-4
STEPS = 800
LEARNING_RATE = 0.02
HIDDEN_UNITS = 16
THRESHOLDS = tuple(np.round(np.arange(0.2, 0.75, 0.05), 2))


class Line:
    """One quotation's candidates: features, the gold id each maps to, the gold addressees."""

    def __init__(self, candidates: list[AddresseeCandidate], gold_ids: list, gold: set[str]):
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
        return 2 * len(found & self.gold) / (len(found) + len(self.gold))


def collect(corpus: Path, name: str) -> list[Line]:
    """The candidate lines of one novel, with the system's cast and with the gold cast."""
    novel = read_novel(corpus, name)
    return _collect(novel, None) + _collect(novel, gold_cast(novel))


def _collect(novel: GoldNovel, cast: tuple[KnownCharacter, ...] | None) -> list[Line]:
    seen: list[tuple[int, list[AddresseeCandidate]]] = []
    story = analyze_source(
        SourceText(novel.text),
        cast,
        settings=Settings(speaker_ranker=held_out_fold(novel.name), addressee_model=None),
        addressee_candidates=lambda index, candidates: seen.append((index, candidates)),
    )
    to_gold = map_characters(story.characters, novel)
    gold_by_id = {gold.id: gold for gold in novel.quotes}
    addressees_of = {
        quote.id: set(gold_by_id[gold_id].addressees)
        for gold_id, quote in match_quotes(story.quotes, novel.quotes).items()
    }
    lines = []
    for index, candidates in seen:
        gold = addressees_of.get(story.quotes[index].id)
        if gold and candidates:
            lines.append(Line(candidates, [to_gold.get(c.character) for c in candidates], gold))
    return lines


def fit(lines: list[Line], seed: int = 0) -> AddresseeModel:
    """Logistic loss over every candidate by full-batch Adam; then the best threshold."""
    features = np.vstack([line.features for line in lines])
    labels = np.concatenate([line.labels for line in lines])
    params = fit_weights(
        features,
        lambda scores: (1.0 / (1.0 + np.exp(-scores)) - labels) / len(labels),
        units=HIDDEN_UNITS,
        hidden_scale=0.1,
        steps=STEPS,
        learning_rate=LEARNING_RATE,
        l2=L2,
        seed=seed,
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()

    novels = list(list_novels(args.corpus))
    with ProcessPoolExecutor(args.jobs) as pool:
        per_novel = dict(
            zip(novels, pool.map(collect, [args.corpus] * len(novels), novels), strict=True)
        )

    models: dict[str, dict] = {}
    for fold, held_out in sorted(speaker_ranker_folds().items()):
        train = [line for n in novels if n not in held_out for line in per_novel[n]]
        test = [line for n in held_out if n in per_novel for line in per_novel[n]]
        model = fit(train)
        print(f"{fold}: held out {', '.join(held_out)}; threshold {model.threshold}")
        print(
            f"  held-out lines {len(test)}: F1 model {f1_sum(test, model) / len(test):.3f},"
            f" rule {f1_sum(test, None) / len(test):.3f}"
        )
        models[fold] = {"held_out": list(held_out), "weights": model.to_json()}
    model = fit([line for n in novels for line in per_novel[n]])
    models["all"] = {"held_out": [], "weights": model.to_json()}
    OUTPUT.write_text(json.dumps({"features": list(FEATURES), "models": models}, indent=1) + "\n")
    print(f"wrote {OUTPUT}")


if __name__ == "__main__":
    main()
