"""A saved web page: its story, without the menus, sidebars and reader comments around it.

An archive download is read by fabula's own reader, which knows its work metadata, tags and
chapters (``html.py``). Any other page goes through readability-lxml, a maintained port of the
main-content finder that browsers' reading modes descend from: it scores the page's blocks and
keeps the one that holds the article, so the nav does not become the first scene's heading nor a
reader's comment a character. The main content it returns is then read by fabula's own reader
(paragraphs, h1-h3 chapters, ``<hr>`` scene breaks); the metadata comes from the whole page.

readability parses with libxml2, which silently drops what lies more than 256 elements deep
and text nodes over 10 MB; a page near those limits is read whole instead, and a note says so.
"""

from __future__ import annotations

import logging

from readability import Document
from readability.readability import Unparseable

from fabula.reading.html import ExtractedWork, HtmlPage, assemble, parse_html

__all__ = ["MAX_EXTRACTOR_DEPTH", "MAX_EXTRACTOR_PARAGRAPH_CHARS", "read_web_page"]

# libxml2 keeps 256 levels and 10,000,000-character text nodes; fabula's reader nests a little
# differently, so the page is read whole well before either.
MAX_EXTRACTOR_DEPTH = 200
MAX_EXTRACTOR_PARAGRAPH_CHARS = 5_000_000

# readability logs a traceback when a page defeats it; fabula says so in one note instead, so
# that record must not reach stderr through logging's last-resort handler.
logging.getLogger("readability").addHandler(logging.NullHandler())


def read_web_page(markup: str) -> ExtractedWork:
    """The story on a saved page, with notes saying what was left out.

    An archive download keeps fabula's own reading. On any other page, only the main content
    is story text; when no main content is found (or the page is too deep for libxml2), the
    whole page is read, as a note says.
    """
    page = parse_html(markup)
    if page.is_archive:
        return assemble(page.paragraphs, page.work)
    too_big = _beyond_extractor_limits(page)
    if too_big:
        return _whole_page(page, f"{too_big} for the main-content reader")
    main = _main_content(markup)
    paragraphs = _without_title(parse_html(main).paragraphs if main else (), page.work.title)
    if not any(text.strip() for text, _ in paragraphs):
        return _whole_page(page, "no main content was found on it")
    extracted = assemble(paragraphs, page.work)
    left_out = len(page.paragraphs) - len(paragraphs)
    if left_out <= 0:
        return extracted
    note = (
        f"web page: kept its main content ({len(paragraphs)} of {len(page.paragraphs)} "
        "paragraphs); menus, sidebars, comments and the like were left out"
    )
    return ExtractedWork(extracted.text, extracted.work, (note,))


def _main_content(markup: str) -> str | None:
    """The main content's HTML, or ``None`` when readability cannot find or parse one."""
    try:
        return Document(markup).summary(html_partial=True)
    except Unparseable:  # readability wraps every failure in it
        return None


def _beyond_extractor_limits(page: HtmlPage) -> str | None:
    if page.max_depth > MAX_EXTRACTOR_DEPTH:
        return f"its markup nests more than {MAX_EXTRACTOR_DEPTH} elements deep, too deep"
    if page.longest_paragraph > MAX_EXTRACTOR_PARAGRAPH_CHARS:
        limit = f"{MAX_EXTRACTOR_PARAGRAPH_CHARS:,}"
        return f"it has a paragraph of more than {limit} characters, too long"
    return None


def _whole_page(page: HtmlPage, reason: str) -> ExtractedWork:
    extracted = assemble(page.paragraphs, page.work)
    note = f"web page: the whole page was read as the story, because {reason}"
    return ExtractedWork(extracted.text, extracted.work, (note,))


def _without_title(
    paragraphs: tuple[tuple[str, bool], ...], title: str | None
) -> tuple[tuple[str, bool], ...]:
    """The work's title heading opening the main content is metadata, as in an archive's
    preface, not a chapter of its own."""
    if paragraphs and title and paragraphs[0][1] and paragraphs[0][0] == title:
        return paragraphs[1:]
    return paragraphs
