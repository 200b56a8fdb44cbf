"""LitBank's realis events as gold data, and token-level trigger scoring (Sims et al. 2019).

Each excerpt's ``.tsv`` marks every word ``EVENT`` or ``O``. Predictions are made on fabula's
tokens and carried back to LitBank's words through ``word_tokens`` (a word is tagged when the
token holding its first character is), so scores count LitBank's words, as published scores do.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from fabula.evaluation.litbank import LitbankText, read_token_tsv
from fabula.model import Parse
from fabula.training.metrics import PRF

EVENT_LABEL = "EVENT"
OPENING_MARKS = ("“", "‘")
CLOSING_MARKS = ("”", "’")
STRAIGHT_MARK = '"'


@dataclass(frozen=True, slots=True)
class EventExcerpt:
    """One LitBank excerpt: its words as text, and per sentence which words are triggers."""

    text: LitbankText
    labels: tuple[tuple[bool, ...], ...]

    @property
    def name(self) -> str:
        return self.text.name

    @property
    def event_count(self) -> int:
        return sum(sum(sentence) for sentence in self.labels)


def event_files(directory: Path) -> list[Path]:
    """The event layer's excerpts, in a fixed order (folds depend on it)."""
    return sorted(directory.glob("*.tsv"))


def read_event_excerpt(path: Path) -> EventExcerpt:
    """One ``word<TAB>EVENT|O`` file; the excerpt is named after the file's stem."""
    sentences = read_token_tsv(path)
    words = [[row[0] for row in sentence] for sentence in sentences]
    labels = tuple(
        tuple(len(row) > 1 and row[1] == EVENT_LABEL for row in sentence) for sentence in sentences
    )
    return EventExcerpt(LitbankText.of(path.stem, words), labels)


def word_labels(
    tagged_tokens: Iterable[int], word_tokens: Sequence[Sequence[int]]
) -> tuple[tuple[bool, ...], ...]:
    """Tagged token indices as per-word labels: a word is an event when its first token is."""
    tagged = set(tagged_tokens)
    return tuple(tuple(token in tagged for token in sentence) for sentence in word_tokens)


def score_events(gold: Sequence[Sequence[bool]], predicted: Sequence[Sequence[bool]]) -> PRF:
    """Word-level trigger counts for one excerpt (both label sets per sentence, per word);
    they add up across excerpts (micro-averaged precision, recall, F1)."""
    correct = tagged = expected = 0
    for gold_sentence, predicted_sentence in zip(gold, predicted, strict=True):
        for is_gold, is_predicted in zip(gold_sentence, predicted_sentence, strict=True):
            correct += is_gold and is_predicted
            tagged += is_predicted
            expected += is_gold
    return PRF(correct, tagged, expected)


def requote(parse: Parse, excerpt: LitbankText, word_tokens: Sequence[Sequence[int]]) -> Parse:
    """The parse with ``in_quote`` set as a quotation running over sentences would set it.

    LitBank keeps sentences, not paragraphs, so each sentence is laid out as a paragraph and a
    speech of three sentences keeps its marks on the first and last only: the middle one
    would look like narration, which real text never shows the tagger. Marks are followed
    across the excerpt instead: an opening mark starts a quotation, a closing mark ends it,
    a straight mark toggles. Quotation numbers count the quotations found this way.
    """
    starts = [token for sentence in word_tokens for token in sentence]
    words = [word for sentence in excerpt.sentences for word in sentence]
    quote_of_token: list[int | None] = [None] * len(parse.tokens)
    number, inside = -1, False
    for position, (word, first) in enumerate(zip(words, starts, strict=True)):
        if word in OPENING_MARKS or (word == STRAIGHT_MARK and not inside):
            number, inside, quoted = number + 1, True, True
        elif word in CLOSING_MARKS or word == STRAIGHT_MARK:
            inside, quoted = False, True
        else:
            quoted = inside
        last = starts[position + 1] if position + 1 < len(starts) else len(parse.tokens)
        for token in range(first, max(last, first + 1)):
            quote_of_token[token] = number if quoted and number >= 0 else None
    tokens = tuple(
        replace(token, in_quote=quote)
        for token, quote in zip(parse.tokens, quote_of_token, strict=True)
    )
    return replace(parse, tokens=tokens)
