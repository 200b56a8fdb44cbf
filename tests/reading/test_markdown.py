"""Markdown stories: CommonMark through markdown-it-py, front matter as the work's metadata."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fabula.model import Chapter, Work
from fabula.reading.markdown import markdown_to_text

FIXTURES = Path(__file__).parent / "fixtures"


def _fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def markdown_story():
    return markdown_to_text(_fixture("markdown_story.md"))


def test_markdown_headings_open_chapters(markdown_story) -> None:
    text = markdown_story.text
    first, second = markdown_story.work.chapters
    assert (first.title, second.title) == ("Chapter 1", "Chapter 2: Under the Bridge")
    assert text.startswith("Chapter 1\n\n")
    assert text[first.char_start :].startswith("Ilse found the map folded")
    assert text[first.char_start : first.char_end].endswith("the word HERE.")
    assert text[second.char_start :].startswith("The lantern.")
    assert "#" not in text


def test_markdown_markers_go_and_words_stay(markdown_story) -> None:
    paragraphs = markdown_story.text.split("\n\n")
    assert paragraphs[1] == (
        "Ilse found the map folded inside a library book, between pages that nobody had read "
        "in years."
    )
    assert paragraphs[2] == '"It\'s a coastline," said Pell, squinting. "Or a very nervous worm."'
    assert paragraphs[3] == "— Or a river, Ilse thought, and didn't say it."
    assert paragraphs[5] == (
        "She traced the red line to where it stopped: a small x, and beside it the word HERE."
    )
    assert "Pell's snake_case_notes said otherwise, and *nobody* argued." in paragraphs


def test_markdown_rules_become_scene_breaks_and_images_comments_go(markdown_story) -> None:
    paragraphs = markdown_story.text.split("\n\n")
    assert paragraphs.count("* * *") == 2
    assert "map.png" not in markdown_story.text
    assert "torn" not in markdown_story.text
    assert "draft" not in markdown_story.text
    assert "example.invalid" not in markdown_story.text


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("---", "* * *"),
        ("* * *", "* * *"),
        ("***", "* * *"),
        ("***bold italic***", "bold italic"),
        ("‘Don’t,’ she said — *softly*.", "‘Don’t,’ she said — softly."),
        ("2 * 3 * 4 = 24", "2 * 3 * 4 = 24"),
        ("—Wait, he said.", "—Wait, he said."),
        ("- a list item", "a list item"),
        ("> quoted *line*", "quoted line"),
        ("Line one\nline two", "Line one line two"),
    ],
)
def test_markdown_inline_conversions(source: str, expected: str) -> None:
    assert markdown_to_text(source).text == expected


def test_markdown_without_headings_is_one_chapter() -> None:
    work = markdown_to_text("One.\n\nTwo.")
    assert work.work.chapters == (Chapter(None, 0, len(work.text)),)
    assert replace(work.work, chapters=()) == Work()


def test_markdown_front_matter_is_metadata_not_text() -> None:
    source = (
        "---\n"
        'title: "The Salt Road"\n'
        "author: wren_writes\n"
        "fandoms: [Lighthouse Keepers, Harbour Tales]\n"
        "characters:\n"
        "  - Mara Quill\n"
        "  - 'Theo Vance'\n"
        "rating: Teen\n"
        "unknown_key: ignored\n"
        "---\n"
        "\n"
        "# Chapter 1\n"
        "\n"
        '"Ready?" asked Mara.\n'
    )
    extracted = markdown_to_text(source)
    work = extracted.work
    assert work.title == "The Salt Road" and work.authors == ("wren_writes",)
    assert work.fandoms == ("Lighthouse Keepers", "Harbour Tales")
    assert work.characters == ("Mara Quill", "Theo Vance") and work.rating == "Teen"
    assert extracted.text.startswith("Chapter 1") and "wren_writes" not in extracted.text
    assert len(work.chapters) == 1


def test_a_rule_that_opens_markdown_without_closing_is_text() -> None:
    extracted = markdown_to_text("---\nNo front matter here.\n\nJust a story.\n")
    assert "No front matter here." in extracted.text and extracted.work.title is None


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("*a **b** c*", "a b c"),
        ("Some **bold\ntext** here", "Some bold text here"),
        ("**not closed", "**not closed"),
        ("a_b_c and _d_", "a_b_c and d"),
        ("`a * b` and *c*", "a * b and c"),
        ('[link *text*](http://x.invalid "t")', "link text"),
        ("<span>raw</span> html", "raw html"),
        ("&amp; &copy; &#35;", "& © #"),
        ("\\# not a heading", "# not a heading"),
        ("a  \nhard break", "a\nhard break"),
        ("a\\\nbackslash break", "a\nbackslash break"),
        ("```\ncode *x*\n  kept\n```", "code *x*\nkept"),  # lines kept, spaces collapsed
        ("    indented *code*", "indented *code*"),
        ("1. first\n2. second", "first\n\nsecond"),
        ("* one\n\n  still one\n* two", "one\n\nstill one\n\ntwo"),
        ("> one\nlazy continuation", "one lazy continuation"),
        ("~~gone~~ kept", "gone kept"),
        ("<script>alert(1)</script>\n\nStory.", "Story."),
    ],
)
def test_commonmark_inline_and_blocks(source: str, expected: str) -> None:
    assert markdown_to_text(source).text == expected


def test_setext_headings_open_chapters() -> None:
    extracted = markdown_to_text(
        "Chapter One\n===========\n\nMara ran.\n\nPart Two\n--------\n\nTheo."
    )
    assert extracted.text == "Chapter One\n\nMara ran.\n\nPart Two\n\nTheo."
    assert [chapter.title for chapter in extracted.work.chapters] == ["Chapter One", "Part Two"]


def test_a_deep_heading_is_a_paragraph_not_a_chapter() -> None:
    extracted = markdown_to_text("# Chapter 1\n\nText.\n\n#### A letter\n\nDear Theo.")
    assert [chapter.title for chapter in extracted.work.chapters] == ["Chapter 1"]
    assert "A letter" in extracted.text.split("\n\n")


def test_the_first_heading_is_not_taken_for_the_work_s_title() -> None:
    assert markdown_to_text("# Chapter 1\n\nText.").work.title is None


_WORDS = st.text(alphabet="abcdefghij ABC.,“”’—é", min_size=1, max_size=40).filter(str.strip)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.booleans(), st.lists(_WORDS, min_size=1, max_size=3)), min_size=1))
def test_chapter_offsets_index_the_text(parts: list[tuple[bool, list[str]]]) -> None:
    """Each chapter's heading lies just before its body, and every paragraph is kept."""
    source = "\n\n".join(
        (f"## {words[0]}\n\n" if heading else "") + "\n\n".join(words) for heading, words in parts
    )
    extracted = markdown_to_text(source)
    text = extracted.text
    expected = [[words[0], *words] if heading else words for heading, words in parts]
    assert text.split("\n\n") == [" ".join(w.split()) for words in expected for w in words]
    for chapter in extracted.work.chapters:
        assert 0 <= chapter.char_start < chapter.char_end <= len(text)
        if chapter.title is not None:
            heading = chapter.title + "\n\n"
            assert text[chapter.char_start - len(heading) : chapter.char_start] == heading
