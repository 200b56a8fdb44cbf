"""Addressees: who each quotation is spoken to.

Every character who speaks near a line, is named in it as a vocative ("Yes, Papa") or is
named in the narration around it is a candidate. A small learned model scores each
candidate over features of the conversation (is it the previous or the next other speaker,
how many people are talking, does the line speak to a group: "both of you", "gentlemen"),
and the line goes to its best candidate plus every other one the model thinks likely, so a
speech to a room gets a group of addressees. Without a model, the rule is the old one: a
vocative, else the previous other speaker, else the next one.

Weights are trained by ``scripts/train_addressee_model.py`` on PDNC, leave-novels-out, and
shipped in ``fabula/data/addressee_model.json``.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from fabula.attribution.scorer import Candidate, TanhScorer
from fabula.cast.names import Cast
from fabula.model import Attribution, CharacterId, Mention, Paragraph, QuoteSpan, Scene
from fabula.segmentation.scenes import scene_positions
from fabula.stages import stage

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


@dataclass(frozen=True, slots=True, eq=False)
class AddresseeModel(TanhScorer):
    """P(addressee) = sigmoid of the score; every candidate at or above ``threshold`` joins
    the best one."""

    threshold: float

    @classmethod
    def from_json(cls, weights: dict) -> AddresseeModel:
        return cls(*cls.arrays_from_json(weights), threshold=float(weights["threshold"]))

    def to_json(self) -> dict:
        return TanhScorer.to_json(self) | {"threshold": round(self.threshold, 3)}

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        """One probability per row of a (candidates, features) matrix."""
        return 1.0 / (1.0 + np.exp(-self.scores(features)))

    def choose(self, candidates: Sequence[Candidate]) -> tuple[CharacterId, ...]:
        """The best candidate, then every other one likely enough, best first."""
        if not candidates:
            return ()
        chances = self.probabilities(np.array([c.features for c in candidates]))
        order = np.argsort(-chances, kind="stable")
        return tuple(
            candidates[i].character
            for rank, i in enumerate(order)
            if rank == 0 or chances[i] >= self.threshold
        )


AddresseeSink = Callable[[int, list[Candidate]], None]


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


@stage(
    requires={"text", "paragraphs", "quotes", "scenes", "characters", "vocatives", "narrator"}
    | {"name_mentions", "pronoun_mentions", "speakers"},
    produces={"addressees"},
)
def find_addressees(
    conversation: Conversation,
    attributions: tuple[Attribution, ...],
    model: AddresseeModel | None,
    *,
    on_candidates: AddresseeSink | None = None,
) -> tuple[Attribution, ...]:
    """Fill in ``addressees`` for every attributed quotation.

    >>> # A: "Ready?"  B: "Yes, Ann."  ->  A's line to B (next speaker), B's line to Ann (vocative)
    """
    result: list[Attribution] = []
    for index, found in enumerate(attributions):
        if found.speaker is None:
            result.append(found)
            continue
        candidates = addressee_candidates(conversation, index)
        if on_candidates is not None:
            on_candidates(index, candidates)
        chosen = model.choose(candidates) if model else rule_addressees(candidates)
        result.append(replace(found, addressees=chosen))
    return tuple(result)


def rule_addressees(candidates: list[Candidate]) -> tuple[CharacterId, ...]:
    """Vocatives, else the previous other speaker, else the next one."""
    for feature in ("vocative", "previous_other", "next_other"):
        column = FEATURE_INDEX[feature]
        chosen = tuple(c.character for c in candidates if c.features[column])
        if chosen:
            return chosen
    return ()


def addressee_candidates(conversation: Conversation, index: int) -> list[Candidate]:
    """Everyone who might be spoken to in quotation ``index``, with their features."""
    speaker = conversation.speakers[index]
    nearby = _nearby_quotes(conversation, index)
    before = [j for j in nearby if j < index]
    after = [j for j in nearby if j > index]
    spoke_before = [conversation.speakers[j] for j in reversed(before)]  # nearest first
    spoke_after = [conversation.speakers[j] for j in after]
    others_before = [s for s in spoke_before if s is not None and s != speaker]
    others_after = [s for s in spoke_after if s is not None and s != speaker]
    previous_other = others_before[0] if others_before else None
    next_other = others_after[0] if others_after else None
    vocatives = tuple(v for v in conversation.vocatives[index] if v != speaker)
    paragraph = conversation.paragraphs[index]
    narrated_here = conversation.narrated.get(paragraph, ())
    narrated_before = conversation.narrated.get(paragraph - 1, ())
    narrated_after = conversation.narrated.get(paragraph + 1, ())
    narrated_earlier = tuple(
        character
        for back in range(2, NARRATED_PARAGRAPHS + 1)
        for character in conversation.narrated.get(paragraph - back, ())
    )
    talking = {*others_before, *others_after}
    group = conversation.group_words[index]
    whole = conversation.conversations[index]
    lines = Counter(conversation.speakers[j] for j in whole)
    spoke_earlier = {conversation.speakers[j] for j in whole if j < index}
    spoke_later = {conversation.speakers[j] for j in whole if j > index}
    first_paragraph = conversation.paragraphs[whole.start] - NARRATED_PARAGRAPHS
    last_paragraph = conversation.paragraphs[whole.stop - 1]
    narrated_count: Counter[CharacterId] = Counter(
        character
        for p in range(first_paragraph, paragraph + 1)
        for character in conversation.narrated.get(p, ())
    )
    narrated_later = {
        character
        for p in range(paragraph + 1, last_paragraph + 1)
        for character in conversation.narrated.get(p, ())
    }
    present = {*lines, *narrated_count, *narrated_later} - {speaker, None}

    candidates: dict[CharacterId, None] = dict.fromkeys(
        c
        for c in (
            *vocatives,
            *others_before,
            *others_after,
            *narrated_here,
            *narrated_before,
            *narrated_earlier,
            *narrated_after,
            *(c for c in lines if c is not None),
            *narrated_count,
            *narrated_later,
        )
        if c != speaker
    )
    found: list[Candidate] = []
    for character in candidates:
        is_previous = character == previous_other
        features = {
            "bias": 1.0,
            "vocative": float(character in vocatives),
            "other_vocative": float(bool(vocatives) and character not in vocatives),
            "previous_other": float(is_previous),
            "next_other": float(character == next_other),
            "previous_is_candidate": float(bool(spoke_before) and spoke_before[0] == character),
            "next_is_candidate": float(bool(spoke_after) and spoke_after[0] == character),
            "previous_count": spoke_before.count(character) / WINDOW_QUOTES,
            "next_count": spoke_after.count(character) / WINDOW_QUOTES,
            "back_distance": _closeness(spoke_before, character),
            "ahead_distance": _closeness(spoke_after, character),
            "addressed_speaker": float(_addressed(conversation, before, character, speaker)),
            "narrated_here": float(character in narrated_here),
            "narrated_before": float(character in narrated_before),
            "narrated_earlier": float(character in narrated_earlier),
            "narrated_after": float(character in narrated_after),
            "only_narrated": float(character not in talking and character not in vocatives),
            "narrator": float(character == conversation.narrator),
            "two_others": float(len(talking) == 2),
            "three_or_more_others": float(len(talking) >= 3),
            "group_words": float(group),
            "group_words_not_previous": float(group and not is_previous),
            "two_others_not_previous": float(len(talking) == 2 and not is_previous),
            "many_others_not_previous": float(len(talking) >= 3 and not is_previous),
            "same_paragraph": float(
                any(
                    conversation.paragraphs[j] == paragraph
                    for j in nearby
                    if conversation.speakers[j] == character
                )
            ),
            "opens_conversation": float(previous_other is None),
            "named_in_quote": float(
                character in conversation.named[index] and character not in vocatives
            ),
            "you_in_quote": float(conversation.says_you[index]),
            "long_quote": float(conversation.lengths[index] >= LONG_QUOTE_CHARS),
            "narrated_lately": sum(
                character in conversation.narrated.get(paragraph - back, ())
                for back in range(SALIENCE_PARAGRAPHS)
            )
            / SALIENCE_PARAGRAPHS,
            "conversation_share": lines[character] / len(whole),
            "spoke_earlier": float(character in spoke_earlier),
            "spoke_later": float(character in spoke_later),
            "narrated_in_conversation": min(narrated_count[character], 5) / 5,
            "narrated_later": float(character in narrated_later),
            "conversation_large": min(len(present), 8) / 8,
            "in_conversation_only": float(
                character not in talking
                and character not in vocatives
                and character not in narrated_here
                and character not in narrated_before
            ),
        }
        found.append(Candidate(character, tuple(features[name] for name in FEATURES)))
    return found


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
