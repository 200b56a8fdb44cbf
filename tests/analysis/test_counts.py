"""Counts: mentions per character and lines spoken, an interrupted quotation counting once."""

from __future__ import annotations

from dataclasses import replace

import pytest

import fabula
from fabula.analysis.counts import count_characters
from fabula.model import (
    Character,
    CharacterId,
    Mention,
    MentionKind,
    Quote,
    QuoteId,
    QuoteType,
    Story,
)

ADA, BO = CharacterId("ada"), CharacterId("bo")


def quote(index: int, speaker: CharacterId | None, continues: int | None = None) -> Quote:
    return Quote(
        id=QuoteId(f"q{index}"),
        char_start=10 * index,
        char_end=10 * index + 5,
        speaker=speaker,
        addressees=(),
        type=QuoteType.EXPLICIT,
        confidence=0.9,
        scene=None,
        continues=QuoteId(f"q{continues}") if continues is not None else None,
    )


def mention(start: int, character: CharacterId | None, kind=MentionKind.NAME) -> Mention:
    return Mention(start, start + 3, character, kind, "Ada")


def counts(characters, mentions, quotes) -> dict[str, tuple[int, int]]:
    return {
        c.id: (c.mention_count, c.quote_count)
        for c in count_characters(characters, mentions, quotes)
    }


def test_interrupted_quotation_counts_as_one_line() -> None:
    characters = (Character(ADA, "Ada"), Character(BO, "Bo"))
    quotes = (quote(0, ADA), quote(1, ADA, continues=0), quote(2, BO), quote(3, ADA))
    assert counts(characters, (), quotes) == {ADA: (0, 2), BO: (0, 1)}


def test_mentions_of_every_kind_count_and_unresolved_ones_do_not() -> None:
    characters = (Character(ADA, "Ada"), Character(BO, "Bo"))
    mentions = (
        mention(0, ADA),
        mention(10, ADA, MentionKind.PRONOUN),
        mention(20, ADA, MentionKind.NOMINAL),
        mention(30, BO),
        mention(40, None, MentionKind.PRONOUN),
    )
    assert counts(characters, mentions, ()) == {ADA: (3, 0), BO: (1, 0)}


def test_unattributed_quotations_count_for_nobody() -> None:
    characters = (Character(ADA, "Ada"),)
    assert counts(characters, (), (quote(0, None), quote(1, None, continues=0))) == {ADA: (0, 0)}


def test_a_silent_unmentioned_character_is_kept_with_zero_counts() -> None:
    characters = (Character(ADA, "Ada", aliases=("Addie",), gender="she"), Character(BO, "Bo"))
    result = count_characters(characters, (mention(0, BO),), (quote(0, BO),))
    assert result[0] == Character(ADA, "Ada", aliases=("Addie",), gender="she")
    assert [c.id for c in result] == [ADA, BO]


def test_counts_replace_stale_ones() -> None:
    stale = (Character(ADA, "Ada", mention_count=9, quote_count=9),)
    assert counts(stale, (mention(0, ADA),), ()) == {ADA: (1, 0)}


def test_counts_of_the_sample_story(sample_story: Story) -> None:
    """The shared hand-built story: Odile's interrupted line is one line, her four mentions."""
    zeroed = tuple(replace(c, mention_count=0, quote_count=0) for c in sample_story.characters)
    result = count_characters(zeroed, sample_story.mentions, sample_story.quotes)
    assert result == sample_story.characters


@pytest.mark.model
def test_counts_end_to_end() -> None:
    story = fabula.analyze(
        '"Wait," Juno said, "I left the lamp on."\n\n"Then go back," said Pell. "Juno, hurry."'
    )
    by_name = {c.name: c for c in story.characters}
    assert (by_name["Juno"].quote_count, by_name["Pell"].quote_count) == (1, 1)
    # Juno: "Juno said", her own "I" and Pell's vocative "Juno"; Pell: "said Pell" (his lines
    # name no one else, so "you" has no single addressee to be).
    assert by_name["Juno"].mention_count == 3
    assert by_name["Pell"].mention_count == 1
