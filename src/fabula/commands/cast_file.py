"""The ``--cast`` file of ``fabula analyze``: a JSON list of known characters, checked strictly
so that a typo ("alias") is an error rather than silently ignored."""

from __future__ import annotations

import json
from pathlib import Path

from fabula.arguments import unique_names
from fabula.errors import ConfigError
from fabula.model import KnownCharacter


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
    return unique_names(cast, f"{where}: entry")


def _known_character(entry: object, where: str) -> KnownCharacter:
    if not isinstance(entry, dict):
        raise ConfigError(f"{where}: expected an object, got {_json_type(entry)}")
    try:
        return KnownCharacter.from_dict(entry)
    except ConfigError as error:
        raise ConfigError(f"{where}: {error}") from None


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    return {dict: "an object", list: "a list", str: "a string"}[type(value)]
