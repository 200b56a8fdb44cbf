"""The ``--cast`` file of ``fabula analyze``: a JSON list of known characters, checked strictly
so that a typo ("alias") is an error rather than silently ignored."""

from __future__ import annotations

import json
from pathlib import Path

from fabula.errors import ConfigError
from fabula.model import KnownCharacter

GENDERS = ("he", "she", "they")
CAST_KEYS = frozenset({"name", "aliases", "gender", "is_narrator"})


def load_cast(path: Path) -> tuple[KnownCharacter, ...]:
    """Read a ``--cast`` file: a JSON list of ``{"name", "aliases", "gender", "is_narrator"}``.

    Only ``name`` is required. Unknown keys are rejected so that a typo ("alias") is not
    silently ignored. Example: ``[{"name": "Wren", "aliases": ["Wrenna"], "gender": "she"}]``.
    """
    where = f"cast file {path}"
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as error:
        raise ConfigError(f"{where}: cannot read it: {error.strerror}") from error
    except UnicodeDecodeError as error:
        raise ConfigError(f"{where}: not UTF-8 text") from error
    except json.JSONDecodeError as error:
        raise ConfigError(
            f"{where}: not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})"
        ) from error
    if not isinstance(data, list):
        raise ConfigError(f"{where}: expected a JSON list of characters, got {_json_type(data)}")
    cast = tuple(_known_character(entry, f"{where}: entry {i}") for i, entry in enumerate(data))
    seen: set[str] = set()
    for i, character in enumerate(cast):
        if character.name.casefold() in seen:
            raise ConfigError(f"{where}: entry {i}: duplicate name {character.name!r}")
        seen.add(character.name.casefold())
    return cast


def _known_character(entry: object, where: str) -> KnownCharacter:
    if not isinstance(entry, dict):
        raise ConfigError(f"{where}: expected an object, got {_json_type(entry)}")
    unknown = sorted(set(entry) - CAST_KEYS)
    if unknown:
        raise ConfigError(
            f"{where}: unknown key {unknown[0]!r} (allowed: name, aliases, gender, is_narrator)"
        )
    name = entry.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ConfigError(f'{where}: "name" must be a non-empty string')
    aliases = entry.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
        raise ConfigError(f'{where}: "aliases" must be a list of non-empty strings')
    gender = entry.get("gender")
    if gender is not None and gender not in GENDERS:
        raise ConfigError(f'{where}: "gender" must be "he", "she", "they" or null')
    is_narrator = entry.get("is_narrator", False)
    if not isinstance(is_narrator, bool):
        raise ConfigError(f'{where}: "is_narrator" must be true or false')
    return KnownCharacter(
        name=name.strip(),
        aliases=tuple(a.strip() for a in aliases),
        gender=gender,
        is_narrator=is_narrator,
    )


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    return {dict: "an object", list: "a list", str: "a string"}[type(value)]
