"""``fabula eval pdnc`` driven through click, with the pipeline replaced by gold."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from pdnc_oracle import FIXTURE_CORPUS, build_oracle

from fabula.errors import InputError
from fabula.evaluation import command
from fabula.evaluation.command import eval_command
from fabula.evaluation.pdnc import read_novel
from fabula.model import KnownCharacter, Story
from fabula.settings import Settings


@pytest.fixture
def oracle_analyze(monkeypatch: pytest.MonkeyPatch) -> list[tuple[KnownCharacter, ...] | None]:
    """Replace ``analyze`` with the fixture novel's oracle; collect the casts it was given."""
    casts: list[tuple[KnownCharacter, ...] | None] = []
    novel = read_novel(FIXTURE_CORPUS, "TinyTale")

    def analyze(
        text: str, cast: tuple[KnownCharacter, ...] | None = None, *, settings: Settings
    ) -> Story:
        casts.append(cast)
        return build_oracle(novel)

    monkeypatch.setattr(command, "analyze", analyze)
    return casts


def test_prints_a_row_per_novel_and_the_averages(oracle_analyze: list, tmp_path: Path) -> None:
    report = tmp_path / "scores.json"
    result = CliRunner().invoke(
        eval_command, ["pdnc", str(FIXTURE_CORPUS), "--gold-cast", "--json", str(report)]
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split()[:3] == ["novel", "gold", "recall"]
    assert lines[1].split()[:4] == ["TinyTale", "5", "100.0", "100.0"]
    assert lines[2].startswith("micro") and lines[3].startswith("macro")
    assert oracle_analyze[0] is not None and oracle_analyze[0][0].name == "Mara Quill"

    written = json.loads(report.read_text(encoding="utf-8"))
    assert written["micro"]["rates"]["speaker"] == 1.0
    assert written["novels"][0]["quotes"][0]["gold_id"] == "Q0"


def test_without_gold_cast_fabula_finds_its_own(oracle_analyze: list) -> None:
    result = CliRunner().invoke(eval_command, ["pdnc", str(FIXTURE_CORPUS), "--novel", "TinyTale"])
    assert result.exit_code == 0, result.output
    assert oracle_analyze == [None]


@pytest.mark.parametrize(
    "arguments", [["pdnc", "no/such/folder"], ["pdnc", str(FIXTURE_CORPUS), "--novel", "Nope"]]
)
def test_bad_folder_or_novel_is_an_input_error(arguments: list[str]) -> None:
    result = CliRunner().invoke(eval_command, arguments)
    assert isinstance(result.exception, InputError)
