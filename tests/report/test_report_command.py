"""``fabula report`` arguments, checked before any page is written (no model needed)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from fabula.cli import main
from fabula.model import Story


@pytest.fixture
def two_stories_one_name(tmp_path: Path, sample_story: Story) -> tuple[Path, Path]:
    paths = (tmp_path / "a" / "x.json", tmp_path / "b" / "x.json")
    for path in paths:
        path.parent.mkdir()
        path.write_text(json.dumps(sample_story.to_dict()), encoding="utf-8")
    return paths


def test_two_stories_that_would_write_one_page_are_a_usage_error(
    two_stories_one_name: tuple[Path, Path], tmp_path: Path
) -> None:
    out = tmp_path / "d"
    args = ["report", *map(str, two_stories_one_name), "-o", str(out)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    [line] = result.stderr.splitlines()
    assert line.startswith(f"fabula: several stories would write {out / 'x.html'};")
    assert not out.exists()


def test_beside_their_json_the_same_name_is_no_clash(
    two_stories_one_name: tuple[Path, Path],
) -> None:
    result = CliRunner().invoke(main, ["report", *map(str, two_stories_one_name)])
    assert result.exit_code == 0, result.output
    assert all(path.with_suffix(".html").exists() for path in two_stories_one_name)
