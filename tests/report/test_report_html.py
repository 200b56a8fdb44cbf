"""The report page's words, headings and pictures, from hand-built stories (no model needed)."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from fabula.analysis.sentiment import scene_sentiments
from fabula.model import CharacterId, Scene, SceneId, Story
from fabula.outputs.plots import PALETTE, ArcSeries, arcs_svg, timeline_svg
from fabula.outputs.report import render_report


def _one_scene(story: Story) -> Story:
    quotes = tuple(replace(q, scene=SceneId("s0")) for q in story.quotes)
    scene = Scene(SceneId("s0"), 0, len(story.text), heading="Chapter 1")
    return replace(story, scenes=(scene,), quotes=quotes, scene_sentiments=scene_sentiments(quotes))


def _text_section(page: str) -> str:
    return page[page.index('<section id="text"') :]


def _x_ticks(svg: str) -> list[str]:
    """The x-axis tick labels of a matplotlib SVG (text kept as text)."""
    return re.findall(r'<g id="xtick_\d+">.*?<text[^>]*>([^<]*)</text>', svg, flags=re.DOTALL)


def _strokes(svg: str) -> set[str]:
    return set(re.findall(r"stroke: (#[0-9a-f]{6})", svg))


def test_counts_take_the_right_number(sample_story: Story) -> None:
    page = render_report(_one_scene(sample_story).to_dict(), title="lamp")
    assert "4 characters · 5 quotations (5 with a speaker, 0 uncertain) · 1 scene</p>" in page
    lone = replace(sample_story, characters=sample_story.characters[:1])
    assert "1 character · " in render_report(lone.to_dict(), title="lamp")


def test_one_scene_has_one_tick() -> None:
    svg = timeline_svg([("c0", "Ann")], {"c0": {0}}, {"c0": {0: 2}}, 1, {"c0": PALETTE[0]})
    assert _x_ticks(svg) == ["1"]
    svg = arcs_svg("arcs", [ArcSeries("Ann", ((0, 0.4),), PALETTE[0])], 1)
    assert _x_ticks(svg) == ["1"]
    svg = timeline_svg([("c0", "Ann")], {"c0": {0, 2}}, {}, 3, {"c0": PALETTE[0]})
    assert _x_ticks(svg) == ["1", "2", "3"]


def test_many_scenes_get_whole_numbers_only() -> None:
    points = tuple((i, 0.1) for i in range(40))
    ticks = _x_ticks(arcs_svg("arcs", [ArcSeries("Ann", points, PALETTE[0])], 40))
    assert ticks and all(tick.isdigit() for tick in ticks)


def test_a_relationship_arc_is_drawn_in_the_speakers_colour(sample_story: Story) -> None:
    """Odile (ranked second, so coloured PALETTE[1]) speaks four quotation parts to Wren."""
    wren, odile, bastien = (CharacterId(c) for c in ("wren", "odile", "bastien"))
    quotes = tuple(
        replace(q, speaker=odile, addressees=(wren,)) if q.speaker != bastien else q
        for q in sample_story.quotes
    )
    characters = tuple(
        replace(c, quote_count={"wren": 5, "odile": 3}.get(c.id, c.quote_count))
        for c in sample_story.characters
    )
    story = replace(
        sample_story,
        quotes=quotes,
        characters=characters,
        scene_sentiments=scene_sentiments(quotes),
    )
    page = render_report(story.to_dict(), title="lamp")
    figures = re.findall(r'<figure class="figure"[^>]*>(.*?)</figure>', page, flags=re.DOTALL)
    [relationships] = [f for f in figures if "speaker → addressee" in f]
    assert "Odile → Wren" in relationships
    assert PALETTE[1].lower() in _strokes(relationships)
    assert PALETTE[0].lower() not in _strokes(relationships)


def _heading_before_its_scene(story: Story) -> Story:
    """Scenes that start after their heading line, as the pipeline makes them."""
    text = story.text
    scenes = []
    for scene in story.scenes:
        start = text.index("\n\n", scene.char_start) + 2
        scenes.append(replace(scene, char_start=start))
    return replace(story, scenes=tuple(scenes))


@pytest.mark.parametrize("shape", [lambda s: s, _heading_before_its_scene])
def test_a_chapter_heading_shows_once(sample_story: Story, shape) -> None:
    text = _text_section(render_report(shape(sample_story).to_dict(), title="lamp"))
    assert text.count("Chapter 1") == 1 and text.count("Chapter 2") == 1
    assert re.search(r'<h3 class="scene-heading">Chapter 2 <span class="scene-id">', text)
    assert text.count('class="quote') == len(sample_story.quotes)
