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
from fabula.evaluation.fic_style import perturb_novel
from fabula.evaluation.pdnc import read_novel
from fabula.model import KnownCharacter, QuoteSpan, SourceText, Story
from fabula.settings import Settings
from fabula.training.folds import Folds


@pytest.fixture
def oracle_calls(monkeypatch: pytest.MonkeyPatch) -> list[dict]:
    """Replace the pipeline with the fixture novel's oracle; collect what it was given."""
    calls: list[dict] = []
    novel = read_novel(FIXTURE_CORPUS, "TinyTale")

    def analyze_source(
        source: SourceText,
        cast: tuple[KnownCharacter, ...] | None = None,
        *,
        settings: Settings,
        quote_spans: tuple[QuoteSpan, ...] | None = None,
    ) -> Story:
        calls.append({"text": source.text, "cast": cast, "quote_spans": quote_spans})
        return build_oracle(novel)

    monkeypatch.setattr(command, "analyze_source", analyze_source)
    return calls


def test_prints_a_row_per_novel_and_the_averages(oracle_calls: list, tmp_path: Path) -> None:
    report = tmp_path / "scores.json"
    result = CliRunner().invoke(
        eval_command, ["pdnc", str(FIXTURE_CORPUS), "--gold-cast", "--json", str(report)]
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split()[:3] == ["novel", "gold", "recall"]
    assert lines[1].split()[:4] == ["TinyTale", "5", "100.0", "100.0"]
    assert lines[2].startswith("micro") and lines[3].startswith("macro")
    cast = oracle_calls[0]["cast"]
    assert cast is not None and cast[0].name == "Mara Quill"
    assert oracle_calls[0]["quote_spans"] is None

    written = json.loads(report.read_text(encoding="utf-8"))
    assert written["micro"]["rates"]["speaker"] == 1.0
    assert written["novels"][0]["quotes"][0]["gold_id"] == "Q0"


def test_without_gold_cast_fabula_finds_its_own(oracle_calls: list) -> None:
    result = CliRunner().invoke(eval_command, ["pdnc", str(FIXTURE_CORPUS), "--novel", "TinyTale"])
    assert result.exit_code == 0, result.output
    assert [call["cast"] for call in oracle_calls] == [None]


def test_gold_quotes_hands_fabula_the_gold_spans(oracle_calls: list, tmp_path: Path) -> None:
    report = tmp_path / "scores.json"
    arguments = ["pdnc", str(FIXTURE_CORPUS), "--gold-quotes", "--json", str(report)]
    result = CliRunner().invoke(eval_command, arguments)
    assert result.exit_code == 0, result.output
    (call,) = oracle_calls
    assert call["cast"] is None
    assert call["quote_spans"][0].char_start == call["text"].index('"')
    written = json.loads(report.read_text(encoding="utf-8"))
    assert written["gold_quotes"] is True and written["gold_cast"] is False


@pytest.mark.parametrize(
    "arguments", [["pdnc", "no/such/folder"], ["pdnc", str(FIXTURE_CORPUS), "--novel", "Nope"]]
)
def test_bad_folder_or_novel_is_an_input_error(arguments: list[str]) -> None:
    result = CliRunner().invoke(eval_command, arguments)
    assert isinstance(result.exception, InputError)


def test_fanfic_style_scores_the_rewritten_novel(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    rewritten = perturb_novel(read_novel(FIXTURE_CORPUS, "TinyTale")).novel
    texts: list[str] = []

    def analyze_source(source: SourceText, cast=None, *, settings, quote_spans=None) -> Story:
        texts.append(source.text)
        return build_oracle(rewritten)

    monkeypatch.setattr(command, "analyze_source", analyze_source)
    report = tmp_path / "scores.json"
    arguments = ["pdnc", str(FIXTURE_CORPUS), "--style", "fanfic", "--json", str(report)]
    result = CliRunner().invoke(eval_command, arguments)
    assert result.exit_code == 0, result.output
    assert texts == [rewritten.text]
    assert "« You are late again, » said Tobias." in texts[0]
    assert result.output.splitlines()[1].split()[:4] == ["TinyTale", "5", "100.0", "100.0"]
    assert "guillemets: TinyTale" in result.output.splitlines()[-1]
    assert json.loads(report.read_text(encoding="utf-8"))["style"] == "fanfic"


def test_plain_style_is_the_default(oracle_calls: list, tmp_path: Path) -> None:
    report = tmp_path / "scores.json"
    result = CliRunner().invoke(eval_command, ["pdnc", str(FIXTURE_CORPUS), "--json", str(report)])
    assert result.exit_code == 0, result.output
    assert oracle_calls[0]["text"] == read_novel(FIXTURE_CORPUS, "TinyTale").text
    assert json.loads(report.read_text(encoding="utf-8"))["style"] == "plain"
    assert not result.output.splitlines()[-1].startswith("fanfic style")


@pytest.fixture
def tiny_tale_sealed(monkeypatch: pytest.MonkeyPatch) -> None:
    """folds.json as if the fixture novel were one of the sealed ones."""
    folds = Folds("pdnc", {"fold0": ("TinyTale",)}, sealed=("TinyTale",))
    monkeypatch.setattr(command, "pdnc_folds", lambda: folds)


def test_sealed_split_prints_only_the_summary_rows(oracle_calls: list, tiny_tale_sealed) -> None:
    result = CliRunner().invoke(eval_command, ["pdnc", str(FIXTURE_CORPUS), "--split", "sealed"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert [line.split()[0] for line in lines] == ["novel", "micro", "macro"]
    assert len(oracle_calls) == 1


@pytest.mark.parametrize("extra", [["--json", "scores.json"], ["--novel", "TinyTale"]])
def test_sealed_split_refuses_per_novel_output(tiny_tale_sealed, extra: list[str]) -> None:
    arguments = ["pdnc", str(FIXTURE_CORPUS), "--split", "sealed", *extra]
    result = CliRunner().invoke(eval_command, arguments)
    assert result.exit_code == 2
    assert "summary rows only" in result.output


def test_tuning_split_leaves_the_sealed_novels_out(oracle_calls: list, tiny_tale_sealed) -> None:
    result = CliRunner().invoke(eval_command, ["pdnc", str(FIXTURE_CORPUS), "--split", "tuning"])
    assert result.exit_code != 0
    assert "no tuning novels" in str(result.exception) + result.output
    assert oracle_calls == []
