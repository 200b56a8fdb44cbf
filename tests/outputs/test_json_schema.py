"""The fabula.story/1 contract: keys, types and offsets of ``Story.to_dict``."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

from fabula.analysis.presence import scene_presence
from fabula.model import SCHEMA, Chapter, CharacterId, Mention, MentionKind, Story, Work

TOP_LEVEL_KEYS = [
    "schema",
    "text",
    "characters",
    "quotes",
    "mentions",
    "scenes",
    "paragraphs",
    "diagnostics",
    "work",
    "entities",
    "events",
]
CHARACTER_KEYS = {
    "id",
    "name",
    "aliases",
    "gender",
    "is_narrator",
    "mention_count",
    "quote_count",
    "profile",
}
QUOTE_KEYS = {
    "id",
    "start",
    "end",
    "text",
    "speaker",
    "addressees",
    "type",
    "confidence",
    "scene",
    "continues",
    "sentiment",
}


def test_top_level_keys_in_documented_order(sample_story: Story) -> None:
    data = sample_story.to_dict()
    assert list(data) == TOP_LEVEL_KEYS
    assert data["schema"] == SCHEMA == "fabula.story/1"
    assert data["text"] == sample_story.text


def test_record_keys_and_types(sample_story: Story) -> None:
    data = sample_story.to_dict()
    for character in data["characters"]:
        assert set(character) == CHARACTER_KEYS
        assert isinstance(character["aliases"], list)
        assert character["gender"] in {"he", "she", "they", None}
        assert isinstance(character["is_narrator"], bool)
        assert set(character["profile"]) == {
            "agent", "patient", "possessions", "modifiers", "pronouns", "first_mention",
            "last_mention", "scenes",
        }  # fmt: skip
    for quote in data["quotes"]:
        assert set(quote) == QUOTE_KEYS
        assert quote["type"] in {"explicit", "anaphoric", "implicit"}
        assert isinstance(quote["confidence"], float)
        assert 0.0 <= quote["confidence"] <= 1.0
        assert isinstance(quote["addressees"], list)
        assert -1.0 <= quote["sentiment"] <= 1.0
    for mention in data["mentions"]:
        assert set(mention) == {"start", "end", "character", "kind"}
        assert mention["kind"] in {"name", "pronoun", "nominal"}
    for scene in data["scenes"]:
        assert set(scene) == {"id", "start", "end", "heading", "characters", "sentiment"}
        assert set(scene["sentiment"]) == {"characters", "relationships"}
    for paragraph in data["paragraphs"]:
        assert set(paragraph) == {"start", "end"}
    (lamp,) = data["entities"]
    assert data["text"][lamp["start"] : lamp["end"]] == lamp["text"] == "the lamp"
    assert (lamp["category"], lamp["kind"], lamp["scene"]) == ("FAC", "NOM", "s0")
    assert [(e["text"], e["scene"]) for e in data["events"]] == [("shook", "s0")]
    assert data["diagnostics"] == ["paragraph 2: a quotation is interrupted by a tag"]


def test_offsets_index_the_text(sample_story: Story) -> None:
    data = json.loads(sample_story.to_json())
    text = data["text"]
    for quote in data["quotes"]:
        assert 0 <= quote["start"] < quote["end"] <= len(text)
        assert text[quote["start"] : quote["end"]] == quote["text"]
        assert quote["text"].startswith('"') and quote["text"].endswith('"')
    assert [text[m["start"] : m["end"]] for m in data["mentions"]][:4] == [
        "Wren",
        "Odile",
        "her",
        "she",
    ]
    assert "Zoë" in [text[m["start"] : m["end"]] for m in data["mentions"]]
    assert text[data["scenes"][1]["start"] :].startswith("Chapter 2")


def test_ids_refer_to_records_in_the_file(sample_story: Story) -> None:
    data = sample_story.to_dict()
    character_ids = {c["id"] for c in data["characters"]}
    quote_ids = {q["id"] for q in data["quotes"]}
    scene_ids = {s["id"] for s in data["scenes"]}
    for quote in data["quotes"]:
        assert quote["speaker"] in character_ids | {None}
        assert set(quote["addressees"]) <= character_ids
        assert quote["scene"] in scene_ids | {None}
        assert quote["continues"] in quote_ids | {None}
    assert {m["character"] for m in data["mentions"]} <= character_ids | {None}
    assert data["quotes"][2]["continues"] == "q1"


def test_confidence_rounded_to_three_places(sample_story: Story) -> None:
    assert sample_story.to_dict()["quotes"][0]["confidence"] == 0.912


def test_json_round_trip_keeps_non_ascii(sample_story: Story) -> None:
    dumped = sample_story.to_json()
    assert "Zoë" in dumped
    assert json.loads(dumped) == sample_story.to_dict()


def test_scene_characters_by_first_appearance(sample_story: Story) -> None:
    scenes = sample_story.to_dict()["scenes"]
    # Wren speaks before anyone is named; Odile is then named. In Chapter 2 the ferryman is
    # described, Zoë is named inside his line, and Odile is named last.
    assert [s["characters"] for s in scenes] == [["wren", "odile"], ["bastien", "zoe", "odile"]]


def test_addressee_alone_is_not_present(sample_story: Story) -> None:
    chapter_2 = sample_story.scenes[1]
    quotes = tuple(
        dataclasses.replace(q, addressees=(CharacterId("wren"),)) if q.scene == "s1" else q
        for q in sample_story.quotes
    )
    scenes = scene_presence(sample_story.scenes, quotes, sample_story.mentions)
    assert chapter_2.id == scenes[1].id
    assert "wren" not in scenes[1].characters


def test_mentions_outside_every_scene_are_ignored(sample_story: Story) -> None:
    late = Mention(len(sample_story.text), len(sample_story.text) + 1, "wren", MentionKind.NAME)
    mentions = (*sample_story.mentions, late)
    scenes = scene_presence(sample_story.scenes, sample_story.quotes, mentions)
    assert scenes == sample_story.scenes


def test_empty_story() -> None:
    story = Story(text="", paragraphs=(), scenes=(), quotes=(), characters=(), mentions=())
    data = story.to_dict()
    assert data == {
        "schema": SCHEMA,
        "text": "",
        "characters": [],
        "quotes": [],
        "mentions": [],
        "scenes": [],
        "paragraphs": [],
        "diagnostics": [],
        "work": None,
        "entities": [],
        "events": [],
    }


def test_a_work_s_metadata_and_chapters() -> None:
    work = Work(
        title="Low Tide",
        authors=("wren_writes",),
        relationships=("Mara Quill/Theo Vance",),
        characters=("Mara Quill", "Theo Vance"),
        words=1200,
        chapters=(Chapter("One", 0, 4), Chapter(None, 4, 9)),
    )
    story = Story(
        text="Tide. Out.",
        paragraphs=(),
        scenes=(),
        quotes=(),
        characters=(),
        mentions=(),
        work=work,
    )
    data = story.to_dict()["work"]
    assert data["title"] == "Low Tide"
    assert data["authors"] == ["wren_writes"]
    assert data["characters"] == ["Mara Quill", "Theo Vance"]
    assert data["fandoms"] == [] and data["rating"] is None and data["words"] == 1200
    assert data["chapters"] == [
        {"title": "One", "start": 0, "end": 4},
        {"title": None, "start": 4, "end": 9},
    ]


def test_documented_example_follows_the_contract(repo_root: Path, sample_story: Story) -> None:
    """docs/json-format.md must show the keys the code writes, with consistent offsets."""
    doc = (repo_root / "docs" / "json-format.md").read_text(encoding="utf-8")
    example = json.loads(re.search(r"```json\n(.*?)```", doc, re.DOTALL).group(1))
    expected = sample_story.to_dict()
    assert list(example) == list(expected)
    for key in ("characters", "quotes", "mentions", "scenes", "paragraphs"):
        assert all(list(item) == list(expected[key][0]) for item in example[key])
    text = example["text"]
    for record in example["quotes"]:
        assert text[record["start"] : record["end"]] == record["text"]
    assert [text[m["start"] : m["end"]] for m in example["mentions"]] == [
        "Wren",
        "Odile",
        "she",
        "her",
    ]
    assert [text[p["start"] : p["end"]] for p in example["paragraphs"]] == text.strip().split(
        "\n\n"
    )


def test_scene_sentiment_averages_speakers_and_relationships(sample_story: Story) -> None:
    first, second = (scene["sentiment"] for scene in sample_story.to_dict()["scenes"])
    assert first["characters"] == [
        {"character": "wren", "mean": -0.1, "quotes": 2},
        {"character": "odile", "mean": 0.0, "quotes": 2},
    ]
    assert first["relationships"][0] == {
        "speaker": "wren",
        "addressee": "odile",
        "mean": -0.1,
        "quotes": 2,
    }
    assert second["relationships"] == [
        {"speaker": "bastien", "addressee": "odile", "mean": 0.4, "quotes": 1}
    ]
