"""Entity mentions: the people, places, facilities, organisations and vehicles a story names
("Kestle", "Mara") or describes ("the old chapel", "her sister").

LitBank marks whole noun phrases ("a long, low hall, which was lit by a row of lamps"), which
nearly always are the subtree of one head word in the dependency parse. So the tagger works on
heads: a softmax regression over hashed features of each token (its word, shape, affixes,
tags, dependency, syntactic head, neighbours, the shape of its subtree) says whether the token
heads a mention and of which LitBank category and kind (PROP name / NOM description); a second
one picks how much of the subtree the mention spans:

- ``subtree``: all of it, less punctuation at either end;
- ``cut``: up to the first apposition, conjunction or comma after the head
  ("Lady Russell" in "Lady Russell, of steady age");
- ``head``: only the words before the head and the head ("people" in "people out of the town").

Mentions inside others ("Kestle" in "the chapel in Kestle") have their own heads, so they are
found too. Weights are trained by ``scripts/train_entity_tagger.py`` on LitBank and shipped in
``fabula/data/entity_tagger.json``; ``fabula.nlp.load_entity_tagger`` loads them.
"""

from __future__ import annotations

import base64
import zlib
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from fabula.language.features import hash_strings, mix, mixed_buckets, stable_hash
from fabula.language.lexicon import honorifics
from fabula.model import Parse
from fabula.stages import stage


class EntityCategory(StrEnum):
    """LitBank's six ACE 2005 categories."""

    PER = "PER"  # people: "Mara", "her sister"
    LOC = "LOC"  # natural places: "the river", "the forest"
    FAC = "FAC"  # built places: "the old chapel", "the kitchen"
    GPE = "GPE"  # places with a government: "Kestle", "the village"
    VEH = "VEH"  # "the ship", "a carriage"
    ORG = "ORG"  # "the army", "the Church"


class EntityKind(StrEnum):
    PROP = "PROP"  # a name: "Mara", "Lincoln's Inn"
    NOM = "NOM"  # a description: "the old man"


@dataclass(frozen=True, slots=True)
class EntitySpan:
    """One mention: tokens ``token_start`` to ``token_end`` (excluded) of the parse."""

    token_start: int
    token_end: int
    char_start: int
    char_end: int
    category: EntityCategory
    kind: EntityKind


# What a token heads: nothing ("O"), or a mention of one category and kind.
HEAD_LABELS = ("O", *(f"{c.value}-{k.value}" for c in EntityCategory for k in EntityKind))
EXTENTS = ("subtree", "cut", "head")

# A right child with one of these dependencies ends a ``cut`` mention.
_CUT_DEPS = frozenset({"appos", "punct", "cc", "conj"})
_NOUNS = frozenset({"NOUN", "PROPN"})
_BOUNDARY = "<s>"
# Subtree lengths are features up to this many tokens; longer ones share the last value.
_MAX_LENGTH = 12
# How many heads up the nearest noun is looked for ("the" -> "old" -> "chapel").
_NOUN_CLIMB = 3
FEATURES = "fabula.entities.head_extent.v1"


@dataclass(frozen=True, slots=True, eq=False)
class Softmax:
    """Label scores ``weights[features].sum() + bias`` over hashed feature buckets."""

    weights: np.ndarray  # (buckets, labels)
    bias: np.ndarray  # (labels,)

    def scores(self, features: np.ndarray) -> np.ndarray:
        """(tokens, labels) scores from a (tokens, templates) matrix of bucket indices."""
        return self.weights[features].sum(axis=1) + self.bias

    @classmethod
    def from_json(cls, shipped: dict) -> Softmax:
        """Weights are int8 with one scale per label, zlib and base64 in the JSON: small."""
        raw = np.frombuffer(zlib.decompress(base64.b64decode(shipped["weights"])), dtype=np.int8)
        scale = np.asarray(shipped["scale"], dtype=np.float32)
        weights = raw.reshape(-1, len(scale)).astype(np.float32) * scale
        return cls(weights, np.asarray(shipped["bias"], dtype=np.float32))

    def to_json(self) -> dict:
        scale = np.maximum(np.abs(self.weights).max(axis=0), 1e-6) / 127
        quantised = np.round(self.weights / scale).astype(np.int8)
        return {
            "scale": scale.tolist(),
            "bias": np.round(self.bias, 4).tolist(),
            "weights": base64.b64encode(zlib.compress(quantised.tobytes(), 9)).decode("ascii"),
        }


@dataclass(frozen=True, slots=True, eq=False)
class EntityTagger:
    """Which tokens head mentions (``heads``, over HEAD_LABELS) and how far each mention
    reaches (``extents``, over EXTENTS)."""

    heads: Softmax
    extents: Softmax

    @property
    def buckets(self) -> int:
        return self.heads.weights.shape[0]

    @classmethod
    def from_json(cls, shipped: dict) -> EntityTagger:
        if (
            shipped["features"] != FEATURES
            or tuple(shipped["head_labels"]) != HEAD_LABELS
            or tuple(shipped["extents"]) != EXTENTS
        ):
            raise ValueError("the entity tagger was trained on other features or labels")
        return cls(Softmax.from_json(shipped["heads"]), Softmax.from_json(shipped["extent"]))

    def to_json(self) -> dict:
        return {
            "features": FEATURES,
            "head_labels": list(HEAD_LABELS),
            "extents": list(EXTENTS),
            "heads": self.heads.to_json(),
            "extent": self.extents.to_json(),
        }


@stage(requires={"parse"}, produces={"entities"})
def find_entities(parse: Parse, tagger: EntityTagger) -> tuple[EntitySpan, ...]:
    """Every entity mention of the parse, nested ones included, ordered by start and then
    longest first. An empty parse gives ``()``.

    >>> # "Mara walked to the old chapel in Kestle."
    >>> # -> Mara PER PROP; the old chapel in Kestle FAC NOM; Kestle GPE PROP
    """
    if not parse.tokens:
        return ()
    syntax = Syntax.of(parse)
    features = token_features(parse, syntax, tagger.buckets)
    head_scores = tagger.heads.scores(features)
    labels = head_scores.argmax(axis=1)
    chosen = np.flatnonzero(labels > 0)
    extents = tagger.extents.scores(features[chosen]).argmax(axis=1)
    return spans_for(parse, syntax, chosen, labels[chosen], extents)


@dataclass(frozen=True, slots=True, eq=False)
class Syntax:
    """Per token: its head and, for each extent, the first and last token of the mention it
    would head (inclusive)."""

    heads: np.ndarray
    first: np.ndarray  # (tokens, extents)
    last: np.ndarray  # (tokens, extents)

    @classmethod
    def of(cls, parse: Parse) -> Syntax:
        """Subtree edges climb the tree one level per round, all tokens at once."""
        tokens = parse.tokens
        count = len(tokens)
        heads = np.array([t.head for t in tokens], dtype=np.int64)
        punct = np.array([t.pos == "PUNCT" for t in tokens], dtype=bool)
        left, right = np.arange(count), np.arange(count)
        while True:
            new_left, new_right = left.copy(), right.copy()
            np.minimum.at(new_left, heads, left)
            np.maximum.at(new_right, heads, right)
            if np.array_equal(new_left, left) and np.array_equal(new_right, right):
                break
            left, right = new_left, new_right
        own = np.arange(count)
        # The first right child that ends a cut mention, by where its subtree begins.
        cutting = np.array([t.dep in _CUT_DEPS for t in tokens], dtype=bool) & (heads < own)
        cut = right.copy()
        np.minimum.at(cut, heads[cutting], left[cutting] - 1)
        cut = np.maximum(cut, own)  # a non-projective child could begin before its head
        first = _trim(left, own, punct, step=1)
        last = np.stack(
            [_trim(right, own, punct, step=-1), _trim(cut, own, punct, step=-1), own], axis=1
        )
        return cls(heads, np.repeat(first[:, None], len(EXTENTS), axis=1), last)


def _trim(edge: np.ndarray, own: np.ndarray, punct: np.ndarray, *, step: int) -> np.ndarray:
    """Move each edge toward its head past punctuation (never past the head itself)."""
    edge = edge.copy()
    while True:
        moving = punct[edge] & (edge != own)
        if not moving.any():
            return edge
        edge[moving] += step


def spans_for(
    parse: Parse, syntax: Syntax, heads: np.ndarray, labels: np.ndarray, extents: np.ndarray
) -> tuple[EntitySpan, ...]:
    """The mention each chosen head spans; of two that cross, the first kept wins."""
    tokens = parse.tokens
    found: dict[tuple[int, int], EntitySpan] = {}
    for head, label, extent in zip(heads.tolist(), labels.tolist(), extents.tolist(), strict=True):
        start = int(syntax.first[head, extent])
        end = int(syntax.last[head, extent]) + 1
        if (start, end) in found:
            continue
        category, kind = HEAD_LABELS[label].split("-")
        found[(start, end)] = EntitySpan(
            start,
            end,
            tokens[start].char_start,
            tokens[end - 1].char_end,
            EntityCategory(category),
            EntityKind(kind),
        )
    ordered = sorted(found.values(), key=lambda s: (s.token_start, -s.token_end))
    kept: list[EntitySpan] = []
    for span in ordered:
        crossing = any(
            k.token_start < span.token_start < k.token_end < span.token_end for k in kept[-8:]
        )
        if not crossing:
            kept.append(span)
    return tuple(kept)


def _shape(word: str) -> str:
    """A word's kind of characters: "Kestle" -> "Xx", "1820s" -> "dx", "St." -> "Xx."."""
    out: list[str] = []
    for char in word:
        code = "X" if char.isupper() else "x" if char.islower() else "d" if char.isdigit() else char
        if not out or out[-1] != code:
            out.append(code)
    return "".join(out)


def sentence_starts(parse: Parse) -> np.ndarray:
    """True at each token that opens a sentence."""
    starts = np.zeros(len(parse.tokens), dtype=bool)
    starts[[s.token_start for s in parse.sentences if s.token_start < len(parse.tokens)]] = True
    starts[0] = True
    return starts


def token_features(parse: Parse, syntax: Syntax, buckets: int) -> np.ndarray:
    """(tokens, templates) bucket indices: every template's value hashed with its name."""
    templates = _templates(parse, _TokenColumns.of(parse, syntax), syntax)
    matrix = np.empty((len(parse.tokens), len(templates)), dtype=np.int64)
    for column, (name, values) in enumerate(templates):
        matrix[:, column] = mixed_buckets(name, values, buckets)
    return matrix


@dataclass(frozen=True, slots=True, eq=False)
class _TokenColumns:
    """Each token's hashed attributes, the nearest noun at or above it, and its sentence."""

    lowers: list[str]
    word: np.ndarray
    tag: np.ndarray
    dep: np.ndarray
    shape: np.ndarray
    suffix: np.ndarray
    capital_only: np.ndarray
    title: np.ndarray
    right_deps: np.ndarray
    left_deps: np.ndarray
    noun: np.ndarray  # "old" and "the" in "the old chapel" -> chapel
    sentences: np.ndarray

    @classmethod
    def of(cls, parse: Parse, syntax: Syntax) -> _TokenColumns:
        tokens = parse.tokens
        words = [t.text for t in tokens]
        lowers = [w.lower() for w in words]
        # Which words the text ever writes in lower case: a capitalised word that never is
        # ("Kestle") is a name even at the start of a sentence.
        lower_seen = set(w for w in words if w.islower())
        titles = {h.lower().rstrip(".") for h in honorifics()}
        right_deps, left_deps = _child_deps(parse, syntax.heads)
        return cls(
            lowers=lowers,
            word=hash_strings(lowers),
            tag=hash_strings(t.tag for t in tokens),
            dep=hash_strings(t.dep for t in tokens),
            shape=hash_strings(_shape(x) for x in words),
            suffix=hash_strings(x[-3:] for x in lowers),
            capital_only=hash_strings(
                str(x[:1].isupper() and x.lower() not in lower_seen) for x in words
            ),
            title=hash_strings(str(x.rstrip(".") in titles) for x in lowers),
            right_deps=right_deps,
            left_deps=left_deps,
            noun=_nearest_noun(parse, syntax.heads),
            sentences=np.array([t.sentence for t in tokens], dtype=np.int64),
        )

    def shifted(self, column: np.ndarray, offset: int) -> np.ndarray:
        """The column at ``index + offset``, or the boundary outside the sentence."""
        count = len(column)
        positions = np.arange(count) + offset
        clipped = np.clip(positions, 0, count - 1)
        inside = (
            (positions >= 0) & (positions < count) & (self.sentences[clipped] == self.sentences)
        )
        return np.where(inside, column[clipped], np.uint64(stable_hash(_BOUNDARY)))


def _child_deps(parse: Parse, heads: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The hashed set of dependency labels of each token's right children, and of its left."""
    deps = [t.dep for t in parse.tokens]
    right_deps: list[list[str]] = [[] for _ in deps]
    left_deps: list[list[str]] = [[] for _ in deps]
    for index, head in enumerate(heads.tolist()):
        if head > index:
            left_deps[head].append(deps[index])
        elif head < index:
            right_deps[head].append(deps[index])
    return (
        hash_strings(" ".join(sorted(set(d))) for d in right_deps),
        hash_strings(" ".join(sorted(set(d))) for d in left_deps),
    )


def _nearest_noun(parse: Parse, heads: np.ndarray) -> np.ndarray:
    """The nearest noun at or above each token, climbing at most three heads."""
    noun = np.arange(len(parse.tokens))
    is_noun = np.array([t.pos in _NOUNS for t in parse.tokens], dtype=bool)
    for _ in range(_NOUN_CLIMB):
        noun = np.where(is_noun[noun], noun, heads[noun])
    return noun


def _templates(
    parse: Parse, columns: _TokenColumns, syntax: Syntax
) -> list[tuple[str, np.ndarray]]:
    """Each feature template's name and its value at every token, in the trained order."""
    w, tag, dep, shape, heads = columns.word, columns.tag, columns.dep, columns.shape, syntax.heads
    lowers, shifted, noun = columns.lowers, columns.shifted, columns.noun
    first, last = syntax.first, syntax.last
    length = np.minimum(last[:, 0] - first[:, 0] + 1, _MAX_LENGTH).astype(np.uint64)
    cut_length = np.minimum(last[:, 1] - first[:, 1] + 1, _MAX_LENGTH).astype(np.uint64)
    return [
        ("w", w),
        ("shape", shape),
        ("pre3", hash_strings(x[:3] for x in lowers)),
        ("suf3", columns.suffix),
        ("suf2", hash_strings(x[-2:] for x in lowers)),
        ("tag", tag),
        ("dep", dep),
        ("tag_dep", mix(tag, dep)),
        ("capital_only", columns.capital_only),
        ("title", columns.title),
        ("quote", hash_strings(str(t.in_quote is not None) for t in parse.tokens)),
        ("first", hash_strings(str(x) for x in sentence_starts(parse).tolist())),
        ("w-1", shifted(w, -1)),
        ("w-2", shifted(w, -2)),
        ("w+1", shifted(w, 1)),
        ("w+2", shifted(w, 2)),
        ("shape-1", shifted(shape, -1)),
        ("shape+1", shifted(shape, 1)),
        ("tag-1", shifted(tag, -1)),
        ("tag+1", shifted(tag, 1)),
        ("title-1", shifted(columns.title, -1)),
        ("w-1_w", mix(shifted(w, -1), w)),
        ("w_w+1", mix(w, shifted(w, 1))),
        ("head_w", w[heads]),
        ("head_tag", tag[heads]),
        ("dep_head_w", mix(dep, w[heads])),
        ("noun_w", w[noun]),
        ("noun_suf3", columns.suffix[noun]),
        ("right_deps", columns.right_deps),
        ("left_deps", columns.left_deps),
        ("first_w", w[first[:, 0]]),
        ("first_shape", shape[first[:, 0]]),
        ("last_w", w[last[:, 0]]),
        ("length", length),
        ("cut_length", cut_length),
        ("length_tag", mix(length, tag)),
    ]
