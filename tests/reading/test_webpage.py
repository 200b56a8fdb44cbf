"""Saved web pages: only the story is story text; menus, sidebars and comments are left out.

The pages are ours (``tests/reading/fixtures``): a blog post with a nav, a sidebar, share buttons
and reader comments; a story site's chapter page with a chapter menu and reviews; a personal
site's story in two parts under a header and above a sign-up box. Beside each, the ``.txt``
holds the story text a reader would expect.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fabula.model import Story
from fabula.pipeline import analyze_source
from fabula.reading import read_bytes, read_path, webpage
from fabula.reading.webpage import read_web_page

FIXTURES = Path(__file__).parent / "fixtures"
PAGES = ("blog_post", "story_site", "chaptered_page")
# Words of the page around the story, one or more from each part of it.
CHROME = (
    "Skip to content",
    "About Me",
    "Prompts",
    "Recent Posts",
    "Blogroll",
    "Share on",
    "Leave a Reply",
    "Comments",
    "Pip Marlowe",
    "I got chills",
    "Reply",
    "powered by",
    "Log in",
    "Romance",
    "Chapter Navigation",
    "Prev",
    "Reviews",
    "frostfern",
    "Update soon",
    "Terms of Service",
    "More stories",
    "Subscribe",
    "Newsletter",
    "©",
)


def _paragraphs(text: str) -> list[str]:
    return [" ".join(part.split()) for part in text.split("\n\n") if part.strip()]


@pytest.mark.parametrize("page", PAGES)
def test_a_page_gives_its_story_and_nothing_else(page: str) -> None:
    source = read_path(FIXTURES / f"{page}.html")
    expected = (FIXTURES / f"{page}.txt").read_text(encoding="utf-8")
    assert _paragraphs(source.text) == _paragraphs(expected)


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("chrome", CHROME)
def test_menus_sidebars_and_comments_are_left_out(page: str, chrome: str) -> None:
    assert chrome.casefold() not in read_path(FIXTURES / f"{page}.html").text.casefold()


def test_what_was_left_out_is_noted() -> None:
    source = read_path(FIXTURES / "blog_post.html")
    assert source.notes == (
        "web page: kept its main content (14 of 56 paragraphs); menus, sidebars, comments and"
        " the like were left out",
    )


def test_the_post_title_is_the_work_s_title_not_a_chapter() -> None:
    blog = read_path(FIXTURES / "blog_post.html").work
    assert blog.title == "The Night Ferry"
    assert blog.authors == ("Tamsin Rook",)
    assert [chapter.title for chapter in blog.chapters] == [None]
    two_parts = read_path(FIXTURES / "chaptered_page.html")
    assert two_parts.work.title == "Bell Harbour"
    assert [chapter.title for chapter in two_parts.work.chapters] == [
        None,  # the subtitle, "A story in two parts."
        "Part One: The Bell",
        "Part Two: The Seventh Boat",
    ]
    assert not two_parts.text.startswith("Bell Harbour")


def test_scene_breaks_survive_the_extractor() -> None:
    assert "\n\n* * *\n\n" in read_path(FIXTURES / "story_site.html").text  # an <hr>
    assert "\n\n* * *\n\n" in read_path(FIXTURES / "blog_post.html").text  # a "* * *" paragraph


def test_an_archive_download_keeps_fabula_s_own_reader() -> None:
    source = read_path(FIXTURES / "archive_work.html")
    assert source.work.relationships == ("Mara Quill/Theo Vance",)
    assert [chapter.title for chapter in source.work.chapters] == [
        "Chapter 1: The Lighthouse Ledger",
        "Chapter 2: Low Tide",
    ]
    assert source.notes == ()


def test_a_page_that_is_all_story_is_kept_whole() -> None:
    source = read_path(FIXTURES / "ordinary_page.html")
    assert source.notes == ()
    assert source.text.startswith("Part One: Springs\n\nJonah Pell wound the last clock")
    assert source.text.endswith('"Well," she said. "They\'ve decided something."')


def test_a_page_too_deep_for_libxml2_is_read_whole_with_a_note() -> None:
    """libxml2 drops what lies over 256 elements deep: the story must not go with it."""
    markup = "<html><body><nav><a>Home</a></nav>" + "<div>" * 300 + "<p>Deep story.</p>"
    source = read_bytes(markup.encode(), name="deep.html")
    assert _paragraphs(source.text) == ["Home", "Deep story."]
    assert source.notes == (
        "web page: the whole page was read as the story, because its markup nests more than"
        " 200 elements deep, too deep for the main-content reader",
    )


def test_a_paragraph_too_long_for_libxml2_is_read_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    """libxml2 empties text nodes over 10 MB; the limit is lowered here to keep the test fast."""
    monkeypatch.setattr(webpage, "MAX_EXTRACTOR_PARAGRAPH_CHARS", 1000)
    markup = "<html><body><nav>Home</nav><p>" + "Anna ran. " * 200 + "</p></body></html>"
    extracted = read_web_page(markup)
    assert extracted.text.startswith("Home\n\nAnna ran.")
    assert "more than 1,000 characters" in extracted.notes[0]


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        ("<p>One.</p><p>Two &lt;three&gt;.</p><p>Three.</p>", "One.\n\nTwo <three>.\n\nThree."),
        ("<html><body><p>a <b>bold <i>mix</b> end</i></p></body></html>", "a bold mix end"),
    ],
)
def test_small_and_odd_pages(markup: str, expected: str) -> None:
    assert read_web_page(markup).text == expected


def test_entities_a_page_declares_are_never_expanded() -> None:
    text = read_web_page("<!DOCTYPE html [<!ENTITY a 'AAAA'>]><p>&a; stays &a;</p>").text
    assert "&a; stays &a;" in text
    assert "AAAA" not in text


def test_readability_failures_print_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    read_web_page("<html><body><script>x()</script></body></html>")
    assert capsys.readouterr() == ("", "")


@pytest.mark.model
def test_comments_do_not_become_characters_nor_the_nav_a_heading() -> None:
    story: Story = analyze_source(read_path(FIXTURES / "blog_post.html"))
    names = {name for c in story.characters for name in (c.name, *c.aliases)}
    assert {"Comments", "Pip Marlowe", "Bramble", "Tamsin", "Home"}.isdisjoint(names)
    assert {"Colm", "Nell"} <= {name.split()[0] for name in names}
    assert all(scene.heading in (None, "The Night Ferry") for scene in story.scenes)


_WORDS = st.text(alphabet="abcdefghij ABC.,“”’—é", min_size=1, max_size=40).filter(str.strip)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.booleans(), st.lists(_WORDS, min_size=1, max_size=3)), min_size=1))
def test_chapter_offsets_index_the_text(parts: list[tuple[bool, list[str]]]) -> None:
    """Whatever the story, all of it is kept (the nav is left out, and a note says so, or the page
    is kept whole), and each chapter's heading lies just before its body, inside the text."""
    body = "".join(
        (f"<h2>{escape(words[0])}</h2>" if heading else "")
        + "".join(f"<p>{escape(word)}</p>" for word in words)
        for heading, words in parts
    )
    markup = f"<html><body><nav><a>Home</a></nav><article>{body}</article></body></html>"
    extracted = read_web_page(markup)
    text = extracted.text
    expected = [[words[0], *words] if heading else words for heading, words in parts]
    story = [" ".join(w.split()) for words in expected for w in words]
    if text.split("\n\n") == story:
        assert extracted.notes[0].startswith("web page: kept its main content (")
    else:  # too little text for a main content to stand out: nothing is left out, nor said to be
        assert text.split("\n\n") == ["Home", *story]
        assert not any("kept its main content" in note for note in extracted.notes)
    for chapter in extracted.work.chapters:
        assert 0 <= chapter.char_start < chapter.char_end <= len(text)
        if chapter.title is not None:
            heading = chapter.title + "\n\n"
            assert text[chapter.char_start - len(heading) : chapter.char_start] == heading
