"""Coreference stage: pronouns in narration by gender and recency; in quotations, "I" is the
speaker and "you" the one addressee.

A rule-based salience model: each gender keeps its most recent referent, refreshed by every
name mention and every resolved pronoun; subjects refresh more strongly than objects, so
"Mara handed Jonah the lamp. She ..." resolves to Mara. First-person pronouns in narration go
(or second-person ones, in a story told as "you") go to the narrator, when the cast has one.
"""

from __future__ import annotations

from fabula.cast.names import Cast
from fabula.language.lexicon import (
    FIRST_PERSON,
    PERSONAL_PRONOUN_GENDER,
    PLURAL_PRONOUNS,
    SECOND_PERSON,
)
from fabula.model import Attribution, CharacterId, Mention, MentionKind, Parse, QuoteSpan

REQUIRES = {"parse", "characters", "name_mentions"}
PRODUCES = {"pronoun_mentions"}

SUBJECT_DEPS = {"nsubj", "nsubjpass"}
# A referent not mentioned for this many paragraphs is forgotten.
MEMORY_PARAGRAPHS = 6


def resolve_pronouns(
    text: str,
    parse: Parse,
    quote_spans: tuple[QuoteSpan, ...],
    cast: Cast,
) -> tuple[Mention, ...]:
    """Link he/she/him/her/his/hers/himself/herself in narration to a character.

    >>> # "Mara laughed. She sat down."  ->  She → Mara
    """
    genders = {c.id: c.gender for c in cast.characters}
    tokens = parse.tokens
    # gender -> (character, paragraph where last seen, was it a subject)
    salient: dict[str, tuple[CharacterId, int, bool]] = {}
    mentions: list[Mention] = []
    for token in tokens:
        if token.in_quote is not None:
            continue
        paragraph = parse.sentences[token.sentence].paragraph_index
        owner = cast.by_token.get(token.index)
        if owner is not None:
            gender = genders.get(owner)
            is_subject = token.dep in SUBJECT_DEPS
            for key in (gender,) if gender else ("he", "she"):
                current = salient.get(key)
                # An unknown-gender name only takes a slot nobody else fills strongly.
                if gender or current is None or not current[2]:
                    salient[key] = (owner, paragraph, is_subject)
            continue
        word = token.text
        if cast.narrator is not None and word.lower() in cast.narrator_words:
            mentions.append(
                Mention(token.char_start, token.char_end, cast.narrator, MentionKind.PRONOUN, word)
            )
            continue
        gender = PERSONAL_PRONOUN_GENDER.get(word.lower())
        if gender is None:
            if word.lower() in PLURAL_PRONOUNS:
                mentions.append(
                    Mention(token.char_start, token.char_end, None, MentionKind.PRONOUN, word)
                )
            continue
        referent = salient.get(gender)
        character = None
        if referent is not None and paragraph - referent[1] <= MEMORY_PARAGRAPHS:
            character = referent[0]
            salient[gender] = (character, paragraph, token.dep in SUBJECT_DEPS or referent[2])
        mentions.append(
            Mention(token.char_start, token.char_end, character, MentionKind.PRONOUN, word)
        )
    return tuple(mentions)


def resolve_quoted_pronouns(
    parse: Parse, attributions: tuple[Attribution, ...]
) -> tuple[Mention, ...]:
    """Pronouns inside quotations: "I", "me", "my" are the quotation's speaker; "you" its
    addressee when it has exactly one. Third-person and plural ones are mentions of no one
    yet: who "she" is in someone's speech is not what narration salience says.

    >>> # '"I told you," Mara said to Jonah.'  ->  I → Mara, you → Jonah
    """
    mentions: list[Mention] = []
    for token in parse.tokens:
        if token.in_quote is None:
            continue
        word = token.text.lower()
        found = attributions[token.in_quote]
        if word in FIRST_PERSON:
            character = found.speaker
        elif word in SECOND_PERSON:
            character = found.addressees[0] if len(found.addressees) == 1 else None
        elif word in PERSONAL_PRONOUN_GENDER or word in PLURAL_PRONOUNS:
            character = None
        else:
            continue
        kind = MentionKind.PRONOUN
        mentions.append(Mention(token.char_start, token.char_end, character, kind, token.text))
    return tuple(mentions)
