"""Coreference: he/she in narration go to the right named character; "I" to the narrator."""

from __future__ import annotations

import re

import pytest

import fabula
from fabula.cast.names import Cast
from fabula.coreference.pronouns import resolve_pronouns
from fabula.model import (
    Character,
    CharacterId,
    MentionKind,
    Parse,
    Sentence,
    Story,
    Token,
)


def pronouns_of(story: Story) -> list[tuple[str, str | None]]:
    """(pronoun, name of its character) for each pronoun mention, in order."""
    found = []
    for mention in story.mentions:
        if mention.kind == MentionKind.PRONOUN:
            character = story.character(mention.character)
            found.append((mention.text, character.name if character else None))
    return found


# -- model-free: a hand-built parse ---------------------------------------------------------------


def hand_parse(paragraphs: list[str], subjects: frozenset[str] = frozenset()) -> tuple[str, Parse]:
    """One sentence per paragraph, words split on spaces; words in ``subjects`` get nsubj."""
    text = "\n\n".join(paragraphs)
    tokens: list[Token] = []
    sentences: list[Sentence] = []
    starts: list[int] = []
    offset = 0
    for paragraph_index, paragraph in enumerate(paragraphs):
        starts.append(len(tokens))
        first = len(tokens)
        for match in re.finditer(r"\w+|[^\w\s]", paragraph):
            word = match.group()
            tokens.append(
                Token(
                    index=len(tokens),
                    char_start=offset + match.start(),
                    char_end=offset + match.end(),
                    text=word,
                    pos="X",
                    tag="X",
                    dep="nsubj" if word in subjects else "dep",
                    head=first,
                    sentence=paragraph_index,
                    in_quote=None,
                )
            )
        sentences.append(Sentence(paragraph_index, first, len(tokens), paragraph_index))
        offset += len(paragraph) + 2
    return text, Parse(tuple(tokens), tuple(sentences), tuple(starts))


def hand_cast(parse: Parse, people: dict[str, str | None], narrator: bool = False) -> Cast:
    characters = [Character(CharacterId(n.lower()), n, gender=g) for n, g in people.items()]
    by_token = {t.index: CharacterId(t.text.lower()) for t in parse.tokens if t.text in people}
    narrator_id = CharacterId("narrator") if narrator else None
    if narrator:
        characters.append(Character(narrator_id, "Narrator", is_narrator=True))
    return Cast(tuple(characters), (), by_token, narrator_id)


def resolved(paragraphs, people, subjects=frozenset(), narrator=False):
    _, parse = hand_parse(paragraphs, frozenset(subjects))
    mentions = resolve_pronouns(parse, hand_cast(parse, people, narrator))
    return [(m.text, m.character) for m in mentions]


def test_pronoun_follows_the_last_name_of_its_gender() -> None:
    found = resolved(
        ["Ysolde met Corvin at the gate .", "She gave him the key ."],
        {"Ysolde": "she", "Corvin": "he"},
    )
    assert found == [("She", "ysolde"), ("him", "corvin")]


def test_a_later_name_of_the_same_gender_takes_over() -> None:
    found = resolved(
        ["Ysolde left early .", "Brisa stayed to the end .", "She locked the hall ."],
        {"Ysolde": "she", "Brisa": "she"},
    )
    assert found == [("She", "brisa")]


def test_subject_outranks_object_of_the_same_gender() -> None:
    """An unknown-gender name does not displace a subject already holding the slot."""
    found = resolved(
        ["Ysolde handed Pell the lamp .", "She went out ."],
        {"Ysolde": "she", "Pell": None},
        subjects={"Ysolde"},
    )
    assert found == [("She", "ysolde")]


def test_a_referent_is_forgotten_after_many_paragraphs_and_sentences() -> None:
    filler = ["The wind blew ."] * 61  # 61 paragraphs of one sentence each
    found = resolved(["Corvin left .", *filler, "He returned ."], {"Corvin": "he"})
    assert found == [("He", None)]


def test_short_paragraphs_do_not_make_the_resolver_forget() -> None:
    # Eight one-sentence paragraphs (a text laid out a sentence per line) are still recent.
    filler = ["The wind blew ."] * 8
    found = resolved(["Corvin left .", *filler, "He returned ."], {"Corvin": "he"})
    assert found == [("He", "corvin")]


def test_first_person_goes_to_the_narrator() -> None:
    found = resolved(
        ["I met Corvin at the gate .", "He gave me my key ."],
        {"Corvin": "he"},
        narrator=True,
    )
    assert found == [("I", "narrator"), ("He", "corvin"), ("me", "narrator"), ("my", "narrator")]


def test_first_person_without_a_narrator_is_not_a_mention() -> None:
    assert resolved(["I met Corvin .", "He nodded ."], {"Corvin": "he"}) == [("He", "corvin")]


# -- end to end ----------------------------------------------------------------------------------


@pytest.mark.model
def test_he_and_she_resolve_to_the_named_man_and_woman() -> None:
    story = fabula.analyze(
        "Osric and Tamsin walked along the cliff. Osric carried the basket.\n\n"
        '"Is it far?" Tamsin asked. She was tired.\n\n'
        "Osric pointed at the lighthouse. He smiled at her."
    )
    assert {c.name: c.gender for c in story.characters} == {"Osric": "he", "Tamsin": "she"}
    assert pronouns_of(story) == [("She", "Tamsin"), ("He", "Osric"), ("her", "Tamsin")]


@pytest.mark.model
def test_pronouns_inside_quotations_are_not_resolved_as_narration() -> None:
    story = fabula.analyze(
        'Osric met Tamsin at the gate. He waved.\n\n"She is late again," said Osric.'
    )
    # In speech, "she" is whoever the speaker means: a mention, linked to no one.
    assert ("She", None) in pronouns_of(story) and ("She", "Tamsin") not in pronouns_of(story)


FIRST_PERSON = """\
I missed the last bus, so I walked home in the rain. By the time I reached my door I was \
soaked, and my boots were full of water. I found Osric in my kitchen, eating my bread.

"You're late," Osric said.

"The bus broke down," I said. "I walked."

He shook his head at me. I sat down and took off my coat."""


@pytest.mark.model
def test_first_person_narration_pronouns_go_to_the_narrator() -> None:
    story = fabula.analyze(FIRST_PERSON)
    narrators = [c for c in story.characters if c.is_narrator]
    assert len(narrators) == 1
    narrator = narrators[0].name
    found = pronouns_of(story)
    first_person = [(w, who) for w, who in found if w in {"I", "me", "my"}]
    assert first_person and all(who == narrator for _, who in first_person)
    assert ("He", "Osric") in found and ("his", "Osric") in found
    # "I" inside the quotation "I walked." is its speaker's, who is the narrator here;
    # "You" in Osric's line is the one he speaks to, the narrator again.
    walked = FIRST_PERSON.index('"I walked') + 1
    (said,) = [m for m in story.mentions if m.char_start == walked]
    assert story.character(said.character).is_narrator
    late = FIRST_PERSON.index('"You') + 1
    (you,) = [m for m in story.mentions if m.char_start == late]
    assert story.character(you.character).is_narrator
