"""Warnings when a result has little evidence behind it, and the confidence that follows."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

import fabula
from fabula.analysis.diagnostics import (
    UNNAMED_SPEAKER_CONFIDENCE,
    WARNING,
    check_evidence,
    warnings_in,
)
from fabula.cli import main
from fabula.model import (
    Character,
    CharacterId,
    KnownCharacter,
    Paragraph,
    Quote,
    QuoteId,
    QuoteType,
    Story,
)
from fabula.settings import DEFAULT_SETTINGS

ZED = CharacterId("zed")


def _given_to(story: Story, character: Character, quote_index: int = 0) -> Story:
    """The story with ``character`` in its cast and quotation ``quote_index`` given to them."""
    quotes = list(story.quotes)
    quotes[quote_index] = replace(quotes[quote_index], speaker=character.id, confidence=0.91)
    return replace(story, characters=(*story.characters, character), quotes=tuple(quotes))


def test_a_story_whose_speakers_are_named_is_unchanged(sample_story: Story) -> None:
    story = sample_story
    assert check_evidence(story, ()) == story


def test_a_cast_member_the_text_never_names_is_warned_and_their_lines_lowered(
    sample_story: Story,
) -> None:
    story = _given_to(sample_story, Character(ZED, "Zed"))
    checked = check_evidence(story, (KnownCharacter("Zed"), KnownCharacter("Wren")))
    assert warnings_in(checked) == (
        f"{WARNING}the cast names 'Zed', but the text never does; lines given to Zed have"
        f" confidence at most {UNNAMED_SPEAKER_CONFIDENCE}",
    )
    assert checked.quotes[0].speaker == ZED
    assert checked.quotes[0].confidence == UNNAMED_SPEAKER_CONFIDENCE
    assert checked.quotes[1:] == story.quotes[1:]
    assert checked.diagnostics[: len(story.diagnostics)] == story.diagnostics


@pytest.mark.parametrize(
    "character",
    [
        Character(ZED, "Miss Odile Varga"),  # a word of the name: "Odile"
        Character(ZED, "The Ferryman"),  # "The ferryman, Bastien": any case
        Character(ZED, "Zed", aliases=("Bastien",)),  # an alias
        Character(ZED, "the lamp"),  # no telling word: the whole name, any case
    ],
    ids=["word", "case", "alias", "phrase"],
)
def test_a_character_named_by_a_word_or_an_alias_keeps_their_confidence(
    sample_story: Story, character: Character
) -> None:
    story = _given_to(sample_story, character)
    checked = check_evidence(story, (KnownCharacter(character.name),))
    assert checked.quotes == story.quotes
    assert warnings_in(checked) == ()


def _narrated(text: str) -> Story:
    """A one-paragraph story whose only quotation is given to Zed, the narrator."""
    start = text.index('"')
    quote = Quote(
        QuoteId("q0"),
        start,
        text.index('"', start + 1) + 1,
        ZED,
        (),
        QuoteType.IMPLICIT,
        0.91,
        None,
    )
    return Story(
        text=text,
        paragraphs=(Paragraph(0, 0, len(text)),),
        scenes=(),
        quotes=(quote,),
        characters=(Character(ZED, "Zed", is_narrator=True),),
        mentions=(),
    )


@pytest.mark.parametrize(
    ("text", "confidence"),
    [
        ('I lit the lamp. "Done," my sister said.', 0.91),
        ('You light the lamp. "Done," your sister says.', 0.91),
        ('The lamp was lit. "Done," she said.', UNNAMED_SPEAKER_CONFIDENCE),
        ('"I lit it," she said.', UNNAMED_SPEAKER_CONFIDENCE),  # an "I" inside a quotation
    ],
    ids=["first-person", "second-person", "third-person", "quoted-i"],
)
def test_a_given_narrator_is_named_by_their_voice_in_the_narration(
    text: str, confidence: float
) -> None:
    narrator = KnownCharacter("Zed", is_narrator=True)
    assert check_evidence(_narrated(text), (narrator,)).quotes[0].confidence == confidence


def test_characters_fabula_found_itself_are_left_alone() -> None:
    story = _narrated('The lamp was lit. "Done," she said.')
    assert check_evidence(story, ()) == story


def test_an_alias_another_cast_member_is_called_is_warned(sample_story: Story) -> None:
    cast = (KnownCharacter("Wren", aliases=("Odile",)), KnownCharacter("Odile"))
    assert warnings_in(check_evidence(sample_story, cast)) == (
        f"{WARNING}'Odile' is a name or alias of Wren and Odile: fabula cannot tell which one"
        " the text means by it",
    )


def test_two_narrators_are_warned(sample_story: Story) -> None:
    cast = (KnownCharacter("Wren", is_narrator=True), KnownCharacter("Odile", is_narrator=True))
    [warning] = warnings_in(check_evidence(sample_story, cast))
    assert "the cast gives 2 narrators (Wren, Odile)" in warning


def test_a_text_without_dialogue_is_warned(sample_story: Story) -> None:
    story = replace(sample_story, quotes=(), diagnostics=())
    [warning] = warnings_in(check_evidence(story, ()))
    assert warning.startswith(f"{WARNING}no dialogue recognised")
    empty = replace(story, text="", paragraphs=(), scenes=(), characters=(), mentions=())
    assert warnings_in(check_evidence(empty, ())) == ()


def test_an_unnamed_speaker_is_flagged_as_uncertain() -> None:
    assert DEFAULT_SETTINGS.low_confidence > UNNAMED_SPEAKER_CONFIDENCE


@pytest.mark.model
def test_a_given_narrator_the_text_never_names_gets_no_confident_line(sample_story: Story) -> None:
    story = fabula.analyze(sample_story.text, cast=[KnownCharacter("Zed", is_narrator=True)])
    given = [q for q in story.quotes if story.character(q.speaker).name == "Zed"]  # type: ignore[union-attr]
    assert given, "the narrator is given lines (the cast stage's choice)"
    assert all(q.confidence <= UNNAMED_SPEAKER_CONFIDENCE for q in given)
    assert any("the cast names the narrator 'Zed'" in w for w in warnings_in(story))


@pytest.mark.model
def test_the_command_prints_warnings_on_stderr(sample_story: Story, tmp_path: Path) -> None:
    story_file = tmp_path / "story.txt"
    story_file.write_text(sample_story.text, encoding="utf-8")
    cast_file = tmp_path / "cast.json"
    cast_file.write_text(json.dumps([{"name": "Zed"}, {"name": "Wren"}]), encoding="utf-8")
    args = ["analyze", str(story_file), "--cast", str(cast_file), "-o", str(tmp_path)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        f"fabula: {story_file}: warning: the cast names 'Zed', but the text never does;"
        f" lines given to Zed have confidence at most {UNNAMED_SPEAKER_CONFIDENCE}\n"
    )
    assert "warning" not in result.stdout
    data = json.loads((tmp_path / "story.json").read_text(encoding="utf-8"))
    assert [d for d in data["diagnostics"] if d.startswith(WARNING)] == [
        result.stderr.split(": ", 2)[2].strip()
    ]
    quiet = CliRunner().invoke(main, [*args, "--quiet"])
    assert quiet.exit_code == 0 and quiet.output == ""
