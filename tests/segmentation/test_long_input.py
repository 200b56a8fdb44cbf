"""Bad input at scale: a story on one line, runs of quotation marks, thousands of dashes.

Segmentation must read each character a bounded number of times (not once per quotation
mark), and a block far longer than any paragraph is cut into paragraphs at sentence ends.
Time is measured by ``scripts/benchmark_bad_input.py``; these tests count characters read.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fabula.segmentation.paragraphs import (
    LOST_BREAK_MAX_CHARS,
    MAX_PARAGRAPH_CHARS,
    find_paragraphs,
)
from fabula.segmentation.quotes import find_quotes

# Written for these tests: what a story looks like when its line breaks are lost.
LOST_BREAKS = 'Anna ran. "Wait. Stop," she said. Bo froze. '

# Characters read per character of text that linear scanning may take.
READ_BUDGET = 20


class CountingText(str):
    """A str that counts the characters read through indexing and slicing."""

    reads: int

    def __new__(cls, text: str) -> CountingText:
        counting = super().__new__(cls, text)
        counting.reads = 0
        return counting

    def __getitem__(self, key: int | slice) -> str:
        found = super().__getitem__(key)
        self.reads += len(found)
        return found


def _texts(text: str) -> list[str]:
    return [text[p.char_start : p.char_end] for p in find_paragraphs(text)]


def test_a_story_on_one_line_is_cut_at_sentence_ends_outside_quotations() -> None:
    text = (LOST_BREAKS * 1_000).strip()
    assert len(text) > MAX_PARAGRAPH_CHARS
    found = _texts(text)
    assert len(found) > 1
    for paragraph in found:
        assert len(paragraph) <= LOST_BREAK_MAX_CHARS
        # "Wait." is a sentence end inside a quotation: never a cut.
        assert paragraph.startswith(("Anna ran.", "Bo froze.")), paragraph[:20]
        assert paragraph.endswith(("said.", "froze.")), paragraph[-20:]
    assert " ".join(found) == text


def test_long_paragraphs_of_normal_books_are_kept_whole() -> None:
    paragraph = ("It was a long, long paragraph of narration. " * 400).strip()
    assert 15_000 < len(paragraph) < MAX_PARAGRAPH_CHARS
    assert _texts(f"Before.\n\n{paragraph}\n\nAfter.") == ["Before.", paragraph, "After."]


def test_a_line_without_spaces_is_cut_at_the_limit() -> None:
    text = "x" * (MAX_PARAGRAPH_CHARS + 1)
    found = _texts(text)
    assert "".join(found) == text
    assert max(len(p) for p in found) == LOST_BREAK_MAX_CHARS


_PIECES = st.sampled_from(
    ["Ada", "ran", " ", "  ", ".", "!", "?", '"', "“", "”", "'", ",", "—", "\n", "said.", "x" * 50]
)


@settings(max_examples=60, deadline=None)
@given(st.lists(_PIECES, min_size=1, max_size=40).map("".join))
def test_cut_paragraphs_cover_the_text_in_bounded_pieces(unit: str) -> None:
    if not unit.strip():
        return
    text = unit * (MAX_PARAGRAPH_CHARS // len(unit) + 2)
    paragraphs = find_paragraphs(text)
    assert "".join("".join(text[p.char_start : p.char_end].split()) for p in paragraphs) == (
        "".join(text.split())
    )
    previous_end = 0
    for index, paragraph in enumerate(paragraphs):
        assert paragraph.index == index
        assert previous_end <= paragraph.char_start < paragraph.char_end <= len(text)
        assert not text[paragraph.char_start].isspace()
        assert not text[paragraph.char_end - 1].isspace()
        if "\n" not in text[paragraph.char_start : paragraph.char_end]:
            assert paragraph.char_end - paragraph.char_start <= MAX_PARAGRAPH_CHARS
        previous_end = paragraph.char_end
    assert find_paragraphs(text) == paragraphs


@pytest.mark.parametrize(
    "text",
    [
        # Each apostrophe-like mark asks whether a clear closing mark comes later.
        "'Go on " + "a' " * 4_000 + "then,' said Nell.",
        # Many short quotations: each asks what comes before it in the paragraph.
        '"Begin," said Ada. ' + 'a "b" ' * 4_000,
        # Dash dialogue: each dash looks at what comes before and after it.
        "— Go.\n\n— Now.\n\n— Why?\n\n" + "— Yes, — said Ada. " * 1_500,
        '"' * 12_000,
        "'" * 12_000,
    ],
    ids=["apostrophes", "short-quotations", "dashes", "double-marks", "single-marks"],
)
def test_quote_scanning_reads_each_character_a_bounded_number_of_times(text: str) -> None:
    paragraphs = find_paragraphs(text)
    counting = CountingText(text)
    assert find_quotes(counting, paragraphs) == find_quotes(text, paragraphs)
    assert counting.reads <= READ_BUDGET * len(text), f"{counting.reads:,} reads"


def test_an_apostrophe_before_a_later_close_is_not_a_closing_mark() -> None:
    text = "'Go on " + "a' " * 50 + "then,' said Nell."
    spans, _ = find_quotes(text, find_paragraphs(text))
    assert [text[s.char_start : s.char_end] for s in spans] == [text[: text.index(" said")]]


def test_dashes_alternate_between_speech_and_tag() -> None:
    text = "— Go.\n\n— Now.\n\n— Why?\n\n" + "— Yes, — said Ada. " * 3
    spans, _ = find_quotes(text, find_paragraphs(text))
    found = [text[s.char_start : s.char_end] for s in spans]
    assert found == ["— Go.", "— Now.", "— Why?", "— Yes,", "— Yes,", "— Yes,"]
