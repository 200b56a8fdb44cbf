"""Properties every segmentation must keep, whatever the text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from fabula.segmentation.paragraphs import find_paragraphs
from fabula.segmentation.quotes import find_quotes
from fabula.segmentation.scenes import find_scenes

_WORDS = st.sampled_from(
    ["Ada", "ran", "the", "boys'", "don't", "'em", "o'clock", "Chapter 2", "CHAPTER IV.", "***"]
)
_PIECES = st.one_of(
    _WORDS,
    st.sampled_from(['"', "“", "”", "'", "‘", "’", ",", ".", "!", "?", "—", " ", "  "]),
    st.sampled_from(["\n", "\n\n", "\n\n\n", " \n \n", "\r\n", "\t"]),
    st.text(max_size=3),
)
_TEXTS = st.lists(_PIECES, max_size=60).map("".join)
# Texts that often open paragraphs with a dash, so dash dialogue is detected and scanned.
_DASH_TEXTS = st.lists(
    st.one_of(_PIECES, st.just("\n\n— "), st.just("\n\n—"), st.just(" — ")), max_size=60
).map("".join)


def _non_whitespace(text: str) -> str:
    return "".join(text.split())


@settings(max_examples=300)
@given(_TEXTS)
def test_paragraphs_cover_all_content_in_order(text: str) -> None:
    paragraphs = find_paragraphs(text)
    assert "".join(_non_whitespace(text[p.char_start : p.char_end]) for p in paragraphs) == (
        _non_whitespace(text)
    )
    previous_end = 0
    for index, paragraph in enumerate(paragraphs):
        assert paragraph.index == index
        assert previous_end <= paragraph.char_start < paragraph.char_end <= len(text)
        assert not text[paragraph.char_start].isspace()
        assert not text[paragraph.char_end - 1].isspace()
        previous_end = paragraph.char_end


@settings(max_examples=300)
@given(_TEXTS)
def test_scenes_are_ordered_runs_of_paragraphs(text: str) -> None:
    paragraphs = find_paragraphs(text)
    scenes = find_scenes(text, paragraphs)
    starts = {p.char_start for p in paragraphs}
    ends = {p.char_end for p in paragraphs}
    previous_end = 0
    for index, scene in enumerate(scenes):
        assert scene.id == f"s{index}"
        assert previous_end <= scene.char_start < scene.char_end <= len(text)
        assert scene.char_start in starts and scene.char_end in ends
        previous_end = scene.char_end
    if paragraphs:
        assert len(scenes) <= len(paragraphs)
    else:
        assert scenes == ()


@settings(max_examples=300)
@given(_TEXTS)
def test_quotes_lie_inside_their_paragraph_and_never_overlap(text: str) -> None:
    _assert_quotes_lie_inside_their_paragraph(text)


@settings(max_examples=300)
@given(_DASH_TEXTS)
def test_dash_dialogue_quotes_lie_inside_their_paragraph(text: str) -> None:
    _assert_quotes_lie_inside_their_paragraph(text)


def _assert_quotes_lie_inside_their_paragraph(text: str) -> None:
    paragraphs = find_paragraphs(text)
    spans, notes = find_quotes(text, paragraphs)
    previous_end = 0
    for index, span in enumerate(spans):
        paragraph = paragraphs[span.paragraph_index]
        assert paragraph.char_start <= span.char_start < span.char_end <= paragraph.char_end
        assert previous_end <= span.char_start
        assert span.continues is None or 0 <= span.continues < index
        previous_end = span.char_end
    assert all(isinstance(note, str) and "\n" not in note for note in notes)


@settings(max_examples=200)
@given(_TEXTS)
def test_segmenting_twice_gives_the_same_result(text: str) -> None:
    paragraphs = find_paragraphs(text)
    assert find_paragraphs(text) == paragraphs
    assert find_scenes(text, paragraphs) == find_scenes(text, find_paragraphs(text))
    assert find_quotes(text, paragraphs) == find_quotes(text, find_paragraphs(text))
