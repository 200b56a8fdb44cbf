"""The story report: one self-contained HTML page built from a story's JSON.

It works from the documented JSON (``fabula.story/1``), not from the pipeline's objects, so
``fabula report STORY.json`` and ``fabula analyze --html`` give the same page. Jinja2 escapes
all story text; the pictures are SVG from ``plots.py``; the page's script and styles are in the
template and fetch nothing.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

from fabula.errors import InputError
from fabula.model import SCHEMA
from fabula.outputs.plots import (
    OTHER_COLOUR,
    PALETTE,
    ArcSeries,
    arcs_svg,
    network_svg,
    timeline_svg,
)
from fabula.outputs.words import counted

PRONOUNS = {"he": "he/him", "she": "she/her", "they": "they/them"}
TYPE_NAMES = {
    "explicit": "named in the tag",
    "anaphoric": "pronoun or description in the tag",
    "implicit": "no tag",
}
# Speakers with their own colour (the palette's size); the rest share a grey and a label.
COLOURED_SPEAKERS = len(PALETTE)
TOP_ADDRESSEES = 3
# A relationship needs this many lines before its arc is worth drawing.
MIN_ARC_QUOTES = 3
_REQUIRED_KEYS = ("text", "characters", "quotes", "scenes", "paragraphs")


@dataclass(frozen=True, slots=True)
class CastRow:
    id: str
    name: str
    aliases: str
    pronouns: str
    lines: int
    words: int
    scenes: int
    top_addressees: str
    colour_class: str


def render_report(story: dict[str, Any], *, title: str, low_confidence: float = 0.5) -> str:
    """The whole page for one story's JSON data; ``title`` names it when the work has none."""
    _check(story)
    from jinja2 import Environment, PackageLoader, select_autoescape

    environment = Environment(
        loader=PackageLoader("fabula", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
    )
    environment.filters["counted"] = counted
    characters = {c["id"]: c for c in story["characters"]}
    names = {cid: c["name"] for cid, c in characters.items()}
    ranked = _speakers_by_lines(story)
    colour_index = {cid: i for i, cid in enumerate(ranked[:COLOURED_SPEAKERS])}
    colours = {cid: PALETTE[i] for cid, i in colour_index.items()}
    scene_position = {scene["id"]: i for i, scene in enumerate(story["scenes"])}
    edges = Counter(
        (q["speaker"], addressee)
        for q in story["quotes"]
        if q["speaker"] is not None
        for addressee in q["addressees"]
    )
    work = story.get("work") or {}
    return environment.get_template("report.html.j2").render(
        title=work.get("title") or title,
        authors=", ".join(work.get("authors") or ()),
        counts={
            "characters": len(story["characters"]),
            "quotes": len(story["quotes"]),
            "attributed": sum(q["speaker"] is not None for q in story["quotes"]),
            "scenes": len(story["scenes"]),
            "unsure": sum(q["confidence"] < low_confidence for q in story["quotes"]),
        },
        cast=_cast_rows(story, ranked, colour_index, names),
        scenes=story["scenes"],
        text=_marked_text(story, colour_index, low_confidence),
        network=Markup(network_svg(names, dict(edges), colours)),
        scene_edges={
            scene: sorted(f"edge-{s}-{a}" for s, a in pairs)
            for scene, pairs in _scene_edges(story).items()
        },
        speaker_arcs=Markup(
            arcs_svg(
                "How each character speaks, scene by scene",
                _speaker_series(story, ranked, names, colours, scene_position),
                len(story["scenes"]),
            )
        ),
        relationship_arcs=Markup(
            arcs_svg(
                "How each speaks to the other (speaker → addressee)",
                _relationship_series(story, edges, names, colours, scene_position),
                len(story["scenes"]),
            )
        ),
        timeline=Markup(_timeline(story, ranked, names, colours, scene_position)),
        data=Markup(_script_json(_page_data(story, names))),
        low_confidence=low_confidence,
    )


def load_story_json(raw: str, where: str) -> dict[str, Any]:
    """A story's JSON as written by ``fabula analyze``, or one clear error."""
    try:
        story = json.loads(raw)
    except json.JSONDecodeError as error:
        raise InputError(f"{where}: not valid JSON (line {error.lineno}: {error.msg})") from error
    _check(story, where)
    return story


def _check(story: Any, where: str = "story") -> None:
    if not isinstance(story, dict) or story.get("schema") != SCHEMA:
        raise InputError(f'{where}: not a fabula story (expected "schema": "{SCHEMA}")')
    missing = [key for key in _REQUIRED_KEYS if key not in story]
    if missing:
        raise InputError(f"{where}: the story JSON lacks {', '.join(missing)}")


def _speakers_by_lines(story: dict) -> list[str]:
    """Character ids, most lines first (``quote_count``: interrupted quotations count once)."""
    characters = story["characters"]
    order = sorted(range(len(characters)), key=lambda i: (-characters[i]["quote_count"], i))
    return [characters[i]["id"] for i in order]


def _cast_rows(
    story: dict, ranked: list[str], colour_index: dict[str, int], names: dict[str, str]
) -> list[CastRow]:
    characters = {c["id"]: c for c in story["characters"]}
    words: Counter = Counter()
    addressed: dict[str, Counter] = defaultdict(Counter)
    for quote in story["quotes"]:
        speaker = quote["speaker"]
        if speaker is None:
            continue
        words[speaker] += len(quote["text"].split())
        if not quote["continues"]:
            addressed[speaker].update(quote["addressees"])
    scenes = Counter(cid for scene in story["scenes"] for cid in scene["characters"])
    rows = []
    for cid in ranked:
        character = characters[cid]
        top = ", ".join(
            f"{names.get(a, a)} ({n})" for a, n in addressed[cid].most_common(TOP_ADDRESSEES)
        )
        rows.append(
            CastRow(
                id=cid,
                name=character["name"] + (" (narrator)" if character["is_narrator"] else ""),
                aliases=", ".join(character["aliases"]),
                pronouns=PRONOUNS.get(character["gender"] or "", "unknown"),
                lines=character["quote_count"],
                words=words[cid],
                scenes=scenes[cid],
                top_addressees=top,
                colour_class=_colour_class(cid, colour_index),
            )
        )
    return rows


def _colour_class(character: str | None, colour_index: dict[str, int]) -> str:
    if character is None:
        return "k-none"
    return f"k{colour_index[character]}" if character in colour_index else "k-other"


def _marked_text(story: dict, colour_index: dict[str, int], low_confidence: float) -> Markup:
    """The story as scenes of paragraphs, each quotation one focusable, coloured element.

    A scene's heading line (its chapter title) is shown once, as the scene's heading.
    """
    text = story["text"]
    scenes = story["scenes"]
    marker = _QuoteMarker(story, colour_index, low_confidence)
    parts: list[str] = []
    scene_index = 0
    open_scene = False
    for paragraph in story["paragraphs"]:
        start, end = paragraph["start"], paragraph["end"]
        while scene_index < len(scenes) and scenes[scene_index]["end"] <= start:
            scene_index += 1
            if open_scene:
                parts.append("</section>")
                open_scene = False
        scene = scenes[scene_index] if scene_index < len(scenes) else None
        opens = scene is not None and not open_scene and scene["start"] <= start
        if opens:
            heading = scene["heading"] or f"Scene {scene_index + 1}"
            parts.append(
                f'<section class="scene" id="scene-{escape(scene["id"])}">'
                f'<h3 class="scene-heading">{escape(heading)}'
                f' <span class="scene-id">({escape(scene["id"])})</span></h3>'
            )
            open_scene = True
        inside = scene is not None and scene["start"] <= start < scene["end"]
        # The heading line: the scene's first paragraph, or the one just before it.
        heads = scene is not None and (opens or (not inside and end <= scene["start"]))
        if heads and _same_words(text[start:end], scene["heading"]) and marker.none_in(end):
            continue
        pieces, speakers = marker.mark(start, end)
        kind = "" if inside else ' class="break"'
        said = f' data-speakers="{escape(" ".join(sorted(speakers)))}"' if speakers else ""
        parts.append(f"<p{kind}{said}>{pieces}</p>")
    if open_scene:
        parts.append("</section>")
    return Markup("\n".join(parts))


def _same_words(line: str, heading: str | None) -> bool:
    return heading is not None and line.split() == heading.split()


class _QuoteMarker:
    """Walks the story's quotations in text order, marking those of each paragraph in turn."""

    def __init__(self, story: dict, colour_index: dict[str, int], low_confidence: float) -> None:
        self.text = story["text"]
        self.quotes = story["quotes"]
        self.names = {c["id"]: c["name"] for c in story["characters"]}
        self.colour_index = colour_index
        self.low_confidence = low_confidence
        self.next = 0

    def none_in(self, end: int) -> bool:
        """Whether no quotation left to mark starts before ``end``."""
        return self.next >= len(self.quotes) or self.quotes[self.next]["start"] >= end

    def mark(self, start: int, end: int) -> tuple[str, set[str]]:
        """The escaped HTML of text[start:end] with its quotations marked, and their speakers."""
        text = self.text
        speakers: set[str] = set()
        pieces: list[str] = []
        cursor = start
        while self.next < len(self.quotes) and self.quotes[self.next]["start"] < end:
            quote = self.quotes[self.next]
            self.next += 1
            if quote["start"] < cursor:
                continue
            pieces.append(str(escape(text[cursor : quote["start"]])))
            speaker = quote["speaker"]
            if speaker is not None:
                speakers.add(speaker)
            classes = ["quote", _colour_class(speaker, self.colour_index)]
            if quote["confidence"] < self.low_confidence:
                classes.append("unsure")
            label = self.names.get(speaker, "unknown speaker") if speaker else "unknown speaker"
            pieces.append(
                f'<span class="{" ".join(classes)}" data-quote-id="{escape(quote["id"])}"'
                f' data-speaker="{escape(speaker or "")}" data-label="{escape(label)}"'
                f' tabindex="0">{escape(text[quote["start"] : quote["end"]])}</span>'
            )
            cursor = quote["end"]
        pieces.append(str(escape(text[cursor:end])))
        return "".join(pieces), speakers


def _scene_edges(story: dict) -> dict[str, set[tuple[str, str]]]:
    edges: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for quote in story["quotes"]:
        if quote["speaker"] is not None and quote["scene"] is not None:
            edges[quote["scene"]].update((quote["speaker"], a) for a in quote["addressees"])
    return edges


def _speaker_series(
    story: dict,
    ranked: list[str],
    names: dict[str, str],
    colours: dict[str, str],
    scene_position: dict[str, int],
) -> list[ArcSeries]:
    points: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for scene in story["scenes"]:
        for entry in (scene.get("sentiment") or {}).get("characters", ()):
            points[entry["character"]].append((scene_position[scene["id"]], entry["mean"]))
    return [
        ArcSeries(names.get(cid, cid), tuple(points[cid]), colours.get(cid, OTHER_COLOUR))
        for cid in ranked
        if points[cid]
    ]


def _relationship_series(
    story: dict,
    edges: Counter,
    names: dict[str, str],
    colours: dict[str, str],
    scene_position: dict[str, int],
) -> list[ArcSeries]:
    """Each main speaker → addressee pair, in the speaker's colour."""
    points: dict[tuple[str, str], list[tuple[int, float]]] = defaultdict(list)
    for scene in story["scenes"]:
        for entry in (scene.get("sentiment") or {}).get("relationships", ()):
            pair = (entry["speaker"], entry["addressee"])
            points[pair].append((scene_position[scene["id"]], entry["mean"]))
    return [
        ArcSeries(
            f"{names.get(s, s)} → {names.get(a, a)}",
            tuple(points[(s, a)]),
            colours.get(s, OTHER_COLOUR),
        )
        for (s, a), lines in edges.most_common()
        if lines >= MIN_ARC_QUOTES and points[(s, a)]
    ]


def _timeline(
    story: dict,
    ranked: list[str],
    names: dict[str, str],
    colours: dict[str, str],
    scene_position: dict[str, int],
) -> str:
    present = {
        cid: {i for i, scene in enumerate(story["scenes"]) if cid in scene["characters"]}
        for cid in ranked
    }
    spoken: dict[str, Counter] = defaultdict(Counter)
    for quote in story["quotes"]:
        counted = quote["speaker"] is not None and not quote["continues"]
        if counted and quote["scene"] in scene_position:
            spoken[quote["speaker"]][scene_position[quote["scene"]]] += 1
    rows = [(cid, names[cid]) for cid in ranked if present[cid]]
    return timeline_svg(rows, present, dict(spoken), len(story["scenes"]), colours)


def _page_data(story: dict, names: dict[str, str]) -> dict[str, Any]:
    """What the page's script needs for tooltips: per quotation id, compactly."""
    return {
        "names": names,
        "quotes": {
            q["id"]: [
                q["speaker"],
                q["addressees"],
                TYPE_NAMES.get(q["type"], q["type"]),
                q["confidence"],
                q.get("sentiment", 0.0),
            ]
            for q in story["quotes"]
        },
    }


def _script_json(data: dict) -> str:
    """JSON safe inside <script>: no "</script>" or "<!--" can come out of a name."""
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return raw.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
