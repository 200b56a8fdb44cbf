"""The summary ``fabula analyze`` prints: cast by lines spoken, then scenes, then notes."""

from __future__ import annotations

import dataclasses

from fabula.model import Scene, SceneId, Story
from fabula.outputs.summary import MAX_SCENE_LINES, format_summary


def test_cast_sorted_by_lines_then_scenes(sample_story: Story) -> None:
    lines = format_summary(sample_story).splitlines()
    assert lines[0] == "4 characters, 5 quotations, 2 scenes"
    cast = lines[lines.index("Cast (lines spoken):") + 1 : lines.index("Scenes:")]
    assert [line.split()[0] for line in cast] == ["Wren", "Bastien", "Odile", "Zoë"]
    assert [line.split()[-1] for line in cast] == ["2", "1", "1", "0"]
    scenes = lines[lines.index("Scenes:") + 1 : lines.index("Notes:")]
    assert scenes == [
        '  s0 "Chapter 1": Wren, Odile (4 quotes)',
        '  s1 "Chapter 2": Bastien, Zoë, Odile (1 quote)',
    ]
    assert lines[-1] == "  paragraph 2: a quotation is interrupted by a tag"


def test_unattributed_lines_are_counted(sample_story: Story) -> None:
    quotes = tuple(dataclasses.replace(q, speaker=None) for q in sample_story.quotes)
    summary = format_summary(dataclasses.replace(sample_story, quotes=quotes))
    no_speaker = next(line for line in summary.splitlines() if "(no speaker)" in line)
    assert no_speaker.split()[-1] == "4"  # the two parts of Odile's interrupted line are one


def test_long_scene_lists_are_cut(sample_story: Story) -> None:
    scenes = tuple(Scene(SceneId(f"s{i}"), i, i + 1) for i in range(MAX_SCENE_LINES + 3))
    summary = format_summary(dataclasses.replace(sample_story, scenes=scenes, diagnostics=()))
    assert summary.splitlines()[-1] == "  ... 3 more scenes"


def test_uncertain_lines_are_counted(sample_story: Story) -> None:
    """Odile's line is two parts below the threshold: one uncertain line of four."""
    quotes = tuple(
        dataclasses.replace(q, confidence=0.3) if q.id in {"q1", "q2"} else q
        for q in sample_story.quotes
    )
    summary = format_summary(dataclasses.replace(sample_story, quotes=quotes))
    assert summary.splitlines()[1] == "Uncertain: 1 of 4 lines (speaker confidence below 0.5)"
    summary = format_summary(sample_story, low_confidence=0.75)
    assert summary.splitlines()[1] == "Uncertain: 1 of 4 lines (speaker confidence below 0.75)"
