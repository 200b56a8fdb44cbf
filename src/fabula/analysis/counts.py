"""Analysis: how often each character is mentioned and how many lines they speak."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from fabula.model import Character, Mention, Quote
from fabula.stages import MENTIONS, stage


@stage(requires=MENTIONS | {"characters", "speakers"}, produces={"counts"})
def count_characters(
    characters: tuple[Character, ...], mentions: tuple[Mention, ...], quotes: tuple[Quote, ...]
) -> tuple[Character, ...]:
    """Return the characters with ``mention_count`` and ``quote_count`` filled in.

    The parts of one interrupted quotation count as one line.
    """
    mentioned = Counter(m.character for m in mentions if m.character is not None)
    spoken = Counter(q.speaker for q in quotes if q.speaker is not None and q.continues is None)
    return tuple(
        replace(c, mention_count=mentioned[c.id], quote_count=spoken[c.id]) for c in characters
    )
