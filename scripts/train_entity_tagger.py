"""Train fabula's entity tagger on LitBank, cross-validate it by excerpt, and ship its weights.

Usage: python scripts/train_entity_tagger.py [LITBANK_DIR] [--jobs 2] [--save-folds DIR]

Each excerpt's words are laid out as text and parsed by fabula itself (``parse_litbank``), so
the tagger learns from the features the pipeline has at run time. Gold mentions come from
``entities/tsv`` (every nested layer); whether each is a name (PROP) or a description (NOM)
comes from the same mention in ``coref/tsv``, or, for the few mentions coref leaves out, from
whether the mention's last token is tagged a proper noun. The tagger learns the outermost
mention at each token.

Cross-validation uses the LitBank folds of ``fabula/data/folds.json``; each excerpt is tagged
by a model trained without it. Scores are exact-span mention precision, recall and F1 (start,
end and category must all match), against the outermost gold mentions (what the tagger
predicts) and against every nested gold mention, overall and per category, plus how often the
kind is right on matched mentions. Then a model trained on all excerpts is written, with the CV
numbers and its training record (fabula.training.ship), to src/fabula/data/entity_tagger.json.
Parses are cached in the temp directory.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import pickle
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
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
from fabula.models import ENTITY_TAGGER_FILE
from fabula.training.corpora import (
    REPOSITORY,
    SHIPPED_DIR,
    litbank_dir,
    litbank_files,
    map_documents,
    require_dir,
)
from fabula.training.folds import FULL_MODEL, Folds, litbank_folds
from fabula.training.metrics import PRF
from fabula.training.optimiser import Adam
from fabula.training.ship import ship

OUTPUT = SHIPPED_DIR / ENTITY_TAGGER_FILE
SCRIPT = "scripts/train_entity_tagger.py"
BUCKETS = 1 << 16
EPOCHS = 6
BATCH = 64
LEARNING_RATE = 0.001
L2 = 1e-6
# Margins tried against "O" on an inner split: a softmax regression trained on 8 "O" tokens
# to each head is shy of heads, and recall gains more than precision loses.
MARGINS = np.arange(0.0, 3.01, 0.25)
# The margin is chosen on every this-many-th training excerpt, held out from a first fit.
MARGIN_SPLIT = 10
SEED = 0
HYPERPARAMETERS = {
    "buckets": BUCKETS,
    "epochs": EPOCHS,
    "batch": BATCH,
    "learning_rate": LEARNING_RATE,
    "l2": L2,
    "margins": MARGINS.tolist(),
    "margin_split": MARGIN_SPLIT,
    "seed": SEED,
}


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


def load_excerpts(corpus: Path, names: tuple[str, ...], jobs: int) -> list[Excerpt]:
    """The excerpts with their gold mentions. Parses are cached in the temp directory, keyed
    on the modules that make them."""
    key = hashlib.sha1(str(corpus).encode())
    source = REPOSITORY / "src" / "fabula"
    for path in sorted(
        [*(source / "language").glob("*.py"), *(source / "segmentation").glob("*.py")]
    ) + [source / name for name in ("model.py", "nlp.py", "settings.py")]:
        key.update(path.read_bytes())
    cache = Path(tempfile.gettempdir()) / f"fabula_litbank_parses_{key.hexdigest()[:12]}.pkl"
    if cache.exists():
        parses = pickle.loads(cache.read_bytes())
    else:
        parsed = map_documents(parse_excerpt, corpus, names, jobs)
        parses = [parsed[name] for name in names]
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


def fit(features: np.ndarray, labels: np.ndarray, classes: int, buckets: int) -> Softmax:
    """Softmax regression by mini-batch lazy Adam over the hashed features; the bias, which
    every token moves, by plain gradient steps from the labels' log frequencies."""
    random = np.random.default_rng(SEED)
    count, templates = features.shape
    weights = np.zeros((buckets, classes), dtype=np.float32)
    bias = np.log(np.bincount(labels, minlength=classes) + 1.0).astype(np.float32)
    bias -= bias.mean()
    adam = Adam(LEARNING_RATE)
    for _epoch in range(EPOCHS):
        for batch in np.array_split(random.permutation(count), max(1, count // BATCH)):
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
            adam.step_rows("weights", weights, touched, gradient)
            bias -= LEARNING_RATE * error.mean(axis=0)
    return Softmax(weights, bias)


def train(excerpts: list[Excerpt], buckets: int) -> EntityTagger:
    """The head classifier over every token, and the extent classifier over gold heads.

    The margin against "O" is chosen on a tenth of the given excerpts held out from a first
    fit, so cross-validation never tunes on the fold it scores.
    """
    inner = excerpts[::MARGIN_SPLIT]
    rest = [e for i, e in enumerate(excerpts) if i % MARGIN_SPLIT]
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
        f1 = PRF(int(right), int(np.sum(predicted > 0)), int(np.sum(labels > 0))).f1
        if f1 > best_f1:
            best, best_f1 = float(margin), f1
    return best


@dataclass
class Tally:
    """Exact-span matches, predictions and gold mentions, per category."""

    per_category: dict[str, PRF] = field(default_factory=dict)

    def add(self, predicted: set[tuple[int, int, str]], gold: set[tuple[int, int, str]]) -> None:
        for category in {c for _, _, c in predicted | gold}:
            counts = PRF.of_sets(
                {key for key in predicted if key[2] == category},
                {key for key in gold if key[2] == category},
            )
            self.per_category[category] = self.per_category.get(category, PRF()) + counts

    def prf(self, category: str | None = None) -> PRF:
        if category is not None:
            return self.per_category.get(category, PRF())
        return sum(self.per_category.values(), PRF())


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
                "precision": round(100 * counts.precision, 1),
                "recall": round(100 * counts.recall, 1),
                "f1": round(100 * counts.f1, 1),
            }
            for name, counts in rows.items()
        } | {"gold": tally.prf().gold}
    kind = tallies["kind"].prf()
    result["kind_accuracy"] = round(100 * kind.correct / max(1, kind.gold), 1)
    return result


def cross_validate(
    corpus: Path, excerpts: list[Excerpt], folds: Folds, save_folds: Path | None
) -> tuple[EntityTagger, dict]:
    """The tagger trained on every excerpt, and the pooled scores of each excerpt tagged by
    the fold model that never saw it (each fold's tagger shipped to ``save_folds``, for
    held-out coreference scores)."""
    overall = {name: Tally() for name in ("outermost", "all", "kind")}

    def report(fold: str, held_out: list[Excerpt], tagger: EntityTagger) -> None:
        if save_folds is not None:
            save_folds.mkdir(parents=True, exist_ok=True)
            saved = tagger.to_json() | {"fold": fold}
            _ship(save_folds / f"{fold}.json", saved, corpus, folds)
        tallies = {name: Tally() for name in overall}
        score(held_out, tagger, tallies)
        score(held_out, tagger, overall)
        outermost = tallies["outermost"].prf()
        print(
            f"{fold}: {len(held_out)} excerpts, outermost P {100 * outermost.precision:.1f}"
            f" R {100 * outermost.recall:.1f} F1 {100 * outermost.f1:.1f};"
            f" all nested F1 {100 * tallies['all'].prf().f1:.1f}"
        )

    taggers = folds.fit_models(
        {e.name: [e] for e in excerpts}, lambda train_on: train(train_on, BUCKETS), report
    )
    return taggers[FULL_MODEL], summary(overall)


def _ship(path: Path, model: dict, corpus: Path, folds: Folds) -> None:
    """Write a tagger with its training record (every fold's excerpts are its data: a fold
    model's are the others, but the record names the corpus it was cut from)."""
    names = folds.documents
    ship(
        path,
        model,
        script=SCRIPT,
        hyperparameters=HYPERPARAMETERS,
        folds=folds,
        corpus=corpus,
        data=litbank_files(corpus, "entities", ".tsv", names)
        + litbank_files(corpus, "coref", ".ann", names),
        indent=None,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=litbank_dir())
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument(
        "--save-folds",
        type=Path,
        metavar="DIR",
        help="also write each fold's tagger (DIR/foldK.json, with its training record), so"
        " other LitBank scores (coreference) can use a tagger that never saw the excerpt",
    )
    args = parser.parse_args()

    began = time.perf_counter()
    folds = litbank_folds()
    corpus = require_dir(args.corpus, "LitBank")
    available = sorted(p.stem for p in (corpus / "entities" / "tsv").glob("*.tsv"))
    excerpts = load_excerpts(corpus, folds.check_corpus(available), args.jobs)
    print(f"{len(excerpts)} excerpts parsed in {time.perf_counter() - began:.0f} s")
    tagger, result = cross_validate(corpus, excerpts, folds, args.save_folds)
    print(json.dumps(result, indent=1))
    shipped = tagger.to_json() | {"cross_validation": {"folds": len(folds.names)} | result}
    _ship(OUTPUT, shipped, corpus, folds)
    print(f"wrote {OUTPUT} ({OUTPUT.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
