"""How well a predicted cast matches the gold characters, beyond who said each line.

Three numbers, per story and summed over stories, under the mapping of ``map_characters``:

- Speakers found: gold characters who speak a gold quotation (speaker scored) and to whom at
  least one predicted character maps.
- Unmapped speakers: predicted characters who speak any predicted quotation and map to no gold
  character: the junk a reader notices ("Said Ines", "Oh", a nickname taken for a person).
- Aliases attached: gold aliases used twice or more in the text (whole words; the first letter
  in either case) that are among the names of a predicted character mapped to their owner
  (names compared as ``normalise_name`` folds them). An alias two characters share, or the
  character's own canonical name, is left out; spellings that fold alike count as one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from fabula.evaluation.pdnc import GoldNovel
from fabula.evaluation.scoring import Ratio, normalise_name
from fabula.model import CharacterId, Story

# An alias used this often in the text is one readers meet, so the cast should carry it.
MIN_ALIAS_USES = 2


@dataclass(frozen=True, slots=True)
class CastScore:
    speakers_found: Ratio
    aliases_attached: Ratio
    unmapped_speakers: tuple[str, ...]  # predicted names, in the story's character order
    missed_speakers: tuple[str, ...]  # gold ids of speaking characters no one maps to
    missed_aliases: tuple[str, ...]  # "alias → gold id" for each frequent alias not attached

    def __add__(self, other: CastScore) -> CastScore:
        return CastScore(
            self.speakers_found + other.speakers_found,
            self.aliases_attached + other.aliases_attached,
            self.unmapped_speakers + other.unmapped_speakers,
            self.missed_speakers + other.missed_speakers,
            self.missed_aliases + other.missed_aliases,
        )

    def rates(self) -> dict[str, float | None]:
        return {
            "speakers_found": self.speakers_found.rate,
            "aliases_attached": self.aliases_attached.rate,
        }


def score_cast(
    story: Story, novel: GoldNovel, character_map: Mapping[CharacterId, str | None]
) -> CastScore:
    """Score the predicted cast of ``story`` against ``novel``'s gold characters."""
    speaking = list(dict.fromkeys(q.speaker for q in novel.quotes if q.speaker is not None))
    mapped_to = set(character_map.values())
    missed_speakers = tuple(s for s in speaking if s not in mapped_to)
    speaker_ids = {q.speaker for q in story.quotes if q.speaker is not None}
    unmapped = tuple(
        c.name for c in story.characters if c.id in speaker_ids and character_map.get(c.id) is None
    )
    names_of: dict[str, set[str]] = {}
    for character in story.characters:
        if (owner := character_map.get(character.id)) is not None:
            names = {normalise_name(n) for n in (character.name, *character.aliases)}
            names_of.setdefault(owner, set()).update(names)
    frequent = frequent_aliases(novel)
    missed_aliases = tuple(
        f"{alias} → {owner}"
        for alias, owner in frequent
        if normalise_name(alias) not in names_of.get(owner, set())
    )
    return CastScore(
        speakers_found=Ratio(len(speaking) - len(missed_speakers), len(speaking)),
        aliases_attached=Ratio(len(frequent) - len(missed_aliases), len(frequent)),
        unmapped_speakers=unmapped,
        missed_speakers=missed_speakers,
        missed_aliases=missed_aliases,
    )


def frequent_aliases(novel: GoldNovel) -> tuple[tuple[str, str], ...]:
    """(alias, gold id) for each unshared alias used at least ``MIN_ALIAS_USES`` times.

    Aliases that fold to the same name ("the Tin Man", "Tin Man") are one alias, named by its
    first form, used as often as its most used form.
    """
    owners: dict[str, set[str]] = {}
    for character in novel.characters:
        for name in (character.main_name, *character.aliases):
            owners.setdefault(normalise_name(name), set()).add(character.id)
    found: list[tuple[str, str]] = []
    for character in novel.characters:
        forms: dict[str, list[str]] = {}
        for alias in character.aliases:
            forms.setdefault(normalise_name(alias), []).append(alias)
        own_name = normalise_name(character.main_name)
        for key, spellings in forms.items():
            if not key or key == own_name or owners[key] != {character.id}:
                continue
            if max(count_uses(a, novel.text) for a in spellings) >= MIN_ALIAS_USES:
                found.append((spellings[0], character.id))
    return tuple(found)


def count_uses(alias: str, text: str) -> int:
    """Whole-word occurrences of ``alias``, its first letter in either case.

    ``count_uses("the Lion", "The Lion met the Lionel of the Lion")`` → 2.
    """
    alias = alias.strip()
    if not alias:
        return 0
    first = alias[0]
    head = f"[{re.escape(first.lower())}{re.escape(first.upper())}]" if first.isalpha() else ""
    body = re.escape(alias[1:] if head else alias)
    return len(re.findall(rf"(?<!\w){head}{body}(?!\w)", text))
