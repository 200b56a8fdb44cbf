"""The short plain-text summary ``fabula analyze`` prints after writing the JSON.

A novel can have hundreds of characters and scenes, so the lists are cut to the first few; the
JSON file always has everything.
"""

from __future__ import annotations

from fabula.analysis.diagnostics import WARNING
from fabula.model import Story
from fabula.outputs.words import counted
from fabula.settings import DEFAULT_SETTINGS

MAX_CAST_LINES = 15
MAX_SCENE_LINES = 20
MAX_NAMES_PER_SCENE = 8
MAX_DIAGNOSTIC_LINES = 5


def format_summary(story: Story, low_confidence: float = DEFAULT_SETTINGS.low_confidence) -> str:
    """How many lines fabula is unsure of, the cast by lines spoken (most first), each scene
    with who is present, then reading notes (not warnings: the command prints those on
    stderr).

    Example::

        2 characters, 3 quotations, 1 scene
        Uncertain: 1 of 2 lines (speaker confidence below 0.5)
        Cast (lines spoken):
          Odile             1
          Wren              1
        Scenes:
          s0 "Chapter 1": Wren, Odile (3 quotes)
    """
    lines = [
        f"{counted(len(story.characters), 'character')}, "
        f"{counted(len(story.quotes), 'quotation')}, {counted(len(story.scenes), 'scene')}"
    ]
    # Lines, as in ``quote_count``: the parts of one interrupted quotation are one line.
    lines_spoken = [q for q in story.quotes if q.continues is None]
    if lines_spoken:
        uncertain = sum(q.confidence < low_confidence for q in lines_spoken)
        lines.append(
            f"Uncertain: {uncertain} of {counted(len(lines_spoken), 'line')}"
            f" (speaker confidence below {low_confidence:g})"
        )
    cast = sorted(story.characters, key=lambda c: (-c.quote_count, c.name))
    unattributed = sum(1 for q in lines_spoken if q.speaker is None)
    if cast or unattributed:
        lines.append("Cast (lines spoken):")
        width = max((len(c.name) for c in cast[:MAX_CAST_LINES]), default=0)
        width = max(width, len("(no speaker)"))
        for character in cast[:MAX_CAST_LINES]:
            narrator = " (narrator)" if character.is_narrator else ""
            lines.append(f"  {character.name:<{width}}  {character.quote_count:>5}{narrator}")
        if len(cast) > MAX_CAST_LINES:
            lines.append(f"  ... {counted(len(cast) - MAX_CAST_LINES, 'more character')}")
        if unattributed:
            lines.append(f"  {'(no speaker)':<{width}}  {unattributed:>5}")

    names = {c.id: c.name for c in story.characters}
    quotes_per_scene: dict[str, int] = {}
    for quote in story.quotes:
        if quote.scene is not None:
            quotes_per_scene[quote.scene] = quotes_per_scene.get(quote.scene, 0) + 1
    if story.scenes:
        lines.append("Scenes:")
    for scene in story.scenes[:MAX_SCENE_LINES]:
        heading = f' "{scene.heading}"' if scene.heading else ""
        who = ", ".join(names.get(c, c) for c in scene.characters[:MAX_NAMES_PER_SCENE])
        if len(scene.characters) > MAX_NAMES_PER_SCENE:
            who += f" and {len(scene.characters) - MAX_NAMES_PER_SCENE} more"
        quotes = counted(quotes_per_scene.get(scene.id, 0), "quote")
        lines.append(f"  {scene.id}{heading}: {who or 'nobody'} ({quotes})")
    if len(story.scenes) > MAX_SCENE_LINES:
        lines.append(f"  ... {counted(len(story.scenes) - MAX_SCENE_LINES, 'more scene')}")
    # Warnings go to stderr on their own (see the analyze command); these are notes on the input.
    notes = [note for note in story.diagnostics if not note.startswith(WARNING)]
    if notes:
        lines.append("Notes:")
    lines.extend(f"  {note}" for note in notes[:MAX_DIAGNOSTIC_LINES])
    if len(notes) > MAX_DIAGNOSTIC_LINES:
        lines.append(f"  ... {counted(len(notes) - MAX_DIAGNOSTIC_LINES, 'more note')}")
    return "\n".join(lines)
