"""Bad or odd input through the CLI: one clear line and a documented code, or a valid result.

Unreadable input (empty, binary) must fail before the model loads; flawed but readable text
(cp1252, no dialogue, an unclosed quotation) must give a valid JSON file, never an error.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from fabula.cli import main
from fabula.commands.exits import EXIT_INPUT
from fabula.model import SCHEMA

PNG_HEADER = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06"


def analyze_bytes(tmp_path: Path, data: bytes, name: str = "input.txt") -> Result:
    path = tmp_path / name
    path.write_bytes(data)
    return CliRunner().invoke(main, ["analyze", str(path), "-o", str(tmp_path / "out")])


def assert_one_line_error(result: Result, code: int) -> str:
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    [line] = result.stderr.splitlines()
    assert line.startswith("fabula: ")
    return line


def random_bytes_with_nuls() -> bytes:
    data = bytearray(random.Random(1846).randbytes(2048))
    data[100:104] = b"\x00\x00\x00\x00"
    return bytes(data)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"  \n\t\n\r\n   \n", "empty"),
        (PNG_HEADER + bytes(range(256)), "binary"),
        (random_bytes_with_nuls(), "binary"),
    ],
    ids=["empty", "whitespace-only", "png", "random-bytes"],
)
def test_unreadable_input_is_one_line_and_exit_3(tmp_path: Path, data: bytes, reason: str) -> None:
    result = analyze_bytes(tmp_path, data)
    line = assert_one_line_error(result, EXIT_INPUT)
    assert reason in line
    assert "input.txt" in line
    assert not (tmp_path / "out" / "input.json").exists()


def test_missing_file_is_one_line_and_exit_3(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["analyze", str(tmp_path / "absent.txt"), "-o", str(tmp_path)]
    )
    line = assert_one_line_error(result, EXIT_INPUT)
    assert "absent.txt" in line


def test_directory_as_input_is_one_line_and_exit_3(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["analyze", str(tmp_path), "-o", str(tmp_path / "out")])
    assert_one_line_error(result, EXIT_INPUT)


def test_empty_stdin_is_one_line_and_exit_3(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["analyze", "-", "-o", str(tmp_path)], input=b"")
    line = assert_one_line_error(result, EXIT_INPUT)
    assert "<stdin>" in line


def load_result(tmp_path: Path, name: str = "input") -> dict:
    data = json.loads((tmp_path / "out" / f"{name}.json").read_text(encoding="utf-8"))
    assert data["schema"] == SCHEMA
    for quote in data["quotes"]:
        assert data["text"][quote["start"] : quote["end"]] == quote["text"]
    return data


@pytest.mark.model
def test_cp1252_text_is_decoded_with_a_diagnostic(tmp_path: Path) -> None:
    text = (
        "Ren\u00e9 set the tray down by the caf\u00e9 window.\n\n"
        "\u201cIt\u2019s colder than yesterday,\u201d he said.\n\n"
        "\u201cIt\u2019s October,\u201d said Ma\u00eblle, not looking up.\n"
    )
    result = analyze_bytes(tmp_path, text.encode("cp1252"))
    assert result.exit_code == 0, result.output
    data = load_result(tmp_path)
    assert "Ren\u00e9" in data["text"]
    assert "Ma\u00eblle" in data["text"]
    assert any("cp1252" in note for note in data["diagnostics"])
    assert len(data["quotes"]) == 2


@pytest.mark.model
def test_text_without_dialogue_gives_zero_quotes(tmp_path: Path) -> None:
    text = (
        "The tide went out twice that day, or so the harbour master wrote in his book.\n\n"
        "Nobody on the quay believed him, and nobody said so.\n"
    )
    result = analyze_bytes(tmp_path, text.encode("utf-8"))
    assert result.exit_code == 0, result.output
    data = load_result(tmp_path)
    assert data["quotes"] == []
    assert len(data["paragraphs"]) == 2


@pytest.mark.model
def test_unbalanced_quotes_still_give_a_result(tmp_path: Path) -> None:
    text = (
        '"Hold the rope," said Ivo, "and do not let\n\n'
        "The gull took the bread before he could finish.\n\n"
        '"Too late," said Pell."\n'
    )
    result = analyze_bytes(tmp_path, text.encode("utf-8"))
    assert result.exit_code == 0, result.output
    data = load_result(tmp_path)
    assert data["quotes"]
    assert data["text"] == text
