"""Merging the casts that windows of one long text found on their own."""

from __future__ import annotations

from fabula.cast.merge import merge_window_casts
from fabula.model import Character, CharacterId


def _c(id_: str, name: str, *aliases: str, gender=None, narrator=False, mentions=1) -> Character:
    return Character(
        CharacterId(id_), name, aliases, gender, is_narrator=narrator, mention_count=mentions
    )


def test_a_name_found_in_two_windows_is_one_character() -> None:
    first = (_c("c0", "Mara Voss", "Mara", gender="she"), _c("c1", "Jonah"))
    second = (_c("c0", "Jonah", gender="he"), _c("c1", "Mara", "Miss Voss"), _c("c2", "Tev"))
    cast, id_maps = merge_window_casts([first, second])
    assert [(c.id, c.name) for c in cast] == [("c0", "Mara Voss"), ("c1", "Jonah"), ("c2", "Tev")]
    assert cast[0].aliases == ("Mara", "Miss Voss")
    assert cast[1].gender == "he"  # learnt in the second window
    assert id_maps == [
        {"c0": "c0", "c1": "c1"},
        {"c0": "c1", "c1": "c0", "c2": "c2"},
    ]


def test_characters_of_one_window_stay_apart() -> None:
    first = (_c("c0", "Mr. Bennet", "Bennet", mentions=9),)
    second = (_c("c0", "Mrs. Bennet", "Bennet", mentions=5), _c("c1", "Bennet", mentions=2))
    cast, id_maps = merge_window_casts([first, second])
    # "Bennet" is Mr. Bennet's alias; Mrs. Bennet shares no full name with him.
    assert id_maps[1] == {"c0": "c1", "c1": "c0"}
    assert [c.name for c in cast] == ["Mr. Bennet", "Mrs. Bennet"]


def test_genders_that_disagree_keep_namesakes_apart() -> None:
    he, she = _c("c0", "Sam", gender="he"), _c("c0", "Sam", gender="she")
    cast, _ = merge_window_casts([(he,), (she,)])
    assert len(cast) == 2


def test_narrators_are_one_and_a_name_wins_over_narrator() -> None:
    first = (_c("c0", "Narrator", narrator=True),)
    second = (_c("c0", "Billie", "Bill", narrator=True),)
    cast, id_maps = merge_window_casts([first, second])
    assert [(c.name, c.aliases, c.is_narrator) for c in cast] == [("Billie", ("Bill",), True)]
    assert id_maps == [{"c0": "c0"}, {"c0": "c0"}]
