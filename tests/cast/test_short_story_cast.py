"""Stories fabula still gets wrong, kept for the cast stage's rework (issue 16, item 7).

The README's first example was the first of these: it printed one character and gave both of
Odile's lines to Wren. The README now shows a story fabula handles; these must start passing.
"""

from __future__ import annotations

import pytest

import fabula

pytestmark = pytest.mark.model

SENTENCE_INITIAL_ONLY = (
    "cast/aliases.py _is_person drops a name whose every mention opens a sentence and is no"
    " speech verb's subject (the rule for 'Hullo,' and 'Heyday!'): 'Odile shook her head.' is"
    " her only mention, so she is no character, and attribution gives 'she said' to Wren"
)
TOO_LITTLE_EVIDENCE = (
    "cast/aliases.py _is_person wants more evidence than a short scene gives: Wren only opens a"
    " sentence (as above), and Odile is a subject once where two are needed ('she asked Odile'"
    " is not parsed as the object of a speech verb, which would count), so no one is cast"
)


@pytest.mark.xfail(strict=True, reason=SENTENCE_INITIAL_ONLY)
def test_a_name_that_only_opens_sentences_is_a_character() -> None:
    story = fabula.analyze(
        'Chapter 1\n\n"Is the lamp lit?" asked Wren.\n\n'
        'Odile shook her head. "Not yet," she said, "but soon."\n'
    )
    assert sorted(c.name for c in story.characters) == ["Odile", "Wren"]
    speakers = [story.character(q.speaker).name for q in story.quotes]  # type: ignore[union-attr]
    assert speakers == ["Wren", "Odile", "Odile"]


@pytest.mark.xfail(strict=True, reason=TOO_LITTLE_EVIDENCE)
def test_two_characters_of_a_short_scene_are_found() -> None:
    story = fabula.analyze(
        'Chapter 1\n\nWren climbed the stairs. "Is the lamp lit?" she asked Odile.\n\n'
        'Odile shook her head. "Not yet," she said, "but soon."\n'
    )
    assert sorted(c.name for c in story.characters) == ["Odile", "Wren"]
    speakers = [story.character(q.speaker).name for q in story.quotes]  # type: ignore[union-attr]
    assert speakers == ["Wren", "Odile", "Odile"]
