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
from dataclasses import dataclass

import numpy as np

from fabula.language.features import chained_buckets, hash_strings, stable_hash
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
# Sentence marks: a question, an exclamation, a conditional.
SENTENCE_MARKS = ("?", "!", "if")
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
    count = len(parse.tokens)
    if not count:
        empty = np.zeros(0, dtype=np.int64)
        return EventFeatures(0, empty, empty, empty)
    columns = _Columns.of(parse)
    candidates = np.flatnonzero(np.isin(columns.pos_text, CANDIDATE_POS))
    found = _FeatureRows(2**bits, candidates)
    _add_word_features(found, columns)
    _add_child_features(found, columns)
    _add_sentence_features(found, columns, len(parse.sentences))
    _add_passage_features(found, columns, len(parse.sentences))
    return found.features(count)


@dataclass(frozen=True, slots=True)
class _Columns:
    """Each token's attributes, hashed where a feature takes them as values."""

    lower_text: list[str]
    pos_text: np.ndarray
    tag_text: np.ndarray
    dep_text: np.ndarray
    word: np.ndarray
    suffix3: np.ndarray
    suffix2: np.ndarray
    shape: np.ndarray
    pos: np.ndarray
    tag: np.ndarray
    dep: np.ndarray
    function_word: np.ndarray  # "would", "not", "if"; else the tag
    head: np.ndarray
    sentence: np.ndarray
    quoted: np.ndarray  # 1 inside a quotation

    @classmethod
    def of(cls, parse: Parse) -> _Columns:
        tokens = parse.tokens
        lower_text = [t.text.lower() for t in tokens]
        tag_text = [t.tag for t in tokens]
        word, tag = hash_strings(lower_text), hash_strings(tag_text)
        return cls(
            lower_text=lower_text,
            pos_text=np.array([t.pos for t in tokens]),
            tag_text=np.array(tag_text),
            dep_text=np.array([t.dep for t in tokens]),
            word=word,
            suffix3=hash_strings(w[-3:] for w in lower_text),
            suffix2=hash_strings(w[-2:] for w in lower_text),
            shape=hash_strings(_shape(t.text) for t in tokens),
            pos=hash_strings(t.pos for t in tokens),
            tag=tag,
            dep=hash_strings(t.dep for t in tokens),
            function_word=np.where(np.isin(np.array(tag_text), CLOSED_TAGS), word, tag),
            head=np.array([t.head for t in tokens], dtype=np.int64),
            sentence=np.array([t.sentence for t in tokens], dtype=np.int64),
            quoted=np.array([t.in_quote is not None for t in tokens], dtype=np.uint64),
        )


class _FeatureRows:
    """The (candidate row, bucket) pairs of a parse's features, gathered template by template."""

    def __init__(self, buckets: int, candidates: np.ndarray) -> None:
        self.buckets = buckets
        self.candidates = candidates  # the parse index of each row
        self.row = np.arange(len(candidates))
        self._rows: list[np.ndarray] = []
        self._columns: list[np.ndarray] = []

    def add(self, name: str, row_of: np.ndarray, *parts: np.ndarray) -> None:
        """One template: for each ``row_of[i]``, the bucket of ``name`` with ``parts[..][i]``."""
        self._rows.append(row_of)
        self._columns.append(chained_buckets(name, len(row_of), parts, self.buckets))

    def features(self, token_count: int) -> EventFeatures:
        rows, columns = np.concatenate(self._rows), np.concatenate(self._columns)
        return EventFeatures(token_count, self.candidates, rows, columns)


def _add_word_features(found: _FeatureRows, columns: _Columns) -> None:
    """The word itself, its head, and its neighbours in the sentence."""
    word, tag, dep, sentence = columns.word, columns.tag, columns.dep, columns.sentence
    row, at = found.row, found.candidates
    index = np.arange(len(word))
    nothing = np.uint64(stable_hash(_NOTHING))
    same_sentence_before = np.r_[False, sentence[1:] == sentence[:-1]]
    same_sentence_after = np.r_[sentence[:-1] == sentence[1:], False]
    previous = np.maximum(index - 1, 0)
    following = np.minimum(index + 1, len(word) - 1)

    def before(values: np.ndarray) -> np.ndarray:
        return np.where(same_sentence_before, values[previous], nothing)

    def after(values: np.ndarray) -> np.ndarray:
        return np.where(same_sentence_after, values[following], nothing)

    head_at = columns.head[at]
    is_root = (head_at == at).astype(np.uint64)
    is_quoted = columns.quoted[at]
    found.add("bias", row)
    found.add("word", row, word[at])
    found.add("word_tag", row, word[at], tag[at])
    found.add("word_dep", row, word[at], dep[at])
    found.add("word_quoted", row, word[at], is_quoted)
    found.add("suffix3_tag", row, columns.suffix3[at], tag[at])
    found.add("suffix2_pos", row, columns.suffix2[at], columns.pos[at])
    found.add("shape_pos", row, columns.shape[at], columns.pos[at])
    found.add("tag", row, tag[at])
    found.add("tag_quoted", row, tag[at], is_quoted)
    found.add("tag_dep", row, tag[at], dep[at])
    found.add("tag_dep_head_tag", row, tag[at], dep[at], tag[head_at])
    found.add("head_word", row, word[head_at], is_root)
    found.add("head_word_dep", row, word[head_at], dep[at], is_root)
    found.add("dep_head_dep", row, dep[at], dep[head_at], tag[at])
    found.add("previous_word", row, before(word)[at])
    found.add("previous_tag_tag", row, before(tag)[at], tag[at])
    found.add("previous_two_words", row, before(before(word))[at], before(word)[at], tag[at])
    found.add("next_word", row, after(word)[at])
    found.add("tag_next_tag", row, tag[at], after(tag)[at])


def _add_child_features(found: _FeatureRows, columns: _Columns) -> None:
    """Which tokens hang under each candidate, and under its head and grandhead."""
    head, dep, tag, function_word = columns.head, columns.dep, columns.tag, columns.function_word
    row, at = found.row, found.candidates
    child = np.flatnonzero(head != np.arange(len(head)))
    parent = head[child]
    cue = child[np.isin(columns.dep_text[child], CUE_DEPS)]
    row_of_token = np.full(len(head), -1, dtype=np.int64)
    row_of_token[at] = row
    cue_parent_row = row_of_token[head[cue]]
    kept = cue_parent_row >= 0
    found.add("child", cue_parent_row[kept], dep[cue[kept]], function_word[cue[kept]])
    found.add(
        "child_tag",
        cue_parent_row[kept],
        dep[cue[kept]],
        function_word[cue[kept]],
        tag[head[cue[kept]]],
    )
    all_parent_row = row_of_token[parent]
    kept_all = all_parent_row >= 0
    found.add("child_dep", all_parent_row[kept_all], dep[child[kept_all]], tag[parent[kept_all]])
    # The head's cues reach the candidate: "would go and see", "wanted to leave".
    head_at = head[at]
    head_rows, head_cues = _pairs_under_heads(head_at, row, head[cue], cue)
    found.add("head_child", head_rows, dep[at[head_rows]], dep[head_cues], function_word[head_cues])
    grand_rows, grand_cues = _pairs_under_heads(head[head_at], row, head[cue], cue)
    found.add("grandhead_child", grand_rows, dep[grand_cues], function_word[grand_cues])


def _add_sentence_features(found: _FeatureRows, columns: _Columns, sentences: int) -> None:
    """A question, an exclamation, a conditional or a modal anywhere in the sentence."""
    row, at, sentence = found.row, found.candidates, columns.sentence
    is_quoted = columns.quoted[at]
    lower_array = np.array(columns.lower_text)
    sentence_marks = np.zeros((sentences, 3), dtype=np.uint64)
    for mark, text in enumerate(SENTENCE_MARKS):
        hits = np.flatnonzero(lower_array == text)
        sentence_marks[sentence[hits], mark] = 1
    marks = sentence_marks[sentence[at]]
    found.add("sentence_marks", row, marks[:, 0], marks[:, 1], marks[:, 2], is_quoted)
    modal = np.zeros(sentences, dtype=np.uint64)
    modal[sentence[columns.tag_text == "MD"]] = 1
    found.add("sentence_modal", row, modal[sentence[at]], columns.tag[at], is_quoted)
    stems = hash_strings(_stem(w) for w in columns.lower_text)
    found.add("stem_pos", row, stems[at], columns.pos[at])


def _add_passage_features(found: _FeatureRows, columns: _Columns, sentences: int) -> None:
    """The passage around: past-tense narration, present tense, modals, speech."""
    row, at, sentence, tag_text = found.row, found.candidates, columns.sentence, columns.tag_text
    quoted = columns.quoted
    narration = quoted == 0
    per_sentence = np.zeros((sentences + 1, 5))
    for column, hits in enumerate(
        (
            narration & (tag_text == "VBD"),
            narration & np.isin(tag_text, ("VBZ", "VBP")),
            narration & (tag_text == "MD"),
            quoted == 1,
            np.ones(len(quoted), dtype=bool),
        )
    ):
        per_sentence[1:, column] = np.bincount(
            sentence, weights=hits.astype(float), minlength=sentences
        )
    cumulative = np.cumsum(per_sentence, axis=0)
    first = np.maximum(np.arange(sentences) - WINDOW_SENTENCES, 0)
    last = np.minimum(np.arange(sentences) + WINDOW_SENTENCES + 1, sentences)
    window = (cumulative[last] - cumulative[first])[sentence[at]]
    past_share = window[:, 0] / np.maximum(window[:, 0] + window[:, 1], 1)
    modal_rate = window[:, 2] / np.maximum(window[:, 0] + window[:, 1], 1)
    quoted_share = window[:, 3] / window[:, 4]
    tag, is_quoted = columns.tag[at], quoted[at]
    found.add("window_past", row, _bucket(past_share), tag, is_quoted)
    found.add("window_modal", row, _bucket(modal_rate), tag, is_quoted)
    found.add("window_quoted", row, _bucket(quoted_share), is_quoted)


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
