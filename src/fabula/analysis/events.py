"""Analysis: realis events, the things a story depicts as actually happening.

LitBank's definition (Sims et al. 2019): a trigger word (mostly a verb, sometimes a noun such
as "fire" or "glance", rarely an adjective) of an event asserted to take place, with specific
participants at a specific time. Hypotheticals ("if she had gone"), futures ("he will leave"),
negated events ("she did not answer"), habits and generic statements are not realis; nor,
in LitBank's annotation, is nearly anything inside quoted speech.

The tagger is a logistic regression over hashed, sparse features of fabula's own parse: the
word and its suffix, tags and dependency label, the head's, the auxiliaries, negations and
subordinators attached to it or to its head, the neighbouring words and whether it is quoted.
Features are computed with numpy over the whole parse at once; only verbs, nouns and
adjectives are scored. Weights are trained by ``scripts/train_event_tagger.py`` on LitBank,
with document-level cross-validation, and shipped in ``fabula/data/event_tagger.json``.
"""

from __future__ import annotations

import functools
import zlib
from dataclasses import dataclass

import numpy as np

from fabula.model import Parse
from fabula.stages import stage

# What the features are, versioned: shipped weights trained on another version are refused.
FEATURE_VERSION = "fabula.events.hashed_logistic.v1"
CANDIDATE_POS = ("VERB", "NOUN", "ADJ")
# Children whose word tells the modality or the kind of clause: "would", "not", "if", "to".
CUE_DEPS = ("aux", "auxpass", "neg", "mark", "advmod", "prt", "nsubj", "nsubjpass", "dobj")
# Children kept as their word only when closed-class; otherwise as their tag.
CLOSED_TAGS = ("PRP", "MD", "TO", "IN", "RB", "RP", "DT", "WRB", "WDT", "WP", "EX")
# The passage whose tense and speech inform each word: this many sentences either side.
WINDOW_SENTENCES = 8
WINDOW_BUCKETS = 5
_MIX = np.uint64(0x100000001B3)
_NOTHING = "<none>"


@stage(requires={"parse"}, produces={"events"})
def tag_events(parse: Parse, tagger: EventTagger) -> tuple[int, ...]:
    """Indices of the tokens that are realis event triggers, in text order.

    >>> # "She slammed the door and ran." -> the indices of "slammed" and "ran"
    """
    probabilities = tagger.probabilities(parse)
    return tuple(int(i) for i in np.flatnonzero(probabilities >= tagger.threshold))


@dataclass(frozen=True, slots=True, eq=False)
class EventTagger:
    """``sigmoid(bias + sum of the active features' weights)`` over ``2**bits`` hashed slots."""

    bits: int
    weights: np.ndarray  # (2**bits,)
    bias: float
    threshold: float

    @classmethod
    def from_json(cls, data: dict) -> EventTagger:
        """Weights stored sparsely: only the slots training moved away from zero."""
        weights = np.zeros(2 ** data["bits"])
        weights[np.asarray(data["indices"], dtype=np.int64)] = data["weights"]
        return cls(data["bits"], weights, float(data["bias"]), float(data["threshold"]))

    def to_json(self, *, digits: int = 3) -> dict:
        rounded = np.round(self.weights, digits)
        indices = np.flatnonzero(rounded)
        return {
            "features": FEATURE_VERSION,
            "bits": self.bits,
            "bias": round(self.bias, digits),
            "threshold": round(self.threshold, digits),
            "indices": indices.tolist(),
            "weights": rounded[indices].tolist(),
        }

    def probabilities(self, parse: Parse) -> np.ndarray:
        """Each token's probability of being a realis trigger (0 for non-candidates)."""
        features = event_features(parse, self.bits)
        return self.probabilities_of(features)

    def probabilities_of(self, features: EventFeatures) -> np.ndarray:
        scores = np.bincount(
            features.rows, weights=self.weights[features.columns], minlength=len(features.tokens)
        )
        candidate = 1 / (1 + np.exp(-(scores + self.bias)))
        probabilities = np.zeros(features.token_count)
        probabilities[features.tokens] = candidate
        return probabilities


@dataclass(frozen=True, slots=True)
class EventFeatures:
    """Sparse features of a parse's candidate tokens, as (row, hashed column) pairs."""

    token_count: int
    tokens: np.ndarray  # parse index of each candidate row
    rows: np.ndarray
    columns: np.ndarray


def event_features(parse: Parse, bits: int) -> EventFeatures:
    """Hashed features of every verb, noun and adjective of the parse (see the module doc)."""
    tokens = parse.tokens
    count = len(tokens)
    if not count:
        empty = np.zeros(0, dtype=np.int64)
        return EventFeatures(0, empty, empty, empty)
    hashes: dict[str, int] = {}

    def atoms(strings: list[str]) -> np.ndarray:
        values = []
        for string in strings:
            value = hashes.get(string)
            if value is None:
                value = hashes[string] = zlib.crc32(string.encode("utf-8"))
            values.append(value)
        return np.array(values, dtype=np.uint64)

    lower_text = [t.text.lower() for t in tokens]
    tag_text = [t.tag for t in tokens]
    word = atoms(lower_text)
    suffix3 = atoms([w[-3:] for w in lower_text])
    suffix2 = atoms([w[-2:] for w in lower_text])
    shape = atoms([_shape(t.text) for t in tokens])
    pos = atoms([t.pos for t in tokens])
    tag = atoms(tag_text)
    dep = atoms([t.dep for t in tokens])
    tag_array = np.array(tag_text)
    lower_array = np.array(lower_text)
    closed = np.isin(tag_array, CLOSED_TAGS)
    function_word = np.where(closed, word, tag)  # "would", "not", "if"; else the tag
    head = np.array([t.head for t in tokens], dtype=np.int64)
    sentence = np.array([t.sentence for t in tokens], dtype=np.int64)
    quoted = np.array([t.in_quote is not None for t in tokens], dtype=np.uint64)
    index = np.arange(count)

    nothing = np.uint64(zlib.crc32(_NOTHING.encode()))
    same_sentence_before = np.r_[False, sentence[1:] == sentence[:-1]]
    same_sentence_after = np.r_[sentence[:-1] == sentence[1:], False]
    previous = np.maximum(index - 1, 0)
    following = np.minimum(index + 1, count - 1)

    def before(values: np.ndarray) -> np.ndarray:
        return np.where(same_sentence_before, values[previous], nothing)

    def after(values: np.ndarray) -> np.ndarray:
        return np.where(same_sentence_after, values[following], nothing)

    candidates = np.flatnonzero(np.isin(np.array([t.pos for t in tokens]), CANDIDATE_POS))
    rows: list[np.ndarray] = []
    columns: list[np.ndarray] = []
    size = np.uint64(2**bits)

    def add(name: str, row_of: np.ndarray, *parts: np.ndarray) -> None:
        key = np.full(len(row_of), zlib.crc32(name.encode()), dtype=np.uint64)
        for part in parts:
            key = (key * _MIX) ^ part
        rows.append(row_of)
        columns.append((key % size).astype(np.int64))

    row = np.arange(len(candidates))
    at = candidates
    head_at = head[at]
    is_root = (head_at == at).astype(np.uint64)
    is_quoted = quoted[at]
    add("bias", row)
    add("word", row, word[at])
    add("word_tag", row, word[at], tag[at])
    add("word_dep", row, word[at], dep[at])
    add("word_quoted", row, word[at], is_quoted)
    add("suffix3_tag", row, suffix3[at], tag[at])
    add("suffix2_pos", row, suffix2[at], pos[at])
    add("shape_pos", row, shape[at], pos[at])
    add("tag", row, tag[at])
    add("tag_quoted", row, tag[at], is_quoted)
    add("tag_dep", row, tag[at], dep[at])
    add("tag_dep_head_tag", row, tag[at], dep[at], tag[head_at])
    add("head_word", row, word[head_at], is_root)
    add("head_word_dep", row, word[head_at], dep[at], is_root)
    add("dep_head_dep", row, dep[at], dep[head_at], tag[at])
    add("previous_word", row, before(word)[at])
    add("previous_tag_tag", row, before(tag)[at], tag[at])
    add("previous_two_words", row, before(before(word))[at], before(word)[at], tag[at])
    add("next_word", row, after(word)[at])
    add("tag_next_tag", row, tag[at], after(tag)[at])

    # Children: which tokens hang under each candidate, and under its head.
    child = np.flatnonzero(head != index)
    parent = head[child]
    cue = child[np.isin(np.array([tokens[c].dep for c in child]), CUE_DEPS)]
    row_of_token = np.full(count, -1, dtype=np.int64)
    row_of_token[candidates] = row
    cue_parent_row = row_of_token[head[cue]]
    kept = cue_parent_row >= 0
    add("child", cue_parent_row[kept], dep[cue[kept]], function_word[cue[kept]])
    add(
        "child_tag",
        cue_parent_row[kept],
        dep[cue[kept]],
        function_word[cue[kept]],
        tag[head[cue[kept]]],
    )
    all_parent_row = row_of_token[parent]
    kept_all = all_parent_row >= 0
    add("child_dep", all_parent_row[kept_all], dep[child[kept_all]], tag[parent[kept_all]])
    # The head's cues reach the candidate: "would go and see", "wanted to leave".
    head_rows, head_cues = _pairs_under_heads(head_at, row, head[cue], cue)
    add("head_child", head_rows, dep[at[head_rows]], dep[head_cues], function_word[head_cues])
    grand_rows, grand_cues = _pairs_under_heads(head[head_at], row, head[cue], cue)
    add("grandhead_child", grand_rows, dep[grand_cues], function_word[grand_cues])

    # Sentence context: a question, an exclamation, a conditional anywhere in it.
    sentence_marks = np.zeros((len(parse.sentences), 3), dtype=np.uint64)
    for mark, text in enumerate(("?", "!", "if")):
        hits = np.flatnonzero(lower_array == text)
        sentence_marks[sentence[hits], mark] = 1
    marks = sentence_marks[sentence[at]]
    add("sentence_marks", row, marks[:, 0], marks[:, 1], marks[:, 2], is_quoted)
    modal = np.zeros(len(parse.sentences), dtype=np.uint64)
    modal[sentence[tag_array == "MD"]] = 1
    add("sentence_modal", row, modal[sentence[at]], tag[at], is_quoted)
    add("stem_pos", row, atoms([_stem(w) for w in lower_text])[at], pos[at])

    # The passage around: past-tense narration, present tense, modals, speech.
    narration = quoted == 0
    per_sentence = np.zeros((len(parse.sentences) + 1, 5))
    for column, hits in enumerate(
        (
            narration & (tag_array == "VBD"),
            narration & np.isin(tag_array, ("VBZ", "VBP")),
            narration & (tag_array == "MD"),
            quoted == 1,
            np.ones(count, dtype=bool),
        )
    ):
        per_sentence[1:, column] = np.bincount(
            sentence, weights=hits.astype(float), minlength=len(parse.sentences)
        )
    cumulative = np.cumsum(per_sentence, axis=0)
    first = np.maximum(np.arange(len(parse.sentences)) - WINDOW_SENTENCES, 0)
    last = np.minimum(np.arange(len(parse.sentences)) + WINDOW_SENTENCES + 1, len(parse.sentences))
    window = (cumulative[last] - cumulative[first])[sentence[at]]
    past_share = window[:, 0] / np.maximum(window[:, 0] + window[:, 1], 1)
    modal_rate = window[:, 2] / np.maximum(window[:, 0] + window[:, 1], 1)
    quoted_share = window[:, 3] / window[:, 4]
    add("window_past", row, _bucket(past_share), tag[at], is_quoted)
    add("window_modal", row, _bucket(modal_rate), tag[at], is_quoted)
    add("window_quoted", row, _bucket(quoted_share), is_quoted)
    return EventFeatures(count, candidates, np.concatenate(rows), np.concatenate(columns))


def _pairs_under_heads(
    heads: np.ndarray, rows: np.ndarray, cue_heads: np.ndarray, cues: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Every (row, cue) where the cue hangs under the row's given head."""
    order = np.argsort(cue_heads, kind="stable")
    sorted_heads = cue_heads[order]
    first = np.searchsorted(sorted_heads, heads, side="left")
    last = np.searchsorted(sorted_heads, heads, side="right")
    counts = last - first
    pair_rows = np.repeat(rows, counts)
    offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    pair_cues = cues[order[np.repeat(first, counts) + offsets]]
    return pair_rows, pair_cues


def _bucket(share: np.ndarray) -> np.ndarray:
    return np.minimum(share * WINDOW_BUCKETS, WINDOW_BUCKETS - 1).astype(np.uint64)


@functools.cache
def _stem(word: str) -> str:
    """A crude stem that joins a verb's forms: 'looked', 'looking', 'looks' -> 'look'."""
    for suffix in ("ing", "ied", "ies", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            return word[: -len(suffix)]
    return word


def _shape(text: str) -> str:
    """'Ran' -> 'Xx', 'ran' -> 'x', 'RAN' -> 'X', '1840' -> 'd'."""
    if text.islower():
        return "x"
    if text.isupper():
        return "X"
    if text[:1].isupper():
        return "Xx"
    if text.isdigit():
        return "d"
    return "o"
