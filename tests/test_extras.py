"""Optional extras: a command whose extra is missing says which to install, in one line; the
core install analyses stories without any of them."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from click.testing import CliRunner

from fabula.cli import main
from fabula.commands.exits import EXIT_MISSING_EXTRA
from fabula.extras import EXTRAS, missing_packages

if TYPE_CHECKING:
    from conftest import FakePipeline

REPO_ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
STORY = '"Is the lamp lit?" asked Wren.\n\n"Not yet," said Odile. "Soon."\n'
EVERY_EXTRA_PACKAGE = sorted({name for names in EXTRAS.values() for name in names})


def _requirement_name(requirement: str) -> str:
    return re.split(r"[<>=!~\[; ]", requirement, maxsplit=1)[0].lower()


def _brought_by_the_core() -> set[str]:
    """Every distribution the core dependencies install, following their requirements."""
    todo = [_requirement_name(r) for r in PYPROJECT["project"]["dependencies"]]
    seen: set[str] = set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            requirements = metadata.requires(name) or []
        except metadata.PackageNotFoundError:  # for another platform or Python
            continue
        todo += [_requirement_name(r) for r in requirements if "extra ==" not in r]
    return seen


def _block(monkeypatch: pytest.MonkeyPatch, *names: str) -> None:
    """Make ``names`` unimportable, as if they were not installed."""
    for name in names:
        monkeypatch.setitem(sys.modules, name, None)


@pytest.fixture
def story_file(tmp_path: Path) -> Path:
    path = tmp_path / "lamp.txt"
    path.write_text(STORY, encoding="utf-8")
    return path


def test_each_extra_lists_the_packages_pyproject_installs_with_it() -> None:
    declared = PYPROJECT["project"]["optional-dependencies"]
    for extra, names in EXTRAS.items():
        assert sorted(_requirement_name(r) for r in declared[extra]) == sorted(names), extra
    assert declared["all"] == [f"fabula[{','.join(EXTRAS)}]"]
    assert "fabula[all]" in declared["test"]


def test_no_extra_is_a_core_dependency() -> None:
    core = {_requirement_name(r) for r in PYPROJECT["project"]["dependencies"]}
    assert core.isdisjoint(EVERY_EXTRA_PACKAGE)


def test_installed_extras_are_found_and_blocked_ones_are_missing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert missing_packages("corpus") == []
    _block(monkeypatch, "duckdb", "distributed")
    assert missing_packages("corpus") == ["duckdb", "distributed"]


@pytest.mark.parametrize(
    ("args", "blocked", "message"),
    [
        (
            ["corpus", "{tmp}", "-o", "{tmp}/out"],
            "pyarrow",
            "'fabula corpus' needs the corpus extra (missing pyarrow):"
            " pip install 'fabula[corpus]'",
        ),
        (
            ["query", "{tmp}", "SELECT 1"],
            "duckdb",
            "'fabula query' needs the corpus extra (missing duckdb): pip install 'fabula[corpus]'",
        ),
        (
            ["report", "{tmp}/lamp.json"],
            "jinja2",
            "'fabula report' needs the report extra (missing jinja2): pip install 'fabula[report]'",
        ),
        (
            ["analyze", "{tmp}/lamp.txt", "-o", "{tmp}/out", "--html"],
            "matplotlib",
            "'fabula analyze --html' needs the report extra (missing matplotlib):"
            " pip install 'fabula[report]'",
        ),
        (
            ["eval", "litbank-coref", "{tmp}"],
            "scorch",
            "'fabula eval litbank-coref' needs the eval extra (missing scorch):"
            " pip install 'fabula[eval]'",
        ),
    ],
)
def test_a_missing_extra_is_one_line_naming_it(
    fake_pipeline: FakePipeline,
    monkeypatch: pytest.MonkeyPatch,
    story_file: Path,
    args: list[str],
    blocked: str,
    message: str,
) -> None:
    tmp = story_file.parent
    (tmp / "lamp.json").write_text("{}", encoding="utf-8")
    _block(monkeypatch, blocked)
    result = CliRunner().invoke(main, [arg.format(tmp=tmp) for arg in args])
    assert result.exit_code == EXIT_MISSING_EXTRA
    assert result.stderr == f"fabula: {message}\n"
    assert result.stdout == ""
    assert fake_pipeline.calls == []  # refused before any work, not after analysing
    assert sorted(p.name for p in tmp.iterdir()) == ["lamp.json", "lamp.txt"]


def test_without_any_extra_analyze_still_writes_json(
    fake_pipeline: FakePipeline, monkeypatch: pytest.MonkeyPatch, story_file: Path
) -> None:
    _block(monkeypatch, *EVERY_EXTRA_PACKAGE)
    out = story_file.parent / "out"
    result = CliRunner().invoke(main, ["analyze", str(story_file), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert json.loads((out / "lamp.json").read_text(encoding="utf-8"))["text"] == STORY


def test_a_core_install_lacks_the_extras_packages_but_spacys_jinja2() -> None:
    """spaCy itself needs Jinja2; a core install lacks every other package of the extras."""
    assert _brought_by_the_core() & set(EVERY_EXTRA_PACKAGE) == {"jinja2", "markupsafe"}


# Run in a fresh interpreter in which no extra's package can be imported, as after a plain
# `pip install fabula`: each command's exit code and stderr, as JSON lines.
CORE_ONLY = """
import json, sys
for name in json.loads(sys.argv[1]):
    sys.modules[name] = None
from click.testing import CliRunner
from fabula.cli import main
for args in json.loads(sys.argv[2]):
    result = CliRunner().invoke(main, args)
    print(json.dumps([result.exit_code, result.stderr]))
"""


@pytest.mark.model
@pytest.mark.slow
def test_the_core_install_analyzes_into_json_and_booknlp(tmp_path: Path, story_file: Path) -> None:
    """The real pipeline and exports, with none of the extras' packages importable."""
    absent = set(EVERY_EXTRA_PACKAGE) - _brought_by_the_core()
    out = tmp_path / "out"
    commands = [
        ["analyze", str(story_file), "-o", str(out / "json")],
        ["analyze", str(story_file), "-o", str(out / "booknlp"), "--format", "booknlp"],
        ["corpus", str(tmp_path), "-o", str(out / "corpus")],
    ]
    done = subprocess.run(
        [sys.executable, "-c", CORE_ONLY, json.dumps(sorted(absent)), json.dumps(commands)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    results = [json.loads(line) for line in done.stdout.splitlines()]
    assert results[:2] == [[0, ""], [0, ""]]
    assert [p.name for p in (out / "json").iterdir()] == ["lamp.json"]
    suffixes = {".tokens", ".entities", ".quotes", ".book"}
    assert {p.suffix for p in (out / "booknlp").iterdir()} == suffixes
    code, stderr = results[2]
    assert code == EXIT_MISSING_EXTRA
    assert stderr.startswith("fabula: 'fabula corpus' needs the corpus extra (missing pyarrow,")
    assert stderr.endswith("pip install 'fabula[corpus]'\n") and stderr.count("\n") == 1
