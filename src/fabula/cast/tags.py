"""An archive's character tags as the known cast: the author's own list of who is in the work.

"Spike (Buffy the Vampire Slayer)" is the archive's way of telling two Spikes apart; the
name is "Spike". Aliases ("Dawn" and "Miss Summers" for "Dawn Summers") come from the cast
stage's usual clustering, which a known name anchors.
"""

from __future__ import annotations

import re

from fabula.model import KnownCharacter, Work
from fabula.stages import stage

# A trailing parenthesised fandom or qualifier: "Spike (Buffy the Vampire Slayer)".
DISAMBIGUATION = re.compile(r"\s*\([^()]*\)\s*$")
# Tags that name no one in particular.
NOT_CHARACTERS = {"original characters", "original character(s)", "ensemble", "everyone"}


@stage(requires={"work"}, produces={"known_cast"})
def known_cast_from_tags(work: Work | None) -> tuple[KnownCharacter, ...]:
    """One known character per distinct character tag, in the author's order."""
    if work is None:
        return ()
    names: list[str] = []
    for tag in work.characters:
        if tag.strip().lower() in NOT_CHARACTERS:
            continue
        name = DISAMBIGUATION.sub("", tag).strip()
        if name and name.lower() not in NOT_CHARACTERS and name not in names:
            names.append(name)
    return tuple(KnownCharacter(name=name) for name in names)
