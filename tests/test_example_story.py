"""The bundled example story, analysed end to end and compared with its gold annotation.

``tests/golden/example_story_gold.json`` holds, for ``examples/the_lighthouse_keepers.txt``:
the cast (name, aliases, gender), the narrator, the scenes (count and first words) and every
quotation part in order (inner text, speaker, addressees, type).

A predicted character stands for the gold cast member whose name or aliases contain its name;
the character fabula marks ``is_narrator=True`` stands for the gold narrator.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from fabula.model import Character, CharacterId, Story

pytestmark = pytest.mark.model

REPO_ROOT = Path(__file__).resolve().parent.parent
STORY_PATH = REPO_ROOT / "examples" / "the_lighthouse_keepers.txt"
GOLD_PATH = REPO_ROOT / "tests" / "golden" / "example_story_gold.json"
GOLD = json.loads(GOLD_PATH.read_text(encoding="utf-8"))
GOLD_CAST_NAMES = [member["name"] for member in GOLD["cast"]]


@pytest.fixture
def story(example_story: Story) -> Story:
    """The example as analysed once for the whole test run (conftest.py)."""
    return example_story


def _key(name: str) -> str:
    """ "Mr. Brannock", "mr brannock" and "Mr Brannock" compare equal."""
    return " ".join(name.replace(".", " ").casefold().split())


def _gold_names(member: dict) -> set[str]:
    return {_key(member["name"]), *(_key(alias) for alias in member["aliases"])}


def gold_name_of(character: Character | None) -> str | None:
    """The gold cast member a predicted character stands for, or None if none or several."""
    if character is None:
        return None
    if character.is_narrator:
        return GOLD["narrator"]
    found = [m["name"] for m in GOLD["cast"] if _key(character.name) in _gold_names(m)]
    return found[0] if len(found) == 1 else None


def _describe(story: Story, character_id: CharacterId | None) -> str:
    character = story.character(character_id)
    if character is None:
        return "nobody"
    flag = ", narrator" if character.is_narrator else ""
    return f"{character.name} ({character.id}{flag})"


def _inner_text(story: Story, index: int) -> str:
    quote = story.quotes[index]
    return story.text[quote.char_start + 1 : quote.char_end - 1]


def _occurs(text: str, name: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text) is not None


def test_gold_annotation_is_consistent() -> None:
    """Guards the gold file itself: a narrator from the cast, one alias list per name."""
    assert GOLD["narrator"] in GOLD_CAST_NAMES
    assert GOLD["scenes"] == len(GOLD["scene_first_words"])
    all_aliases = [a for m in GOLD["cast"] for a in _gold_names(m)]
    assert len(all_aliases) == len(set(all_aliases)), "an alias belongs to two cast members"
    for quote in GOLD["quotes"]:
        assert quote["speaker"] in GOLD_CAST_NAMES, quote
        assert set(quote["addressees"]) <= set(GOLD_CAST_NAMES), quote
        assert quote["type"] in {"explicit", "anaphoric", "implicit"}, quote


def test_scene_count(story: Story) -> None:
    assert len(story.scenes) == GOLD["scenes"]


def test_scene_first_words(story: Story) -> None:
    found = []
    for scene, expected in zip(story.scenes, GOLD["scene_first_words"], strict=False):
        words = story.text[scene.char_start : scene.char_end].split()
        found.append(" ".join(words[: len(expected.split())]))
    assert found == GOLD["scene_first_words"], f"scenes open with {found}"


def test_quotation_spans(story: Story) -> None:
    predicted = [_inner_text(story, i) for i in range(len(story.quotes))]
    expected = [q["text"] for q in GOLD["quotes"]]
    assert len(predicted) == len(expected)
    assert predicted == expected


def test_every_quotation_has_the_gold_speaker(story: Story) -> None:
    predicted_texts = [_inner_text(story, i) for i in range(len(story.quotes))]
    if predicted_texts != [q["text"] for q in GOLD["quotes"]]:
        pytest.fail("the quotation spans differ from the gold ones (see test_quotation_spans)")
    wrong = []
    for index, (quote, gold) in enumerate(zip(story.quotes, GOLD["quotes"], strict=True)):
        predicted = gold_name_of(story.character(quote.speaker))
        if predicted != gold["speaker"]:
            wrong.append(
                f"  q{index}: gold {gold['speaker']!r}, predicted {_describe(story, quote.speaker)}"
                f": {gold['text'][:70]!r}"
            )
    total = len(GOLD["quotes"])
    assert not wrong, (
        f"{len(wrong)} of {total} quotations have the wrong speaker "
        f"({total - len(wrong)} right):\n" + "\n".join(wrong)
    )


def test_the_narrator_is_the_gold_narrator(story: Story) -> None:
    narrators = [c for c in story.characters if c.is_narrator]
    assert len(narrators) == 1, f"expected one narrator, found {narrators}"
    narrator = narrators[0]
    by_name = [m["name"] for m in GOLD["cast"] if _key(narrator.name) in _gold_names(m)]
    assert by_name in ([], [GOLD["narrator"]]), (
        f"the narrator is named {narrator.name!r}, which is {by_name}, not {GOLD['narrator']!r}"
    )


@pytest.mark.parametrize("gold_name", GOLD_CAST_NAMES)
def test_gold_cast_member_is_one_character(story: Story, gold_name: str) -> None:
    """Found once, with every gold alias the text uses, and the right gender."""
    member = next(m for m in GOLD["cast"] if m["name"] == gold_name)
    matches = [c for c in story.characters if gold_name_of(c) == gold_name]
    listed = [f"{c.name} {list(c.aliases)} ({c.id})" for c in matches]
    assert len(matches) == 1, f"{gold_name} is {len(matches)} predicted characters: {listed}"
    character = matches[0]
    predicted_names = {_key(n) for n in (character.name, *character.aliases)}
    used = [
        a for a in dict.fromkeys((member["name"], *member["aliases"])) if _occurs(story.text, a)
    ]
    missing = [a for a in used if _key(a) not in predicted_names]
    assert not missing, f"{gold_name}: {listed[0]} lacks the aliases {missing}"
    assert character.gender == member["gender"], f"{gold_name}: {listed[0]}"


def test_no_extra_speaking_characters(story: Story) -> None:
    speakers = {q.speaker for q in story.quotes if q.speaker is not None}
    extra = [
        f"{c.name} ({c.id})"
        for c in story.characters
        if (c.id in speakers or c.quote_count) and gold_name_of(c) is None
    ]
    assert not extra, f"characters who speak but are not in the gold cast: {extra}"


def test_places_and_events_carry_their_scenes(story: Story) -> None:
    scene_ids = {scene.id for scene in story.scenes}
    places = {story.text[e.char_start : e.char_end].lower(): e for e in story.entities}
    assert "the post office" in places and places["the post office"].category == "FAC"
    assert all(e.scene in scene_ids for e in story.entities)
    words = [story.text[e.char_start : e.char_end] for e in story.events]
    assert "shook" in words and len(words) > 100
    assert all(e.scene in scene_ids for e in story.events)


def test_descriptions_of_people_are_mentions(story: Story) -> None:
    nominals = [
        story.text[m.char_start : m.char_end] for m in story.mentions if m.kind == "nominal"
    ]
    assert "her brother" in nominals and "The postmistress" in nominals
