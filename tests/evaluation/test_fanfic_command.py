"""``fabula eval fanfic`` driven through click, with the pipeline replaced by gold."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from fanfic_oracle import FANFIC_CORPUS, fanfic_oracle

from fabula.cli import main
from fabula.errors import InputError
from fabula.evaluation import fanfic_command
from fabula.evaluation.command import eval_command
from fabula.evaluation.fanfic import read_story
from fabula.model import KnownCharacter, QuoteId, SourceText, Story


@pytest.fixture
def oracle_calls(monkeypatch: pytest.MonkeyPatch) -> list[dict]:
    """Replace the pipeline with each fixture story's oracle; collect what it was given."""
    calls: list[dict] = []
    stories = {read_story(FANFIC_CORPUS, n).text: n for n in ("copper_kettle", "night_watch")}

    def analyze_source(source: SourceText, cast: tuple[KnownCharacter, ...] | None = None) -> Story:
        calls.append({"story": stories[source.text], "cast": cast})
        # The group line goes to Bram: it must not count for speaker accuracy.
        novel = read_story(FANFIC_CORPUS, stories[source.text])
        return fanfic_oracle(novel, group_speaker="Bram Cole")

    monkeypatch.setattr(fanfic_command, "analyze_source", analyze_source)
    return calls


def test_prints_a_row_per_story_and_the_averages(oracle_calls: list) -> None:
    result = CliRunner().invoke(eval_command, ["fanfic", str(FANFIC_CORPUS)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split()[:5] == ["story", "gold", "recall", "precis", "speaker"]
    assert lines[1].split()[:5] == ["copper_kettle", "6", "100.0", "100.0", "100.0"]
    assert lines[2].split()[:5] == ["night_watch", "5", "100.0", "100.0", "100.0"]
    assert lines[3].startswith("micro") and lines[4].startswith("macro")
    assert lines[3].split()[3] == "11"  # gold parts over both stories
    assert [call["cast"] for call in oracle_calls] == [None, None]


def test_gold_cast_json_and_one_story(oracle_calls: list, tmp_path: Path) -> None:
    report = tmp_path / "scores.json"
    arguments = ["fanfic", str(FANFIC_CORPUS), "--story", "night_watch", "--gold-cast"]
    result = CliRunner().invoke(eval_command, [*arguments, "--json", str(report)])
    assert result.exit_code == 0, result.output
    (call,) = oracle_calls
    assert call["story"] == "night_watch"
    assert [c.name for c in call["cast"] if c.is_narrator] == ["Rhea Vale"]

    written = json.loads(report.read_text(encoding="utf-8"))
    assert written["gold_cast"] is True
    (story,) = written["stories"]
    assert story["story"] == "night_watch"
    assert story["counts"]["speaker"] == {"hits": 4, "total": 4}
    assert story["counts"]["quote_recall"] == {"hits": 5, "total": 5}
    assert story["cast"]["speakers_found"] == {"hits": 2, "total": 2}
    assert story["character_map"]["c:Tam Orrin"] == "Tam Orrin"
    assert story["character_names"]["c:Tam Orrin"] == "Tam Orrin"
    unknowable = story["quotes"][2]
    assert unknowable["speaker_scored"] is False and unknowable["gold_speaker"] is None
    assert story["unmatched_predictions"] == []
    assert written["micro"]["rates"]["aliases_attached"] == 1.0
    assert written["macro"]["rates"]["speaker"] == 1.0


def test_the_command_is_under_fabula_eval(oracle_calls: list) -> None:
    result = CliRunner().invoke(
        main, ["eval", "fanfic", str(FANFIC_CORPUS), "--story", "night_watch"]
    )
    assert result.exit_code == 0, result.output
    assert "night_watch" in result.output


@pytest.mark.parametrize(
    "arguments",
    [["fanfic", "no/such/folder"], ["fanfic", str(FANFIC_CORPUS), "--story", "Nope"]],
)
def test_bad_folder_or_story_is_an_input_error(arguments: list[str]) -> None:
    result = CliRunner().invoke(eval_command, arguments)
    assert isinstance(result.exception, InputError)


def test_a_folder_without_stories_is_one_line_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["eval", "fanfic", str(tmp_path)])
    assert result.exit_code != 0
    assert result.output.strip().startswith("fabula:") and len(result.output.splitlines()) == 1


def test_predictions_no_gold_line_matches_are_listed(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    novel = read_story(FANFIC_CORPUS, "copper_kettle")
    story = fanfic_oracle(novel)
    sign = novel.text.index('"Soup of the Day"')
    spurious = replace(story.quotes[0], id=QuoteId("sign"), char_start=sign, char_end=sign + 17)
    story = replace(story, quotes=(*story.quotes, spurious))
    monkeypatch.setattr(fanfic_command, "analyze_source", lambda source, cast=None: story)
    report = tmp_path / "scores.json"
    arguments = ["fanfic", str(FANFIC_CORPUS), "--story", "copper_kettle", "--json", str(report)]
    result = CliRunner().invoke(eval_command, arguments)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[1].split()[:4] == ["copper_kettle", "6", "100.0", "85.7"]
    (written,) = json.loads(report.read_text(encoding="utf-8"))["stories"]
    assert written["unmatched_predictions"] == [
        {"id": "sign", "char_start": sign, "char_end": sign + 17, "text": '"Soup of the Day"'}
    ]
