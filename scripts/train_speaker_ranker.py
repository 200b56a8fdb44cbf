"""Train fabula's speaker ranker on PDNC, leave-novels-out, and ship its weights.

Usage: python scripts/train_speaker_ranker.py [PDNC_DIR] [--folds 4] [--jobs 2]

Runs the pipeline with the ranker off twice per novel, once finding the cast itself (as users
run it) and once given the novel's gold cast, collects every turn the ranker would re-decide
with its candidates, labels the candidate that maps to the gold speaker, and fits the ranker
(a softmax over a turn's candidates; see fabula.attribution.ranker) with numpy. It writes one
model per fold, each with the novels it never saw (``fabula eval pdnc`` scores each novel
with the fold that left it out), and a model trained on all novels for everyday use, to
src/fabula/data/speaker_ranker.json, and prints the held-out turn accuracy per fold.
"""

from __future__ import annotations

import argparse
import json
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

from fabula.attribution.ranker import FEATURES, Candidate, SpeakerRanker
from fabula.attribution.scorer import fit_weights
from fabula.evaluation.pdnc import GoldNovel, gold_cast, list_novels, read_novel
from fabula.evaluation.scoring import map_characters, match_quotes
from fabula.model import KnownCharacter, SourceText
from fabula.pipeline import analyze_source
from fabula.settings import Settings

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "data" / "pdnc"
OUTPUT = REPO / "src" / "fabula" / "data" / "speaker_ranker.json"
L2 = 1e-4
STEPS = 800
LEARNING_RATE = 0.01
HIDDEN_UNITS = 32

Turn = tuple[np.ndarray, int | None, int]  # features, index of the right candidate, rule pick


def collect(corpus: Path, name: str) -> list[Turn]:
    """The ranker's turns for one novel, with the system's cast and with the gold cast."""
    novel = read_novel(corpus, name)
    return _collect(novel, None) + _collect(novel, gold_cast(novel))


def _collect(novel: GoldNovel, cast: tuple[KnownCharacter, ...] | None) -> list[Turn]:
    """Each turn labelled with the candidate that maps to its gold speaker."""
    seen: list[tuple[list[int], list[Candidate]]] = []
    story = analyze_source(
        SourceText(novel.text),
        cast,
        settings=Settings(speaker_ranker=None),
        speaker_candidates=lambda quotes, candidates: seen.append((quotes, candidates)),
    )
    to_gold = map_characters(story.characters, novel)
    gold_by_id = {gold.id: gold for gold in novel.quotes}
    matches = match_quotes(story.quotes, novel.quotes)
    gold_speaker_of = {quote.id: gold_by_id[gold_id].speaker for gold_id, quote in matches.items()}
    rule_index = FEATURES.index("rule")
    turns: list[Turn] = []
    for quote_indices, candidates in seen:
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


def fit(turns: list[Turn], seed: int = 0) -> SpeakerRanker:
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

    params = fit_weights(
        stacked,
        softmax_error,
        units=HIDDEN_UNITS,
        hidden_scale=0.3,
        steps=STEPS,
        learning_rate=LEARNING_RATE,
        l2=L2,
        seed=seed,
    )
    return SpeakerRanker(**params)


def accuracy(turns: list[Turn], ranker: SpeakerRanker) -> tuple[float, float]:
    """Share of turns the ranker gets right, and the rules' share, on the same turns."""
    ranked = sum(1 for x, y, _ in turns if y is not None and int(np.argmax(ranker.scores(x))) == y)
    rules = sum(1 for _, y, rule in turns if y is not None and rule == y)
    return ranked / len(turns), rules / len(turns)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--folds", type=int, default=4)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()

    novels = list(list_novels(args.corpus))
    with ProcessPoolExecutor(args.jobs) as pool:
        per_novel = dict(
            zip(novels, pool.map(collect, [args.corpus] * len(novels), novels), strict=True)
        )

    models: dict[str, dict] = {}
    for fold in range(args.folds):
        held_out = [n for i, n in enumerate(novels) if i % args.folds == fold]
        train = [t for n in novels if n not in held_out for t in per_novel[n]]
        test = [t for n in held_out for t in per_novel[n]]
        ranker = fit(train)
        ranked, rules = accuracy(test, ranker)
        print(f"fold{fold}: held out {', '.join(held_out)}")
        print(f"  held-out turns {len(test)}: ranker {ranked:.3f}, rules {rules:.3f}")
        models[f"fold{fold}"] = {"held_out": held_out, "weights": ranker.to_json()}
    ranker = fit([t for n in novels for t in per_novel[n]])
    models["all"] = {"held_out": [], "weights": ranker.to_json()}
    OUTPUT.write_text(json.dumps({"features": list(FEATURES), "models": models}, indent=1) + "\n")
    print(f"wrote {OUTPUT}")


if __name__ == "__main__":
    main()
