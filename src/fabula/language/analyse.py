"""Parse stage: spaCy tags and dependencies for every paragraph, with book offsets.

Paragraphs go through ``nlp.pipe`` one by one (never the whole book as one ``Doc``: spaCy's
``max_length`` guards memory), and each token's offsets are shifted back to book positions.
What the parser reads is rewritten to the same length (see ``for_parser``), so offsets hold;
each token's text is taken from the book itself.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable

from fabula.language import parallel
from fabula.model import Paragraph, Parse, QuoteSpan, Sentence, Token
from fabula.settings import Settings
from fabula.stages import stage

Progress = Callable[[int, int], None]  # (characters parsed, characters in all)
# How often progress is reported, in characters of text.
PROGRESS_STEP_CHARS = 20_000


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
    paragraph_texts = [for_parser(text[p.char_start : p.char_end]) for p in paragraphs]
    processes = settings.parse_processes if len(text) >= settings.parallel_parse_min_chars else 1
    quote_starts = [q.char_start for q in quote_spans]

    tokens: list[Token] = []
    sentences: list[Sentence] = []
    paragraph_token_starts: list[int] = []
    docs = parallel.pipe(paragraph_texts, batch_size=settings.parse_batch_size, processes=processes)
    reported = 0
    for paragraph, doc in zip(paragraphs, docs, strict=True):
        if progress is not None and paragraph.char_end - reported >= PROGRESS_STEP_CHARS:
            reported = paragraph.char_end
            progress(reported, len(text))
        paragraph_token_starts.append(len(tokens))
        offset = paragraph.char_start
        book_index = _book_token_indices(doc, len(tokens))
        for sent in doc.sents:
            sentence_index = len(sentences)
            sentence_first = len(tokens)
            for token in sent:
                if token.is_space:
                    continue
                start = offset + token.idx
                end = start + len(token.text)
                tokens.append(
                    Token(
                        index=len(tokens),
                        char_start=start,
                        char_end=end,
                        text=text[start:end],
                        pos=token.pos_,
                        tag=token.tag_,
                        dep=token.dep_,
                        head=book_index.get(token.head.i, len(tokens)),
                        sentence=sentence_index,
                        in_quote=_quote_containing(quote_spans, quote_starts, start),
                    )
                )
            if len(tokens) > sentence_first:
                sentences.append(
                    Sentence(sentence_index, sentence_first, len(tokens), paragraph.index)
                )
    if progress is not None:
        # Where these paragraphs end: a long text is parsed a window at a time.
        progress(paragraphs[-1].char_end if paragraphs else len(text), len(text))
    return Parse(tuple(tokens), tuple(sentences), tuple(paragraph_token_starts))


def for_parser(paragraph: str) -> str:
    """Same-length text the tagger reads better.

    Hard line breaks become spaces, and the typewriter dash "--" becomes " —": spaCy does not
    split 'Jane.--"I' or 'sure?--is', which hides the speech tag inside one token.
    """
    return paragraph.replace("\n", " ").replace("\t", " ").replace("--", " —")


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
