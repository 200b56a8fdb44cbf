"""Markdown stories through markdown-it-py (CommonMark), then fabula's own HTML reader.

CommonMark decides what is a heading, a list, emphasis or code; the rendered HTML then goes
through the same reader as an EPUB chapter, so "# Chapter 3" (and a setext heading) of levels
1-3 opens a chapter, ``---`` / ``***`` / ``* * *`` rules become "* * *" scene breaks, links keep
their text, and images, comments and raw scripts go. A ``---`` front-matter block opening the
file is the work's metadata, not story text.
"""

from __future__ import annotations

import re
from dataclasses import replace

from markdown_it import MarkdownIt

from fabula.model import Work
from fabula.reading.html import ExtractedWork, extract_html

__all__ = ["markdown_to_text"]

# CommonMark, plus the ~~strikethrough~~ that fan-fiction sites' editors write.
_MARKDOWN = MarkdownIt("commonmark").enable("strikethrough")


def markdown_to_text(source: str) -> ExtractedWork:
    """Plain text and chapters of a Markdown story: markers go, words and quote marks stay.

    ``"# Chapter 3\\n\\n*Run,* she said."`` → ``"Chapter 3\\n\\nRun, she said."`` with one
    chapter titled "Chapter 3". A line opening with "—" is dialogue, not a list item.
    """
    work, body = _front_matter(source.replace("\r\n", "\n").replace("\r", "\n"))
    extracted = extract_html(_MARKDOWN.render(body))
    # The rendered page's <h1> is a chapter's, not the work's title: metadata is the front
    # matter's alone.
    return ExtractedWork(extracted.text, replace(work, chapters=extracted.work.chapters))


# Front-matter keys (YAML-style, as Pandoc and static-site exports write them) → Work fields.
_FRONT_MATTER_FIELDS = {
    "title": "title",
    "author": "authors",
    "authors": "authors",
    "fandom": "fandoms",
    "fandoms": "fandoms",
    "relationship": "relationships",
    "relationships": "relationships",
    "pairing": "relationships",
    "pairings": "relationships",
    "character": "characters",
    "characters": "characters",
    "tags": "additional_tags",
    "additional_tags": "additional_tags",
    "rating": "rating",
    "language": "language",
    "lang": "language",
}
_MAX_FRONT_MATTER_LINES = 200


def _front_matter(source: str) -> tuple[Work, str]:
    """A "---" block opening a Markdown file: simple ``key: value``, ``key: [a, b]`` and
    ``- item`` lists fill the work's metadata; the block is not story text. Anything else in
    it is ignored (fabula reads no full YAML: nothing there is executed or expanded)."""
    lines = source.split("\n")
    if not lines or lines[0].strip() != "---":
        return Work(), source
    closing = next(
        (
            i
            for i, line in enumerate(lines[1:_MAX_FRONT_MATTER_LINES], 1)
            if line.strip() in {"---", "..."}
        ),
        None,
    )
    if closing is None:
        return Work(), source
    found: dict[str, list[str]] = {}
    key: str | None = None
    for line in lines[1:closing]:
        item = re.match(r"\s*-\s+(.*)", line)
        pair = re.match(r"([A-Za-z_]+)\s*:\s*(.*)", line)
        if item and key is not None:
            found.setdefault(key, []).append(_unquote(item.group(1)))
        elif pair:
            key = _FRONT_MATTER_FIELDS.get(pair.group(1).lower())
            value = pair.group(2).strip()
            if key is None or not value:
                continue
            if value.startswith("[") and value.endswith("]"):
                found[key] = [_unquote(v) for v in value[1:-1].split(",") if v.strip()]
            else:
                found[key] = [_unquote(value)]
    single = {"title", "rating", "language"}
    work = Work(
        **{
            field: (values[0] if field in single else tuple(values))
            for field, values in found.items()
            if values
        }
    )
    return work, "\n".join(lines[closing + 1 :])


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        value = value[1:-1]
    return value.strip()
