"""Fabula's own HTML reader: markup to plain paragraphs, chapter spans and archive metadata.

Fabula's stages read plain text with paragraphs separated by one blank line, so markup is
reduced to exactly that: block tags end paragraphs, ``<hr>`` becomes a "* * *" paragraph the
scene detector recognises, and chapter headings stay in the text as their own paragraphs. It
reads archive downloads (their work metadata, tags and chapters), EPUB chapter documents, the
main content that ``webpage.py`` cuts out of any other page, and Markdown rendered to HTML.
Only the standard library's ``HTMLParser`` is used; nothing is ever fetched and scripts,
styles and embedded objects are dropped unread.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser

from fabula.model import Chapter, Work

__all__ = [
    "ExtractedWork",
    "HtmlPage",
    "assemble",
    "extract_html",
    "looks_like_html",
    "parse_html",
]

SCENE_BREAK = "* * *"


@dataclass(frozen=True, slots=True)
class ExtractedWork:
    """Plain story text ready for ``SourceText``, with its metadata and where its chapters lie
    (each chapter's span is its body; its heading paragraph lies just before), and notes on
    what reading left out."""

    text: str
    work: Work
    notes: tuple[str, ...] = ()


# ---------------------------------------------------------------------------------------------
# Sniffing

_SNIFF_CHARS = 4096
_DOCUMENT_TAG = re.compile(r"<!doctype\s+html|<html[\s>]|<body[\s>]|<head[\s>]", re.IGNORECASE)
_BLOCK_TAG = re.compile(r"</?(?:p|div|br|h[1-6]|li|blockquote|section|article)\b[^<>]*>", re.I)
# One "<p>" in prose is a mention; three block tags are markup.
_MIN_BLOCK_TAGS = 3


def looks_like_html(text: str) -> bool:
    """Whether text is HTML whatever its file name says, judged from its first few KB."""
    sample = text[:_SNIFF_CHARS]
    if _DOCUMENT_TAG.search(sample):
        return True
    return len(_BLOCK_TAG.findall(sample)) >= _MIN_BLOCK_TAGS


# ---------------------------------------------------------------------------------------------
# HTML

# Elements whose content is code or embedded media, never story text.
_IGNORED = frozenset({"script", "style", "noscript", "template", "iframe", "object", "svg", "math"})
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param"}
    | {"source", "track", "wbr"}
)
_BLOCKS = frozenset(
    {"address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details"}
    | {"dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form"}
    | {"h1", "h2", "h3", "h4", "h5", "h6", "head", "header", "hgroup", "hr", "html", "li"}
    | {"main", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot"}
    | {"th", "thead", "title", "tr", "ul"}
)
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_CHAPTER_HEADING_LEVEL = 3  # h1-h3 open chapters in ordinary pages
# An open element that a new start tag closes implicitly, as browsers do.
_IMPLIED_END = {
    "p": _BLOCKS,
    "li": frozenset({"li"}),
    "dt": frozenset({"dt", "dd"}),
    "dd": frozenset({"dt", "dd"}),
}
# Archive preface and afterword: around the story, not in it.
_FRAME_NAMES = frozenset({"preface", "afterword"})
# Archive notes, summaries and chapter meta: about the story, not in it.
_NOTE_NAMES = frozenset({"meta", "notes", "summary", "byline", "message", "landmark"})


@dataclass(frozen=True, slots=True)
class _Context:
    """What the open elements say about text found inside them."""

    ignored: bool = False
    in_head: bool = False
    in_frame: bool = False
    in_notes: bool = False
    in_userstuff: bool = False
    in_tags: bool = False  # inside an archive <dl class="tags">
    in_pre: bool = False
    heading: int = 0  # 1-6 inside <h1>-<h6>
    chapter_heading: bool = False  # an archive <h2 class="heading">


@dataclass(eq=False, slots=True)
class _Element:
    tag: str
    context: _Context
    role: str | None = None  # which metadata its text is, if any
    pieces: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Block:
    text: str
    context: _Context


class _StoryParser(HTMLParser):
    """Streams markup into text blocks with their context, and metadata on the side.

    Context is inherited on push rather than searched for, so 10,000 nested tags stay linear.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._stack: list[_Element] = []
        self._capturing: list[_Element] = []
        self._lines: list[list[str]] = [[]]
        self._block_context: _Context | None = None
        self.blocks: list[_Block] = []
        self.saw_userstuff = False
        self.max_depth = 0
        self.page_title: str | None = None
        self.first_h1: str | None = None
        self.authors: list[str] = []
        self.bylines: list[str] = []
        self.meta_authors: list[str] = []
        self.tags: dict[str, tuple[str, ...]] = {}
        self._label = ""
        self._dd_links: list[str] = []

    @property
    def _context(self) -> _Context:
        return self._stack[-1].context if self._stack else _ROOT

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "meta" and attributes.get("name", "").lower() == "author":
            self.meta_authors.append(_collapse(attributes.get("content", "")))
        if tag in ("br", "hr"):
            self._void(tag)
            return
        if tag in _VOID:
            return
        while self._stack and tag in _IMPLIED_END.get(self._stack[-1].tag, ()):
            self._pop(len(self._stack) - 1)
        if tag in _BLOCKS:
            self._flush()
        context = self._child_context(tag, attributes)
        element = _Element(tag, context, self._role(tag, attributes, context))
        self._stack.append(element)
        self.max_depth = max(self.max_depth, len(self._stack))
        if element.role and not context.ignored:
            self._capturing.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "br":  # browsers read a stray </br> as <br>
            self._void(tag)
            return
        for index in range(len(self._stack) - 1, -1, -1):
            if self._stack[index].tag == tag:
                self._pop(index)
                return
        if tag in _BLOCKS:
            self._flush()

    def handle_data(self, data: str) -> None:
        context = self._context
        if context.ignored:
            return
        for element in self._capturing:
            element.pieces.append(data)
        if context.in_head:
            return
        if context.in_pre:
            first, *rest = data.split("\n")
            self._lines[-1].append(first)
            self._lines.extend([line] for line in rest)
        else:
            self._lines[-1].append(data)
        if self._block_context is None and data.strip():
            self._block_context = context

    def close(self) -> None:
        if self.rawdata.startswith("<!--"):  # an unclosed comment runs to the end, as in browsers
            self.rawdata = ""
        super().close()
        if self._stack:
            self._pop(0)
        self._flush()

    def _void(self, tag: str) -> None:
        if self._context.ignored or self._context.in_head:
            return
        if tag == "br":
            self._lines.append([])
            return
        self._flush()
        self.blocks.append(_Block(SCENE_BREAK, self._context))

    def _pop(self, index: int) -> None:
        """Close the element at ``index`` and everything left open inside it."""
        if any(element.tag in _BLOCKS for element in self._stack[index:]):
            self._flush()
        while len(self._stack) > index:
            element = self._stack.pop()
            if element.role and not element.context.ignored:
                self._capturing.remove(element)
                self._finish(element.role, _collapse("".join(element.pieces)))

    def _flush(self) -> None:
        """End the paragraph being gathered; blank lines (``<br><br>``) split it in several."""
        context, lines = self._block_context, self._lines
        self._lines, self._block_context = [[]], None
        if context is None:
            return
        paragraph: list[str] = []
        for line in [*(_collapse("".join(pieces)) for pieces in lines), ""]:
            if line:
                paragraph.append(line)
            elif paragraph:
                self.blocks.append(_Block("\n".join(paragraph), context))
                paragraph = []

    def _child_context(self, tag: str, attributes: dict[str, str]) -> _Context:
        parent = self._context
        names = set(attributes.get("class", "").lower().split())
        names.update(attributes.get("id", "").lower().split())
        changes: dict[str, object] = {}
        if tag in _IGNORED:
            changes["ignored"] = True
        if tag in ("head", "title"):
            changes["in_head"] = True
        if names & _FRAME_NAMES:
            changes["in_frame"] = True
        if names & _NOTE_NAMES or any(name.endswith("notes") for name in names):
            changes["in_notes"] = True
        if "userstuff" in names:
            self.saw_userstuff = True
            changes["in_userstuff"] = True
            if tag == "blockquote":  # archive summaries and notes are quoted userstuff
                changes["in_notes"] = True
        if tag == "dl" and "tags" in names:
            changes["in_tags"] = True
        if tag == "pre":
            changes["in_pre"] = True
        if tag in _HEADINGS:
            changes["heading"] = _HEADINGS[tag]
            changes["chapter_heading"] = (
                "heading" in names
                and "landmark" not in names
                and _HEADINGS[tag] <= _CHAPTER_HEADING_LEVEL
                and not parent.in_frame
            )
        return replace(parent, **changes) if changes else parent

    @staticmethod
    def _role(tag: str, attributes: dict[str, str], context: _Context) -> str | None:
        names = attributes.get("class", "").lower().split()
        if tag == "title":
            return "title"
        if tag == "h1":
            return "h1"
        if tag == "a" and "author" in attributes.get("rel", "").lower().split():
            return "author"
        if "byline" in names:
            return "byline"
        if context.in_tags and tag in ("dt", "dd"):
            return tag
        if context.in_tags and tag == "a":
            return "tag"
        return None

    def _finish(self, role: str, text: str) -> None:
        if role == "dd":
            values = tuple(self._dd_links) or ((text,) if text else ())
            self.tags.setdefault(self._label, values)
            self._dd_links = []
        elif not text:
            return
        elif role == "title" and self.page_title is None:
            self.page_title = text
        elif role == "h1" and self.first_h1 is None:
            self.first_h1 = text
        elif role == "author":
            self.authors.append(text)
        elif role == "byline":
            self.bylines.append(text)
        elif role == "dt":
            self._label = text.rstrip(":").strip().lower()
        elif role == "tag":
            self._dd_links.append(text)


_ROOT = _Context()
_WORDS = re.compile(r"Words:\s*(\d[\d,.\u00a0\u202f]*)", re.IGNORECASE)
_BY = re.compile(r"^by\s+", re.IGNORECASE)
_NAME_SEPARATOR = re.compile(r"\s*,\s*|\s+and\s+|\s*&\s*")


@dataclass(frozen=True, slots=True)
class HtmlPage:
    """What one pass over a page found: its story paragraphs as ``(text, opens_chapter)``,
    its metadata (no chapters yet), and how deep and long its markup runs."""

    paragraphs: tuple[tuple[str, bool], ...]
    work: Work
    is_archive: bool
    max_depth: int
    longest_paragraph: int


def parse_html(markup: str) -> HtmlPage:
    """Read a page once. An archive page (one with ``userstuff`` blocks) keeps only its chapter
    headings and userstuff text (preface, notes and summaries are metadata); any other page
    keeps its whole body, with h1-h3 headings opening chapters. Malformed markup never raises.
    """
    parser = _StoryParser()
    parser.feed(markup)
    parser.close()
    if parser.saw_userstuff:
        kept = tuple(
            (block.text, block.context.chapter_heading)
            for block in parser.blocks
            if block.context.chapter_heading
            or (
                block.context.in_userstuff
                and not block.context.in_notes
                and not block.context.in_frame
            )
        )
        title = parser.first_h1 or parser.page_title
    else:
        kept = tuple(
            (block.text, 0 < block.context.heading <= _CHAPTER_HEADING_LEVEL)
            for block in parser.blocks
        )
        title = _page_title(parser.page_title, parser.first_h1)
    return HtmlPage(
        paragraphs=kept,
        work=_metadata(parser, title),
        is_archive=parser.saw_userstuff,
        max_depth=parser.max_depth,
        longest_paragraph=max((len(block.text) for block in parser.blocks), default=0),
    )


def extract_html(markup: str) -> ExtractedWork:
    """Plain text, chapters and metadata of an archive download, or of a whole page (an EPUB's
    chapter document): see ``parse_html``."""
    page = parse_html(markup)
    return assemble(page.paragraphs, page.work)


def _page_title(page_title: str | None, first_h1: str | None) -> str | None:
    """A page's ``<title>`` often adds the site's name ("The Night Ferry – Inkwell & Ember"):
    an ``<h1>`` it contains is the work's own title; an ``<h1>`` it does not is a part's."""
    if page_title and first_h1 and first_h1.casefold() in page_title.casefold():
        return first_h1
    return page_title or first_h1


def _metadata(parser: _StoryParser, title: str | None) -> Work:
    authors = parser.authors or [
        name
        for line in parser.bylines[:1]
        for name in _NAME_SEPARATOR.split(_BY.sub("", line))
        if name
    ]
    tags = parser.tags

    def values(*labels: str) -> tuple[str, ...]:
        return next((tags[label] for label in labels if label in tags), ())

    def first(*labels: str) -> str | None:
        found = values(*labels)
        return found[0] if found else None

    stats = _WORDS.search(" ".join(values("stats", "stat")))
    return Work(
        title=title,
        authors=tuple(dict.fromkeys(authors or parser.meta_authors)),
        fandoms=values("fandom", "fandoms"),
        relationships=values("relationship", "relationships"),
        characters=values("character", "characters"),
        additional_tags=values("additional tags", "freeform", "freeforms"),
        warnings=values("archive warning", "archive warnings", "warning", "warnings"),
        categories=values("category", "categories"),
        rating=first("rating", "ratings"),
        language=first("language"),
        words=int(re.sub(r"\D", "", stats.group(1))) if stats else None,
    )


def assemble(paragraphs: Iterable[tuple[str, bool]], metadata: Work) -> ExtractedWork:
    """Join paragraphs with one blank line; a heading paragraph opens a chapter after it.

    Chapters with no body (a work title straight above "Chapter 1") are dropped.
    """
    parts: list[str] = []
    position = 0
    # (title, body start, end of the body so far); the end grows with each body paragraph.
    spans: list[tuple[str | None, int, int]] = []
    for text, is_heading in paragraphs:
        start = position + 2 if parts else 0
        parts.append(text)
        position = start + len(text)
        if is_heading:
            spans.append((text, position + 2, position + 2))
        elif not spans:
            spans.append((None, start, position))
        else:
            title, body_start, _ = spans[-1]
            spans[-1] = (title, body_start, position)
    chapters = tuple(Chapter(title, start, end) for title, start, end in spans if end > start)
    return ExtractedWork("\n\n".join(parts), replace(metadata, chapters=chapters))


def _collapse(text: str) -> str:
    return " ".join(text.split())
