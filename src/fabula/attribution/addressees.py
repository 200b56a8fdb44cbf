"""Addressees: who each quotation is spoken to.

Vocatives name the addressee outright ("Yes, Papa"); otherwise a line in a two-person
exchange goes to the other party, which is the previous different speaker, or the next one
when the line opens a conversation.
"""

from __future__ import annotations

from dataclasses import replace

from fabula.cast.names import Cast
from fabula.model import Attribution, CharacterId, Parse, QuoteSpan, Scene
from fabula.segmentation.scenes import scene_positions

REQUIRES = {"speakers"}
PRODUCES = {"addressees"}

# A speaker counts as still in the conversation this many paragraphs after their last line.
CONVERSATION_PARAGRAPHS = 6


def find_addressees(
    text: str,
    parse: Parse,
    quote_spans: tuple[QuoteSpan, ...],
    scenes: tuple[Scene, ...],
    cast: Cast,
    attributions: tuple[Attribution, ...],
) -> tuple[Attribution, ...]:
    """Fill in ``addressees`` for every attributed quotation.

    >>> # A: "Ready?"  B: "Yes, Ann."  ->  A's line to B (next speaker), B's line to Ann (vocative)
    """
    vocatives = cast.vocatives
    scene_of = scene_positions(scenes, [span.char_start for span in quote_spans])
    result: list[Attribution] = []
    for index, (_span, found) in enumerate(zip(quote_spans, attributions, strict=True)):
        speaker = found.speaker
        if speaker is None:
            result.append(found)
            continue
        named = tuple(v for v in vocatives[index] if v != speaker)
        if named:
            result.append(replace(found, addressees=named))
            continue
        other = _previous_other_speaker(index, quote_spans, attributions, scene_of)
        if other is None:
            other = _next_other_speaker(index, quote_spans, attributions, scene_of)
        result.append(replace(found, addressees=(other,) if other else ()))
    return tuple(result)


def _previous_other_speaker(index, quote_spans, attributions, scene_of) -> CharacterId | None:
    speaker = attributions[index].speaker
    paragraph = quote_spans[index].paragraph_index
    for previous in range(index - 1, -1, -1):
        if scene_of[previous] != scene_of[index]:
            return None
        if paragraph - quote_spans[previous].paragraph_index > CONVERSATION_PARAGRAPHS:
            return None
        other = attributions[previous].speaker
        if other is not None and other != speaker:
            return other
    return None


def _next_other_speaker(index, quote_spans, attributions, scene_of) -> CharacterId | None:
    speaker = attributions[index].speaker
    paragraph = quote_spans[index].paragraph_index
    for following in range(index + 1, len(quote_spans)):
        if scene_of[following] != scene_of[index]:
            return None
        if quote_spans[following].paragraph_index - paragraph > CONVERSATION_PARAGRAPHS:
            return None
        other = attributions[following].speaker
        if other is not None and other != speaker:
            return other
    return None
