"""Coreference stage: third-person pronouns in narration, resolved by gender and recency.

A rule-based salience model: each gender keeps its most recent referent, refreshed by every
name mention and every resolved pronoun; subjects refresh more strongly than objects, so
"Mara handed Jonah the lamp. She ..." resolves to Mara. First-person pronouns in narration go
(or second-person ones, in a story told as "you") go to the narrator, when the cast has one.
"""

from __future__ import annotations

from fabula.cast.names import Cast
from fabula.language.lexicon import PERSONAL_PRONOUN_GENDER
from fabula.model import CharacterId, Mention, MentionKind, Parse, QuoteSpan

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
