"""Split a text into paragraphs: blocks between blank lines, or lines when there are none."""

from __future__ import annotations

import re
from itertools import pairwise

from fabula.model import Paragraph
from fabula.stages import stage

__all__ = ["find_paragraphs"]

# One-paragraph-per-line texts (common in fan fiction) have blank lines only around scene
# breaks, their lines end where sentences end, and their lines are often long; hard-wrapped
# Gutenberg texts break lines mid-sentence at about 70 characters (at most about half of
# their lines end with a sentence, in dialogue-heavy novels).
_MIN_LINES_FOR_LINE_MODE = 4
_MAX_BLANK_SHARE_FOR_LINE_MODE = 0.05
_MIN_FINISHED_SHARE = 0.6
_LONG_LINE = 100
_FINISHED_LINE = re.compile(r"""[.!?:;"'”’»)\]…*_~-]$""")


@stage(requires={"text"}, produces={"paragraphs"})
def find_paragraphs(text: str) -> tuple[Paragraph, ...]:
    """Find paragraphs; offsets span from the first to the last non-whitespace character.

    Lines holding only whitespace count as blank. ``"A\\nb\\n\\n  C "`` → paragraphs over
    ``"A\\nb"`` and ``"C"``. A text of four or more lines and (almost) no blank lines whose
    lines end with sentences gives one paragraph per line. Whitespace-only text gives ``()``.
    """
    lines = _content_lines(text)
    per_line = _one_paragraph_per_line(text, lines)
    blocks = [[line] for line in lines] if per_line else _blocks(lines)
    return tuple(
        Paragraph(index=i, char_start=block[0][0], char_end=block[-1][1])
        for i, block in enumerate(blocks)
    )


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
