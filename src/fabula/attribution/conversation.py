"""Conversations: who might be spoken to in each line, and what speaks for each of them.

Every character who speaks near a line, is named in it as a vocative ("Yes, Papa") or is
named in the narration around it is a candidate, with features of the conversation: is it the
previous or the next other speaker, how many people are talking, does the line speak to a
group ("both of you", "gentlemen"). The addressee model (``addressees.py``) scores them.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass

from fabula.attribution.scorer import Candidate
from fabula.cast.names import Cast
from fabula.model import Attribution, CharacterId, Mention, Paragraph, QuoteSpan, Scene
from fabula.segmentation.scenes import scene_positions

# Quotations each side of a line whose speakers are candidates, and how many paragraphs away
# a speaker still counts as in the conversation.
WINDOW_QUOTES = 8
CONVERSATION_PARAGRAPHS = 8
# Paragraphs back whose narration still puts a character in the room.
NARRATED_PARAGRAPHS = 4

# Words that speak to more than one person.
_GROUP_ADDRESS = re.compile(
    r"\b(you all|all of you|both of you|you both|you two|you three|each of you|either of you|"
    r"neither of you|any of you|you people|ladies|gentlemen|everybody|everyone|children|"
    r"girls|boys|my dears|friends|my friends)\b",
    re.IGNORECASE,
)

_YOU = re.compile(r"\b(you|your|yours|yourself|yourselves)\b", re.IGNORECASE)
# A line this long is more often a speech to the room than a reply.
LONG_QUOTE_CHARS = 400
# Paragraphs back over which a character's share of the narration is their salience.
SALIENCE_PARAGRAPHS = 20
# Narration mentions in the conversation count up to this many; a conversation this large
# (people talking or named in it) counts as large.
MAX_NARRATED_COUNT = 5
LARGE_CONVERSATION = 8

FEATURES = (
    "bias",
    "vocative",
    "other_vocative",
    "previous_other",
    "next_other",
    "previous_is_candidate",
    "next_is_candidate",
    "previous_count",
    "next_count",
    "back_distance",
    "ahead_distance",
    "addressed_speaker",
    "narrated_here",
    "narrated_before",
    "narrated_earlier",
    "narrated_after",
    "only_narrated",
    "narrator",
    "two_others",
    "three_or_more_others",
    "group_words",
    "group_words_not_previous",
    "two_others_not_previous",
    "many_others_not_previous",
    "same_paragraph",
    "opens_conversation",
    "named_in_quote",
    "you_in_quote",
    "long_quote",
    "narrated_lately",
    "conversation_share",
    "spoke_earlier",
    "spoke_later",
    "narrated_in_conversation",
    "narrated_later",
    "conversation_large",
    "in_conversation_only",
)
FEATURE_INDEX = {name: index for index, name in enumerate(FEATURES)}


@dataclass(frozen=True, slots=True)
class Conversation:
    """What the addressee features look at, for one window's quotations."""

    speakers: tuple[CharacterId | None, ...]
    paragraphs: tuple[int, ...]  # each quotation's paragraph
    scenes: tuple[int, ...]  # each quotation's scene position
    vocatives: tuple[tuple[CharacterId, ...], ...]
    group_words: tuple[bool, ...]  # does the line speak to several people
    says_you: tuple[bool, ...]  # does the line say "you"
    lengths: tuple[int, ...]  # characters in each line
    named: tuple[tuple[CharacterId, ...], ...]  # characters each line names (vocatives too)
    narrated: dict[int, tuple[CharacterId, ...]]  # paragraph → characters its narration names
    narrator: CharacterId | None
    # Each quotation's conversation: the quotations of one scene with no gap of more than
    # CONVERSATION_PARAGRAPHS between them, as a range of quotation indices.
    conversations: tuple[range, ...]

    @classmethod
    def of(
        cls,
        text: str,
        paragraphs: tuple[Paragraph, ...],
        quote_spans: tuple[QuoteSpan, ...],
        scenes: tuple[Scene, ...],
        cast: Cast,
        mentions: tuple[Mention, ...],
        attributions: tuple[Attribution, ...],
    ) -> Conversation:
        quote_paragraphs = tuple(span.paragraph_index for span in quote_spans)
        quote_scenes = tuple(scene_positions(scenes, [span.char_start for span in quote_spans]))
        named, narrated = _mentioned_characters(paragraphs, quote_spans, mentions)
        return cls(
            speakers=tuple(found.speaker for found in attributions),
            paragraphs=quote_paragraphs,
            scenes=quote_scenes,
            vocatives=cast.vocatives,
            group_words=tuple(
                _GROUP_ADDRESS.search(text, span.char_start, span.char_end) is not None
                for span in quote_spans
            ),
            says_you=tuple(
                _YOU.search(text, span.char_start, span.char_end) is not None
                for span in quote_spans
            ),
            lengths=tuple(span.char_end - span.char_start for span in quote_spans),
            named=named,
            narrated=narrated,
            narrator=cast.narrator,
            conversations=_conversations(quote_paragraphs, quote_scenes),
        )


def addressee_candidates(conversation: Conversation, index: int) -> list[Candidate]:
    """Everyone who might be spoken to in quotation ``index``, with their features."""
    line = _Line.of(conversation, index)
    found: list[Candidate] = []
    for character in line.candidates():
        features = _turn_features(character, line) | _narration_features(character, line)
        found.append(Candidate(character, tuple(features[name] for name in FEATURES)))
    return found


@dataclass(frozen=True, slots=True)
class _Line:
    """One quotation in its conversation: who spoke around it and who the narration names."""

    conversation: Conversation
    index: int
    speaker: CharacterId | None
    nearby: list[int]  # quotations within WINDOW_QUOTES in the same conversation
    before: list[int]
    spoke_before: list[CharacterId | None]  # nearest first
    spoke_after: list[CharacterId | None]
    others_before: list[CharacterId]
    others_after: list[CharacterId]
    vocatives: tuple[CharacterId, ...]
    paragraph: int
    narrated_here: tuple[CharacterId, ...]
    narrated_before: tuple[CharacterId, ...]
    narrated_after: tuple[CharacterId, ...]
    narrated_earlier: tuple[CharacterId, ...]
    whole: range  # the whole conversation's quotations
    lines: Counter[CharacterId | None]  # lines each speaker says in it
    narrated_count: Counter[CharacterId]
    # In text order (a set's order would change from run to run, and with it ties).
    narrated_later: dict[CharacterId, None]
    talking: set[CharacterId]  # the others who speak near the line
    spoke_earlier: set[CharacterId | None]  # speakers of the conversation before the line
    spoke_later: set[CharacterId | None]
    present: set[CharacterId]  # everyone the conversation has talking or named, but the speaker

    @classmethod
    def of(cls, conversation: Conversation, index: int) -> _Line:
        speaker = conversation.speakers[index]
        nearby = _nearby_quotes(conversation, index)
        before = [j for j in nearby if j < index]
        spoke_before = [conversation.speakers[j] for j in reversed(before)]
        spoke_after = [conversation.speakers[j] for j in nearby if j > index]
        paragraph = conversation.paragraphs[index]
        narrated = conversation.narrated
        whole = conversation.conversations[index]
        first_paragraph = conversation.paragraphs[whole.start] - NARRATED_PARAGRAPHS
        last_paragraph = conversation.paragraphs[whole.stop - 1]
        others_before = [s for s in spoke_before if s is not None and s != speaker]
        others_after = [s for s in spoke_after if s is not None and s != speaker]
        lines = Counter(conversation.speakers[j] for j in whole)
        narrated_count = Counter(
            character
            for p in range(first_paragraph, paragraph + 1)
            for character in narrated.get(p, ())
        )
        narrated_later = dict.fromkeys(
            character
            for p in range(paragraph + 1, last_paragraph + 1)
            for character in narrated.get(p, ())
        )
        return cls(
            conversation=conversation,
            index=index,
            speaker=speaker,
            nearby=nearby,
            before=before,
            spoke_before=spoke_before,
            spoke_after=spoke_after,
            others_before=others_before,
            others_after=others_after,
            vocatives=tuple(v for v in conversation.vocatives[index] if v != speaker),
            paragraph=paragraph,
            narrated_here=narrated.get(paragraph, ()),
            narrated_before=narrated.get(paragraph - 1, ()),
            narrated_after=narrated.get(paragraph + 1, ()),
            narrated_earlier=tuple(
                character
                for back in range(2, NARRATED_PARAGRAPHS + 1)
                for character in narrated.get(paragraph - back, ())
            ),
            whole=whole,
            lines=lines,
            narrated_count=narrated_count,
            narrated_later=narrated_later,
            talking={*others_before, *others_after},
            spoke_earlier={conversation.speakers[j] for j in whole if j < index},
            spoke_later={conversation.speakers[j] for j in whole if j > index},
            present={*lines, *narrated_count, *narrated_later} - {speaker, None},
        )

    @property
    def previous_other(self) -> CharacterId | None:
        return self.others_before[0] if self.others_before else None

    def candidates(self) -> list[CharacterId]:
        """Everyone but the speaker, in the order ties are broken."""
        pool = (
            *self.vocatives,
            *self.others_before,
            *self.others_after,
            *self.narrated_here,
            *self.narrated_before,
            *self.narrated_earlier,
            *self.narrated_after,
            *(c for c in self.lines if c is not None),
            *self.narrated_count,
            *self.narrated_later,
        )
        return list(dict.fromkeys(c for c in pool if c != self.speaker))


def _turn_features(character: CharacterId, line: _Line) -> dict[str, float]:
    """Who spoke before and after the line, and who spoke to whom."""
    conversation = line.conversation
    is_previous = character == line.previous_other
    talking = line.talking
    spoke_before, spoke_after = line.spoke_before, line.spoke_after
    return {
        "bias": 1.0,
        "vocative": float(character in line.vocatives),
        "other_vocative": float(bool(line.vocatives) and character not in line.vocatives),
        "previous_other": float(is_previous),
        "next_other": float(character == (line.others_after[0] if line.others_after else None)),
        "previous_is_candidate": float(bool(spoke_before) and spoke_before[0] == character),
        "next_is_candidate": float(bool(spoke_after) and spoke_after[0] == character),
        "previous_count": spoke_before.count(character) / WINDOW_QUOTES,
        "next_count": spoke_after.count(character) / WINDOW_QUOTES,
        "back_distance": _closeness(spoke_before, character),
        "ahead_distance": _closeness(spoke_after, character),
        "addressed_speaker": float(_addressed(conversation, line.before, character, line.speaker)),
        "two_others": float(len(talking) == 2),
        "three_or_more_others": float(len(talking) >= 3),
        "group_words": float(conversation.group_words[line.index]),
        "group_words_not_previous": float(conversation.group_words[line.index] and not is_previous),
        "two_others_not_previous": float(len(talking) == 2 and not is_previous),
        "many_others_not_previous": float(len(talking) >= 3 and not is_previous),
        "same_paragraph": float(
            any(
                conversation.paragraphs[j] == line.paragraph
                for j in line.nearby
                if conversation.speakers[j] == character
            )
        ),
        "opens_conversation": float(line.previous_other is None),
        "conversation_share": line.lines[character] / len(line.whole),
        "spoke_earlier": float(character in line.spoke_earlier),
        "spoke_later": float(character in line.spoke_later),
    }


def _narration_features(character: CharacterId, line: _Line) -> dict[str, float]:
    """Who the narration around the line names, and what the line itself says."""
    conversation = line.conversation
    talking = line.talking
    return {
        "narrated_here": float(character in line.narrated_here),
        "narrated_before": float(character in line.narrated_before),
        "narrated_earlier": float(character in line.narrated_earlier),
        "narrated_after": float(character in line.narrated_after),
        "only_narrated": float(character not in talking and character not in line.vocatives),
        "narrator": float(character == conversation.narrator),
        "named_in_quote": float(
            character in conversation.named[line.index] and character not in line.vocatives
        ),
        "you_in_quote": float(conversation.says_you[line.index]),
        "long_quote": float(conversation.lengths[line.index] >= LONG_QUOTE_CHARS),
        "narrated_lately": sum(
            character in conversation.narrated.get(line.paragraph - back, ())
            for back in range(SALIENCE_PARAGRAPHS)
        )
        / SALIENCE_PARAGRAPHS,
        "narrated_in_conversation": min(line.narrated_count[character], MAX_NARRATED_COUNT)
        / MAX_NARRATED_COUNT,
        "narrated_later": float(character in line.narrated_later),
        "conversation_large": min(len(line.present), LARGE_CONVERSATION) / LARGE_CONVERSATION,
        "in_conversation_only": float(
            character not in talking
            and character not in line.vocatives
            and character not in line.narrated_here
            and character not in line.narrated_before
        ),
    }


def _conversations(paragraphs: tuple[int, ...], scenes: tuple[int, ...]) -> tuple[range, ...]:
    """Each quotation's conversation (see ``Conversation.conversations``)."""
    found: list[range] = []
    start = 0
    for index in range(1, len(paragraphs) + 1):
        if (
            index == len(paragraphs)
            or scenes[index] != scenes[index - 1]
            or paragraphs[index] - paragraphs[index - 1] > CONVERSATION_PARAGRAPHS
        ):
            found.extend([range(start, index)] * (index - start))
            start = index
    return tuple(found)


def _nearby_quotes(conversation: Conversation, index: int) -> list[int]:
    """Quotations within ``WINDOW_QUOTES`` of ``index`` in its scene and conversation."""
    scene, paragraph = conversation.scenes[index], conversation.paragraphs[index]
    count = len(conversation.speakers)
    return [
        j
        for j in range(max(0, index - WINDOW_QUOTES), min(count, index + WINDOW_QUOTES + 1))
        if j != index
        and conversation.scenes[j] == scene
        and abs(conversation.paragraphs[j] - paragraph) <= CONVERSATION_PARAGRAPHS
    ]


def _closeness(speakers: list[CharacterId | None], character: CharacterId) -> float:
    """1 for the nearest quotation, 1/2 for the one after, ...; 0 when absent."""
    return 1.0 / (speakers.index(character) + 1) if character in speakers else 0.0


def _addressed(
    conversation: Conversation, before: list[int], character: CharacterId, speaker: CharacterId
) -> bool:
    """Did ``character``'s last line before this one name ``speaker`` as a vocative?"""
    for j in reversed(before):
        if conversation.speakers[j] == character:
            return speaker in conversation.vocatives[j]
    return False


def _mentioned_characters(
    paragraphs: tuple[Paragraph, ...],
    quote_spans: tuple[QuoteSpan, ...],
    mentions: tuple[Mention, ...],
) -> tuple[tuple[tuple[CharacterId, ...], ...], dict[int, tuple[CharacterId, ...]]]:
    """The characters mentioned inside each quotation, and paragraph index → the characters
    its narration (not its quotations) mentions."""
    paragraph_starts = [p.char_start for p in paragraphs]
    quote_starts = [span.char_start for span in quote_spans]
    quoted: list[dict[CharacterId, None]] = [{} for _ in quote_spans]
    narrated: dict[int, dict[CharacterId, None]] = {}
    for mention in mentions:
        if mention.character is None:
            continue
        quote = bisect_right(quote_starts, mention.char_start) - 1
        if quote >= 0 and mention.char_start < quote_spans[quote].char_end:
            quoted[quote][mention.character] = None
        else:
            paragraph = bisect_right(paragraph_starts, mention.char_start) - 1
            narrated.setdefault(paragraph, {})[mention.character] = None
    return (
        tuple(tuple(characters) for characters in quoted),
        {paragraph: tuple(characters) for paragraph, characters in narrated.items()},
    )
