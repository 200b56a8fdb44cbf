"""Warnings about results with little evidence behind them, and the confidence that follows.

A given cast is trusted: its names anchor the cast stage, so a cast meant for another story, a
narrator who never says "I" or a nickname two characters share would give confident answers
with nothing in the text behind them. These checks say so in ``Story.diagnostics`` (each note
starts with ``WARNING``; the command also prints them on stderr) and lower the confidence of
lines given to a cast member the text never names.
"""

from __future__ import annotations

import functools
import re
from dataclasses import replace

from fabula.language.lexicon import FIRST_PERSON, SECOND_PERSON, honorifics
from fabula.model import Character, CharacterId, KnownCharacter, Story
from fabula.stages import stage

# Diagnostics that say a result may be wrong, not only that the input was flawed.
WARNING = "warning: "
# A line given to a character the text never names is at most this sure: below the default
# ``Settings.low_confidence``, so reports mark it as uncertain.
UNNAMED_SPEAKER_CONFIDENCE = 0.25
# Capitalised words of a name that name no one on their own ("The Ferryman", "Lady Ann").
_NOT_NAME_WORDS = frozenset({"The", "A", "An", "Of", "De", "Van", "Von", "Du", "La", "Le"})
_WORD = re.compile(r"\w+")
_NARRATING_WORDS = FIRST_PERSON | SECOND_PERSON


@stage(
    requires={"text", "known_cast", "characters", "speakers", "confidence", "quotes"},
    produces={"evidence_warnings"},
)
def check_evidence(story: Story, known_cast: tuple[KnownCharacter, ...]) -> Story:
    """The story with warnings added to its diagnostics and the confidence of unsupported
    lines lowered.

    Warned: a cast member whose names never occur in the text (for a narrator: nor any "I"
    or narrating "you" outside quotations), an alias that is another cast member's name or
    alias, more than one narrator, and a text in which no dialogue was recognised.

    The confidence rule: a line given to a cast member the text never names (no name or
    alias of theirs occurs, judged by a telling word such as "Oduya" for "Miss Oduya"; a
    narrator also counts as named by "I" or "you" in the narration) keeps its speaker, but its
    confidence is at most ``UNNAMED_SPEAKER_CONFIDENCE``: nothing in the text supports it.
    Characters fabula finds itself are named by construction. E.g. ``--cast`` Zed (a
    narrator) on a third-person story that never says "Zed": each line given to Zed,
    1.0 → 0.25.
    """
    text_words = frozenset(word.casefold() for word in _WORD.findall(story.text))
    narrating_person = _narration_has_a_person(story)
    known_names = {known.name for known in known_cast}
    unnamed = {
        character.id
        for character in story.characters
        if character.name in known_names
        and not _named(character.name, character.aliases, text_words, story.text)
        and not (character.is_narrator and narrating_person)
    }
    warnings = [
        *_unnamed_cast_warnings(known_cast, unnamed, story.characters),
        *_shared_name_warnings(known_cast),
        *_narrator_warnings(known_cast),
    ]
    if story.paragraphs and not story.quotes:
        warnings.append(
            "no dialogue recognised: no quotation in double or single quotes, nor after"
            " a dialogue dash, so no line has a speaker"
        )
    quotes = tuple(
        replace(quote, confidence=min(quote.confidence, UNNAMED_SPEAKER_CONFIDENCE))
        if quote.speaker in unnamed
        else quote
        for quote in story.quotes
    )
    diagnostics = story.diagnostics + tuple(WARNING + warning for warning in warnings)
    return replace(story, quotes=quotes, diagnostics=diagnostics)


def warnings_in(story: Story) -> tuple[str, ...]:
    """The story's diagnostics that are warnings (``check_evidence``'s), in order."""
    return tuple(note for note in story.diagnostics if note.startswith(WARNING))


def _named(name: str, aliases: tuple[str, ...], text_words: frozenset[str], text: str) -> bool:
    """Whether the text names a character: a telling word of a name or alias occurs as a
    word, in any case ("Oduya" for "Miss Oduya", "ferryman" for "The Ferryman"); for a name
    with no telling word ("the boy"), the whole name does."""
    for form in (name, *aliases):
        telling = [word.casefold() for word in _WORD.findall(form) if _is_telling(word)]
        if telling and any(word in text_words for word in telling):
            return True
        if not telling and re.search(rf"(?<!\w){re.escape(form)}(?!\w)", text, re.IGNORECASE):
            return True
    return False


def _is_telling(word: str) -> bool:
    """A word that names someone: capitalised, not a title ("Miss") or an article."""
    return len(word) > 1 and word[0].isupper() and word not in _not_name_words()


@functools.cache
def _not_name_words() -> frozenset[str]:
    return _NOT_NAME_WORDS | {title.rstrip(".") for title in honorifics()}


def _narration_has_a_person(story: Story) -> bool:
    """Whether the narration, outside quotations, says "I", "me", "my"... or "you", "your"...:
    a narrator's voice (the cast stage also takes a second-person narrator)."""
    start = 0
    for end, next_start in [(q.char_start, q.char_end) for q in story.quotes] + [
        (len(story.text), len(story.text))
    ]:
        words = _WORD.findall(story.text, start, end)
        if any(word.lower() in _NARRATING_WORDS for word in words):
            return True
        start = next_start
    return False


def _unnamed_cast_warnings(
    known_cast: tuple[KnownCharacter, ...],
    unnamed: set[CharacterId],
    characters: tuple[Character, ...],
) -> list[str]:
    unnamed_names = {c.name for c in characters if c.id in unnamed}
    warnings = []
    for known in known_cast:
        if known.name not in unnamed_names:
            continue
        what = "the narrator " if known.is_narrator else ""
        evidence = ' and the narration never says "I" or "you"' if known.is_narrator else ""
        warnings.append(
            f"the cast names {what}{known.name!r}, but the text never does{evidence}; lines"
            f" given to {known.name} have confidence at most {UNNAMED_SPEAKER_CONFIDENCE}"
        )
    return warnings


def _shared_name_warnings(known_cast: tuple[KnownCharacter, ...]) -> list[str]:
    """An alias that another cast member is also called: fabula cannot tell them apart."""
    owners: dict[str, list[str]] = {}
    for known in known_cast:
        for form in dict.fromkeys(_key(n) for n in (known.name, *known.aliases)):
            owners.setdefault(form, []).append(known.name)
    display = {_key(n): n for known in known_cast for n in (*known.aliases, known.name)}
    return [
        f"{display[form]!r} is a name or alias of {' and '.join(names)}: fabula cannot tell"
        " which one the text means by it"
        for form, names in owners.items()
        if len(names) > 1
    ]


def _narrator_warnings(known_cast: tuple[KnownCharacter, ...]) -> list[str]:
    narrators = [known.name for known in known_cast if known.is_narrator]
    if len(narrators) < 2:
        return []
    return [
        f"the cast gives {len(narrators)} narrators ({', '.join(narrators)}); first-person"
        ' narration has one "I", so only one of them is given its lines'
    ]


def _key(name: str) -> str:
    """ "Mr. Darcy", "mr darcy" and "Mr Darcy" are one name."""
    return " ".join(name.replace(".", " ").casefold().split())
