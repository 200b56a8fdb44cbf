"""Addressees: a vocative names the addressee; otherwise the other party of the exchange."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

import fabula
from fabula.attribution.addressees import find_addressees
from fabula.cast.names import Cast
from fabula.model import (
    Attribution,
    Character,
    CharacterId,
    Parse,
    QuoteSpan,
    QuoteType,
    Scene,
    SceneId,
    Story,
)

BRAM, CLIO, PETRA = CharacterId("bram"), CharacterId("clio"), CharacterId("petra")
CHARACTERS = tuple(Character(c, c.title()) for c in (BRAM, CLIO, PETRA))


def addressees_of(
    turns: Sequence[tuple[CharacterId | None, Sequence[CharacterId]]],
    *,
    scene_break_before: int | None = None,
    paragraph_step: int = 1,
) -> list[tuple[CharacterId, ...]]:
    """Addressees for one quotation per paragraph: (speaker, vocatives) per turn, no model."""
    spans = tuple(
        QuoteSpan(char_start=10 * i, char_end=10 * i + 5, paragraph_index=paragraph_step * i)
        for i in range(len(turns))
    )
    end = 10 * len(turns)
    if scene_break_before is None:
        scenes = (Scene(SceneId("s0"), 0, end),)
    else:
        cut = 10 * scene_break_before
        scenes = (Scene(SceneId("s0"), 0, cut - 2), Scene(SceneId("s1"), cut, end))
    cast = Cast(
        characters=CHARACTERS,
        mentions=(),
        vocatives=tuple(tuple(vocatives) for _, vocatives in turns),
    )
    attributions = tuple(
        Attribution(speaker=s, type=QuoteType.EXPLICIT, confidence=0.9) for s, _ in turns
    )
    found = find_addressees(" " * end, Parse((), (), ()), spans, scenes, cast, attributions)
    assert [a.speaker for a in found] == [s for s, _ in turns], "speakers must not change"
    return [a.addressees for a in found]


def test_vocative_names_the_addressee() -> None:
    assert addressees_of([(BRAM, [PETRA]), (CLIO, [])]) == [(PETRA,), (BRAM,)]


def test_vocative_naming_the_speaker_is_ignored() -> None:
    assert addressees_of([(BRAM, []), (CLIO, [CLIO])]) == [(CLIO,), (BRAM,)]


def test_two_person_exchange_addresses_the_other_party() -> None:
    turns = [(BRAM, []), (CLIO, []), (BRAM, []), (CLIO, [])]
    assert addressees_of(turns) == [(CLIO,), (BRAM,), (CLIO,), (BRAM,)]


def test_opening_line_goes_to_the_next_speaker() -> None:
    assert addressees_of([(BRAM, []), (BRAM, []), (CLIO, [])])[0] == (CLIO,)


def test_no_speaker_no_addressee() -> None:
    assert addressees_of([(None, []), (BRAM, [])]) == [(), ()]


def test_a_lone_speaker_has_no_addressee() -> None:
    assert addressees_of([(BRAM, []), (BRAM, [])]) == [(), ()]


def test_the_other_party_is_not_looked_for_across_a_scene_break() -> None:
    assert addressees_of([(BRAM, []), (CLIO, [])], scene_break_before=1) == [(), ()]


def test_the_other_party_is_forgotten_after_a_long_gap() -> None:
    assert addressees_of([(BRAM, []), (CLIO, [])], paragraph_step=10) == [(), ()]


@pytest.mark.model
def test_addressees_end_to_end() -> None:
    story: Story = fabula.analyze(
        "Bram and Clio waited on the platform with Petra.\n\n"
        '"The train is late," said Bram.\n\n'
        '"It always is," said Clio.\n\n'
        '"Petra, is the train late?" said Bram.'
    )
    names = {c.id: c.name for c in story.characters}
    assert [tuple(names[a] for a in q.addressees) for q in story.quotes] == [
        ("Clio",),
        ("Bram",),
        ("Petra",),
    ]
