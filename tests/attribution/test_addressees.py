"""Addressees: the rule (a vocative, else the other party of the exchange) and the learned
model that adds group addressees."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

import fabula
from fabula.attribution.addressees import AddresseeModel, find_addressees
from fabula.attribution.conversation import Conversation
from fabula.cast.names import Cast
from fabula.model import (
    Attribution,
    Character,
    CharacterId,
    Paragraph,
    QuoteSpan,
    QuoteType,
    Scene,
    SceneId,
    Story,
)
from fabula.models import load_addressee_model

BRAM, CLIO, PETRA = CharacterId("bram"), CharacterId("clio"), CharacterId("petra")
STRIDE = 24
CHARACTERS = tuple(Character(c, c.title()) for c in (BRAM, CLIO, PETRA))


def addressees_of(
    turns: Sequence[tuple[CharacterId | None, Sequence[CharacterId]]],
    *,
    scene_break_before: int | None = None,
    paragraph_step: int = 1,
    lines: Sequence[str] = (),
    model: AddresseeModel | None = None,
) -> list[tuple[CharacterId, ...]]:
    """Addressees for one quotation per paragraph: (speaker, vocatives) per turn; the rule
    unless a model is given. Each quotation is STRIDE characters: its line's words, if any."""
    spans = tuple(
        QuoteSpan(
            char_start=STRIDE * i, char_end=STRIDE * i + STRIDE, paragraph_index=paragraph_step * i
        )
        for i in range(len(turns))
    )
    end = STRIDE * len(turns)
    paragraphs = tuple(
        Paragraph(p, STRIDE * (p // paragraph_step), STRIDE * (p // paragraph_step) + STRIDE)
        for p in range(paragraph_step * len(turns))
    )
    if scene_break_before is None:
        scenes = (Scene(SceneId("s0"), 0, end),)
    else:
        cut = STRIDE * scene_break_before
        scenes = (Scene(SceneId("s0"), 0, cut - 2), Scene(SceneId("s1"), cut, end))
    cast = Cast(
        characters=CHARACTERS,
        mentions=(),
        vocatives=tuple(tuple(vocatives) for _, vocatives in turns),
    )
    attributions = tuple(
        Attribution(speaker=s, type=QuoteType.EXPLICIT, confidence=0.9) for s, _ in turns
    )
    conversation = Conversation.of(
        "".join(line.ljust(STRIDE) for line in lines).ljust(end),
        paragraphs,
        spans,
        scenes,
        cast,
        (),
        attributions,
    )
    found = find_addressees(conversation, attributions, model)
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


def test_the_shipped_model_keeps_a_two_person_exchange_one_to_one() -> None:
    turns = [(BRAM, []), (CLIO, []), (BRAM, []), (CLIO, [])]
    found = addressees_of(turns, model=load_addressee_model("all"))
    assert found == [(CLIO,), (BRAM,), (CLIO,), (BRAM,)]


def test_the_shipped_model_follows_a_vocative() -> None:
    turns = [(BRAM, []), (CLIO, []), (PETRA, [BRAM]), (BRAM, [])]
    found = addressees_of(turns, model=load_addressee_model("all"))
    assert found[2][0] == BRAM


@pytest.mark.model
def test_addressees_end_to_end() -> None:
    story: Story = fabula.analyze(
        "Bram and Clio waited on the platform with Petra.\n\n"
        '"The train is late," said Bram.\n\n'
        '"It always is," said Clio.\n\n'
        '"Petra, is the train late?" said Bram.'
    )
    names = {c.id: c.name for c in story.characters}
    found = [tuple(names[a] for a in q.addressees) for q in story.quotes]
    assert found[:2] == [("Clio",), ("Bram",)]
    assert found[2][0] == "Petra"  # the vocative first; Clio, on the platform, may hear too


@pytest.mark.model
def test_a_line_to_the_whole_table_goes_to_everyone_there() -> None:
    story: Story = fabula.analyze(
        "Bram, Clio and Petra sat round the kitchen table while the kettle boiled.\n\n"
        '"Who wants tea?" asked Bram.\n\n'
        '"I do," said Clio.\n\n'
        '"So do I," said Petra.\n\n'
        "Bram set out three cups and looked from one sister to the other.\n\n"
        '"Then both of you can fetch the milk," said Bram.\n\n'
        '"That is hardly fair," said Clio.'
    )
    names = {c.id: c.name for c in story.characters}
    assert [names[q.speaker] for q in story.quotes] == ["Bram", "Clio", "Petra", "Bram", "Clio"]
    assert {names[a] for a in story.quotes[3].addressees} == {"Clio", "Petra"}
