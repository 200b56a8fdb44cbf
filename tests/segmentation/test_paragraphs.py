"""Paragraphs: blank-line blocks, hard-wrapped lines, one-paragraph-per-line texts."""

from __future__ import annotations

from fabula.model import Paragraph
from fabula.segmentation.paragraphs import find_paragraphs


def texts(text: str) -> list[str]:
    return [text[p.char_start : p.char_end] for p in find_paragraphs(text)]


def test_hard_wrapped_lines_stay_in_one_paragraph() -> None:
    story = (
        "The ferry left at dawn, carrying\n"
        "three goats and a piano tuner.\n"
        "\n"
        "Nobody on the pier waved.\n"
    )
    assert texts(story) == [
        "The ferry left at dawn, carrying\nthree goats and a piano tuner.",
        "Nobody on the pier waved.",
    ]


def test_offsets_skip_surrounding_whitespace() -> None:
    story = "\n\n   Indented start.  \n \t \n  Second.\n\n"
    assert find_paragraphs(story) == (
        Paragraph(index=0, char_start=5, char_end=20),
        Paragraph(index=1, char_start=29, char_end=36),
    )


def test_whitespace_only_lines_separate_paragraphs() -> None:
    assert texts("One.\n   \nTwo.\n\t\n\n\nThree.") == ["One.", "Two.", "Three."]


def test_one_paragraph_per_line() -> None:
    story = (
        "Kestrel pushed the door open.\n"
        '"Anyone home?" she called.\n'
        "The hallway smelled of oranges.\n"
        "Somewhere upstairs, a radio was playing.\n"
        '"Up here," came the answer.\n'
    )
    assert len(find_paragraphs(story)) == 5


def test_short_unbroken_text_is_one_paragraph() -> None:
    assert texts("The moth\nfound the lamp.") == ["The moth\nfound the lamp."]


def test_empty_text() -> None:
    assert find_paragraphs("") == ()
    assert find_paragraphs(" \n\n\t") == ()
