"""Referential gender of each character from the pronouns that follow its name."""

from __future__ import annotations

from collections import Counter, defaultdict

from fabula.language.lexicon import PERSONAL_PRONOUN_GENDER
from fabula.model import CharacterId, Parse

# How far after a name (in tokens) a pronoun still counts as referring back to it.
PRONOUN_WINDOW = 25
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
