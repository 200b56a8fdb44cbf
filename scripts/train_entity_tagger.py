"""Train fabula's entity tagger on LitBank, cross-validate it by excerpt, and ship its weights.

Usage: python scripts/train_entity_tagger.py [LITBANK_DIR] [--folds 10] [--jobs 2]

Each excerpt's words are laid out as text and parsed by fabula itself (``parse_litbank``), so
the tagger learns from the features the pipeline has at run time. Gold mentions come from
``entities/tsv`` (every nested layer); whether each is a name (PROP) or a description (NOM)
comes from the same mention in ``coref/tsv``, or, for the few mentions coref leaves out, from
whether the mention's last token is tagged a proper noun. The tagger learns the outermost
mention at each token.

Cross-validation splits the excerpts into folds; each excerpt is tagged by a model trained
without it. Scores are exact-span mention precision, recall and F1 (start, end and category
must all match), against the outermost gold mentions (what the tagger predicts) and against
every nested gold mention, overall and per category, plus how often the kind is right on
matched mentions. Then a model trained on all excerpts is written, with the CV numbers, to
src/fabula/data/entity_tagger.json. Parses are cached in the temp directory.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import pickle
import tempfile
import time
from collections import Counter
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from fabula.evaluation.litbank import LitbankText, parse_litbank, read_token_tsv
from fabula.language.entities import (
    EXTENTS,
    HEAD_LABELS,
    EntityCategory,
    EntityTagger,
    Softmax,
    Syntax,
    find_entities,
    token_features,
)
from fabula.model import Parse

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "data" / "litbank"
OUTPUT = REPO / "src" / "fabula" / "data" / "entity_tagger.json"
BUCKETS = 1 << 16
EPOCHS = 6
BATCH = 64
LEARNING_RATE = 0.001
L2 = 1e-6
# Margins tried against "O" on an inner split: a softmax regression trained on 8 "O" tokens
# to each head is shy of heads, and recall gains more than precision loses.
MARGINS = np.arange(0.0, 3.01, 0.25)


@dataclass(frozen=True, slots=True)
class GoldMention:
    char_start: int
    char_end: int
    category: str
    kind: str
    outermost: bool


@dataclass(frozen=True, slots=True)
class Excerpt:
    name: str
    parse: Parse
    gold: tuple[GoldMention, ...]
    syntax: Syntax


def label_spans(rows: list[list[str]], column: int) -> Iterable[tuple[int, int, str]]:
    """(first word, end word, category) of each mention in one label column of a sentence."""
    start, category = None, ""
    for index, row in enumerate([*rows, ["", "O"]]):
        label = row[column] if column < len(row) and row[column] else "O"
        continues = label.startswith("I-") and start is not None and label[2:] == category
        if start is not None and not continues:
            yield start, index, category
            start = None
        if label != "O" and not continues:
            start, category = index, label[2:]


def coref_kinds(path: Path) -> dict[tuple[int, int, int], tuple[str, str]]:
    """(sentence, first word, end word) -> (category, PROP/NOM/PRON) from a coref ``.ann``."""
    kinds = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if parts[0] == "MENTION":
            sentence, first, last = int(parts[2]), int(parts[3]), int(parts[5])
            kinds[(sentence, first, last + 1)] = (parts[7], parts[8])
    return kinds


def parse_excerpt(corpus: Path, name: str) -> Parse:
    sentences = read_token_tsv(corpus / "entities" / "tsv" / f"{name}.tsv")
    return parse_litbank(LitbankText.of(name, [[row[0] for row in rows] for rows in sentences]))[0]


def gold_mentions(corpus: Path, name: str, parse: Parse) -> tuple[GoldMention, ...]:
    """The excerpt's gold mentions, every layer, placed on the text fabula parsed."""
    sentences = read_token_tsv(corpus / "entities" / "tsv" / f"{name}.tsv")
    excerpt = LitbankText.of(name, [[row[0] for row in rows] for rows in sentences])
    kinds = coref_kinds(corpus / "coref" / "tsv" / f"{name}.ann")
    tag_ending_at = {t.char_end: t.tag for t in parse.tokens}
    gold: list[GoldMention] = []
    for number, rows in enumerate(sentences):
        spans = {span for column in range(1, len(rows[0])) for span in label_spans(rows, column)}
        for first, end, category in sorted(spans):
            outermost = not any(
                (a, b) != (first, end) and a <= first and end <= b for a, b, _ in spans
            )
            char_start = excerpt.word_spans[number][first][0]
            char_end = excerpt.word_spans[number][end - 1][1]
            known = kinds.get((number, first, end))
            if known is not None and known[0] == category and known[1] in ("PROP", "NOM"):
                kind = known[1]
            else:
                kind = "PROP" if tag_ending_at.get(char_end, "").startswith("NNP") else "NOM"
            gold.append(GoldMention(char_start, char_end, category, kind, outermost))
    return tuple(gold)


def load_excerpts(corpus: Path, jobs: int) -> list[Excerpt]:
    """Every excerpt with its gold mentions. Parses are cached in the temp directory, keyed on
    the modules that make them."""
    names = sorted(p.stem for p in (corpus / "entities" / "tsv").glob("*.tsv"))
    key = hashlib.sha1(str(corpus).encode())
    source = REPO / "src" / "fabula"
    for path in sorted(
        [*(source / "language").glob("*.py"), *(source / "segmentation").glob("*.py")]
    ) + [source / name for name in ("model.py", "nlp.py", "settings.py")]:
        key.update(path.read_bytes())
    cache = Path(tempfile.gettempdir()) / f"fabula_litbank_parses_{key.hexdigest()[:12]}.pkl"
    if cache.exists():
        parses = pickle.loads(cache.read_bytes())
    else:
        with ProcessPoolExecutor(jobs) as pool:
            parses = list(pool.map(parse_excerpt, [corpus] * len(names), names))
        cache.write_bytes(pickle.dumps(parses))
    return [
        Excerpt(name, parse, gold_mentions(corpus, name, parse), Syntax.of(parse))
        for name, parse in zip(names, parses, strict=True)
    ]


def head_labels(excerpt: Excerpt) -> tuple[np.ndarray, np.ndarray]:
    """Each token's index in HEAD_LABELS, and in EXTENTS (-1 where no gold mention it heads
    has a span an extent gives).

    A mention's head is its one token whose syntactic head lies outside it; a mention with
    several (a parse that splits the phrase) teaches nothing. Where two mentions share a head
    (an inner "Lady Russell" and an outer "Lady Russell, of steady age"), the one an extent
    reproduces wins, then the longer.
    """
    tokens = excerpt.parse.tokens
    syntax = excerpt.syntax
    token_at = {t.char_start: t.index for t in tokens}
    token_ending = {t.char_end: t.index for t in tokens}
    labels = np.zeros(len(tokens), dtype=np.int64)
    extents = np.full(len(tokens), -1, dtype=np.int64)
    for mention in sorted(excerpt.gold, key=lambda m: m.char_end - m.char_start):
        first, last = token_at.get(mention.char_start), token_ending.get(mention.char_end)
        if first is None or last is None:
            continue
        inside = np.arange(first, last + 1)
        heads = syntax.heads[inside]
        roots = inside[(heads < first) | (heads > last) | (heads == inside)]
        if len(roots) != 1:
            continue
        head = int(roots[0])
        fits = [
            extent
            for extent in range(len(EXTENTS))
            if (syntax.first[head, extent], syntax.last[head, extent]) == (first, last)
        ]
        if fits or extents[head] < 0:
            labels[head] = HEAD_LABELS.index(f"{mention.category}-{mention.kind}")
            extents[head] = fits[0] if fits else -1
    return labels, extents


def fit(
    features: np.ndarray, labels: np.ndarray, classes: int, buckets: int, seed: int = 0
) -> Softmax:
    """Softmax regression by mini-batch lazy Adam over the hashed features."""
    random = np.random.default_rng(seed)
    count, templates = features.shape
    weights = np.zeros((buckets, classes), dtype=np.float32)
    bias = np.log(np.bincount(labels, minlength=classes) + 1.0).astype(np.float32)
    bias -= bias.mean()
    moments = [np.zeros_like(weights), np.zeros_like(weights)]
    step = 0
    for _epoch in range(EPOCHS):
        for batch in np.array_split(random.permutation(count), max(1, count // BATCH)):
            step += 1
            rows = features[batch]
            scores = weights[rows].sum(axis=1) + bias
            scores -= scores.max(axis=1, keepdims=True)
            error = np.exp(scores)
            error /= error.sum(axis=1, keepdims=True)
            error[np.arange(len(batch)), labels[batch]] -= 1
            touched, inverse = np.unique(rows, return_inverse=True)
            gradient = np.zeros((len(touched), classes), dtype=np.float32)
            np.add.at(gradient, inverse.ravel(), np.repeat(error, templates, axis=0))
            gradient = gradient / len(batch) + L2 * weights[touched]
            # Only the rows this batch touched move.
            first = moments[0][touched] = 0.9 * moments[0][touched] + 0.1 * gradient
            second = moments[1][touched] = 0.999 * moments[1][touched] + 0.001 * gradient**2
            rate = LEARNING_RATE * np.sqrt(1 - 0.999**step) / (1 - 0.9**step)
            weights[touched] -= rate * first / (np.sqrt(second) + 1e-8)
            bias -= LEARNING_RATE * error.mean(axis=0)
    return Softmax(weights, bias)


def train(excerpts: list[Excerpt], buckets: int) -> EntityTagger:
    """The head classifier over every token, and the extent classifier over gold heads.

    The margin against "O" is chosen on a tenth of the given excerpts held out from a first
    fit, so cross-validation never tunes on the fold it scores.
    """
    inner = excerpts[::10]
    rest = [e for i, e in enumerate(excerpts) if i % 10]
    margin = best_margin(fit_heads(rest, buckets), inner, buckets)
    heads = fit_heads(excerpts, buckets)
    heads.bias[0] -= margin
    features, _, extents = stacked(excerpts, buckets)
    known = extents >= 0
    return EntityTagger(heads, fit(features[known], extents[known], len(EXTENTS), buckets))


def stacked(excerpts: list[Excerpt], buckets: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Features, head labels and extents of every token of the excerpts."""
    features = np.vstack([token_features(e.parse, e.syntax, buckets) for e in excerpts])
    labels, extents = (
        np.concatenate(parts) for parts in zip(*map(head_labels, excerpts), strict=True)
    )
    return features, labels, extents


def fit_heads(excerpts: list[Excerpt], buckets: int) -> Softmax:
    features, labels, _ = stacked(excerpts, buckets)
    return fit(features, labels, len(HEAD_LABELS), buckets)


def best_margin(heads: Softmax, excerpts: list[Excerpt], buckets: int) -> float:
    """The margin against "O" that gives the best head F1 on the excerpts."""
    features, labels, _ = stacked(excerpts, buckets)
    scores = heads.scores(features)
    best, best_f1 = 0.0, -1.0
    for margin in MARGINS:
        predicted = (scores - np.eye(1, scores.shape[1]) * margin).argmax(axis=1)
        right = np.sum((predicted == labels) & (labels > 0))
        f1 = 2 * right / max(1, np.sum(predicted > 0) + np.sum(labels > 0))
        if f1 > best_f1:
            best, best_f1 = float(margin), f1
    return best


@dataclass
class Tally:
    """Exact-span matches, predictions and gold mentions, per category."""

    matched: Counter
    predicted: Counter
    gold: Counter

    @classmethod
    def empty(cls) -> Tally:
        return cls(Counter(), Counter(), Counter())

    def add(self, predicted: set[tuple[int, int, str]], gold: set[tuple[int, int, str]]) -> None:
        self.matched.update(c for _, _, c in predicted & gold)
        self.predicted.update(c for _, _, c in predicted)
        self.gold.update(c for _, _, c in gold)

    def prf(self, category: str | None = None) -> tuple[float, float, float]:
        def total(counter: Counter) -> int:
            return counter[category] if category else sum(counter.values())

        matched, predicted, gold = total(self.matched), total(self.predicted), total(self.gold)
        precision = matched / predicted if predicted else 0.0
        recall = matched / gold if gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if matched else 0.0
        return precision, recall, f1


def score(excerpts: list[Excerpt], tagger: EntityTagger, tallies: dict[str, Tally]) -> None:
    """Tag each excerpt; add its mentions to the outermost and the all-mentions tallies, and
    the kind of each outermost gold mention found to the kind tally."""
    for excerpt in excerpts:
        spans = find_entities(excerpt.parse, tagger)
        found = {(s.char_start, s.char_end, s.category.value): s.kind.value for s in spans}
        outer = {
            key
            for key in found
            if not any(o != key and o[0] <= key[0] and key[1] <= o[1] for o in found)
        }
        gold_outer = {(m.char_start, m.char_end, m.category) for m in excerpt.gold if m.outermost}
        gold_all = {(m.char_start, m.char_end, m.category) for m in excerpt.gold}
        tallies["outermost"].add(outer, gold_outer)
        tallies["all"].add(set(found), gold_all)
        for mention in excerpt.gold:
            kind = found.get((mention.char_start, mention.char_end, mention.category))
            if mention.outermost and kind is not None:
                tallies["kind"].add({(0, 0, kind)}, {(0, 0, mention.kind)})


def summary(tallies: dict[str, Tally]) -> dict:
    """Precision, recall and F1 (percent) per layer and category, and kind accuracy."""
    result: dict = {}
    for layer in ("outermost", "all"):
        tally = tallies[layer]
        rows = {"overall": tally.prf()}
        rows |= {c.value: tally.prf(c.value) for c in EntityCategory}
        result[layer] = {
            name: {
                "precision": round(100 * p, 1),
                "recall": round(100 * r, 1),
                "f1": round(100 * f, 1),
            }
            for name, (p, r, f) in rows.items()
        } | {"gold": sum(tally.gold.values())}
    kind = tallies["kind"]
    result["kind_accuracy"] = round(
        100 * sum(kind.matched.values()) / max(1, sum(kind.gold.values())), 1
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--folds", type=int, default=10)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument(
        "--save-folds",
        type=Path,
        metavar="DIR",
        help="also write each fold's tagger (DIR/foldK.json, with its held-out excerpts), so"
        " other LitBank scores (coreference) can use a tagger that never saw the excerpt",
    )
    args = parser.parse_args()

    began = time.perf_counter()
    excerpts = load_excerpts(args.corpus, args.jobs)
    print(f"{len(excerpts)} excerpts parsed in {time.perf_counter() - began:.0f} s")
    overall = {name: Tally.empty() for name in ("outermost", "all", "kind")}
    for fold in range(args.folds):
        held_out = [e for i, e in enumerate(excerpts) if i % args.folds == fold]
        tagger = train([e for i, e in enumerate(excerpts) if i % args.folds != fold], BUCKETS)
        if args.save_folds is not None:
            args.save_folds.mkdir(parents=True, exist_ok=True)
            names = [e.name for e in held_out]
            saved = tagger.to_json() | {"held_out": names}
            (args.save_folds / f"fold{fold}.json").write_text(json.dumps(saved) + "\n")
        tallies = {name: Tally.empty() for name in overall}
        score(held_out, tagger, tallies)
        score(held_out, tagger, overall)
        p, r, f = tallies["outermost"].prf()
        _, _, f_all = tallies["all"].prf()
        print(
            f"fold {fold}: {len(held_out)} excerpts, outermost P {100 * p:.1f} R {100 * r:.1f} "
            f"F1 {100 * f:.1f}; all nested F1 {100 * f_all:.1f}"
        )
    result = summary(overall)
    print(json.dumps(result, indent=1))
    tagger = train(excerpts, BUCKETS)
    shipped = tagger.to_json() | {"cross_validation": {"folds": args.folds} | result}
    OUTPUT.write_text(json.dumps(shipped) + "\n")
    print(f"wrote {OUTPUT} ({OUTPUT.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
