"""Character profiles: agent and patient verbs, possessions, modifiers, pronoun evidence."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from fabula import pipeline
from fabula.analysis.profiles import ProfileCounts
from fabula.model import CharacterId, Profile, Story
from fabula.reading import read_path
from fabula.settings import DEFAULT_SETTINGS

pytestmark = pytest.mark.model

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "the_lighthouse_keepers.txt"
HUG = """\
Mara hugged Jonah at the gate. He laughed and lifted her bag.

"I missed you," Mara said.

"You always say that," said Jonah. Jonah was tired, and his coat was wet.
"""


def _profile(story: Story, name: str) -> Profile:
    character = next(c for c in story.characters if c.name == name)
    return next(p for p in story.profiles if p.character == character.id)


def _words(entries) -> dict[str, int]:
    return {entry.word: entry.count for entry in entries}


def test_who_hugs_is_the_agent_and_who_is_hugged_the_patient() -> None:
    story = pipeline.analyze(HUG)
    mara, jonah = _profile(story, "Mara"), _profile(story, "Jonah")
    assert "hug" in _words(mara.agent) and "hug" not in _words(mara.patient)
    assert "hug" in _words(jonah.patient) and "hug" not in _words(jonah.agent)
    assert "laugh" in _words(jonah.agent)  # through "He"
    assert _words(mara.possessions) == {"bag": 1}  # "her bag"
    assert _words(jonah.possessions) == {"coat": 1}
    assert "tired" in _words(jonah.modifiers)  # "Jonah was tired"
    assert dict(jonah.pronouns)["he"] >= 1 and dict(mara.pronouns)["other"] >= 1  # "I"
    hug = next(e for e in mara.agent if e.word == "hug")
    assert HUG[hug.examples[0] :].startswith("Mara hugged")
    assert mara.first_mention == 0 and mara.last_mention >= HUG.index("Mara said")


def test_the_example_story_profiles(example_story: Story) -> None:
    story = example_story
    assert "shake" in _words(_profile(story, "Nell").agent)  # "Nell shook Billie's hand"
    assert "hand" in _words(_profile(story, "Billie").possessions)
    toby = _profile(story, "Toby")
    assert "carry" in _words(toby.agent) and "follow" in _words(toby.patient)
    scene_ids = [scene.id for scene in story.scenes]
    for profile in story.profiles:
        assert profile.first_mention is not None and profile.first_mention <= profile.last_mention
        assert list(profile.scenes) == [s for s in scene_ids if s in profile.scenes]
    assert [p.character for p in story.profiles] == [c.id for c in story.characters]


def test_window_counts_merge_onto_the_merged_cast() -> None:
    first, second = ProfileCounts(), ProfileCounts()
    first.add("agent", CharacterId("c0"), "hug", 5)
    second.add("agent", CharacterId("c1"), "hug", 90)
    second.add("patient", CharacterId("c0"), "follow", 80)
    merged = ProfileCounts()
    merged.merge(first, {CharacterId("c0"): CharacterId("c0")})
    merged.merge(
        second, {CharacterId("c1"): CharacterId("c0"), CharacterId("c0"): CharacterId("c2")}
    )
    assert merged.words["agent"] == {"c0": {"hug": [5, 90]}}
    assert merged.words["patient"] == {"c2": {"follow": [80]}}


def test_a_story_in_two_windows_keeps_its_profiles() -> None:
    source = read_path(EXAMPLE)
    windowed = pipeline.analyze_source(
        source, settings=dataclasses.replace(DEFAULT_SETTINGS, window_chars=8_000)
    )
    toby = _profile(windowed, "Toby")  # named in both windows
    assert "carry" in _words(toby.agent) and "follow" in _words(toby.patient)
    assert set(toby.scenes) == {"s0", "s1", "s3"}
