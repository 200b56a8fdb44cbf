"""Stories in files, for the Python API: ``fabula.read`` and ``fabula.analyze_file``.

``fabula.analyze`` takes text already decoded; these take a path to a text, Markdown, HTML or
EPUB file and read it as ``fabula analyze`` does, with the work's metadata and chapters.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from fabula.model import KnownCharacter, SourceText, Story
from fabula.pipeline import analyze_source
from fabula.reading import InputFormat, read_path
from fabula.settings import DEFAULT_SETTINGS, Settings

__all__ = ["analyze_file", "read"]


def read(path: str | Path, *, input_format: InputFormat = "auto") -> SourceText:
    """Read a story file into plain text, its metadata and notes, without analysing it.

    ``input_format`` is "auto" (from the extension and the content), "text", "markdown",
    "html" or "epub". ``fabula.read("work.epub").work.chapters`` lists the chapters, with
    offsets into ``.text``; ``.notes`` says what reading changed or left out ("decoded as
    cp1252: ..."). Raises ``InputError`` for a missing, empty, binary or hostile file and
    ``ConfigError`` for an unknown ``input_format``.
    """
    return read_path(path, input_format=input_format)


def analyze_file(
    path: str | Path,
    cast: Sequence[KnownCharacter] | None = None,
    *,
    input_format: InputFormat = "auto",
    settings: Settings = DEFAULT_SETTINGS,
) -> Story:
    """Read a story file (see ``read``) and analyse it: what ``fabula analyze FILE`` writes.

    Unlike ``fabula.analyze(text)``, the story keeps the file's metadata (``story.work``), its
    chapters start scenes, and reading's notes open ``story.diagnostics``.
    """
    return analyze_source(read(path, input_format=input_format), cast, settings=settings)
