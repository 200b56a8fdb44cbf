"""Rewrites a PDNC novel in fan-fiction punctuation, carrying every gold offset exactly.

``fabula eval pdnc --style fanfic`` scores fabula on these rewritten novels: the same gold
speakers on text written the way fic is. Each change is made at a share of the places it can
apply, chosen by a random generator seeded with the novel's name, so a novel is always
rewritten the same way, alone or in a corpus run:

- tags after a closing mark: a named tag is inverted and capitalised (``"Fine," said Ines`` and
  ``"Fine," Ines said`` → ``"Fine." Said Ines``) at ``INVERT_NAME_TAG`` of the places; else a
  pronoun tag is capitalised (``"Hi," she said`` → ``"Hi." She said``) at
  ``CAPITALISE_PRONOUN_TAG``; else the comma before the mark is dropped (``"Come here" she
  said``) at ``DROP_COMMA``;
- a narration paragraph is joined to the speech paragraph after it (``FUSE_NARRATION``);
- a quotation's marks are spaced off its words (``" Theo! "``, ``SPACED_MARKS``);
- whole novels: guillemets with inner spaces (``« Hi, » she said``) for the novels in
  ``GUILLEMET_BUCKET``, all-lowercase for those in ``LOWERCASE_BUCKET`` (buckets of a hash of
  the name).

The new text is the old one with non-overlapping edits (replace a range, or insert at a point);
``OffsetMap`` carries spans through them. Text inserted at a span's edge (the space inside a
spaced mark) joins the span, so a gold quotation keeps its inner spaces as fabula's spans do.
"""

from __future__ import annotations

import hashlib
import random
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, replace

from fabula.evaluation.pdnc import GoldNovel, GoldQuote

# Shares of the places each change can apply (the tag changes are tried in this order).
INVERT_NAME_TAG = 0.3
CAPITALISE_PRONOUN_TAG = 0.5
DROP_COMMA = 0.5
FUSE_NARRATION = 0.3
SPACED_MARKS = 0.15
# A novel whose name hashes to bucket 0 of ``_BUCKETS`` is all-lowercase, to bucket 1 in
# guillemets: about one novel in eight each.
_BUCKETS = 8
LOWERCASE_BUCKET = 0
GUILLEMET_BUCKET = 1

_DOUBLE_MARKS = frozenset('"“”')
_SPEECH_VERBS = (
    "said|asked|replied|cried|answered|returned|exclaimed|whispered|shouted|continued|added"
    "|observed|remarked|repeated|murmured|called|began|went on|insisted|suggested"
)
_NOT_NAMES = "He|She|They|It|I|We|You|His|Her|Their|The|This|That|There|Then|But|And"
_NAME = (
    rf"(?!(?:{_NOT_NAMES})\b)"
    r"(?:(?:Mr|Mrs|Miss|Dr|Sir|Lady|Lord|Captain|Colonel|Madame|Monsieur)\.?\s+)?"
    r"[A-Z][a-z][\w'-]*(?:\s+[A-Z][a-z][\w'-]*)?"
    r"|the\s+[A-Z][a-z][\w'-]*"
)
_VERB_NAME = re.compile(rf"\s+(?P<verb>{_SPEECH_VERBS})(?P<sep>\s+)(?P<name>{_NAME})\b")
_NAME_VERB = re.compile(rf"\s+(?P<name>{_NAME})(?P<sep>\s+)(?P<verb>{_SPEECH_VERBS})\b")
_PRONOUN_TAG = re.compile(r"\s+(?P<pronoun>he|she|they|we)\s+[a-z]")
_LOWER_TAG = re.compile(r"\s+[a-z]")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
_SENTENCE_END = re.compile(r"[.!?][)'’_]*$")
# A narration paragraph this short is likely a heading ("CHAPTER IV."), not an action.
_MIN_NARRATION_WORDS = 4
_TAG_LOOKAHEAD = 80


@dataclass(frozen=True, slots=True)
class FicStyle:
    """Which changes apply and how often; ``style_for`` picks a novel's."""

    invert_name_tag: float = INVERT_NAME_TAG
    capitalise_pronoun_tag: float = CAPITALISE_PRONOUN_TAG
    drop_comma: float = DROP_COMMA
    fuse_narration: float = FUSE_NARRATION
    spaced_marks: float = SPACED_MARKS
    guillemets: bool = False
    lowercase: bool = False


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace ``text[old_start:old_end]`` by ``new_text`` (an insertion when the range is
    empty)."""

    old_start: int
    old_end: int
    new_text: str


class OffsetMap:
    """Carries offsets of the old text into the text the edits make.

    ``OffsetMap([Edit(3, 4, "")]).map_span(0, 6)`` → ``(0, 5)``.
    """

    def __init__(self, edits: Iterable[Edit]) -> None:
        self.edits = tuple(sorted(edits, key=lambda e: (e.old_start, e.old_end)))
        for before, after in zip(self.edits, self.edits[1:], strict=False):
            if before.old_end > after.old_start:
                raise ValueError(f"overlapping edits: {before} and {after}")
        self._ends = [e.old_end for e in self.edits]
        self._starts = [e.old_start for e in self.edits]
        shifts = [0]
        for edit in self.edits:
            shifts.append(shifts[-1] + len(edit.new_text) - (edit.old_end - edit.old_start))
        self._shift_after = shifts  # shift once edits[:i] are applied

    def apply(self, text: str) -> str:
        parts: list[str] = []
        position = 0
        for edit in self.edits:
            parts += [text[position : edit.old_start], edit.new_text]
            position = edit.old_end
        parts.append(text[position:])
        return "".join(parts)

    def map_span(self, start: int, end: int) -> tuple[int, int]:
        """The new span of old ``[start, end)``; text inserted at either edge joins it."""
        return self._map_start(start), self._map_end(end)

    def _map_start(self, start: int) -> int:
        index = self._replacing(start)
        if index is not None and self.edits[index].old_start < start:
            return self._new_start(index)  # the span starts inside a replaced range
        # Edits wholly before ``start``: ranges ending at or before it, insertions before it.
        count = bisect_left(self._ends, start)
        while count < len(self.edits) and self._is_range_ending_at(count, start):
            count += 1
        return start + self._shift_after[count]

    def _map_end(self, end: int) -> int:
        index = self._replacing(end - 1) if end > 0 else None
        if index is not None and self.edits[index].old_end > end:
            return self._new_start(index) + len(self.edits[index].new_text)
        # Every edit ending at or before ``end``, insertions at ``end`` included.
        return end + self._shift_after[bisect_right(self._ends, end)]

    def _replacing(self, position: int) -> int | None:
        """Index of the non-empty edit whose old range holds character ``position``."""
        index = bisect_right(self._starts, position) - 1
        while index >= 0 and self.edits[index].old_start == self.edits[index].old_end:
            index -= 1
        if index >= 0 and self.edits[index].old_start <= position < self.edits[index].old_end:
            return index
        return None

    def _is_range_ending_at(self, index: int, position: int) -> bool:
        edit = self.edits[index]
        return edit.old_end == position and edit.old_start < edit.old_end

    def _new_start(self, index: int) -> int:
        return self.edits[index].old_start + self._shift_after[index]


@dataclass(frozen=True, slots=True)
class Perturbed:
    novel: GoldNovel  # the rewritten text with every gold span carried over
    offsets: OffsetMap  # old text → new text, for anything else that points into the text
    style: FicStyle


def style_for(name: str) -> FicStyle:
    """The style a novel gets: the shared rates, and the whole-novel changes its name picks."""
    bucket = int(hashlib.sha256(name.encode("utf-8")).hexdigest(), 16) % _BUCKETS
    return FicStyle(guillemets=bucket == GUILLEMET_BUCKET, lowercase=bucket == LOWERCASE_BUCKET)


def perturb_novel(novel: GoldNovel, style: FicStyle | None = None) -> Perturbed:
    """Rewrite ``novel`` in fic punctuation (``style_for(novel.name)`` unless given)."""
    style = style or style_for(novel.name)
    rng = random.Random(f"fic-style/{novel.name}")
    text = novel.text
    spans = sorted({span for quote in novel.quotes for span in quote.spans if span[0] < span[1]})
    edits: list[Edit] = []
    for start, end in spans:
        edits += _tag_edits(text, start, end, style, rng)
    edits += _fusion_edits(text, spans, style, rng)
    edits += _mark_edits(text, spans, style, rng)
    offsets = OffsetMap(edits)
    new_text = offsets.apply(text)
    if style.lowercase:
        # Case-fold character by character, keeping any whose lower case is longer ("İ").
        new_text = "".join(c.lower() if len(c.lower()) == 1 else c for c in new_text)
    novel = replace(novel, text=new_text, quotes=carried_quotes(novel, offsets))
    return Perturbed(novel, offsets, style)


def _tag_edits(text: str, start: int, end: int, style: FicStyle, rng: random.Random) -> list[Edit]:
    """At most one tag change after the quotation part ``[start, end)``."""
    if end >= len(text) or text[end] not in _DOUBLE_MARKS:
        return []
    last = text[end - 1]
    if last not in ",.!?" or not _has_letters(text[start : end - 1]):
        return []
    after = text[end + 1 : end + 1 + _TAG_LOOKAHEAD]
    closing = [Edit(end - 1, end, ".")] if last == "," else []
    tag_start = end + 1
    for pattern in (_VERB_NAME, _NAME_VERB):
        match = pattern.match(after)
        if match and _one_paragraph(match.group()) and rng.random() < style.invert_name_tag:
            verb, sep, name = match.group("verb", "sep", "name")
            spaces = match.start("verb" if pattern is _VERB_NAME else "name")
            inverted = f"{verb[0].upper()}{verb[1:]}{sep}{name}"
            return [*closing, Edit(tag_start + spaces, tag_start + match.end(), inverted)]
    match = _PRONOUN_TAG.match(after)
    if match and _one_paragraph(match.group()) and rng.random() < style.capitalise_pronoun_tag:
        at = tag_start + match.start("pronoun")
        return [*closing, Edit(at, at + 1, text[at].upper())]
    match = _LOWER_TAG.match(after)
    if last == "," and match and _one_paragraph(match.group()) and rng.random() < style.drop_comma:
        return [Edit(end - 1, end, "")]
    return []


def _fusion_edits(
    text: str, spans: list[tuple[int, int]], style: FicStyle, rng: random.Random
) -> list[Edit]:
    """Join a narration paragraph to the next when that one opens with a gold quotation."""
    starts = {start for start, _ in spans}
    edits: list[Edit] = []
    previous_end = 0
    for match in _PARAGRAPH_BREAK.finditer(text):
        paragraph = text[previous_end : match.start()]
        opening = match.end()
        previous_end = opening
        if not (
            opening + 1 in starts
            and text[opening] in _DOUBLE_MARKS
            and not any(mark in paragraph for mark in _DOUBLE_MARKS)
            and len(paragraph.split()) >= _MIN_NARRATION_WORDS
            and _SENTENCE_END.search(paragraph.rstrip())
        ):
            continue
        if rng.random() < style.fuse_narration:
            edits.append(Edit(match.start(), opening, " "))
    return edits


def _mark_edits(
    text: str, spans: list[tuple[int, int]], style: FicStyle, rng: random.Random
) -> list[Edit]:
    """Guillemets for every double mark (whole novel), or spaced marks for some quotations."""
    opening = {start - 1 for start, _ in spans if start > 0 and text[start - 1] in _DOUBLE_MARKS}
    closing = {end for _, end in spans if end < len(text) and text[end] in _DOUBLE_MARKS}
    edits: list[Edit] = []
    if style.guillemets:
        for index, mark in enumerate(text):
            if mark not in _DOUBLE_MARKS:
                continue
            opens = index in opening or (index not in closing and _looks_opening(text, index))
            # The space on the words' side is an insertion, so a gold span next to it takes it.
            if opens:
                edits += [Edit(index, index + 1, "«"), Edit(index + 1, index + 1, " ")]
            else:
                edits += [Edit(index, index, " "), Edit(index, index + 1, "»")]
        return edits
    for start, end in spans:
        if start - 1 in opening and end in closing and rng.random() < style.spaced_marks:
            edits += [Edit(start, start, " "), Edit(end, end, " ")]
    return edits


def _looks_opening(text: str, index: int) -> bool:
    """A straight mark opens when nothing but space or an opening bracket or dash is before it."""
    before = text[index - 1] if index > 0 else " "
    return before.isspace() or before in "([{—–-"


def _one_paragraph(words: str) -> bool:
    return _PARAGRAPH_BREAK.search(words) is None


def _has_letters(words: str) -> bool:
    return any(c.isalpha() for c in words)


def carried_quotes(novel: GoldNovel, offsets: OffsetMap) -> tuple[GoldQuote, ...]:
    """``novel``'s quotations with their spans carried through ``offsets``."""
    return tuple(
        replace(quote, spans=tuple(offsets.map_span(s, e) for s, e in quote.spans))
        for quote in novel.quotes
    )
