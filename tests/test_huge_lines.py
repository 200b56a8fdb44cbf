"""A story whose line breaks were lost (one line over spaCy's 1,000,000 characters) is
analysed, not refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from fabula.cli import main

pytestmark = pytest.mark.model


def test_a_line_over_a_million_characters_is_analysed(tmp_path: Path) -> None:
    # Few words, many characters: over spaCy's limit, yet quick to parse.
    text = ('"Hi," said Anna.' + " " * 10_000) * 101
    assert len(text) > 1_000_000 and "\n" not in text
    path = tmp_path / "huge.txt"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["analyze", str(path), "-o", str(tmp_path), "-q"])
    assert result.exit_code == 0, result.output
    story = json.loads((tmp_path / "huge.json").read_text(encoding="utf-8"))
    assert len(story["paragraphs"]) == 101
    assert [story["text"][q["start"] : q["end"]] for q in story["quotes"]] == ['"Hi,"'] * 101
