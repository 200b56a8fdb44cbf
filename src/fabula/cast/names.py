"""Cast stage: find the characters and every mention of them by name.

Name occurrences come from ``cast.occurrences``; name forms are then clustered into characters
by ``cast.aliases``; a cast given by the user anchors the clusters; ``cast.narrator`` finds
the "I" of a first-person story.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from fabula.cast.aliases import cluster_forms
from fabula.cast.gender import infer_genders, pronoun_votes
from fabula.cast.narrator import find_narrator, narrating_person
from fabula.cast.occurrences import (
    NAME_CONNECTORS,
    Occurrence,
    capitalisation_stats,
    is_vocative,
    name_occurrences,
    person_evidence,
    speaking_words,
)
from fabula.language.lexicon import FIRST_PERSON
from fabula.model import (
    Character,
    CharacterId,
    KnownCharacter,
    Mention,
    MentionKind,
    Parse,
    QuoteSpan,
    Token,
)
from fabula.stages import stage

NARRATOR_NAME = "Narrator"


@dataclass(frozen=True, slots=True)
class Cast:
    """The characters and their name mentions; ``by_token`` maps a name token to its owner."""

    characters: tuple[Character, ...]
    mentions: tuple[Mention, ...]
    by_token: dict[int, CharacterId] = field(default_factory=dict)
    narrator: CharacterId | None = None
    vocatives: tuple[tuple[CharacterId, ...], ...] = ()  # per quotation, who it names
    # Narration pronouns that mean the narrator: "I", "me"... or, told in the second person,
    # "you", "your"...
    narrator_words: frozenset[str] = frozenset(FIRST_PERSON)


@stage(
    requires={"text", "parse", "quotes", "known_cast"},
    produces={"characters", "name_mentions", "vocatives", "narrator"},
)
def find_cast(
    text: str,
    parse: Parse,
    quote_spans: tuple[QuoteSpan, ...],
    *,
    known_cast: tuple[KnownCharacter, ...] = (),
) -> Cast:
    """Find the characters of a story and their name mentions.

    >>> # Mara said, "Jonah, wait."  ->  Mara (speech-verb subject), Jonah (vocative)
    """
    tokens = parse.tokens
    word_stats = capitalisation_stats(parse)
    # Words of the names a user or the work's tags give are names, even "June" or "Hope".
    known_words = frozenset(
        word
        for known in known_cast
        for name in (known.name, *known.aliases)
        for word in name.split()
        if word[:1].isupper() and word.lower() not in NAME_CONNECTORS | {"the", "a", "an"}
    )
    known_words |= speaking_words(parse)
    occurrences = list(name_occurrences(parse, word_stats, known_words))
    evidence = person_evidence(parse, occurrences)
    spans = [(occ.first_token, occ.last_token) for occ in occurrences]
    for occ, pronoun in zip(occurrences, pronoun_votes(parse, spans), strict=True):
        if pronoun:
            evidence[occ.form.key][pronoun] += 1

    clusters = cluster_forms(
        [occ.form for occ in occurrences],
        evidence=evidence,
        known=known_cast,
    )
    form_owner = clusters.owner_of
    by_token: dict[int, CharacterId] = {}
    mentions: list[Mention] = []
    for occ in occurrences:
        owner = form_owner.get(occ.form.key)
        if owner is None:
            continue
        for index in range(occ.first_token, occ.last_token + 1):
            by_token[index] = owner
        start, end = tokens[occ.first_token].char_start, tokens[occ.last_token].char_end
        mentions.append(Mention(start, end, owner, MentionKind.NAME, text[start:end]))

    genders = infer_genders(parse, by_token, clusters)
    characters = [
        Character(
            id=cluster.id,
            name=cluster.name,
            aliases=cluster.aliases,
            gender=cluster.likely_gender or genders.get(cluster.id),
        )
        for cluster in clusters.clusters
    ]
    known_narrator = [c.id for c in clusters.clusters if c.known and c.known.is_narrator]
    narrating_words = narrating_person(tokens)
    if known_narrator:
        narrator = known_narrator[0]
    elif narrating_words is not None:
        narrator = find_narrator(parse, characters, by_token, narrating_words)
    else:
        narrator = None
    narrator_words = narrating_words or frozenset(FIRST_PERSON)
    if narrator is not None and narrator not in {c.id for c in characters}:
        characters.append(Character(id=narrator, name=NARRATOR_NAME, is_narrator=True))
    elif narrator is not None:
        characters = [_replace_narrator(c) if c.id == narrator else c for c in characters]
    vocatives = _quote_vocatives(tokens, occurrences, form_owner, len(quote_spans))
    return Cast(tuple(characters), tuple(mentions), by_token, narrator, vocatives, narrator_words)


def _quote_vocatives(
    tokens: tuple[Token, ...],
    occurrences: list[Occurrence],
    form_owner: dict[str, CharacterId],
    quote_count: int,
) -> tuple[tuple[CharacterId, ...], ...]:
    """For each quotation, the characters it addresses by name, in order."""
    found: list[list[CharacterId]] = [[] for _ in range(quote_count)]
    for occ in occurrences:
        owner = form_owner.get(occ.form.key)
        quote = tokens[occ.first_token].in_quote
        if (
            owner is not None
            and quote is not None
            and owner not in found[quote]
            and is_vocative(tokens, occ.first_token, occ.last_token)
        ):
            found[quote].append(owner)
    return tuple(tuple(names) for names in found)


def _replace_narrator(character: Character) -> Character:
    return Character(
        id=character.id,
        name=character.name,
        aliases=character.aliases,
        gender=character.gender,
        is_narrator=True,
    )
