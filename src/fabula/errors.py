"""Errors fabula raises on purpose; the CLI turns each into one line and an exit code.

FabulaError
 ├── InputError      the input cannot be read as a story (missing, empty, binary, undecodable)
 ├── ConfigError     a bad option or cast file
 ├── StageError      a pipeline stage failed; carries the stage name
 └── MissingExtraError  a command needs an optional extra that is not installed
"""

from __future__ import annotations


class FabulaError(Exception):
    """Base of every error fabula raises deliberately."""


class InputError(FabulaError):
    """The input cannot be read as a story."""


class ConfigError(FabulaError):
    """An option, cast file or setting is invalid."""


class StageError(FabulaError):
    """A pipeline stage failed on this input."""

    def __init__(self, stage: str, message: str, paragraph_index: int | None = None) -> None:
        where = f" (paragraph {paragraph_index})" if paragraph_index is not None else ""
        super().__init__(f"{stage}: {message}{where}")
        self.stage = stage
        self.paragraph_index = paragraph_index


class MissingExtraError(FabulaError):
    """A command needs packages of an optional extra that is not installed."""

    def __init__(self, extra: str, command: str, missing: list[str]) -> None:
        super().__init__(
            f"'{command}' needs the {extra} extra (missing {', '.join(missing)}):"
            f" pip install 'fabula[{extra}]'"
        )
        self.extra = extra
        self.missing = tuple(missing)
