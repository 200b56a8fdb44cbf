"""Cast: where names come from, what is not a name, alias merging and gender.

Each story is a few lines written for these tests, showing one phenomenon.
"""

from __future__ import annotations

from collections import Counter

import pytest

import fabula
from fabula.cast.aliases import NameForm, cluster_forms
from fabula.language.lexicon import nicknames
from fabula.model import Character, Story


def cast_of(story: Story) -> dict[str, Character]:
    return {c.name: c for c in story.characters}


def names_of(character: Character) -> set[str]:
    return {character.name, *character.aliases}


def speaker_names(story: Story) -> list[str | None]:
    return [c.name if (c := story.character(q.speaker)) else None for q in story.quotes]


# -- model-free: alias clustering -----------------------------------------------------------------


def form(*words: str, honorific: str | None = None) -> NameForm:
    return NameForm.build(honorific=honorific, words=words, display=" ".join(words))


def test_nickname_table_maps_short_forms_to_full_names() -> None:
    table = nicknames()
    assert "Margaret" in table["Maggie"]
    assert "Eleanor" in table["Nell"]


def test_cluster_nickname_joins_the_only_full_first_name() -> None:
    forms = [form("Margaret", "Tolliver"), form("Maggie"), form("Orrin")]
    evidence = {f.key: Counter(speaker=1) for f in forms}
    clusters = cluster_forms(forms, evidence=evidence)
    owner = clusters.owner_of
    assert owner["maggie"] == owner["margaret tolliver"]
    assert owner["orrin"] != owner["maggie"]
    assert len(clusters.clusters) == 2


def test_cluster_mr_and_mrs_with_one_surname_stay_apart() -> None:
    forms = [form("Quarles", honorific="Mr."), form("Quarles", honorific="Mrs.")]
    evidence = {f.key: Counter(speaker=1) for f in forms}
    clusters = cluster_forms(forms, evidence=evidence)
    assert clusters.owner_of["mr quarles"] != clusters.owner_of["mrs quarles"]
    assert {c.gender for c in clusters.clusters} == {"he", "she"}


def test_cluster_drops_a_form_with_no_evidence_of_a_person() -> None:
    forms = [form("Brackwater"), form("Marisol")]
    evidence = {"brackwater": Counter(place=3), "marisol": Counter(speaker=1)}
    clusters = cluster_forms(forms, evidence=evidence)
    assert set(clusters.owner_of) == {"marisol"}


# -- end to end ----------------------------------------------------------------------------------

SPEECH_SUBJECTS = """\
Teodor crossed the bridge into Brackwater. He walked to the mill in Brackwater and knocked.

"Open up," Teodor said.

"Who is it?" said Wilma."""


@pytest.mark.model
def test_names_from_speech_verb_subjects_not_places() -> None:
    story = fabula.analyze(SPEECH_SUBJECTS)
    assert set(cast_of(story)) == {"Teodor", "Wilma"}
    assert speaker_names(story) == ["Teodor", "Wilma"]


@pytest.mark.model
def test_a_name_heard_only_as_a_vocative_is_a_character() -> None:
    story = fabula.analyze('"Good night, Anselm," said Marisol.')
    cast = cast_of(story)
    assert set(cast) == {"Anselm", "Marisol"}
    assert cast["Anselm"].quote_count == 0
    assert story.quotes[0].addressees == (cast["Anselm"].id,)


@pytest.mark.model
def test_honorific_form_is_a_name_with_its_gender() -> None:
    story = fabula.analyze(
        'Mrs. Pellow opened the shop at nine. "Good morning," said Mrs. Pellow.\n\n'
        '"Good morning, Mrs. Pellow," said Hollis.'
    )
    cast = cast_of(story)
    assert set(cast) == {"Mrs. Pellow", "Hollis"}
    assert cast["Mrs. Pellow"].gender == "she"
    assert speaker_names(story) == ["Mrs. Pellow", "Hollis"]


@pytest.mark.model
def test_sentence_initial_said_is_not_part_of_a_name() -> None:
    story = fabula.analyze(
        '"We should go," said Willow. "It\'s late."\n\n'
        "Said Willow to herself, it was always late. Willow said nothing more.\n\n"
        '"Agreed," said Fenwick.'
    )
    assert set(cast_of(story)) == {"Willow", "Fenwick"}
    assert all("Said" not in name for c in story.characters for name in names_of(c))


@pytest.mark.model
def test_two_people_sharing_a_surname_stay_apart() -> None:
    story = fabula.analyze(
        "Arlo Brenning and Ida Brenning ran the ferry together.\n\n"
        '"The tide is wrong," said Arlo Brenning.\n\n'
        '"It is right enough," said Ida Brenning.\n\n'
        "Arlo frowned. He checked the chart again.\n\n"
        '"You worry too much," Ida said. She untied the rope.'
    )
    cast = cast_of(story)
    assert set(cast) == {"Arlo Brenning", "Ida Brenning"}
    assert "Arlo" in names_of(cast["Arlo Brenning"])
    assert "Ida" in names_of(cast["Ida Brenning"])
    assert (cast["Arlo Brenning"].gender, cast["Ida Brenning"].gender) == ("he", "she")
    assert speaker_names(story) == ["Arlo Brenning", "Ida Brenning", "Ida Brenning"]


@pytest.mark.model
def test_mr_and_mrs_of_one_family_stay_apart() -> None:
    story = fabula.analyze(
        "Mr. Quarles and Mrs. Quarles kept the inn at the crossroads.\n\n"
        '"We are full tonight," said Mr. Quarles.\n\n'
        '"We are never full," said Mrs. Quarles.'
    )
    cast = cast_of(story)
    assert set(cast) == {"Mr. Quarles", "Mrs. Quarles"}
    assert speaker_names(story) == ["Mr. Quarles", "Mrs. Quarles"]


@pytest.mark.model
def test_nickname_merges_with_the_full_first_name() -> None:
    story = fabula.analyze(
        'Margaret Tolliver came down the stairs. "Is breakfast ready?" Margaret asked.\n\n'
        '"Nearly, Maggie," said Orrin.\n\n'
        '"Good," Maggie said. She sat at the table.'
    )
    assert len(story.characters) == 2
    margaret = next(c for c in story.characters if "Margaret Tolliver" in names_of(c))
    assert {"Margaret", "Maggie", "Margaret Tolliver"} <= names_of(margaret)
    assert [q.speaker for q in story.quotes] == [
        margaret.id,
        cast_of(story)["Orrin"].id,
        margaret.id,
    ]


@pytest.mark.model
def test_gender_from_the_pronouns_that_follow_a_name() -> None:
    story = fabula.analyze(
        '"The kettle is boiling," Marisol said.\n\n'
        '"Then take it off," Teodor said. He did not look up.\n\n'
        "Marisol lifted the kettle. She poured two cups."
    )
    cast = cast_of(story)
    assert cast["Marisol"].gender == "she"
    assert cast["Teodor"].gender == "he"


@pytest.mark.model
def test_speech_verb_subject_the_tagger_calls_a_common_noun() -> None:
    story = fabula.analyze(
        "Rosalind and Hester sat by the fire.\n\n"
        '"Deal again," Rosalind said.\n\n'
        '"You always lose count," said Hester.'
    )
    assert set(cast_of(story)) == {"Rosalind", "Hester"}


@pytest.mark.model
def test_a_month_the_narration_keeps_making_a_speaker_is_a_name() -> None:
    # spaCy reads "May" in '"…?" May asked.' as a modal; the text also says "may" often.
    story = fabula.analyze(
        "Archer looked at her. You may go, he thought.\n\n"
        '"Shall we go?" May asked.\n\n'
        '"If you like," said Archer.\n\n'
        '"Then we may," May said.\n\n'
        '"We may not," said Archer. It may rain.\n\n'
        '"It may," May said. We may see, and we may not.'
    )
    names = {c.id: c.name for c in story.characters}
    assert [names.get(q.speaker) for q in story.quotes] == ["May", "Archer", "May", "Archer", "May"]


@pytest.mark.model
def test_a_month_said_once_is_still_a_month() -> None:
    story = fabula.analyze(
        'Archer looked at her.\n\n"Shall we go?" May asked.\n\n"If you like," said Archer.'
    )
    assert "May" not in cast_of(story)


@pytest.mark.model
def test_a_name_in_ly_after_a_speech_verb_is_a_name_not_an_adverb() -> None:
    # spaCy tags "Dolly" in '"…?" asked Dolly.' as an adverb (RB) of "asked".
    story = fabula.analyze(
        "Dolly and Hester sat by the fire.\n\n"
        '"Did you take her for a ghost?" asked Dolly.\n\n'
        '"Never," said Hester.'
    )
    names = {c.id: c.name for c in story.characters}
    assert [names.get(q.speaker) for q in story.quotes] == ["Dolly", "Hester"]
