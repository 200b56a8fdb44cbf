"""fabula: recover the cast, who says what to whom, and the scenes of a story."""

from fabula.errors import ConfigError, FabulaError, InputError, StageError
from fabula.files import analyze_file, read
from fabula.model import (
    Character,
    KnownCharacter,
    Mention,
    Quote,
    QuoteType,
    Scene,
    SourceText,
    Story,
    Work,
)
from fabula.pipeline import analyze

__all__ = [
    "Character",
    "ConfigError",
    "FabulaError",
    "InputError",
    "KnownCharacter",
    "Mention",
    "Quote",
    "QuoteType",
    "Scene",
    "SourceText",
    "StageError",
    "Story",
    "Work",
    "analyze",
    "analyze_file",
    "read",
]
__version__ = "0.1.0"
