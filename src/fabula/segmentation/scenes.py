"""Split a story into scenes at break marks, chapter headings and unusually wide gaps."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence
from itertools import pairwise

from fabula.model import Chapter, Paragraph, Scene, SceneId
from fabula.stages import stage
from fabula.typography import QUOTE_MARKS

__all__ = ["find_break_paragraphs", "find_scenes"]

_NUMBER_WORD = (
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen"
    r"|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy"
    r"|eighty|ninety|hundred|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth"
    r"|tenth|last|final)"
)
_NUMBER = rf"(?:\d+|[ivxlcdm]+|{_NUMBER_WORD}(?:[- ]{_NUMBER_WORD})*)"
_HEADING = re.compile(
    rf"(?:chapter|chap\.|book|part|section|volume|vol\.|act|canto|stave|letter|episode)"
    rf"\s+(?:the\s+)?{_NUMBER}\b\.?(?:\s*[:.—–-]+\s*|\s+|$)(?P<title>.*)",
    re.IGNORECASE,
)
_NAMED_HEADING = re.compile(
    r"(?:prologue|epilogue|interlude|preface|introduction|afterword|foreword)\b[.:]?"
    r"(?:\s*[:.—–-]*\s*(?P<title>.*))?",
    re.IGNORECASE,
)
# "IV", "[II]", "12.", "(3)": a numbered section inside a chapter.
_SECTION_NUMBER = re.compile(r"[\[(]?(?:\d{1,3}|[IVXLCDM]+)[\])]?\.?")
_MAX_HEADING_CHARS = 120
_MAX_HEADING_LINES = 4
_MAX_TITLE_CHARS = 80
_MAX_TITLE_WORDS = 10
# Ornaments that separate scenes: "* * *", "~~~", "---", "#", "§", "•••", "oOo", "xXx".
_BREAK_MARKS = frozenset("*#~-_=+.·•‧∙◦°§¶†‡⁂※—–<>/\\|^:…")
_LETTER_ORNAMENT = re.compile(r"[oO0]{3,}|[xX]{3,}|[oO0xX]*")
# Wider gaps than usual mark a scene only where they are the exception.
_MAX_WIDE_GAP_SHARE = 0.2


@stage(requires={"text", "paragraphs", "chapters"}, produces={"scenes"})
def find_scenes(
    text: str, paragraphs: tuple[Paragraph, ...], chapters: tuple[Chapter, ...] = ()
) -> tuple[Scene, ...]:
    """Group the paragraphs between breaks into scenes ``s0``, ``s1``, ...

    Break paragraphs (ornaments, headings and the title line after a heading) belong to no
    scene; a heading becomes the next scene's ``heading``. No paragraphs → no scenes; no breaks →
    one scene. E.g. "CHAPTER I.\\n\\nIt rained.\\n\\n* * *\\n\\nIt snowed." → two scenes, the
    first with heading "CHAPTER I.".

    ``chapters`` (from HTML, EPUB or Markdown) each start a scene; a chapter's title line,
    just before its body, is the scene's heading.
    """
    breaks = _classify_breaks(text, paragraphs)
    chapter_titles = {chapter.char_start: chapter.title for chapter in chapters}
    for paragraph, following in pairwise(paragraphs):
        title = chapter_titles.get(following.char_start)
        if title and text[paragraph.char_start : paragraph.char_end].strip() == title:
            breaks[paragraph.index] = title
    wide_gaps = _wide_gap_starts(text, paragraphs, breaks)
    scenes: list[Scene] = []
    run: list[Paragraph] = []
    headings: list[str] = []
    current_heading: str | None = None

    def close_run() -> None:
        if run:
            scenes.append(
                Scene(
                    id=SceneId(f"s{len(scenes)}"),
                    char_start=run[0].char_start,
                    char_end=run[-1].char_end,
                    heading=current_heading,
                )
            )
            run.clear()

    for paragraph in paragraphs:
        if paragraph.index in breaks:
            close_run()
            if breaks[paragraph.index]:
                headings.append(breaks[paragraph.index])
            continue
        if paragraph.index in wide_gaps or paragraph.char_start in chapter_titles:
            close_run()
        if not run:
            current_heading = " ".join(headings) or None
            headings.clear()
        run.append(paragraph)
    close_run()
    return tuple(scenes)


def scene_positions(scenes: tuple[Scene, ...], offsets: Iterable[int]) -> list[int]:
    """For each offset, how many scenes start at or before it:
    offsets with the same number are in the same scene or the gap after it."""
    starts = [scene.char_start for scene in scenes]
    return [bisect_right(starts, offset) for offset in offsets]


def scenes_containing(scenes: tuple[Scene, ...], offsets: Sequence[int]) -> list[Scene | None]:
    """For each offset, the scene it lies in, or None between scenes."""
    found: list[Scene | None] = []
    for offset, position in zip(offsets, scene_positions(scenes, offsets), strict=True):
        scene = scenes[position - 1] if position else None
        found.append(scene if scene is not None and offset < scene.char_end else None)
    return found


def find_break_paragraphs(text: str, paragraphs: tuple[Paragraph, ...]) -> frozenset[int]:
    """Indices of paragraphs that are scene breaks or headings, which hold no dialogue."""
    return frozenset(_classify_breaks(text, paragraphs))


def _classify_breaks(text: str, paragraphs: tuple[Paragraph, ...]) -> dict[int, str]:
    """Map each break paragraph's index to its heading text ("" for an ornament)."""
    breaks: dict[int, str] = {}
    after_untitled_heading = False
    for paragraph in paragraphs:
        raw = text[paragraph.char_start : paragraph.char_end]
        flat = " ".join(raw.split())
        if _is_ornament(flat):
            breaks[paragraph.index] = ""
            after_untitled_heading = False
        elif heading := _heading(raw, flat):
            breaks[paragraph.index] = flat
            after_untitled_heading = not heading.groupdict().get("title")
        elif (after_untitled_heading or paragraph.index == 0) and _is_title(raw):
            # The first line of a work in title case is its title, like a chapter's.
            breaks[paragraph.index] = flat
            after_untitled_heading = False
        else:
            after_untitled_heading = False
    return breaks


def _is_ornament(flat: str) -> bool:
    marks = flat.replace(" ", "")
    if QUOTE_MARKS.intersection(marks):
        return False
    symbols = "".join(ch for ch in marks if ch not in "oO0xX")
    if not all(ch in _BREAK_MARKS or unicodedata.category(ch).startswith("S") for ch in symbols):
        return False
    # Letters alone make an ornament only in a pattern like "oOo"; with marks, as in "~o~".
    return bool(symbols) or (len(marks) >= 3 and _LETTER_ORNAMENT.fullmatch(marks) is not None)


def _heading(raw: str, flat: str) -> re.Match[str] | None:
    if len(flat) > _MAX_HEADING_CHARS or raw.count("\n") >= _MAX_HEADING_LINES:
        return None
    for pattern in (_HEADING, _NAMED_HEADING, _SECTION_NUMBER):
        match = pattern.fullmatch(flat)
        if match and len(match.groupdict().get("title") or "") <= _MAX_TITLE_CHARS:
            return match
    return None


def _is_title(raw: str) -> bool:
    """A chapter title on its own line: short, in title case, not a sentence or a quotation."""
    words = raw.split()
    if "\n" in raw or len(raw) > _MAX_TITLE_CHARS or len(words) > _MAX_TITLE_WORDS:
        return False
    if raw[0] in QUOTE_MARKS:
        return False
    if raw.isupper():
        return True
    if raw[-1] in ".,;:!?":
        return False
    return all(word[0].isupper() for word in words if len(word) >= 4 and word[0].isalpha())


def _wide_gap_starts(
    text: str, paragraphs: tuple[Paragraph, ...], breaks: dict[int, str]
) -> frozenset[int]:
    """Paragraphs preceded by a wider gap than the text's usual one, when such gaps are rare."""
    gaps = {
        b.index: text.count("\n", a.char_end, b.char_start)
        for a, b in pairwise(paragraphs)
        if a.index not in breaks and b.index not in breaks
    }
    if not gaps:
        return frozenset()
    usual = Counter(gaps.values()).most_common(1)[0][0]
    wide = frozenset(index for index, gap in gaps.items() if gap > usual)
    return wide if len(wide) < _MAX_WIDE_GAP_SHARE * len(gaps) else frozenset()
