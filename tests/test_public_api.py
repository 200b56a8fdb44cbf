"""The public surface is exactly ``fabula.__all__``; anything else is private."""

from __future__ import annotations

import importlib
import importlib.metadata

import pytest

import fabula

PUBLIC = [
    "Character",
    "ConfigError",
    "FabulaError",
    "InputError",
    "KnownCharacter",
    "Mention",
    "Quote",
    "QuoteType",
    "Scene",
    "StageError",
    "Story",
    "analyze",
]


def test_all_is_exactly_the_public_api() -> None:
    assert fabula.__all__ == PUBLIC


@pytest.mark.parametrize("name", PUBLIC)
def test_each_public_name_is_importable(name: str) -> None:
    assert getattr(importlib.import_module("fabula"), name) is not None


def test_star_import_gives_exactly_the_public_api() -> None:
    namespace: dict[str, object] = {}
    exec("from fabula import *", namespace)
    assert sorted(k for k in namespace if k != "__builtins__") == sorted(PUBLIC)


def test_errors_share_one_base() -> None:
    for error in (fabula.InputError, fabula.ConfigError, fabula.StageError):
        assert issubclass(error, fabula.FabulaError)


def test_version_matches_the_installed_metadata() -> None:
    assert fabula.__version__ == importlib.metadata.version("fabula")
