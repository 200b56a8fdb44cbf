"""Coreference stage: pronouns in narration by gender and recency; in quotations, "I" is the
speaker and "you" the one addressee.

A rule-based salience model: each gender keeps its most recent referent, refreshed by every
name mention and every resolved pronoun; subjects refresh more strongly than objects, so
"Mara handed Jonah the lamp. She ..." resolves to Mara. First-person pronouns in narration go
(or second-person ones, in a story told as "you") go to the narrator, when the cast has one.
"""

from __future__ import annotations

from bisect import bisect_left

from fabula.cast.names import Cast
from fabula.language.lexicon import (
    FIRST_PERSON,
    PERSONAL_PRONOUN_GENDER,
    PLURAL_PRONOUNS,
    SECOND_PERSON,
    SUBJECT_DEPS,
)
from fabula.model import Attribution, CharacterId, Mention, MentionKind, Parse
from fabula.stages import stage

# A referent not mentioned for this many paragraphs is forgotten.
MEMORY_PARAGRAPHS = 6
# ... unless they were mentioned within this many sentences: a text laid out one sentence per
# paragraph (LitBank) or long paragraphs of dialogue must not forget everyone at once.
MEMORY_SENTENCES = 60


@stage(
    requires={"parse", "characters", "name_mentions", "narrator"},
    produces={"pronoun_mentions"},
)
def resolve_pronouns(parse: Parse, cast: Cast) -> tuple[Mention, ...]:
    """Link he/she/him/her/his/hers/himself/herself in narration to a character.

    >>> # "Mara laughed. She sat down."  ->  She → Mara
    """
    genders = {c.id: c.gender for c in cast.characters}
    tokens = parse.tokens
    # gender -> (character, paragraph where last seen, was it a subject, sentence)
    salient: dict[str, tuple[CharacterId, int, bool, int]] = {}
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
                    salient[key] = (owner, paragraph, is_subject, token.sentence)
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
        if referent is not None and (
            paragraph - referent[1] <= MEMORY_PARAGRAPHS
            or token.sentence - referent[3] <= MEMORY_SENTENCES
        ):
            character = referent[0]
            is_subject = token.dep in SUBJECT_DEPS or referent[2]
            salient[gender] = (character, paragraph, is_subject, token.sentence)
        mentions.append(
            Mention(token.char_start, token.char_end, character, MentionKind.PRONOUN, word)
        )
    return tuple(mentions)


@stage(
    requires={"parse", "speakers", "addressees", "characters", "name_mentions", "pronoun_mentions"},
    produces={"quoted_pronoun_mentions"},
)
def resolve_quoted_pronouns(
    parse: Parse,
    attributions: tuple[Attribution, ...],
    cast: Cast,
    mentions: tuple[Mention, ...],
) -> tuple[Mention, ...]:
    """Pronouns inside quotations: "I", "me", "my" are the quotation's speaker; "you" its
    addressee when it has exactly one. "He" or "she" in speech is the last character of that
    gender referred to before, within the resolver's memory, passing over the speaker and the
    addressees (people in a conversation say "I" and "you", not "she"); plural pronouns are
    linked to no one.

    >>> # '"I told you," Mara said to Jonah.'  ->  I → Mara, you → Jonah
    """
    genders = {c.id: c.gender for c in cast.characters}
    earlier = sorted((m.char_start, m.character) for m in mentions if m.character is not None)
    starts = [start for start, _ in earlier]
    found: list[Mention] = []
    for token in parse.tokens:
        if token.in_quote is None:
            continue
        word = token.text.lower()
        attribution = attributions[token.in_quote]
        character = None
        if word in FIRST_PERSON:
            character = attribution.speaker
        elif word in SECOND_PERSON:
            if len(attribution.addressees) == 1:
                character = attribution.addressees[0]
        elif word in PERSONAL_PRONOUN_GENDER:
            talking = {attribution.speaker, *attribution.addressees}
            character = _last_of_gender(
                earlier, starts, token, PERSONAL_PRONOUN_GENDER[word], genders, talking, parse
            )
        elif word not in PLURAL_PRONOUNS:
            continue
        kind = MentionKind.PRONOUN
        found.append(Mention(token.char_start, token.char_end, character, kind, token.text))
    return tuple(found)


def _last_of_gender(
    earlier: list[tuple[int, CharacterId]],
    starts: list[int],
    token,
    gender: str,
    genders: dict[CharacterId, str | None],
    talking: set[CharacterId | None],
    parse: Parse,
) -> CharacterId | None:
    """The last character of ``gender`` referred to before ``token`` who is not one of the
    people talking, no longer ago than the memory allows."""
    paragraph = parse.sentences[token.sentence].paragraph_index
    oldest = min(
        parse.paragraph_token_starts[max(paragraph - MEMORY_PARAGRAPHS, 0)],
        parse.sentences[max(token.sentence - MEMORY_SENTENCES, 0)].token_start,
    )
    limit = parse.tokens[oldest].char_start
    for position in range(bisect_left(starts, token.char_start) - 1, -1, -1):
        start, character = earlier[position]
        if start < limit:
            return None
        if genders.get(character) == gender and character not in talking:
            return character
    return None
