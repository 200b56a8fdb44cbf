"""Who is present in each scene: a headline result the summary, the report and the corpus
tables all show, so the pipeline computes it once and stores it on each ``Scene``."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import replace

from fabula.model import CharacterId, Mention, Quote, Scene, SceneId
from fabula.stages import MENTIONS, stage


@stage(requires=MENTIONS | {"scenes", "speakers"}, produces={"scene_presence"})
def scene_presence(
    scenes: tuple[Scene, ...], quotes: tuple[Quote, ...], mentions: tuple[Mention, ...]
) -> tuple[Scene, ...]:
    """The scenes with their ``characters``: speakers and mentioned characters, by first
    appearance.

    A speaker appears where the quotation starts; a mention where it starts. Addressees who are
    neither named nor speaking are not counted: being spoken to does not show presence. Example:
    a scene where Ann is mentioned at 10 and Ben speaks at 4 gives ``("ben", "ann")``.
    """
    ordered = sorted(scenes, key=lambda s: s.char_start)
    starts = [s.char_start for s in ordered]
    appearances = sorted(
        [(q.char_start, q.speaker) for q in quotes if q.speaker is not None]
        + [(m.char_start, m.character) for m in mentions if m.character is not None]
    )
    present: dict[SceneId, dict[CharacterId, None]] = {s.id: {} for s in scenes}
    for position, character in appearances:
        index = bisect_right(starts, position) - 1
        if index >= 0 and position < ordered[index].char_end:
            present[ordered[index].id].setdefault(character)
    return tuple(replace(scene, characters=tuple(present[scene.id])) for scene in scenes)
