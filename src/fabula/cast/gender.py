"""Referential gender of each character from the pronouns that follow its name."""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter, defaultdict

from fabula.language.lexicon import PERSONAL_PRONOUN_GENDER, SUBJECT_DEPS
from fabula.model import CharacterId, Parse, Token

# How far after a name (in tokens) a pronoun still counts as referring back to it.
PRONOUN_WINDOW = 25
# A name votes only as a subject: after an object the next pronoun is often someone else.
# Pronouns that rarely point away from the last-named person; "her" and "him" are more often
# someone else ("Ralph kissed her").
SELF_PRONOUNS = {"he", "she", "his", "himself", "herself", "hers"}
# Share of pronoun votes one gender needs to be assigned.
MIN_SHARE = 0.7


def infer_genders(parse: Parse, by_token: dict[int, CharacterId], clusters) -> dict:
    """Vote with the first he/she pronoun in narration after each name mention.

    "Mara laughed. She ..." → Mara: she. A second name before the pronoun cancels the vote.
    """
    tokens = parse.tokens
    votes: dict[CharacterId, Counter] = defaultdict(Counter)
    previous_owner = None
    for index, owner in sorted(by_token.items()):
        if tokens[index].in_quote is not None or owner == previous_owner:
            previous_owner = owner
            continue
        previous_owner = owner
        paragraph = parse.sentences[tokens[index].sentence].paragraph_index
        for position in range(index + 1, min(index + PRONOUN_WINDOW, len(tokens))):
            token = tokens[position]
            if parse.sentences[token.sentence].paragraph_index != paragraph:
                break
            other = by_token.get(position)
            if other is not None and other != owner:
                break
            if token.in_quote is None:
                gender = PERSONAL_PRONOUN_GENDER.get(token.text.lower())
                if gender:
                    votes[owner][gender] += 1
                    break
    genders: dict[CharacterId, str] = {}
    for owner, counter in votes.items():
        gender, top = counter.most_common(1)[0]
        if top >= 1 and top >= MIN_SHARE * sum(counter.values()):
            genders[owner] = gender
    return genders


def pronoun_votes(parse: Parse, spans: list[tuple[int, int]]) -> list[str | None]:
    """For each name span (first, last token), the he/she that first follows it in narration.

    Used before clustering, so "Thomas Palmer ... he" keeps "Mrs. Palmer" out of his cluster.
    Only names that are subjects vote: after an object ("told Ralph") the next "she" is more
    often the teller. The scan stops at the next name or paragraph and skips quotations.
    """
    tokens = parse.tokens
    starts = sorted(first for first, _ in spans)
    return [
        _next_pronoun(parse, tokens, last, starts)
        if tokens[first].in_quote is None and tokens[last].dep in SUBJECT_DEPS
        else None
        for first, last in spans
    ]


def _next_pronoun(
    parse: Parse, tokens: tuple[Token, ...], last: int, name_starts: list[int]
) -> str | None:
    paragraph = parse.sentences[tokens[last].sentence].paragraph_index
    following = bisect_right(name_starts, last)
    stop = name_starts[following] if following < len(name_starts) else len(tokens)
    for position in range(last + 1, min(last + PRONOUN_WINDOW, stop, len(tokens))):
        token = tokens[position]
        if parse.sentences[token.sentence].paragraph_index != paragraph:
            return None
        word = token.text.lower()
        if token.in_quote is None and word in SELF_PRONOUNS:
            return PERSONAL_PRONOUN_GENDER[word]
    return None
