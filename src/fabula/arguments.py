"""What ``fabula.analyze`` accepts, turned into the pipeline's types.

Python gives no type checks at run time, so a wrong argument would fail deep inside a stage
with an ``AttributeError``; here it fails at once with a ``FabulaError`` that says what to pass.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import PurePath

from fabula.errors import ConfigError, InputError
from fabula.model import KnownCharacter, SourceText
from fabula.reading import read_bytes
from fabula.settings import Settings

# What analyze() calls story bytes in messages and notes (a file would give its name).
BYTES_NAME = "<bytes>"


def story_source(text: object) -> SourceText:
    """A story given as ``str`` is taken as it is; ``bytes`` are decoded as ``fabula analyze``
    decodes a file (UTF-8, UTF-16/32 with a byte-order mark, else cp1252; HTML and EPUB are
    recognised); anything else is an ``InputError``."""
    if isinstance(text, str):
        return SourceText(text=text)
    if isinstance(text, bytes | bytearray | memoryview):
        return read_bytes(bytes(text), name=BYTES_NAME)
    hint = (
        "; to analyse a file, pass its contents: fabula.analyze(path.read_bytes())"
        if isinstance(text, PurePath)
        else ""
    )
    raise InputError(
        f"analyze() takes the story's text as a str (or bytes to decode), not"
        f" {type(text).__name__}{hint}"
    )


def checked_cast(cast: object) -> tuple[KnownCharacter, ...] | None:
    """The cast as ``KnownCharacter``s: each entry one already, or a dict with its keys
    (``{"name": "Ann", "aliases": ["Annie"]}``, as in a ``--cast`` file). Two entries with the
    same name (ignoring case) are a ``ConfigError``, as in a cast file."""
    if cast is None:
        return None
    if not isinstance(cast, list | tuple):
        raise ConfigError(
            "cast must be a list of fabula.KnownCharacter (or of dicts with their keys:"
            f' name, aliases, gender, is_narrator), like [KnownCharacter("Ann")], not {cast!r}'
        )
    return unique_names(
        tuple(_known_character(entry, index) for index, entry in enumerate(cast)), "cast entry"
    )


def unique_names(cast: tuple[KnownCharacter, ...], where: str) -> tuple[KnownCharacter, ...]:
    """The cast, unless two entries share a name (ignoring case): a ``ConfigError`` naming the
    second one as ``{where} {index}``."""
    seen: set[str] = set()
    for index, character in enumerate(cast):
        if character.name.casefold() in seen:
            raise ConfigError(f"{where} {index}: duplicate name {character.name!r}")
        seen.add(character.name.casefold())
    return cast


def checked_settings(settings: object) -> Settings:
    if not isinstance(settings, Settings):
        raise ConfigError(
            "settings must be a fabula.settings.Settings (for example"
            f" dataclasses.replace(DEFAULT_SETTINGS, ...)), not {type(settings).__name__}"
        )
    return settings


def _known_character(entry: object, index: int) -> KnownCharacter:
    if isinstance(entry, KnownCharacter):
        return entry
    if isinstance(entry, Mapping):
        try:
            return KnownCharacter.from_dict(entry)
        except ConfigError as error:
            raise ConfigError(f"cast entry {index}: {error}") from None
    raise ConfigError(
        f"cast entry {index}: expected a fabula.KnownCharacter or a dict, not {entry!r}"
    )
