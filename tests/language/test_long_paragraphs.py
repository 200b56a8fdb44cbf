"""The parser gets long paragraphs in pieces: never over spaCy's ``max_length``, never a run
of non-space characters long enough to make its tokenizer quadratic; offsets stay exact."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fabula.language import analyse
from fabula.language.analyse import (
    MAX_PIECE_CHARS,
    MAX_RUN_CHARS,
    _is_mark_run,
    _pieces,
    parse_text,
)
from fabula.model import Paragraph
from fabula.settings import DEFAULT_SETTINGS

# Written for these tests.
SENTENCES = 'Anna ran. "Hi," she said. '

_PIECES = st.sampled_from(["Ada", "ran", " ", ".", "!", '"', "”", "'", ",", "—", "x" * 30, "?? "])


def _longest_run(text: str) -> int:
    return max((len(word) for word in text.split()), default=0)


def test_a_normal_paragraph_is_one_piece() -> None:
    paragraph = SENTENCES * 500
    assert list(_pieces(paragraph)) == [(0, paragraph)]


def test_a_long_paragraph_is_cut_after_sentence_ends() -> None:
    paragraph = (SENTENCES * 5_000).strip()
    pieces = list(_pieces(paragraph))
    assert len(pieces) > 1
    for start, piece in pieces:
        assert paragraph[start : start + len(piece)] == piece
        assert len(piece) <= MAX_PIECE_CHARS
        assert piece.startswith("Anna ran.")


@settings(max_examples=60, deadline=None)
@given(st.lists(_PIECES, min_size=1, max_size=30).map("".join), st.integers(1, 3))
def test_pieces_join_to_the_paragraph_within_the_limits(unit: str, scale: int) -> None:
    paragraph = unit * (scale * MAX_PIECE_CHARS // len(unit) + 1)
    pieces = list(_pieces(paragraph))
    assert "".join(piece for _, piece in pieces) == paragraph
    assert [start for start, _ in pieces] == [
        sum(len(piece) for _, piece in pieces[:i]) for i in range(len(pieces))
    ]
    assert all(0 < len(piece) <= MAX_PIECE_CHARS for _, piece in pieces)
    for _, piece in pieces:
        assert _longest_run(piece) <= MAX_RUN_CHARS or _is_mark_run(piece), piece[:200]


@pytest.mark.model
def test_a_paragraph_over_spacys_max_length_is_parsed_with_book_offsets() -> None:
    # Few words, many characters: over spaCy's limit yet quick to parse.
    text = ("Anna ran." + " " * 10_000) * 110 + '"Hi," she said.'
    assert len(text) > 1_000_000
    paragraph = Paragraph(0, 0, len(text))
    parse = parse_text(text, (paragraph,), (), settings=DEFAULT_SETTINGS)
    assert [t.text for t in parse.tokens] == ["Anna", "ran", "."] * 110 + [
        '"',
        "Hi",
        ",",
        '"',
        "she",
        "said",
        ".",
    ]
    assert all(text[t.char_start : t.char_end] == t.text for t in parse.tokens)
    assert parse.paragraph_token_starts == (0,)
    assert all(s.paragraph_index == 0 for s in parse.sentences)


@pytest.mark.model
def test_pieces_parse_like_the_whole_paragraph(monkeypatch: pytest.MonkeyPatch) -> None:
    text = (SENTENCES * 200).strip()
    paragraph = (Paragraph(0, 0, len(text)),)
    whole = parse_text(text, paragraph, (), settings=DEFAULT_SETTINGS)
    monkeypatch.setattr(analyse, "MAX_PIECE_CHARS", 1_000)
    cut = parse_text(text, paragraph, (), settings=DEFAULT_SETTINGS)
    assert len(list(_pieces(text))) > 1
    assert [(t.char_start, t.text, t.pos) for t in cut.tokens] == [
        (t.char_start, t.text, t.pos) for t in whole.tokens
    ]
    assert all(0 <= t.head < len(cut.tokens) for t in cut.tokens)


@pytest.mark.model
def test_a_long_run_of_marks_is_one_token_and_words_around_it_are_parsed() -> None:
    text = 'Bo said "' + '"' * 2 * MAX_PIECE_CHARS + '" and left.'
    parse = parse_text(text, (Paragraph(0, 0, len(text)),), (), settings=DEFAULT_SETTINGS)
    words = [t.text for t in parse.tokens]
    assert words[:2] == ["Bo", "said"] and words[-3:] == ["and", "left", "."]
    marks = [t for t in parse.tokens if set(t.text) == {'"'}]
    assert "".join(t.text for t in marks) == '"' * (2 * MAX_PIECE_CHARS + 2)
    assert all(text[t.char_start : t.char_end] == t.text for t in parse.tokens)
    # Not 100,000 one-mark tokens: the run is a few long ones (a short rest may be parsed).
    assert len(marks) < MAX_RUN_CHARS
    assert all(t.pos == "PUNCT" and t.head == t.index for t in marks if len(t.text) > 1)


@pytest.mark.model
def test_a_long_run_with_letters_is_parsed_in_pieces() -> None:
    text = '"a' * (MAX_RUN_CHARS * 10)
    parse = parse_text(text, (Paragraph(0, 0, len(text)),), (), settings=DEFAULT_SETTINGS)
    assert "".join(t.text for t in parse.tokens) == text
    assert all(text[t.char_start : t.char_end] == t.text for t in parse.tokens)
    assert max(len(t.text) for t in parse.tokens) <= MAX_RUN_CHARS
