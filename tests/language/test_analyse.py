"""Parse stage: book offsets, quotation marks on tokens, hard line breaks, paragraph starts."""

from __future__ import annotations

import pytest

from fabula.language.analyse import parse_text
from fabula.model import Parse
from fabula.segmentation.paragraphs import find_paragraphs
from fabula.segmentation.quotes import find_quotes
from fabula.settings import DEFAULT_SETTINGS

pytestmark = pytest.mark.model

# Written for these tests: a hard-wrapped paragraph, an interrupted quotation, curly quotes.
STORY = """\
Ysolde climbed the
stairs to the loft and
opened the shutters.

"Is anyone up here?" she called. "Tamsin, answer me!"

Nothing moved.   Then a voice said, “Only the owls.”"""


@pytest.fixture(scope="module")
def parsed() -> tuple[Parse, tuple]:
    paragraphs = find_paragraphs(STORY)
    spans, _ = find_quotes(STORY, paragraphs)
    return parse_text(STORY, paragraphs, spans, settings=DEFAULT_SETTINGS), spans


def test_token_offsets_match_the_text(parsed) -> None:
    parse, _ = parsed
    assert parse.tokens
    for token in parse.tokens:
        assert STORY[token.char_start : token.char_end] == token.text
        assert not token.text.isspace()


def test_tokens_are_in_order_and_indexed(parsed) -> None:
    parse, _ = parsed
    assert [t.index for t in parse.tokens] == list(range(len(parse.tokens)))
    starts = [t.char_start for t in parse.tokens]
    assert starts == sorted(starts)
    assert all(0 <= t.head < len(parse.tokens) for t in parse.tokens)


def test_hard_line_breaks_do_not_split_words_or_shift_offsets(parsed) -> None:
    parse, _ = parsed
    words = [t.text for t in parse.tokens]
    assert words[:4] == ["Ysolde", "climbed", "the", "stairs"]
    stairs = parse.tokens[3]
    assert STORY[stairs.char_start - 1] == "\n"
    # The wrapped first paragraph is still a single sentence.
    assert parse.tokens[0].sentence == parse.tokens[words.index("shutters")].sentence


def test_in_quote_marks_quotation_tokens_only(parsed) -> None:
    parse, spans = parsed
    inside = {}
    for token in parse.tokens:
        if token.in_quote is not None:
            span = spans[token.in_quote]
            assert span.char_start <= token.char_start and token.char_end <= span.char_end
            inside.setdefault(token.in_quote, []).append(token.text)
    assert inside[0] == ['"', "Is", "anyone", "up", "here", "?", '"']
    assert "Tamsin" in inside[1]
    assert inside[2][0] == "“" and inside[2][-1] == "”"
    narration = [t.text for t in parse.tokens if t.in_quote is None]
    assert "she" in narration and "called" in narration and "voice" in narration
    assert "Tamsin" not in narration and "owls" not in narration


def test_paragraph_token_starts(parsed) -> None:
    parse, _ = parsed
    paragraphs = find_paragraphs(STORY)
    assert len(parse.paragraph_token_starts) == len(paragraphs) == 3
    for paragraph, first in zip(paragraphs, parse.paragraph_token_starts, strict=True):
        assert parse.tokens[first].char_start == paragraph.char_start
    assert [parse.tokens[i].text for i in parse.paragraph_token_starts] == [
        "Ysolde",
        '"',
        "Nothing",
    ]


def test_sentences_cover_tokens_and_know_their_paragraph(parsed) -> None:
    parse, _ = parsed
    covered = [i for s in parse.sentences for i in range(s.token_start, s.token_end)]
    assert covered == list(range(len(parse.tokens)))
    for sentence in parse.sentences:
        for index in range(sentence.token_start, sentence.token_end):
            assert parse.tokens[index].sentence == sentence.index
    last = parse.tokens[-1]
    assert parse.sentences[last.sentence].paragraph_index == 2


def test_empty_text_gives_an_empty_parse() -> None:
    parse = parse_text("", (), (), settings=DEFAULT_SETTINGS)
    assert parse == Parse((), (), ())


@pytest.mark.model
def test_progress_is_reported_up_to_the_whole_text() -> None:
    text = "\n\n".join(f'"Row {n}," said Ada. The boat went on past the mill.' for n in range(900))
    paragraphs = find_paragraphs(text)
    quotes, _ = find_quotes(text, paragraphs)
    heard: list[tuple[int, int]] = []
    parse_text(
        text, paragraphs, quotes, settings=DEFAULT_SETTINGS, progress=lambda *p: heard.append(p)
    )
    done = [d for d, _ in heard]
    assert len(heard) >= 2 and done == sorted(done)
    assert heard[-1] == (len(text), len(text))
    assert {total for _, total in heard} == {len(text)}
