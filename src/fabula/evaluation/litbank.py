"""LitBank's pre-tokenised excerpts as fabula text: for training and scoring the layers that
LitBank annotates (entities, events, coreference) on exactly what the pipeline sees.

LitBank gives words and sentences, not the original text. Joining a sentence's words with
spaces and sentences with blank lines gives a text fabula reads as usual (each sentence its own
paragraph); ``word_tokens`` then says which fabula token starts each LitBank word, so labels
move between the two tokenisations.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from fabula.language.analyse import parse_text
from fabula.model import Paragraph, Parse
from fabula.segmentation.paragraphs import find_paragraphs
from fabula.segmentation.quotes import find_quotes
from fabula.settings import DEFAULT_SETTINGS, Settings


@dataclass(frozen=True, slots=True)
class LitbankText:
    """One excerpt's words laid out as text, with every word's character span."""

    name: str
    sentences: tuple[tuple[str, ...], ...]
    text: str
    word_spans: tuple[tuple[tuple[int, int], ...], ...]  # per sentence, per word

    @classmethod
    def of(cls, name: str, sentences: Sequence[Sequence[str]]) -> LitbankText:
        parts: list[str] = []
        spans: list[tuple[tuple[int, int], ...]] = []
        offset = 0
        for number, words in enumerate(sentences):
            if number:
                parts.append("\n\n")
                offset += 2
            sentence_spans = []
            for position, word in enumerate(words):
                if position:
                    parts.append(" ")
                    offset += 1
                parts.append(word)
                sentence_spans.append((offset, offset + len(word)))
                offset += len(word)
            spans.append(tuple(sentence_spans))
        return cls(name, tuple(tuple(words) for words in sentences), "".join(parts), tuple(spans))

    def paragraphs(self) -> tuple[Paragraph, ...]:
        return find_paragraphs(self.text)


def parse_litbank(
    excerpt: LitbankText, *, settings: Settings = DEFAULT_SETTINGS
) -> tuple[Parse, list[list[int]]]:
    """fabula's parse of the excerpt, and for each LitBank word (per sentence) the index of the
    fabula token that covers its first character."""
    paragraphs = excerpt.paragraphs()
    quote_spans, _ = find_quotes(excerpt.text, paragraphs)
    parse = parse_text(excerpt.text, paragraphs, quote_spans, settings=settings)
    return parse, word_tokens(parse, excerpt)


def word_tokens(parse: Parse, excerpt: LitbankText) -> list[list[int]]:
    """Per sentence, per word: the token whose span holds the word's first character (the
    closest following token when spaCy dropped it, as with a lone space)."""
    starts = [token.char_start for token in parse.tokens]
    ends = [token.char_end for token in parse.tokens]
    found: list[list[int]] = []
    for sentence in excerpt.word_spans:
        indices = []
        for start, _end in sentence:
            position = bisect_left(ends, start + 1)
            indices.append(min(position, len(starts) - 1))
        found.append(indices)
    return found


def read_token_tsv(path: Path) -> list[list[list[str]]]:
    """A LitBank ``.tsv`` layer (entities, events): sentences split by blank lines, one word per
    line, the word and its label columns tab-separated."""
    sentences: list[list[list[str]]] = []
    current: list[list[str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            if current:
                sentences.append(current)
                current = []
            continue
        current.append(line.split("\t"))
    if current:
        sentences.append(current)
    return sentences
