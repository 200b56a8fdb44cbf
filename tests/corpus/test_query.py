"""fabula query over tables written from the hand-built sample story: no model needed."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from fabula.cli import main
from fabula.corpus.names import VIEWS
from fabula.corpus.query import run_query
from fabula.corpus.run import CorpusStore, WorkResult
from fabula.corpus.tables import SCHEMAS, story_tables
from fabula.errors import ConfigError
from fabula.model import Story


def query(outdir: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["query", str(outdir), *args])


@pytest.fixture
def corpus(tmp_path: Path, sample_story: Story) -> Path:
    """A corpus folder holding the sample story as one work; Odile is also called Odie."""
    outdir = tmp_path / "out"
    characters = tuple(
        replace(c, aliases=("Odie",)) if c.name == "Odile" else c for c in sample_story.characters
    )
    story = replace(sample_story, characters=characters)
    tables = story_tables(story, work_id="w1", source="lamp.txt", seconds=0.5)
    CorpusStore(outdir).save(WorkResult("w1", "lamp.txt", 0.5, 30, tables=tables))
    return outdir


@pytest.mark.parametrize("sql", ["", "   \n\t", "-- only a comment", "/* nothing */ ;"])
def test_sql_without_a_statement_is_a_usage_error(corpus: Path, sql: str) -> None:
    result = query(corpus, sql)
    assert result.exit_code == 2, result.output
    [line] = result.stderr.splitlines()
    assert line.startswith("fabula: the SQL holds no statement")


@pytest.mark.parametrize(
    "args",
    [
        ["-- who speaks\nSELECT count(*) AS n FROM quotes"],
        ["--format", "csv", "-- who speaks\nSELECT count(*) AS n FROM quotes"],
        ["-- who speaks\nSELECT count(*) AS n FROM quotes", "--format", "csv"],
        ["--", "-- who speaks\nSELECT count(*) AS n FROM quotes"],
    ],
)
def test_sql_may_start_with_a_comment(corpus: Path, args: list[str]) -> None:
    result = query(corpus, *args)
    assert result.exit_code == 0, result.output
    assert result.stdout.split()[0] == "n" and "5" in result.stdout.split()


def test_an_unknown_option_is_still_one(corpus: Path) -> None:
    result = query(corpus, "SELECT 1", "--formt", "csv")
    assert result.exit_code == 2
    assert "no such option '--formt'" in result.stderr


def test_run_query_refuses_sql_without_a_statement(corpus: Path) -> None:
    with pytest.raises(ConfigError, match="holds no statement"):
        run_query(corpus, "-- nothing")


def test_lines_count_as_analyze_counts_them(corpus: Path) -> None:
    """Odile's "Not yet," she said, "but the oil is coming." is two quotation parts, one line."""
    _, rows = run_query(corpus, "SELECT count(*) FROM quotes")
    assert rows == [(5,)]
    _, rows = run_query(corpus, "SELECT sum(quote_count) FROM characters")
    assert rows == [(4,)]
    _, rows = run_query(
        corpus, "SELECT line_id, parts, speaker, text, scene_id FROM lines ORDER BY start"
    )
    assert rows == [
        ("q0", 1, "Wren", '"Is the lamp lit?"', "s0"),
        ("q1", 2, "Odile", '"Not yet," … "but the oil is coming."', "s0"),
        ("q3", 1, "Wren", '"Then we wait,"', "s0"),
        ("q4", 1, "Bastien", '"Zoë sends her regards,"', "s1"),
    ]
    _, rows = run_query(corpus, "SELECT speaker, count(*) FROM lines GROUP BY 1 ORDER BY 1")
    assert rows == [("Bastien", 1), ("Odile", 1), ("Wren", 2)]


def test_a_character_is_found_by_any_name(corpus: Path) -> None:
    _, rows = run_query(
        corpus,
        "SELECT text FROM lines WHERE list_contains(speaker_names, 'The ferryman')"
        " AND list_contains(addressee_names, 'Odie') ORDER BY start",
    )
    assert rows == [('"Zoë sends her regards,"',)]
    _, rows = run_query(
        corpus, "SELECT count(*) FROM lines WHERE list_contains(addressee_names, 'Odie')"
    )
    assert rows == [(3,)]
    _, rows = run_query(
        corpus,
        "SELECT character, name FROM character_names WHERE character_id IN ('odile', 'bastien')"
        " ORDER BY character, name",
    )
    assert rows == [
        ("Bastien", "Bastien"),
        ("Bastien", "The ferryman"),
        ("Odile", "Odie"),
        ("Odile", "Odile"),
    ]


def test_views_work_on_an_empty_corpus(tmp_path: Path) -> None:
    (tmp_path / "works").mkdir()
    for view in VIEWS:
        assert run_query(tmp_path, f"SELECT count(*) FROM {view}")[1] == [(0,)]


def test_help_lists_every_table_and_view() -> None:
    result = CliRunner().invoke(main, ["query", "--help"])
    words = set(re.findall(r"[a-z_]+", result.stdout))
    assert set(SCHEMAS) | set(VIEWS) <= words
