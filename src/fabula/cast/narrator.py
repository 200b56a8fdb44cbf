"""The narrator of a first- or second-person story, and whom the others call them."""

from __future__ import annotations

from collections import Counter

from fabula.cast.occurrences import is_vocative
from fabula.language.lexicon import FIRST_PERSON, SECOND_PERSON, SUBJECT_DEPS, speech_verbs
from fabula.model import Character, CharacterId, Parse, Token

# How much first- or second-person narration makes a narrator: a count and a share of the
# narration's words. Second person needs more: narrators of all kinds address the reader.
MIN_FIRST_PERSON = 10
FIRST_PERSON_SHARE = 0.01
MIN_SECOND_PERSON = 5
SECOND_PERSON_SHARE = 0.03
# How many paragraphs around first-person narration count as the narrator's passage.
NARRATOR_REACH = 2


def narrating_person(tokens: tuple[Token, ...]) -> frozenset[str] | None:
    """The pronouns that mean the narrator: first person ("I said"), second ("you say"),
    or None for a third-person narration."""
    narration_words = 0
    first_person = 0
    second_person = 0
    for token in tokens:
        if token.in_quote is None and token.text[:1].isalpha():
            narration_words += 1
            word = token.text.lower()
            first_person += word in FIRST_PERSON
            second_person += word in SECOND_PERSON
    if first_person >= max(MIN_FIRST_PERSON, FIRST_PERSON_SHARE * narration_words):
        return frozenset(FIRST_PERSON)
    if second_person >= max(MIN_SECOND_PERSON, SECOND_PERSON_SHARE * narration_words):
        return frozenset(SECOND_PERSON)
    return None


def find_narrator(
    parse: Parse,
    characters: list[Character],
    by_token: dict[int, CharacterId],
    words: frozenset[str],
) -> CharacterId:
    """The narrator of a first- or second-person narration (``words`` are the pronouns that
    mean it), named after whom the others address in it.

    Votes come from vocatives in the quotations of first-person passages, except the lines
    the narrator speaks ("I said"); a character who is the subject of a sentence in those
    passages ("Anse had gone down") is someone else. Without a clear winner the narrator is
    a new "Narrator".
    """
    tokens = parse.tokens
    verbs = speech_verbs()
    paragraph_of = [parse.sentences[token.sentence].paragraph_index for token in tokens]
    narrating = {
        paragraph_of[token.index]
        for token in tokens
        if token.in_quote is None and token.text.lower() in words
    }
    speaking = {
        paragraph_of[token.index]
        for token in tokens
        if token.text.lower() in words
        and token.in_quote is None
        and token.dep == "nsubj"
        and tokens[token.head].text.lower() in verbs
    }
    passages = {
        paragraph + offset
        for paragraph in narrating
        for offset in range(-NARRATOR_REACH, NARRATOR_REACH + 1)
    }
    acting_in_passages = {
        owner
        for index, owner in by_token.items()
        if tokens[index].in_quote is None
        and tokens[index].dep in SUBJECT_DEPS
        and paragraph_of[index] in narrating
    }
    vocative_votes: Counter[CharacterId] = Counter()
    for paragraph in sorted(passages - speaking):
        _count_nearby_vocatives(parse, by_token, paragraph, vocative_votes)
    ranked = [
        (owner, votes)
        for owner, votes in vocative_votes.most_common()
        if owner not in acting_in_passages
    ]
    if ranked:
        best, votes = ranked[0]
        runner_up = ranked[1][1] if len(ranked) > 1 else 0
        if votes >= 2 * runner_up:
            return best
    return CharacterId(f"c{len(characters)}")


def _count_nearby_vocatives(
    parse: Parse, by_token: dict[int, CharacterId], paragraph: int, votes: Counter
) -> None:
    starts = parse.paragraph_token_starts
    tokens = parse.tokens
    if not 0 <= paragraph < len(starts):
        return
    end = starts[paragraph + 1] if paragraph + 1 < len(starts) else len(tokens)
    seen: set[CharacterId] = set()
    index = starts[paragraph]
    while index < end:
        owner = by_token.get(index)
        if owner is None:
            index += 1
            continue
        last = index
        while last + 1 < end and by_token.get(last + 1) == owner:
            last += 1
        if (
            owner not in seen
            and tokens[index].in_quote is not None
            and is_vocative(tokens, index, last)
        ):
            seen.add(owner)
            votes[owner] += 1
        index = last + 1
