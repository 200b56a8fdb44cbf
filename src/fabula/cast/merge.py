"""One cast for a text analysed in windows: the same person found in two windows is one.

Each window finds its cast on its own (see ``segmentation/windows.py``); here a window's
character joins an earlier one when one's name is among the other's names, and all narrators
are the one "I" of the text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from fabula.cast.aliases import normalise_name
from fabula.cast.names import NARRATOR_NAME
from fabula.language.lexicon import honorifics
from fabula.model import Character, CharacterId

__all__ = ["merge_window_casts"]

IdMap = dict[CharacterId, CharacterId]


def merge_window_casts(
    window_casts: Sequence[tuple[Character, ...]],
) -> tuple[tuple[Character, ...], list[IdMap]]:
    """The merged cast (ids ``c0``, ``c1``, ... in order of first appearance) and, for each
    window, a map from its character ids to the merged ones.

    Within one window characters stay apart: the window's cast already decided they differ.
    A merged character is named as in the window that mentions them most; the other names
    become aliases.
    """
    merged: list[Character] = []
    most_mentions: list[int] = []  # per merged character, its best window's mention count
    id_maps: list[IdMap] = []
    for cast in window_casts:
        id_map: IdMap = {}
        claimed: set[int] = set()
        # The most mentioned claim their match first, so a minor namesake can't take it.
        for character in sorted(cast, key=lambda c: -c.mention_count):
            position = _match(character, merged, claimed)
            if position is None:
                position = len(merged)
                merged.append(replace(character, id=CharacterId(f"c{position}")))
                most_mentions.append(character.mention_count)
            else:
                named_more = character.mention_count > most_mentions[position]
                merged[position] = _absorb(merged[position], character, named_more=named_more)
                most_mentions[position] = max(most_mentions[position], character.mention_count)
            claimed.add(position)
            id_map[character.id] = merged[position].id
        id_maps.append(id_map)
    return tuple(merged), id_maps


def _names(character: Character) -> set[str]:
    return {normalise_name(name) for name in (character.name, *character.aliases)}


def _match(character: Character, merged: list[Character], claimed: set[int]) -> int | None:
    names = _names(character)
    for position, earlier in enumerate(merged):
        if position in claimed:
            continue
        if character.is_narrator and earlier.is_narrator:
            return position
        if NARRATOR_NAME in (character.name, earlier.name):
            continue  # an unnamed narrator is found by the flag alone
        if character.gender and earlier.gender and character.gender != earlier.gender:
            continue
        earlier_names = _names(earlier)
        if normalise_name(character.name) in earlier_names or (
            normalise_name(earlier.name) in names
        ):
            return position
    return _match_part_of_full_name(character, merged, claimed)


def _match_part_of_full_name(
    character: Character, merged: list[Character], claimed: set[int]
) -> int | None:
    """The one earlier character whose full name this one's name is part of, or the other
    way round: a window that saw only "Mrs. Carrow" or "Tobias" met "Edith Carrow" or
    "Tobias Dunmore", seen in full in another window."""
    suits = [
        position
        for position, earlier in enumerate(merged)
        if _is_part_of(character, earlier) or _is_part_of(earlier, character)
    ]
    if len(suits) == 1 and suits[0] not in claimed:
        return suits[0]
    return None


def _is_part_of(partial: Character, full: Character) -> bool:
    """ "Mrs. Carrow" (title and surname) or "Tobias" (one word) is part of a full name of
    ``full`` ("Edith Carrow", "Tobias Dunmore") and their genders agree."""
    words = partial.name.split()
    titles = honorifics()
    if len(words) == 2 and words[0] in titles:
        gender = titles[words[0]] or partial.gender
        position, word = -1, words[1]
    elif len(words) == 1:
        gender, position, word = partial.gender, 0, words[0]
    else:
        return False
    genders_agree = gender is None or full.gender in (None, gender)
    return genders_agree and any(name.split()[position] == word for name in _full_names(full))


def _full_names(character: Character) -> list[str]:
    """The character's names of two or more words with no title ("Edith Carrow")."""
    titles = honorifics()
    return [
        name
        for name in (character.name, *character.aliases)
        if len(name.split()) >= 2 and name.split()[0] not in titles
    ]


def _absorb(earlier: Character, later: Character, *, named_more: bool) -> Character:
    """``earlier`` with ``later``'s names too. The name is that of the window that named the
    character most; any name beats the narrator's placeholder."""
    name, names = earlier.name, [*earlier.aliases, later.name, *later.aliases]
    if later.name != NARRATOR_NAME and (named_more or name == NARRATOR_NAME):
        name, names = later.name, [*later.aliases, earlier.name, *earlier.aliases]
    seen = {normalise_name(name), normalise_name(NARRATOR_NAME)}
    aliases: list[str] = []
    for alias in names:
        if normalise_name(alias) not in seen:
            seen.add(normalise_name(alias))
            aliases.append(alias)
    return replace(
        earlier,
        name=name,
        aliases=tuple(aliases),
        gender=earlier.gender or later.gender,
        is_narrator=earlier.is_narrator or later.is_narrator,
    )
