"""fabula query over tables written from the hand-built sample story: no model needed."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from fabula.cli import main
from fabula.corpus.query import run_query
from fabula.corpus.run import CorpusStore, WorkResult
from fabula.corpus.tables import story_tables
from fabula.errors import ConfigError
from fabula.model import Story


def query(outdir: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["query", str(outdir), *args])


@pytest.fixture
def corpus(tmp_path: Path, sample_story: Story) -> Path:
    """A corpus folder holding the sample story as one work."""
    outdir = tmp_path / "out"
    tables = story_tables(sample_story, work_id="w1", source="lamp.txt", seconds=0.5)
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
