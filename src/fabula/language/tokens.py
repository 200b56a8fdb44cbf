"""A compact table of every token, for exports that index the text by token (BookNLP).

The parse of each window is dropped once the window is analysed; when an export needs the
tokens, each window's are copied into arrays first, and the windows' tables joined.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence

from fabula.model import Parse, TokenTable

INTEGERS = "q"
LABEL_IDS = "I"


def compact_tokens(parse: Parse, paragraph_offset: int = 0) -> TokenTable:
    """One window's tokens; its paragraphs are numbered from ``paragraph_offset``."""
    labels: dict[tuple[str, str, str], int] = {}
    label_ids = array(LABEL_IDS)
    for token in parse.tokens:
        label_ids.append(labels.setdefault((token.pos, token.tag, token.dep), len(labels)))
    return TokenTable(
        char_starts=array(INTEGERS, (t.char_start for t in parse.tokens)),
        char_ends=array(INTEGERS, (t.char_end for t in parse.tokens)),
        heads=array(INTEGERS, (t.head for t in parse.tokens)),
        sentences=array(INTEGERS, (t.sentence for t in parse.tokens)),
        label_ids=label_ids,
        labels=tuple(labels),
        sentence_starts=array(INTEGERS, (s.token_start for s in parse.sentences)),
        sentence_paragraphs=array(
            INTEGERS, (s.paragraph_index + paragraph_offset for s in parse.sentences)
        ),
    )


def join_token_tables(tables: Sequence[TokenTable]) -> TokenTable:
    """The windows' tables as one, token and sentence ids counted over the whole text."""
    if len(tables) == 1:
        return tables[0]
    starts, ends, heads, sentences = (array(INTEGERS) for _ in range(4))
    sentence_starts, sentence_paragraphs = array(INTEGERS), array(INTEGERS)
    label_ids = array(LABEL_IDS)
    labels: dict[tuple[str, str, str], int] = {}
    for table in tables:
        token_offset, sentence_offset = len(starts), len(sentence_starts)
        starts.extend(table.char_starts)
        ends.extend(table.char_ends)
        heads.extend(head + token_offset for head in table.heads)
        sentences.extend(sentence + sentence_offset for sentence in table.sentences)
        mapping = [labels.setdefault(label, len(labels)) for label in table.labels]
        label_ids.extend(mapping[i] for i in table.label_ids)
        sentence_starts.extend(start + token_offset for start in table.sentence_starts)
        sentence_paragraphs.extend(table.sentence_paragraphs)
    return TokenTable(
        starts,
        ends,
        heads,
        sentences,
        label_ids,
        tuple(labels),
        sentence_starts,
        sentence_paragraphs,
    )
