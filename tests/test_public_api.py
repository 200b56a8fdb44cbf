"""The public surface is exactly ``fabula.__all__``; anything else is private."""

from __future__ import annotations

import importlib
import importlib.metadata
from pathlib import Path

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
    "SourceText",
    "StageError",
    "Story",
    "Work",
    "analyze",
    "analyze_file",
    "read",
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


READING_FIXTURES = Path(__file__).parent / "reading" / "fixtures"


@pytest.mark.parametrize(
    ("name", "title", "chapters"),
    [
        ("archive_work.html", "The Lighthouse Ledger", 2),
        ("blog_post.html", "The Night Ferry", 1),
        ("markdown_story.md", None, 2),
        ("archive_work.txt", None, 0),
    ],
)
def test_read_gives_text_metadata_and_chapters(name: str, title: str | None, chapters: int) -> None:
    source = fabula.read(READING_FIXTURES / name)
    assert isinstance(source, fabula.SourceText)
    assert "<" not in source.text and "#" not in source.text
    work = source.work
    assert (work.title if work else None) == title
    assert len(work.chapters if work else ()) == chapters


def test_read_takes_an_input_format_and_a_str_path() -> None:
    source = fabula.read(str(READING_FIXTURES / "ordinary_page.html"), input_format="text")
    assert source.text.startswith("<!DOCTYPE html>")
    assert source.work is None


def test_read_refuses_an_unknown_format_and_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(fabula.ConfigError, match="unknown input format 'docx': use one of auto,"):
        fabula.read(READING_FIXTURES / "archive_work.txt", input_format="docx")  # type: ignore[arg-type]
    with pytest.raises(fabula.InputError, match="no such file"):
        fabula.read(tmp_path / "missing.epub")


@pytest.mark.model
def test_analyze_file_keeps_the_work_and_the_reading_notes() -> None:
    story = fabula.analyze_file(READING_FIXTURES / "blog_post.html")
    assert isinstance(story, fabula.Story)
    assert isinstance(story.work, fabula.Work)
    assert story.work.title == "The Night Ferry"
    assert story.diagnostics[0].startswith("web page: kept its main content")
    assert story.text == fabula.read(READING_FIXTURES / "blog_post.html").text
