"""The short plain-text summary ``fabula analyze`` prints after writing the JSON.

A novel can have hundreds of characters and scenes, so the lists are cut to the first few; the
JSON file always has everything.
"""

from __future__ import annotations

from fabula.diagnostics import WARNING
from fabula.model import Story
from fabula.outputs.json_schema import scene_characters

MAX_CAST_LINES = 15
MAX_SCENE_LINES = 20
MAX_NAMES_PER_SCENE = 8
MAX_DIAGNOSTIC_LINES = 5


def format_summary(story: Story) -> str:
    """Cast by lines spoken (most first), each scene with who is present, then reading notes
    (not warnings: the command prints those on stderr).

    Example::

        2 characters, 3 quotations, 1 scene
        Cast (lines spoken):
          Odile             1
          Wren              1
        Scenes:
          s0 "Chapter 1": Wren, Odile (3 quotes)
    """
    lines = [
        f"{_count(len(story.characters), 'character')}, "
        f"{_count(len(story.quotes), 'quotation')}, {_count(len(story.scenes), 'scene')}"
    ]
    cast = sorted(story.characters, key=lambda c: (-c.quote_count, c.name))
    # Lines, as in ``quote_count``: the parts of one interrupted quotation are one line.
    unattributed = sum(1 for q in story.quotes if q.speaker is None and q.continues is None)
    if cast or unattributed:
        lines.append("Cast (lines spoken):")
        width = max((len(c.name) for c in cast[:MAX_CAST_LINES]), default=0)
        width = max(width, len("(no speaker)"))
        for character in cast[:MAX_CAST_LINES]:
            narrator = " (narrator)" if character.is_narrator else ""
            lines.append(f"  {character.name:<{width}}  {character.quote_count:>5}{narrator}")
        if len(cast) > MAX_CAST_LINES:
            lines.append(f"  ... {_count(len(cast) - MAX_CAST_LINES, 'more character')}")
        if unattributed:
            lines.append(f"  {'(no speaker)':<{width}}  {unattributed:>5}")

    names = {c.id: c.name for c in story.characters}
    present = scene_characters(story)
    quotes_per_scene: dict[str, int] = {}
    for quote in story.quotes:
        if quote.scene is not None:
            quotes_per_scene[quote.scene] = quotes_per_scene.get(quote.scene, 0) + 1
    if story.scenes:
        lines.append("Scenes:")
    for scene in story.scenes[:MAX_SCENE_LINES]:
        heading = f' "{scene.heading}"' if scene.heading else ""
        who = ", ".join(names.get(c, c) for c in present[scene.id][:MAX_NAMES_PER_SCENE])
        if len(present[scene.id]) > MAX_NAMES_PER_SCENE:
            who += f" and {len(present[scene.id]) - MAX_NAMES_PER_SCENE} more"
        quotes = _count(quotes_per_scene.get(scene.id, 0), "quote")
        lines.append(f"  {scene.id}{heading}: {who or 'nobody'} ({quotes})")
    if len(story.scenes) > MAX_SCENE_LINES:
        lines.append(f"  ... {_count(len(story.scenes) - MAX_SCENE_LINES, 'more scene')}")
    # Warnings go to stderr on their own (see cli.py); these are the notes about the input.
    notes = [note for note in story.diagnostics if not note.startswith(WARNING)]
    if notes:
        lines.append("Notes:")
    lines.extend(f"  {note}" for note in notes[:MAX_DIAGNOSTIC_LINES])
    if len(notes) > MAX_DIAGNOSTIC_LINES:
        lines.append(f"  ... {_count(len(notes) - MAX_DIAGNOSTIC_LINES, 'more note')}")
    return "\n".join(lines)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
