"""Cast rules that keep the found cast close to a reader's: titles, families, junk capitals.

Each story is a few lines written for these tests, showing one phenomenon.
"""

from __future__ import annotations

from collections import Counter

import pytest

import fabula
from fabula.cast.aliases import Cluster, NameForm, cluster_forms
from fabula.cast.occurrences import name_part
from fabula.cast.tags import known_cast_from_tags
from fabula.model import Character, CharacterId, KnownCharacter, Story, Work


def form(*words: str, honorific: str | None = None, the_form: bool = False) -> NameForm:
    return NameForm.build(
        honorific=honorific, words=words, display=" ".join(words), the_form=the_form
    )


def person(**stats: int) -> Counter:
    """Evidence of a person used mid-sentence, plus any extra counts."""
    return Counter({"speaker": 1, "mid": 1, **stats})


def cast_of(story: Story) -> dict[str, Character]:
    return {c.name: c for c in story.characters}


def all_names(story: Story) -> set[str]:
    return {name for c in story.characters for name in (c.name, *c.aliases)}


# -- model-free: alias clustering -----------------------------------------------------------------


def test_bare_surname_goes_to_mr_not_to_miss() -> None:
    forms = [form("Vantreight", honorific="Mr."), form("Vantreight", honorific="Miss")]
    forms += [form("Vantreight")]
    clusters = cluster_forms(forms, evidence={f.key: person() for f in forms})
    owner = clusters.owner_of
    assert owner["vantreight"] == owner["mr vantreight"] != owner["miss vantreight"]


def test_a_shared_first_name_goes_to_the_one_named_far_more_often() -> None:
    ansel_voss, ansel_marr, ansel = form("Ansel", "Voss"), form("Ansel", "Marr"), form("Ansel")
    forms = [ansel_voss] * 6 + [ansel_marr] + [ansel]
    clusters = cluster_forms(forms, evidence={f.key: person() for f in forms})
    assert clusters.owner_of["ansel"] == clusters.owner_of["ansel voss"]


def test_a_shared_first_name_between_equals_stays_apart() -> None:
    ansel_voss, ansel_marr, ansel = form("Ansel", "Voss"), form("Ansel", "Marr"), form("Ansel")
    forms = [ansel_voss] * 2 + [ansel_marr] * 2 + [ansel]
    clusters = cluster_forms(forms, evidence={f.key: person() for f in forms})
    assert clusters.owner_of["ansel"] not in {
        clusters.owner_of["ansel voss"],
        clusters.owner_of["ansel marr"],
    }


def test_miss_with_a_first_name_still_takes_the_bare_first_name() -> None:
    forms = [form("Perpetua", honorific="Miss"), form("Perpetua")]
    clusters = cluster_forms(forms, evidence={f.key: person() for f in forms})
    assert clusters.owner_of["perpetua"] == clusters.owner_of["miss perpetua"]


def test_family_plurals_are_not_characters() -> None:
    forms = [
        form("Pellinore", honorific="Mr."),
        form("Pellinores", the_form=True),
        form("Pellinores"),
        form("Ashcombe", honorific="Miss"),
        form("Ashcombes", honorific="Miss"),
    ]
    clusters = cluster_forms(forms, evidence={f.key: person() for f in forms})
    assert set(clusters.owner_of) == {"mr pellinore", "miss ashcombe"}


def test_a_surname_ending_in_s_is_not_a_plural() -> None:
    forms = [form("William", "Dray"), form("Williams", honorific="Mr.")]
    clusters = cluster_forms(forms, evidence={f.key: person() for f in forms})
    assert set(clusters.owner_of) == {"william dray", "mr williams"}


def test_mrs_joins_the_only_full_name_with_her_surname() -> None:
    forms = [form("Edda", "Korrin"), form("Korrin", honorific="Mrs.")]
    clusters = cluster_forms(forms, evidence={f.key: person() for f in forms})
    assert clusters.owner_of["mrs korrin"] == clusters.owner_of["edda korrin"]


def test_mrs_of_a_family_stays_off_a_full_name_whose_pronouns_say_he() -> None:
    # Mrs. Harrow is named most, so she is placed before Mr. Harrow.
    forms = [form("Tobin", "Harrow"), form("Harrow", honorific="Mr.")]
    forms += [form("Harrow", honorific="Mrs.")] * 3
    evidence = {f.key: person() for f in forms}
    evidence["tobin harrow"] = person(he=3)
    owner = cluster_forms(forms, evidence=evidence).owner_of
    assert owner["mrs harrow"] != owner["tobin harrow"]
    evidence["tobin harrow"] = person(she=3)
    owner = cluster_forms(forms, evidence=evidence).owner_of
    assert owner["mrs harrow"] == owner["tobin harrow"] != owner["mr harrow"]


def test_a_much_named_character_reports_only_its_usual_forms() -> None:
    cluster = Cluster(id=CharacterId("c0"))
    cluster.forms.update({form("Rook"): 200, form("Rook", "Ashby"): 30, form("Cousin", "Rook"): 1})
    cluster.forms[form("Rook", honorific="Mr.")] = 20
    assert cluster.name == "Rook"
    assert cluster.aliases == ("Rook Ashby",)  # "Mr. Rook" is "Rook" with a title


def test_a_rarely_named_character_reports_every_form() -> None:
    cluster = Cluster(id=CharacterId("c0"))
    cluster.forms.update({form("Nell"): 12, form("Nell", "Dunmore"): 1, form("Eleanor"): 1})
    assert set(cluster.aliases) == {"Nell Dunmore", "Eleanor"}


def test_a_word_only_ever_opening_a_sentence_is_not_a_name() -> None:
    forms = [form("Hullo"), form("Tamsin")]
    evidence = {"hullo": Counter(vocative=4), "tamsin": Counter(vocative=1, mid=1)}
    clusters = cluster_forms(forms, evidence=evidence)
    assert set(clusters.owner_of) == {"tamsin"}


def test_a_token_running_into_punctuation_keeps_only_its_name() -> None:
    assert name_part('Pellow.--"Yes') == "Pellow"
    assert name_part("O'Hara") == "O'Hara"
    assert name_part("Grant-Menzies") == "Grant-Menzies"


# -- end to end ----------------------------------------------------------------------------------


@pytest.mark.model
def test_a_title_starts_a_new_name_inside_a_run_of_capitals() -> None:
    story = fabula.analyze(
        '"Sit down," said Mrs. Pellow.\n\n'
        "Beside Mrs. Pellow Miss Arden looked very small.\n\n"
        '"Thank you," said Miss Arden.'
    )
    assert {"Mrs. Pellow", "Miss Arden"} <= set(cast_of(story))
    assert not any("Pellow Miss" in name for name in all_names(story))


@pytest.mark.model
def test_mrs_and_her_son_of_one_surname_stay_apart() -> None:
    story = fabula.analyze(
        "Tobin Harrow came in from the yard. He kicked off his boots.\n\n"
        "Tobin Harrow sat down. He was tired.\n\n"
        '"Supper is cold," said Mrs. Harrow.\n\n'
        '"Then I will eat it cold," said Mr. Harrow.\n\n'
        '"You will not," said Mrs. Harrow.'
    )
    cast = cast_of(story)
    harrows = [c for c in story.characters if "Harrow" in c.name]
    assert "Mrs. Harrow" in cast
    assert all("Mrs. Harrow" not in c.aliases for c in harrows)
    assert cast["Mrs. Harrow"].gender == "she"


@pytest.mark.model
def test_the_family_is_not_a_character() -> None:
    story = fabula.analyze(
        "Mr. Quenby kept bees by the mill.\n\n"
        '"The hives are full," said Mr. Quenby.\n\n'
        "That summer the Quenbys sold honey at the fair, and the Quenbys grew rich."
    )
    assert not any("Quenbys" in name for name in all_names(story))
    assert "Mr. Quenby" in cast_of(story)


def test_two_names_side_by_side_are_not_a_full_name() -> None:
    forms = [form("Brisa")] * 12 + [form("Odell")] * 12 + [form("Brisa", "Odell")]
    forms += [form("Tamsin")] * 12 + [form("Tamsin", "Vell")]
    owner = cluster_forms(forms, evidence={f.key: person() for f in forms}).owner_of
    assert "brisa odell" not in owner
    assert owner["brisa"] != owner["odell"]
    assert owner["tamsin vell"] == owner["tamsin"]


def test_the_before_a_commoner_bare_name_is_only_an_article() -> None:
    forms = [form("Ralph", "Quill")] * 3 + [form("Quill")] * 5 + [form("Quill", the_form=True)]
    owner = cluster_forms(forms, evidence={f.key: person() for f in forms}).owner_of
    assert owner["the quill"] == owner["quill"] == owner["ralph quill"]


def test_mrs_with_her_husbands_full_name_is_not_him() -> None:
    forms = [form("Osric", "Pell", honorific="Mrs.")] * 4 + [form("Osric", "Pell")] * 2
    forms += [form("Osric")] * 3
    owner = cluster_forms(forms, evidence={f.key: person() for f in forms}).owner_of
    assert owner["osric"] == owner["osric pell"] != owner["mrs osric pell"]


def test_a_bare_surname_of_two_men_stays_unassigned() -> None:
    forms = [form("Berry", "Amsel")] * 2 + [form("Joel", "Amsel")] * 8 + [form("Amsel")]
    evidence = {f.key: person(he=3) for f in forms}
    owner = cluster_forms(forms, evidence=evidence).owner_of
    assert owner["amsel"] not in {owner["berry amsel"], owner["joel amsel"]}


def test_character_tags_become_the_known_cast() -> None:
    work = Work(
        characters=(
            "Dawn Summers",
            "Spike (Buffy the Vampire Slayer)",
            "Original Characters",
            "Spike (Buffy the Vampire Slayer)",
        )
    )
    assert known_cast_from_tags(work) == (KnownCharacter("Dawn Summers"), KnownCharacter("Spike"))
    assert known_cast_from_tags(None) == ()
