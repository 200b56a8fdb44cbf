"""Train fabula's speaker ranker on PDNC, leave-novels-out, and ship its weights.

Usage: python scripts/train_speaker_ranker.py [PDNC_DIR] [--jobs 2]

Runs the pipeline with the ranker off twice per novel, once finding the cast itself (as users
run it) and once given the novel's gold cast, collects every turn the ranker would re-decide
with its candidates, labels the candidate that maps to the gold speaker, and fits the ranker
(a softmax over a turn's candidates; see fabula.attribution.ranker) with numpy. It writes one
model per fold of ``fabula/data/folds.json`` (``fabula eval pdnc`` scores each novel with the
fold that left it out) and a model trained on all novels for everyday use, to
src/fabula/data/speaker_ranker.json with its training record (fabula.training.ship), and
prints the held-out turn accuracy per fold.
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import numpy as np

from fabula.attribution.ranker import FEATURES, SpeakerRanker
from fabula.attribution.scorer import Candidate
from fabula.evaluation.pdnc import GoldNovel, gold_cast, read_novel
from fabula.evaluation.scoring import map_characters, match_quotes
from fabula.model import KnownCharacter, SourceText
from fabula.models import SPEAKER_RANKER_FILE, load_models
from fabula.pipeline import Observer, Pipeline
from fabula.settings import Settings
from fabula.training.corpora import SHIPPED_DIR
from fabula.training.folds import pdnc_folds
from fabula.training.pdnc import train_pdnc_models
from fabula.training.tanh import TanhTraining, fit_tanh_scorer

OUTPUT = SHIPPED_DIR / SPEAKER_RANKER_FILE
HYPERPARAMETERS = TanhTraining(units=32, hidden_scale=0.3, steps=800, learning_rate=0.01, l2=1e-4)

Turn = tuple[np.ndarray, int | None, int]  # features, index of the right candidate, rule pick


class _Turns(Observer):
    """Every turn the ranker would re-decide, with its candidates."""

    def __init__(self) -> None:
        self.seen: list[tuple[list[int], list[Candidate]]] = []

    def speaker_candidates(self, quote_indices: list[int], candidates: list[Candidate]) -> None:
        self.seen.append((quote_indices, candidates))


def collect(corpus: Path, name: str) -> list[Turn]:
    """The ranker's turns for one novel, with the system's cast and with the gold cast."""
    novel = read_novel(corpus, name)
    return _collect(novel, None) + _collect(novel, gold_cast(novel))


def _collect(novel: GoldNovel, cast: tuple[KnownCharacter, ...] | None) -> list[Turn]:
    """Each turn labelled with the candidate that maps to its gold speaker."""
    settings = Settings(speaker_ranker=None)
    observer = _Turns()
    story = Pipeline(settings, load_models(settings), observer).run(SourceText(novel.text), cast)
    to_gold = map_characters(story.characters, novel)
    gold_by_id = {gold.id: gold for gold in novel.quotes}
    matches = match_quotes(story.quotes, novel.quotes)
    gold_speaker_of = {quote.id: gold_by_id[gold_id].speaker for gold_id, quote in matches.items()}
    rule_index = FEATURES.index("rule")
    turns: list[Turn] = []
    for quote_indices, candidates in observer.seen:
        speakers = [gold_speaker_of.get(story.quotes[i].id) for i in quote_indices]
        gold = next((s for s in speakers if s is not None), None)
        if gold is None:
            continue
        features = np.array([c.features for c in candidates], dtype=float)
        right = next(
            (i for i, c in enumerate(candidates) if to_gold.get(c.character) == gold), None
        )
        rule = int(np.argmax(features[:, rule_index])) if features[:, rule_index].any() else -1
        turns.append((features, right, rule))
    return turns


def fit(turns: list[Turn]) -> SpeakerRanker:
    """Softmax over each turn's candidates, by full-batch Adam; turns without the right
    candidate teach nothing."""
    usable = [(x, y) for x, y, _ in turns if y is not None and len(x) > 1]
    stacked = np.vstack([x for x, _ in usable])
    owners = np.concatenate([np.full(len(x), i) for i, (x, _) in enumerate(usable)])
    offsets = np.cumsum([0] + [len(x) for x, _ in usable[:-1]])
    right_rows = offsets + np.array([y for _, y in usable])
    count = len(usable)

    def softmax_error(scores: np.ndarray) -> np.ndarray:
        top = np.full(count, -np.inf)
        np.maximum.at(top, owners, scores)
        exps = np.exp(scores - top[owners])
        error = exps / np.bincount(owners, weights=exps, minlength=count)[owners]
        error[right_rows] -= 1
        return error / count

    return SpeakerRanker(**fit_tanh_scorer(stacked, softmax_error, HYPERPARAMETERS))


def accuracy(turns: list[Turn], ranker: SpeakerRanker) -> tuple[float, float]:
    """Share of turns the ranker gets right, and the rules' share, on the same turns."""
    ranked = sum(1 for x, y, _ in turns if y is not None and int(np.argmax(ranker.scores(x))) == y)
    rules = sum(1 for _, y, rule in turns if y is not None and rule == y)
    return ranked / len(turns), rules / len(turns)


def report(fold: str, test: list[Turn], ranker: SpeakerRanker) -> None:
    ranked, rules = accuracy(test, ranker)
    print(f"{fold}: held out {', '.join(pdnc_folds().held_out[fold])}")
    print(f"  held-out turns {len(test)}: ranker {ranked:.3f}, rules {rules:.3f}")


def main() -> None:
    train_pdnc_models(
        __doc__.splitlines()[0],
        collect,
        fit,
        report,
        output=OUTPUT,
        features=FEATURES,
        script="scripts/train_speaker_ranker.py",
        hyperparameters=asdict(HYPERPARAMETERS),
    )


if __name__ == "__main__":
    main()
