"""Split a text into paragraphs: blocks between blank lines, or lines when there are none.

A block far longer than any paragraph (a whole story on one line) is cut at sentence ends.
"""

from __future__ import annotations

import re
from itertools import pairwise

from fabula.model import Paragraph
from fabula.stages import stage

__all__ = ["SENTENCE_END", "find_paragraphs", "last_match_end"]

# One-paragraph-per-line texts (common in fan fiction) have blank lines only around scene
# breaks, their lines end where sentences end, and their lines are often long; hard-wrapped
# Gutenberg texts break lines mid-sentence at about 70 characters (at most about half of
# their lines end with a sentence, in dialogue-heavy novels).
_MIN_LINES_FOR_LINE_MODE = 4
_MAX_BLANK_SHARE_FOR_LINE_MODE = 0.05
_MIN_FINISHED_SHARE = 0.6
_LONG_LINE = 100
_FINISHED_LINE = re.compile(r"""[.!?:;"'”’»)\]…*_~-]$""")
# A block longer than this is text whose line breaks were lost, not a paragraph (the longest
# PDNC paragraph has 15,221 characters). It is cut into paragraphs of about a fan fiction
# paragraph's length: at the first sentence end after the minimum, at most the maximum. The
# later stages look at a paragraph's every word for each of its quotations, so longer
# paragraphs would cost time in proportion to their length.
MAX_PARAGRAPH_CHARS = 20_000
LOST_BREAK_MIN_CHARS = 300
LOST_BREAK_MAX_CHARS = 1_000
# A sentence ends with punctuation, perhaps closing marks, then whitespace.
SENTENCE_END = re.compile(r"""[.!?…]['"”’)\]]*\s+""")
_SPACE = re.compile(r"\s+")
_NON_SPACE = re.compile(r"\S")
_DOUBLE_MARKS = re.compile('["“”]')


@stage(requires={"text"}, produces={"paragraphs"})
def find_paragraphs(text: str) -> tuple[Paragraph, ...]:
    """Find paragraphs; offsets span from the first to the last non-whitespace character.

    Lines holding only whitespace count as blank. ``"A\\nb\\n\\n  C "`` → paragraphs over
    ``"A\\nb"`` and ``"C"``. A text of four or more lines and (almost) no blank lines whose
    lines end with sentences gives one paragraph per line. Whitespace-only text gives ``()``.
    A block over ``MAX_PARAGRAPH_CHARS`` is cut at sentence ends (see ``_cut_lost_breaks``).
    """
    lines = _content_lines(text)
    per_line = _one_paragraph_per_line(text, lines)
    blocks = [[line] for line in lines] if per_line else _blocks(lines)
    spans = [span for block in blocks for span in _cut_lost_breaks(text, block[0][0], block[-1][1])]
    return tuple(Paragraph(index=i, char_start=s, char_end=e) for i, (s, e) in enumerate(spans))


def _content_lines(text: str) -> list[tuple[int, int, int]]:
    """Non-blank lines as (first non-space offset, end of last non-space, line number)."""
    lines = []
    line_start = 0
    for number, line in enumerate(text.split("\n")):
        stripped = line.strip()
        if stripped:
            start = line_start + len(line) - len(line.lstrip())
            lines.append((start, start + len(stripped), number))
        line_start += len(line) + 1
    return lines


def _blocks(lines: list[tuple[int, int, int]]) -> list[list[tuple[int, int, int]]]:
    blocks: list[list[tuple[int, int, int]]] = []
    for line in lines:
        if blocks and line[2] == blocks[-1][-1][2] + 1:
            blocks[-1].append(line)
        else:
            blocks.append([line])
    return blocks


def _one_paragraph_per_line(text: str, lines: list[tuple[int, int, int]]) -> bool:
    if len(lines) < _MIN_LINES_FOR_LINE_MODE:
        return False
    gaps = len(lines) - 1
    blank_gaps = sum(1 for a, b in pairwise(lines) if b[2] > a[2] + 1)
    if blank_gaps > _MAX_BLANK_SHARE_FOR_LINE_MODE * gaps:
        return False
    finished = sum(
        1
        for start, end, _ in lines
        if end - start > _LONG_LINE or _FINISHED_LINE.search(text[start:end])
    )
    return finished >= _MIN_FINISHED_SHARE * len(lines)


def _cut_lost_breaks(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The block ``text[start:end]`` as one paragraph or, beyond ``MAX_PARAGRAPH_CHARS``,
    as paragraphs of at most ``LOST_BREAK_MAX_CHARS``.

    Each cut falls after the first sentence end past ``LOST_BREAK_MIN_CHARS`` that leaves an
    even number of double quotation marks before it (so, most likely, outside a quotation),
    else after the last sentence end, else after the last space, else at the limit.
    """
    if end - start <= MAX_PARAGRAPH_CHARS:
        return [(start, end)]
    spans = []
    while end - start > LOST_BREAK_MAX_CHARS:
        earliest, limit = start + LOST_BREAK_MIN_CHARS, start + LOST_BREAK_MAX_CHARS
        cut = (
            _balanced_sentence_end(text, start, earliest, limit)
            or last_match_end(SENTENCE_END, text, earliest, limit)
            or last_match_end(_SPACE, text, earliest, limit)
            or limit
        )
        spans.append((start, start + len(text[start:cut].rstrip())))
        start = _NON_SPACE.search(text, cut, end).start()  # text[end - 1] is not a space
    return [*spans, (start, end)]


def _balanced_sentence_end(text: str, start: int, earliest: int, limit: int) -> int | None:
    """The first sentence end in ``text[earliest:limit]`` with an even number of double
    quotation marks between ``start`` and it."""
    marks = len(_DOUBLE_MARKS.findall(text, start, earliest))
    counted_to = earliest
    for match in SENTENCE_END.finditer(text, earliest, limit):
        marks += len(_DOUBLE_MARKS.findall(text, counted_to, match.end()))
        counted_to = match.end()
        if marks % 2 == 0:
            return match.end()
    return None


def last_match_end(pattern: re.Pattern[str], text: str, start: int, end: int) -> int | None:
    """Where the last match of ``pattern`` in ``text[start:end]`` ends, if any."""
    last = None
    for match in pattern.finditer(text, start, end):
        last = match
    return last.end() if last is not None else None
