"""fabula's own HTML reader: plain text, chapter spans and archive metadata."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from fabula.model import Chapter, Work
from fabula.reading.html import extract_html, looks_like_html

FIXTURES = Path(__file__).parent / "fixtures"
LEAKS = ("LEAK", "font-family", "document.write", "alert", "Summary", "Notes", "Kudos")


def _fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def _paragraphs(text: str) -> list[str]:
    return [" ".join(part.split()) for part in text.split("\n\n") if part.strip()]


@pytest.fixture(scope="module")
def archive_work():
    return extract_html(_fixture("archive_work.html"))


def test_archive_metadata_is_read_from_the_preface(archive_work) -> None:
    assert replace(archive_work.work, chapters=()) == Work(
        title="The Lighthouse Ledger",
        authors=("pennywhistle_fox",),
        fandoms=("The Saltglass Keepers",),
        relationships=("Mara Quill/Theo Vance",),
        characters=("Mara Quill", "Theo Vance", "Wren (Original Character)"),
        additional_tags=("Mystery", "Lighthouses", "Storms & Weather"),
        warnings=("No Archive Warnings Apply",),
        categories=("F/M", "Gen"),
        rating="General Audiences",
        language="English",
        words=274,
    )


def test_archive_text_matches_the_plain_text_version(archive_work) -> None:
    assert _paragraphs(archive_work.text) == _paragraphs(_fixture("archive_work.txt"))


def test_archive_text_is_separated_by_exactly_one_blank_line(archive_work) -> None:
    assert "\n\n\n" not in archive_work.text
    assert archive_work.text == archive_work.text.strip()
    assert all(part == part.strip() for part in archive_work.text.split("\n\n"))


@pytest.mark.parametrize("leak", LEAKS)
def test_archive_scripts_styles_notes_and_comments_are_left_out(archive_work, leak) -> None:
    assert leak not in archive_work.text


def test_archive_hr_becomes_a_scene_break_paragraph(archive_work) -> None:
    assert "\n\n* * *\n\n" in archive_work.text


def test_archive_chapters_span_their_bodies(archive_work) -> None:
    first, second = archive_work.work.chapters
    text = archive_work.text
    assert first.title == "Chapter 1: The Lighthouse Ledger"
    assert second.title == "Chapter 2: Low Tide"
    assert text[first.char_start :].startswith("The lamp room smelled")
    assert text[first.char_start : first.char_end].endswith('"Yesterday there were forty-four."')
    assert text[second.char_start :].startswith("By morning the water")
    assert second.char_end == len(text)
    assert text[: first.char_start] == "Chapter 1: The Lighthouse Ledger\n\n"
    assert text[first.char_end : second.char_start] == "\n\nChapter 2: Low Tide\n\n"


def test_entities_are_decoded(archive_work) -> None:
    assert "keeper's ledger" in archive_work.text
    assert "anything & everything" in archive_work.text
    assert 'And —" She hesitated.' in archive_work.text
    assert "&" + "amp;" not in archive_work.text


def test_br_inside_a_paragraph_is_a_line_break(archive_work) -> None:
    assert "\n\nTide at two,\nbring the light.\n\n" in archive_work.text


def test_stats_word_count_with_thousands_separator() -> None:
    markup = (
        '<dl class="tags"><dt>Stats:</dt><dd>Chapters: 3/3 Words: 12,345 Kudos: 9</dd></dl>'
        '<div class="userstuff"><p>Text.</p></div>'
    )
    assert extract_html(markup).work.words == 12345


def test_by_line_gives_the_authors_without_an_author_link() -> None:
    markup = '<h1>Tidewater</h1><div class="byline">by Ren Oduya and Lark</div>'
    markup += '<div class="userstuff"><p>Text.</p></div>'
    assert extract_html(markup).work.authors == ("Ren Oduya", "Lark")


def test_ordinary_page_uses_the_whole_body_and_its_headings() -> None:
    work = extract_html(_fixture("ordinary_page.html"))
    assert work.work.title == "The Clockmaker’s Apprentice"
    assert work.work.authors == ("Ada Brightwater",)
    assert [chapter.title for chapter in work.work.chapters] == [
        "Part One: Springs",
        "Part Two: Gears",
    ]
    first, second = work.work.chapters
    assert work.text[first.char_start :].startswith("Jonah Pell wound the last clock")
    assert work.text[second.char_start :].startswith("Miss Hale came down the stairs slowly.\n")
    assert "“Not a minute late,” she had said. “They notice.”" in work.text
    assert "\n\n* * *\n\n" in work.text
    assert "LEAK" not in work.text
    assert "margin" not in work.text
    assert "They've decided something." in work.text


def test_page_without_headings_is_one_chapter() -> None:
    work = extract_html("<html><body><p>One.</p><p>Two &lt;three&gt;.</p></body></html>")
    assert work.text == "One.\n\nTwo <three>."
    assert work.work.chapters == (Chapter(None, 0, len(work.text)),)


def test_double_br_splits_paragraphs_and_inline_whitespace_collapses() -> None:
    markup = "<body><div>First   line\n  here.<br><br>  Second <b>part</b>.</div></body>"
    work = extract_html(markup)
    assert work.text == "First line here.\n\nSecond part."


def test_attributes_and_event_handlers_are_never_text() -> None:
    work = extract_html('<p onclick="steal()" title="hover">Safe.</p><img src="x" alt="ALT">')
    assert work.text == "Safe."


@pytest.mark.parametrize(
    "markup",
    [
        "<div>" * 10_000 + "deep" + "</div>" * 10_000,
        "<div>" * 10_000 + "deep",
        "<span>" * 10_000 + "deep" + "</p>" * 100,
    ],
)
def test_deep_nesting_does_not_raise(markup: str) -> None:
    assert extract_html(markup).text == "deep"


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        ("<p>unclosed", "unclosed"),
        ("<p>one<p>two", "one\n\ntwo"),
        ("<p>kept</p><script>lost", "kept"),
        ("<p>a <b>bold <i>mix</b> end</i></p>", "a bold mix end"),
        ("<p>half a tag <", "half a tag <"),
        ("<!-- never closed <p>hidden</p>", ""),
        ("", ""),
    ],
)
def test_malformed_markup_does_not_raise(markup: str, expected: str) -> None:
    assert extract_html(markup).text == expected


@pytest.mark.parametrize(
    "text",
    [
        "<!DOCTYPE html><title>x</title>",
        "  <html><p>hi</p></html>",
        "<body>story</body>",
        "<p>One.</p>\n<p>Two.</p>\n<p>Three.</p>",
    ],
)
def test_looks_like_html_detects_markup(text: str) -> None:
    assert looks_like_html(text)


@pytest.mark.parametrize(
    "text",
    [
        "She typed <p> into the box once and regretted it.",
        '"Use <br> for a line break," he said.\n\nShe did not.',
        "Plain prose with no tags at all.",
        "2 < 3 and 5 > 4, said the tutor.",
    ],
)
def test_looks_like_html_ignores_prose(text: str) -> None:
    assert not looks_like_html(text)


def test_looks_like_html_on_the_fixtures() -> None:
    assert looks_like_html(_fixture("archive_work.html"))
    assert looks_like_html(_fixture("ordinary_page.html"))
    assert not looks_like_html(_fixture("archive_work.txt"))
    assert not looks_like_html(_fixture("markdown_story.md"))
