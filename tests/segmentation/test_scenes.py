"""Scenes: ornaments, chapter headings with titles, wide gaps."""

from __future__ import annotations

from fabula.segmentation.paragraphs import find_paragraphs
from fabula.segmentation.scenes import find_break_paragraphs, find_scenes


def scenes_of(text: str) -> list[tuple[str | None, str]]:
    return [
        (s.heading, text[s.char_start : s.char_end])
        for s in find_scenes(text, find_paragraphs(text))
    ]


def test_no_breaks_gives_one_scene() -> None:
    story = "The bakery opened late.\n\nNobody minded."
    assert scenes_of(story) == [(None, story)]


def test_no_paragraphs_gives_no_scenes() -> None:
    assert find_scenes("", ()) == ()


def test_ornaments_split_scenes() -> None:
    for mark in ("***", "* * *", "~~~", "---", "___", "oOo", "o0o", "#", "§", "❖", "•••"):
        story = f"Tam fed the cat.\n\n{mark}\n\nThe cat ignored Tam."
        assert scenes_of(story) == [(None, "Tam fed the cat."), (None, "The cat ignored Tam.")]


def test_ornament_spread_over_lines() -> None:
    story = "Rain.\n\n    *      *      *\n    *      *\n\nSun."
    assert [text for _, text in scenes_of(story)] == ["Rain.", "Sun."]


def test_chapter_headings_become_scene_headings() -> None:
    story = (
        "Chapter 1\n\nIvo lost his hat.\n\nHe looked everywhere.\n\n"
        "CHAPTER IV.\n\nThe hat was on the goat.\n\n"
        "Chapter Three\n\nIvo bought a new hat.\n\n"
        "Chapter 12: The Return\n\nThe goat came back."
    )
    assert scenes_of(story) == [
        ("Chapter 1", "Ivo lost his hat.\n\nHe looked everywhere."),
        ("CHAPTER IV.", "The hat was on the goat."),
        ("Chapter Three", "Ivo bought a new hat."),
        ("Chapter 12: The Return", "The goat came back."),
    ]


def test_title_line_after_heading_belongs_to_heading() -> None:
    story = (
        "CHAPTER I.\nA Door in the Hill\n\n\nPip knocked twice.\n\n\n\n\n"
        "CHAPTER II.\n\n\nThe Lantern Room\n\n\nInside, it was warm."
    )
    assert scenes_of(story) == [
        ("CHAPTER I. A Door in the Hill", "Pip knocked twice."),
        ("CHAPTER II. The Lantern Room", "Inside, it was warm."),
    ]


def test_sentence_after_heading_is_content() -> None:
    story = "Chapter 2\n\nIt was cold.\n\nIt got colder."
    assert scenes_of(story) == [("Chapter 2", "It was cold.\n\nIt got colder.")]


def test_rare_wide_gap_is_a_break() -> None:
    paragraphs = [f"Paragraph {n} of the walk." for n in range(8)]
    story = "\n\n".join(paragraphs[:4]) + "\n\n\n\n" + "\n\n".join(paragraphs[4:])
    assert len(scenes_of(story)) == 2


def test_common_wide_gaps_are_not_breaks() -> None:
    story = "\n\n\n".join(f"Line {n} of the poem." for n in range(6))
    assert len(scenes_of(story)) == 1


def test_blank_line_breaks_one_paragraph_per_line_text() -> None:
    lines = [f"Sentence number {n} is done." for n in range(30)]
    story = "\n".join(lines[:15]) + "\n\n" + "\n".join(lines[15:])
    assert len(scenes_of(story)) == 2


def test_leading_break_and_consecutive_breaks_make_no_empty_scene() -> None:
    story = "* * *\n\nChapter 5\n\n~~~\n\nOnly this.\n\n* * *"
    scenes = find_scenes(story, find_paragraphs(story))
    assert [(s.id, s.heading) for s in scenes] == [("s0", "Chapter 5")]
    assert story[scenes[0].char_start : scenes[0].char_end] == "Only this."


def test_break_paragraphs_are_exported_for_quotes() -> None:
    story = "Chapter 1\n\nHello.\n\n***\n\nBye."
    assert find_break_paragraphs(story, find_paragraphs(story)) == {0, 2}
