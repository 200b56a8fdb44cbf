"""Misusing the Python API raises a FabulaError that says what to pass, before any stage runs;
what users naturally pass instead (bytes, dicts, a list of aliases) is accepted."""

from __future__ import annotations

from pathlib import Path

import pytest

import fabula
from fabula import ConfigError, FabulaError, InputError, KnownCharacter, pipeline
from fabula.model import SourceText

STORY = '"Is the lamp lit?" asked Wren.'


class FakePipeline:
    """Stands in for ``pipeline.analyze_source``: records what ``analyze`` hands it."""

    def __init__(self) -> None:
        self.calls: list[tuple[SourceText, tuple[KnownCharacter, ...] | None]] = []

    def __call__(self, source: SourceText, cast=None, **_: object) -> None:
        self.calls.append((source, cast))


@pytest.fixture
def fake_pipeline(monkeypatch: pytest.MonkeyPatch) -> FakePipeline:
    fake = FakePipeline()
    monkeypatch.setattr(pipeline, "analyze_source", fake)
    return fake


def test_bytes_are_decoded_as_the_command_decodes_a_file(fake_pipeline: FakePipeline) -> None:
    fabula.analyze(STORY.encode("utf-8"))
    fabula.analyze("Zoë said so.\r\n".encode("cp1252"))
    utf8, cp1252 = (source for source, _ in fake_pipeline.calls)
    assert utf8.text == STORY and utf8.notes == ()
    assert cp1252.text == "Zoë said so.\n"
    assert cp1252.notes == ("decoded as cp1252: the file is not valid UTF-8",)


@pytest.mark.parametrize(
    ("text", "error", "says"),
    [
        (None, InputError, "as a str (or bytes to decode), not NoneType"),
        (42, InputError, "not int"),
        (Path("story.txt"), InputError, "fabula.analyze(path.read_bytes())"),
        (b"", InputError, "<bytes> is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", InputError, "<bytes> looks like a binary file"),
    ],
    ids=["none", "int", "path", "empty-bytes", "binary-bytes"],
)
def test_a_story_that_is_no_text_is_an_input_error(
    fake_pipeline: FakePipeline, text: object, error: type[FabulaError], says: str
) -> None:
    with pytest.raises(error) as raised:
        fabula.analyze(text)  # type: ignore[arg-type]
    assert says in str(raised.value)
    assert not fake_pipeline.calls


def test_a_cast_of_dicts_is_read_like_a_cast_file(fake_pipeline: FakePipeline) -> None:
    fabula.analyze(
        STORY,
        cast=[
            {"name": " Wren ", "aliases": ["Wrenna"], "gender": "she"},
            KnownCharacter("Odile", is_narrator=True),
        ],
    )
    [(_, cast)] = fake_pipeline.calls
    assert cast == (
        KnownCharacter("Wren", ("Wrenna",), "she"),
        KnownCharacter("Odile", is_narrator=True),
    )


@pytest.mark.parametrize(
    ("cast", "says"),
    [
        (KnownCharacter("Wren"), "a list of fabula.KnownCharacter (or of dicts with their keys"),
        ("Wren", "cast must be a list"),
        ({"name": "Wren"}, "cast must be a list"),
        (["Wren"], "cast entry 0: expected a fabula.KnownCharacter or a dict, not 'Wren'"),
        ([{"name": "Wren", "alias": ["W"]}], "cast entry 0: unknown key 'alias' (allowed: name,"),
        ([{"aliases": ["W"]}], 'cast entry 0: "name" must be a non-empty string'),
        ([{"name": "Wren", "gender": "it"}], '"gender" must be "he", "she", "they" or null'),
        ([KnownCharacter("Wren"), {"name": "wren"}], "cast entry 1: duplicate name 'wren'"),
    ],
    ids=["one-character", "str", "dict", "list-of-str", "typo", "no-name", "gender", "twice"],
)
def test_a_malformed_cast_is_a_config_error(
    fake_pipeline: FakePipeline, cast: object, says: str
) -> None:
    with pytest.raises(ConfigError) as raised:
        fabula.analyze(STORY, cast=cast)  # type: ignore[arg-type]
    assert says in str(raised.value)
    assert not fake_pipeline.calls


@pytest.mark.parametrize(
    ("arguments", "says"),
    [
        ({"name": "Ann", "aliases": "Annie"}, 'aliases must be a tuple of names, like aliases=("'),
        ({"name": "Ann", "aliases": ("Annie", 3)}, "each alias must be a non-empty str"),
        ({"name": "Ann", "gender": "it"}, 'gender must be "he", "she", "they" or None, not \'it\''),
        ({"name": "Ann", "gender": "She"}, 'gender must be "he", "she", "they" or None'),
        ({"name": "Ann", "is_narrator": "yes"}, "is_narrator must be True or False, not 'yes'"),
        ({"name": 42}, "name must be a non-empty str"),
        ({"name": "  "}, "name must be a non-empty str"),
        ({"name": None}, "name must be a non-empty str"),
    ],
    ids=[
        "aliases-str",
        "alias-int",
        "gender-it",
        "gender-case",
        "narrator",
        "int",
        "blank",
        "none",
    ],
)
def test_a_malformed_known_character_is_a_config_error(arguments: dict, says: str) -> None:
    with pytest.raises(ConfigError) as raised:
        KnownCharacter(**arguments)
    assert says in str(raised.value)


def test_a_list_of_aliases_becomes_a_tuple() -> None:
    ann = KnownCharacter("Ann", aliases=["Annie", "Nan"])  # type: ignore[arg-type]
    assert ann.aliases == ("Annie", "Nan")
    assert hash(ann) == hash(KnownCharacter("Ann", ("Annie", "Nan")))


def test_settings_of_another_type_are_a_config_error(fake_pipeline: FakePipeline) -> None:
    with pytest.raises(ConfigError, match=r"settings must be a fabula\.settings\.Settings"):
        fabula.analyze(STORY, settings=None)  # type: ignore[arg-type]
    assert not fake_pipeline.calls
