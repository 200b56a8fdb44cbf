"""Coreference stage: the people the entity tagger finds beyond the cast's names.

A description ("the old man", "her sister") or a name the cast stage did not keep is a mention
too. It is linked when the text settles it: a name that is a known name or alias of one
character, or a description that opens with a character's name ("Sir Walter Elliot, of
Kellynch Hall"). Otherwise it is a mention of someone fabula does not follow.
"""

from __future__ import annotations

from collections.abc import Iterable

from fabula.cast.aliases import normalise_name
from fabula.cast.names import Cast
from fabula.language.entities import EntityCategory, EntityKind, EntitySpan
from fabula.model import Mention, MentionKind
from fabula.stages import stage


@stage(
    requires={"text", "entities", "characters", "name_mentions"}, produces={"description_mentions"}
)
def describe_people(
    text: str, spans: Iterable[EntitySpan], cast: Cast, mentions: Iterable[Mention]
) -> tuple[Mention, ...]:
    """Mentions for the tagger's PER spans that are not already a name mention.

    >>> # "The old man nodded to Mara."  ->  "The old man" (nominal, no one), Mara as before
    """
    names = {
        normalise_name(name): character.id
        for character in cast.characters
        for name in (character.name, *character.aliases)
    }
    named_at = {(m.char_start, m.char_end): m for m in mentions if m.kind == MentionKind.NAME}
    opening = {m.char_start: m.character for m in named_at.values()}
    found: list[Mention] = []
    for span in spans:
        if span.category != EntityCategory.PER or (span.char_start, span.char_end) in named_at:
            continue
        words = text[span.char_start : span.char_end]
        character = names.get(normalise_name(words)) or opening.get(span.char_start)
        kind = MentionKind.NAME if span.kind == EntityKind.PROP else MentionKind.NOMINAL
        found.append(Mention(span.char_start, span.char_end, character, kind, words))
    return tuple(found)
