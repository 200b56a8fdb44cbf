"""Parse stage: spaCy tags and dependencies for every paragraph, with book offsets.

Paragraphs go through ``nlp.pipe`` one by one (never the whole book as one ``Doc``: spaCy's
``max_length`` guards memory), and each token's offsets are shifted back to book positions.
A very long paragraph (a whole book on one line) is cut into pieces first (see ``_pieces``).
What the parser reads is rewritten to the same length (see ``for_parser``), so offsets hold;
each token's text is taken from the book itself.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import pairwise

from fabula.language import parallel
from fabula.model import Paragraph, Parse, QuoteSpan, Sentence, Token
from fabula.segmentation.paragraphs import SENTENCE_END, last_match_end
from fabula.settings import Settings
from fabula.stages import stage

Progress = Callable[[int, int], None]  # (characters parsed, characters in all)
# How often progress is reported, in characters of text.
PROGRESS_STEP_CHARS = 20_000
# spaCy refuses a Doc longer than ``nlp.max_length`` (1,000,000 characters) and needs memory in
# proportion to its length, so a longer paragraph is parsed in pieces of at most this many
# characters, cut where a sentence ends (the longest PDNC paragraph is 15,221 characters).
MAX_PIECE_CHARS = 50_000
# spaCy's tokenizer splits punctuation off a run of non-space characters one mark at a time,
# searching the whole run each time: time quadratic in the run's length (100,000 quotation
# marks in a row never finish). Longer runs are cut into pieces this long (the longest PDNC
# word, dashes included, is 50 characters).
MAX_RUN_CHARS = 100
_SPACE = re.compile(r"\s+")
_LONG_RUN = re.compile(rf"\S{{{MAX_RUN_CHARS + 1},}}")


@dataclass(frozen=True, slots=True)
class _Tags:
    pos_: str
    tag_: str
    dep_: str


# A long run of marks is not worth the parser's time: superfluous punctuation (spaCy's NFP).
_MARK_RUN = _Tags("PUNCT", "NFP", "punct")


@stage(requires={"text", "paragraphs", "quotes"}, produces={"parse"})
def parse_text(
    text: str,
    paragraphs: tuple[Paragraph, ...],
    quote_spans: tuple[QuoteSpan, ...],
    *,
    settings: Settings,
    progress: Progress | None = None,
) -> Parse:
    """Tag and parse each paragraph; mark which tokens lie inside a quotation.

    ``progress(done, total)`` hears how many characters are parsed, now and then: the parse
    is nearly all of the time a long text takes.

    >>> # "Hi," said Ann.  ->  tokens '"', 'Hi', ',', '"' (in quote 0), 'said', 'Ann', '.'
    """
    pieces = [
        (paragraph, start, piece)
        for paragraph in paragraphs
        for start, piece in _pieces(for_parser(text[paragraph.char_start : paragraph.char_end]))
    ]
    processes = settings.parse_processes if len(text) >= settings.parallel_parse_min_chars else 1
    docs = parallel.pipe(
        [piece for _, _, piece in pieces if not _is_mark_run(piece)],
        batch_size=settings.parse_batch_size,
        processes=processes,
    )
    found = _Tokens(text, quote_spans)
    reported = 0
    for paragraph, piece_start, piece in pieces:
        offset = paragraph.char_start + piece_start
        if progress is not None and offset - reported >= PROGRESS_STEP_CHARS:
            reported = offset
            progress(reported, len(text))
        if piece_start == 0:
            found.paragraph_token_starts.append(len(found.tokens))
        if _is_mark_run(piece):
            found.add_mark_run(offset, offset + len(piece), paragraph.index)
        else:
            found.add_doc(next(docs), offset, paragraph.index)
    if progress is not None:
        # Where these paragraphs end: a long text is parsed a window at a time.
        progress(paragraphs[-1].char_end if paragraphs else len(text), len(text))
    return Parse(tuple(found.tokens), tuple(found.sentences), tuple(found.paragraph_token_starts))


class _Tokens:
    """The parse's tokens and sentences, gathered piece by piece with book offsets."""

    def __init__(self, text: str, quote_spans: tuple[QuoteSpan, ...]) -> None:
        self.text = text
        self.quote_spans = quote_spans
        self.quote_starts = [q.char_start for q in quote_spans]
        self.tokens: list[Token] = []
        self.sentences: list[Sentence] = []
        self.paragraph_token_starts: list[int] = []

    def add_doc(self, doc, offset: int, paragraph_index: int) -> None:
        """The doc's non-space tokens, its sentences and dependencies, shifted by ``offset``."""
        book_index = _book_token_indices(doc, len(self.tokens))
        for sent in doc.sents:
            sentence_first = len(self.tokens)
            for token in sent:
                if not token.is_space:
                    start = offset + token.idx
                    head = book_index.get(token.head.i, len(self.tokens))
                    self._add(start, start + len(token.text), token, head=head)
            self._close_sentence(sentence_first, paragraph_index)

    def add_mark_run(self, start: int, end: int, paragraph_index: int) -> None:
        """A run of marks without a letter, digit or space is one token and one sentence:
        superfluous punctuation (spaCy's NFP), its own head."""
        sentence_first = len(self.tokens)
        self._add(start, end, _MARK_RUN, head=len(self.tokens))
        self._close_sentence(sentence_first, paragraph_index)

    def _add(self, start: int, end: int, tags, *, head: int) -> None:
        """One token; ``tags`` has spaCy's ``pos_``, ``tag_`` and ``dep_``."""
        self.tokens.append(
            Token(
                index=len(self.tokens),
                char_start=start,
                char_end=end,
                text=self.text[start:end],
                pos=tags.pos_,
                tag=tags.tag_,
                dep=tags.dep_,
                head=head,
                sentence=len(self.sentences),
                in_quote=_quote_containing(self.quote_spans, self.quote_starts, start),
            )
        )

    def _close_sentence(self, sentence_first: int, paragraph_index: int) -> None:
        if len(self.tokens) > sentence_first:
            self.sentences.append(
                Sentence(len(self.sentences), sentence_first, len(self.tokens), paragraph_index)
            )


def for_parser(paragraph: str) -> str:
    """Same-length text the tagger reads better.

    Hard line breaks become spaces, and the typewriter dash "--" becomes " —": spaCy does not
    split 'Jane.--"I' or 'sure?--is', which hides the speech tag inside one token.
    """
    return paragraph.replace("\n", " ").replace("\t", " ").replace("--", " —")


def _pieces(paragraph: str) -> Iterator[tuple[int, str]]:
    """The paragraph as (offset, text) pieces short enough for spaCy: usually one, itself.

    A paragraph over ``MAX_PIECE_CHARS`` is cut after the last sentence end in the second half
    of each stretch of that length, else after its last space, else at the limit; a run of more
    than ``MAX_RUN_CHARS`` non-space characters is cut every ``MAX_RUN_CHARS``, unless it holds
    no letter or digit: then it is a piece of its own (see ``_is_mark_run``). Joining the
    pieces gives back the paragraph: ``"Hi. " * 20_000`` → two pieces, cut after a "Hi. ".
    """
    cuts = _length_cuts(paragraph)
    for run in _LONG_RUN.finditer(paragraph):
        if _is_mark_run(run.group()):
            cuts.update((run.start(), run.end()))
        else:
            cuts.update(range(run.start() + MAX_RUN_CHARS, run.end(), MAX_RUN_CHARS))
    cuts -= {0, len(paragraph)}
    bounds = [0, *sorted(cuts), len(paragraph)]
    for start, end in pairwise(bounds):
        yield start, paragraph[start:end]


def _is_mark_run(piece: str) -> bool:
    """A run of more than ``MAX_RUN_CHARS`` marks, no letter, digit or space (100,000 quotation
    marks, a line of asterisks): one token, not parsed. No book has words that long."""
    return len(piece) > MAX_RUN_CHARS and not any(ch.isalnum() or ch.isspace() for ch in piece)


def _length_cuts(paragraph: str) -> set[int]:
    """Where to cut a paragraph so no piece is over ``MAX_PIECE_CHARS`` (see ``_pieces``)."""
    cuts: set[int] = set()
    start = 0
    while len(paragraph) - start > MAX_PIECE_CHARS:
        limit = start + MAX_PIECE_CHARS
        earliest = start + MAX_PIECE_CHARS // 2
        start = (
            last_match_end(SENTENCE_END, paragraph, earliest, limit)
            or last_match_end(_SPACE, paragraph, earliest, limit)
            or limit
        )
        cuts.add(start)
    return cuts


def _book_token_indices(doc, first: int) -> dict[int, int]:
    """Map each non-space token of ``doc`` to its index in the book's token list."""
    indices: dict[int, int] = {}
    for token in doc:
        if not token.is_space:
            indices[token.i] = first + len(indices)
    return indices


def _quote_containing(
    quote_spans: tuple[QuoteSpan, ...], quote_starts: list[int], char_start: int
) -> int | None:
    position = bisect_right(quote_starts, char_start) - 1
    if position >= 0 and char_start < quote_spans[position].char_end:
        return position
    return None
