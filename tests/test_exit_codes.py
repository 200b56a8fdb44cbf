"""Every way ``fabula`` can end: its documented exit code, and on stderr exactly one line that
starts with ``fabula:`` (or nothing, on success and when the reader of the output went away).

The table in ``fabula.commands.exits`` is the one ``--help`` prints; the README lists the same.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from click.testing import CliRunner, Result

from fabula.cli import main
from fabula.commands.exits import (
    EXIT_BROKEN_PIPE,
    EXIT_CODES,
    EXIT_CONFIG,
    EXIT_INPUT,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_STAGE,
    EXIT_USAGE,
)
from fabula.errors import StageError

if TYPE_CHECKING:
    from conftest import FakePipeline

STORY = '"Is the lamp lit?" asked Wren.\n\n"Not yet," said Odile.\n'


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def one_error_line(result: Result, code: int) -> str:
    """The exit code is ``code`` and stderr is one ``fabula:`` line, which is returned."""
    assert result.exit_code == code, (result.exit_code, result.output)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("fabula: "), lines[0]
    assert "Traceback" not in result.output and "Aborted!" not in result.output
    return lines[0]


@pytest.fixture
def story(tmp_path: Path) -> Path:
    path = tmp_path / "lamp.txt"
    path.write_text(STORY, encoding="utf-8")
    return path


@pytest.fixture
def empty_corpus(tmp_path: Path) -> Path:
    """A corpus folder with no work in it yet: enough for SQL over the empty tables."""
    outdir = tmp_path / "corpus-out"
    (outdir / "works").mkdir(parents=True)
    return outdir


def test_success(fake_pipeline: FakePipeline, story: Path, tmp_path: Path) -> None:
    result = run("analyze", str(story), "-o", str(tmp_path / "out"))
    assert result.exit_code == EXIT_OK and result.stderr == ""


def test_internal_error(fake_pipeline: FakePipeline, story: Path, tmp_path: Path) -> None:
    def crash(source):
        raise ZeroDivisionError("a bug")

    fake_pipeline.story = crash
    line = one_error_line(run("analyze", str(story), "-o", str(tmp_path)), EXIT_INTERNAL)
    assert line.startswith("fabula: internal error: ")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["analyze"], "missing argument 'INPUT...'"),
        (["analyze", "{story}", "--frobnicate"], "no such option '--frobnicate'"),
        (["analyze", "{story}", "--format", "conll"], "'conll' is not one of 'json', 'booknlp'"),
        (["analyze", "{story}", "-o", "{story}"], "is a file"),
        (["analyze", "{story}", "{story}"], "several inputs would write lamp.json"),
        (["report", "{story}", "-o", "{story}"], "is a file"),
        (["corpus", "{tmp}", "-o", "{story}"], "is a file"),
        (["query"], "missing argument 'OUTDIR'"),
        (["anlyze", "{story}"], "no such command 'anlyze'"),
        (["--frobnicate"], "no such option '--frobnicate'"),
    ],
)
def test_usage_errors_are_one_line(
    fake_pipeline: FakePipeline, story: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    filled = [a.format(story=story, tmp=tmp_path) for a in args]
    line = one_error_line(run(*filled), EXIT_USAGE)
    assert message in line
    assert line.endswith("--help')"), line
    assert not fake_pipeline.calls


def test_fabula_alone_prints_the_help_and_one_line(fake_pipeline: FakePipeline) -> None:
    result = run()
    line = one_error_line(result, EXIT_USAGE)
    assert "no command given" in line
    assert "Commands:" in result.stdout


def test_input_error(fake_pipeline: FakePipeline, tmp_path: Path) -> None:
    line = one_error_line(run("analyze", str(tmp_path / "gone.txt")), EXIT_INPUT)
    assert "gone.txt" in line


def test_query_outside_a_corpus_is_an_input_error(tmp_path: Path) -> None:
    line = one_error_line(run("query", str(tmp_path), "SELECT 1"), EXIT_INPUT)
    assert "not a corpus folder" in line


def test_bad_cast_is_a_config_error(fake_pipeline: FakePipeline, story: Path) -> None:
    cast = story.with_name("cast.json")
    cast.write_text("{", encoding="utf-8")
    line = one_error_line(run("analyze", str(story), "--cast", str(cast)), EXIT_CONFIG)
    assert "not valid JSON" in line


def test_sql_error_is_a_config_error(empty_corpus: Path) -> None:
    line = one_error_line(run("query", str(empty_corpus), "SELECT nope FROM works"), EXIT_CONFIG)
    assert line.startswith("fabula: query failed: ")


def test_stage_error(fake_pipeline: FakePipeline, story: Path, tmp_path: Path) -> None:
    def fail(source):
        raise StageError("parse", "no sentences")

    fake_pipeline.story = fail
    one_error_line(run("analyze", str(story), "-o", str(tmp_path)), EXIT_STAGE)


def test_ctrl_c_is_one_line_and_130(
    fake_pipeline: FakePipeline, story: Path, tmp_path: Path
) -> None:
    def interrupted(source):
        raise KeyboardInterrupt

    fake_pipeline.story = interrupted
    out = tmp_path / "out"
    line = one_error_line(run("analyze", str(story), "-o", str(out)), EXIT_INTERRUPTED)
    assert line == "fabula: interrupted"
    assert list(out.iterdir()) == []


def test_ctrl_c_while_writing_leaves_no_file(
    fake_pipeline: FakePipeline, story: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted_half_way(data, file, **options):
        file.write('{"text": "half')
        raise KeyboardInterrupt

    monkeypatch.setattr("fabula.commands.files.json.dump", interrupted_half_way)
    out = tmp_path / "out"
    result = run("analyze", str(story), "-o", str(out), "--html")
    one_error_line(result, EXIT_INTERRUPTED)
    assert list(out.iterdir()) == []


def test_a_closed_output_pipe_ends_quietly(empty_corpus: Path, monkeypatch) -> None:
    def closed(*args, **kwargs):
        raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr("fabula.commands.query.click.echo", closed)
    result = run("query", str(empty_corpus), "SELECT 1")
    assert result.exit_code == EXIT_BROKEN_PIPE
    assert result.stderr == ""


def _help_codes(text: str) -> list[int]:
    block = text[text.index("Exit codes:") :]
    return [int(code) for code in re.findall(r"^\s+(\d+)\s", block, flags=re.MULTILINE)]


def _readme_codes(repo_root: Path) -> list[int]:
    readme = (repo_root / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Exit codes") :]
    section = section[: section.index("\n## ")]
    return [int(code) for code in re.findall(r"^\| (\d+)\s+\|", section, flags=re.MULTILINE)]


@pytest.mark.parametrize(
    "command", [[], ["analyze"], ["report"], ["corpus"], ["query"], ["eval", "pdnc"]]
)
def test_help_and_readme_list_every_exit_code(command: list[str], repo_root: Path) -> None:
    documented = [code for code, _ in EXIT_CODES]
    assert {EXIT_INTERRUPTED, EXIT_BROKEN_PIPE} <= set(documented)
    result = run(*command, "--help")
    assert result.exit_code == EXIT_OK
    assert _help_codes(result.stdout) == documented
    assert _readme_codes(repo_root) == documented
