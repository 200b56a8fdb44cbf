"""``fabula`` through click's CliRunner. A fake pipeline keeps most tests free of the model."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from click.testing import CliRunner, Result

from fabula import __version__
from fabula.cli import main
from fabula.commands import files
from fabula.errors import StageError
from fabula.model import SCHEMA, KnownCharacter, Story

if TYPE_CHECKING:
    from conftest import FakePipeline

STORY = """\
The kettle had boiled dry by the time Marguerite came in.

"You forgot it again," she said.

Felix did not look up from the map. "I was counting the islands."
"""


def run(*args: str, stdin: str | bytes | None = None, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main, list(args), input=stdin, env=env)


def stderr_lines(result: Result) -> list[str]:
    return result.stderr.splitlines()


@pytest.fixture
def story_file(tmp_path: Path) -> Path:
    path = tmp_path / "kettle.txt"
    path.write_text(STORY, encoding="utf-8")
    return path


def test_analyze_writes_json_and_prints_summary(
    fake_pipeline: FakePipeline, story_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out" / "nested"
    result = run("analyze", str(story_file), "-o", str(out))
    assert result.exit_code == 0, result.output
    data = json.loads((out / "kettle.json").read_text(encoding="utf-8"))
    assert data["schema"] == SCHEMA
    assert data["text"] == STORY
    assert [q["text"] for q in data["quotes"]] == [
        '"You forgot it again,"',
        '"I was counting the islands."',
    ]
    arrow = re.escape(f"{story_file} -> {out / 'kettle.json'}")
    assert re.search(rf"^{arrow} \(\d+\.\d s\)$", result.stdout, flags=re.MULTILINE)
    assert "2 quotations" in result.stdout
    assert "Uncertain: 2 of 2 lines (speaker confidence below 0.5)" in result.stdout
    assert result.stderr == ""
    assert [p.name for p in out.iterdir()] == ["kettle.json"]  # no temporary file left


def test_summary_lists_cast_by_lines_and_scenes(
    fake_pipeline: FakePipeline, story_file: Path, tmp_path: Path, sample_story: Story
) -> None:
    fake_pipeline.story = lambda source: sample_story
    result = run("analyze", str(story_file), "-o", str(tmp_path))
    assert result.exit_code == 0
    cast = [line.split()[0] for line in result.stdout.splitlines() if line.startswith("  ")][:4]
    assert cast == ["Wren", "Bastien", "Odile", "Zoë"]
    assert '  s1 "Chapter 2": Bastien, Zoë, Odile (1 quote)' in result.stdout


def test_quiet_prints_nothing(
    fake_pipeline: FakePipeline, story_file: Path, tmp_path: Path
) -> None:
    result = run("analyze", "--quiet", str(story_file), "-o", str(tmp_path))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert (tmp_path / "kettle.json").exists()


def test_default_output_directory(
    fake_pipeline: FakePipeline, story_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert run("analyze", str(story_file)).exit_code == 0
    assert (tmp_path / "fabula-out" / "kettle.json").exists()


def test_stdin_is_read_as_bytes(fake_pipeline: FakePipeline, tmp_path: Path) -> None:
    result = run("analyze", "-", "-o", str(tmp_path), stdin=STORY.encode("utf-8"))
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "stdin.json").read_text(encoding="utf-8"))
    assert data["text"] == STORY
    assert "<stdin> ->" in result.stdout


MARKDOWN_STORY = """\
# Chapter 1

The kettle had *boiled dry* by the time Marguerite came in.

"You forgot it again," she said.
"""
HTML_STORY = "<p>One.</p>\n<p>Two.</p>\n<p>Three.</p>\n"


def test_input_format_markdown_reads_a_markdown_stream(
    fake_pipeline: FakePipeline, tmp_path: Path
) -> None:
    result = run(
        "analyze", "-", "--input-format", "markdown", "-o", str(tmp_path), stdin=MARKDOWN_STORY
    )
    assert result.exit_code == 0, result.output
    source, _ = fake_pipeline.calls[0]
    assert source.text == (
        "Chapter 1\n\nThe kettle had boiled dry by the time Marguerite came in."
        '\n\n"You forgot it again," she said.'
    )
    assert [chapter.title for chapter in source.work.chapters] == ["Chapter 1"]


def test_stdin_is_plain_text_by_default_and_html_is_still_recognised(
    fake_pipeline: FakePipeline, tmp_path: Path
) -> None:
    assert run("analyze", "-", "-o", str(tmp_path / "a"), stdin=MARKDOWN_STORY).exit_code == 0
    assert run("analyze", "-", "-o", str(tmp_path / "b"), stdin=HTML_STORY).exit_code == 0
    markdown_as_text, html = (source for source, _ in fake_pipeline.calls)
    assert markdown_as_text.text == MARKDOWN_STORY
    assert html.text == "One.\n\nTwo.\n\nThree."


@pytest.mark.parametrize(
    ("suffix", "input_format", "expected"),
    [
        (".html", "text", HTML_STORY),
        (".txt", "html", "One.\n\nTwo.\n\nThree."),
        (".txt", "markdown", "# a\n\nb"),
    ],
)
def test_input_format_overrides_the_extension(
    fake_pipeline: FakePipeline, tmp_path: Path, suffix: str, input_format: str, expected: str
) -> None:
    path = tmp_path / f"story{suffix}"
    path.write_text(HTML_STORY if input_format != "markdown" else "\\# a\n\nb\n")
    result = run("analyze", str(path), "--input-format", input_format, "-o", str(tmp_path / "o"))
    assert result.exit_code == 0, result.output
    assert fake_pipeline.calls[0][0].text == expected


def test_input_format_epub_on_a_text_file_is_an_input_error(
    fake_pipeline: FakePipeline, story_file: Path, tmp_path: Path
) -> None:
    result = run("analyze", str(story_file), "--input-format", "epub", "-o", str(tmp_path))
    assert result.exit_code == 3
    assert stderr_lines(result) == [
        f"fabula: {story_file} is not a valid EPUB: it is not a zip archive, or it is cut short"
        " or damaged (File is not a zip file)"
    ]


def test_unknown_input_format_is_a_usage_error(story_file: Path, tmp_path: Path) -> None:
    result = run("analyze", str(story_file), "--input-format", "docx", "-o", str(tmp_path))
    assert result.exit_code == 2
    assert "'docx' is not one of 'auto', 'text', 'markdown', 'html', 'epub'" in result.stderr


def test_cast_file_is_passed_to_the_pipeline(
    fake_pipeline: FakePipeline, story_file: Path, tmp_path: Path
) -> None:
    cast_file = tmp_path / "cast.json"
    cast_file.write_text(
        json.dumps(
            [
                {"name": "Marguerite", "aliases": ["Margo"], "gender": "she"},
                {"name": "Felix", "gender": None},
                {"name": "The Ferryman"},
                {"name": "Corin", "aliases": [], "gender": "they", "is_narrator": True},
            ]
        ),
        encoding="utf-8",
    )
    result = run("analyze", str(story_file), "--cast", str(cast_file), "-o", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert fake_pipeline.calls[0][1] == (
        KnownCharacter("Marguerite", ("Margo",), "she"),
        KnownCharacter("Felix"),
        KnownCharacter("The Ferryman"),
        KnownCharacter("Corin", gender="they", is_narrator=True),
    )


def test_without_cast_the_pipeline_gets_none(
    fake_pipeline: FakePipeline, story_file: Path, tmp_path: Path
) -> None:
    assert run("analyze", str(story_file), "-o", str(tmp_path)).exit_code == 0
    assert fake_pipeline.calls[0][1] is None


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('[{"name": "Felix"', "not valid JSON (line 1"),
        ('{"name": "Felix"}', "expected a JSON list of characters, got an object"),
        ('["Felix"]', "entry 0: expected an object, got a string"),
        ('[{"aliases": ["F"]}]', '"name" must be a non-empty string'),
        ('[{"name": "  "}]', '"name" must be a non-empty string'),
        ('[{"name": "Felix", "aliases": "F"}]', '"aliases" must be a list'),
        ('[{"name": "Felix", "gender": "male"}]', '"gender" must be "he", "she", "they" or null'),
        ('[{"name": "Felix", "alias": ["F"]}]', "unknown key 'alias'"),
        ('[{"name": "Felix", "is_narrator": "yes"}]', '"is_narrator" must be true or false'),
        ('[{"name": "Felix"}, {"name": "felix"}]', "entry 1: duplicate name 'felix'"),
        (b"\xff\xfe\x00[", "not UTF-8 text"),
    ],
)
def test_bad_cast_file_is_a_config_error(
    fake_pipeline: FakePipeline,
    story_file: Path,
    tmp_path: Path,
    content: str | bytes,
    message: str,
) -> None:
    cast_file = tmp_path / "cast.json"
    if isinstance(content, bytes):
        cast_file.write_bytes(content)
    else:
        cast_file.write_text(content, encoding="utf-8")
    out = tmp_path / "out"
    result = run("analyze", str(story_file), "--cast", str(cast_file), "-o", str(out))
    assert result.exit_code == 4
    [line] = stderr_lines(result)
    assert line.startswith(f"fabula: cast file {cast_file}: ")
    assert message in line
    assert not fake_pipeline.calls
    assert not out.exists()


def test_missing_cast_file_is_a_config_error(
    fake_pipeline: FakePipeline, story_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    result = run("analyze", str(story_file), "--cast", str(tmp_path / "nope.json"), "-o", str(out))
    assert result.exit_code == 4
    assert len(stderr_lines(result)) == 1
    assert "nope.json: cannot read it" in result.stderr
    assert not out.exists()


def test_one_missing_input_does_not_stop_the_others(
    fake_pipeline: FakePipeline, story_file: Path, tmp_path: Path
) -> None:
    second = tmp_path / "second.txt"
    second.write_text('"Again?" asked nobody in particular.\n', encoding="utf-8")
    missing = tmp_path / "missing.txt"
    out = tmp_path / "out"
    result = run("analyze", str(story_file), str(missing), str(second), "-o", str(out))
    assert result.exit_code == 3
    assert sorted(p.name for p in out.iterdir()) == ["kettle.json", "second.json"]
    lines = stderr_lines(result)
    assert len(lines) == 1
    assert lines[0].startswith("fabula: ")
    assert str(missing) in lines[0]
    assert "Traceback" not in result.output
    assert re.search(r"^3 stories in \d+\.\d s: 2 written, 1 failed$", result.stdout, re.MULTILINE)


def test_exit_code_is_the_first_failures(
    fake_pipeline: FakePipeline, story_file: Path, tmp_path: Path, sample_story: Story
) -> None:
    def fail_on_first(source):
        if len(fake_pipeline.calls) == 1:
            raise StageError("attribution", "no tokens", paragraph_index=3)
        return sample_story

    fake_pipeline.story = fail_on_first
    result = run("analyze", str(story_file), str(tmp_path / "gone.txt"), "-o", str(tmp_path))
    assert result.exit_code == 5
    assert stderr_lines(result)[0] == (
        f"fabula: {story_file}: attribution: no tokens (paragraph 3)"
    )
    assert len(stderr_lines(result)) == 2


def test_stage_error_exit_code(
    fake_pipeline: FakePipeline, story_file: Path, tmp_path: Path
) -> None:
    def fail(source):
        raise StageError("parse", "the model returned no sentences")

    fake_pipeline.story = fail
    result = run("analyze", str(story_file), "-o", str(tmp_path))
    assert result.exit_code == 5
    assert stderr_lines(result) == [f"fabula: {story_file}: parse: the model returned no sentences"]


def test_unexpected_error_is_one_line_without_traceback(
    fake_pipeline: FakePipeline, story_file: Path, tmp_path: Path
) -> None:
    def crash(source):
        raise ValueError("a bug\nover two lines")

    fake_pipeline.story = crash
    result = run("analyze", str(story_file), "-o", str(tmp_path), env={"FABULA_DEBUG": ""})
    assert result.exit_code == 1
    assert stderr_lines(result) == [
        f"fabula: internal error: {story_file}: ValueError: a bug over two lines;"
        " please report it (FABULA_DEBUG=1 shows the traceback)"
    ]


def test_fabula_debug_shows_the_traceback(
    fake_pipeline: FakePipeline, story_file: Path, tmp_path: Path
) -> None:
    def crash(source):
        raise ValueError("a bug")

    fake_pipeline.story = crash
    result = run("analyze", str(story_file), "-o", str(tmp_path), env={"FABULA_DEBUG": "1"})
    assert result.exit_code == 1
    assert "Traceback" in result.stderr
    assert stderr_lines(result)[-1].startswith("fabula: internal error:")


def test_failed_write_keeps_the_previous_output(
    fake_pipeline: FakePipeline,
    story_file: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    previous = tmp_path / "kettle.json"
    previous.write_text('{"old": true}\n', encoding="utf-8")

    def breaks_half_way(data, file, **options):
        file.write('{"text": "half')
        raise RuntimeError("serialiser broke")

    monkeypatch.setattr(files.json, "dump", breaks_half_way)
    result = run("analyze", str(story_file), "-o", str(tmp_path))
    assert result.exit_code == 1
    assert previous.read_text(encoding="utf-8") == '{"old": true}\n'
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kettle.json", "kettle.txt"]


def test_write_error_is_a_config_error_and_leaves_no_temporary_file(
    fake_pipeline: FakePipeline,
    story_file: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "kettle.json").write_text('{"old": true}\n', encoding="utf-8")

    def disk_full(source, target):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("fabula.commands.files.os.replace", disk_full)
    result = run("analyze", str(story_file), "-o", str(out))
    assert result.exit_code == 4
    assert stderr_lines(result) == [
        f"fabula: {story_file}: cannot write {out / 'kettle.json'}: No space left on device"
    ]
    assert [p.name for p in out.iterdir()] == ["kettle.json"]
    assert (out / "kettle.json").read_text(encoding="utf-8") == '{"old": true}\n'


def test_output_directory_that_cannot_be_created(
    fake_pipeline: FakePipeline, story_file: Path
) -> None:
    result = run("analyze", str(story_file), "-o", str(story_file / "sub"))
    assert result.exit_code == 4
    assert stderr_lines(result)[0].startswith("fabula: cannot create output directory")


def test_two_inputs_with_one_stem_is_a_usage_error(
    fake_pipeline: FakePipeline, story_file: Path, tmp_path: Path
) -> None:
    other = tmp_path / "elsewhere"
    other.mkdir()
    (other / "kettle.txt").write_text(STORY, encoding="utf-8")
    result = run("analyze", str(story_file), str(other / "kettle.txt"), "-o", str(tmp_path))
    assert result.exit_code == 2
    assert "kettle.json" in result.stderr
    assert not fake_pipeline.calls


def test_two_inputs_with_one_stem_name_the_booknlp_file_they_would_share(
    fake_pipeline: FakePipeline, story_file: Path, tmp_path: Path
) -> None:
    other = tmp_path / "elsewhere"
    other.mkdir()
    (other / "kettle.txt").write_text(STORY, encoding="utf-8")
    result = run("analyze", str(story_file), str(other / "kettle.txt"), "--format", "booknlp")
    assert result.exit_code == 2
    assert "several inputs would write kettle.tokens" in result.stderr
    assert not fake_pipeline.calls


def test_unknown_format_is_a_usage_error(story_file: Path) -> None:
    result = run("analyze", str(story_file), "--format", "conll")
    assert result.exit_code == 2
    assert "'conll' is not one of 'json', 'booknlp'" in result.stderr


def test_help_documents_the_booknlp_format() -> None:
    result = run("analyze", "--help")
    assert "--format [json|booknlp]" in result.stdout
    assert ".entities, .quotes and .book" in " ".join(result.stdout.split())


def test_no_input_is_a_usage_error() -> None:
    result = run("analyze")
    assert result.exit_code == 2


def test_version() -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout == f"fabula {__version__} ({SCHEMA})\n"


@pytest.mark.parametrize("args", [["--help"], ["analyze", "--help"]])
def test_help_documents_exit_codes(args: list[str]) -> None:
    result = run(*args)
    assert result.exit_code == 0
    codes = (
        "0  success",
        "1  internal error",
        "2  usage",
        "3  input",
        "4  config",
        "5  a",
        "6  an optional extra",
    )
    for code in codes:
        assert code in result.stdout


def test_eval_command_is_registered() -> None:
    assert "eval" in main.commands


@pytest.mark.model
def test_real_pipeline_end_to_end(story_file: Path, tmp_path: Path) -> None:
    result = run("analyze", str(story_file), "-o", str(tmp_path))
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "kettle.json").read_text(encoding="utf-8"))
    text = data["text"]
    assert [text[q["start"] : q["end"]] for q in data["quotes"]] == [
        q["text"] for q in data["quotes"]
    ]
    assert len(data["quotes"]) == 2
    ids = {c["id"] for c in data["characters"]}
    assert {q["speaker"] for q in data["quotes"]} <= ids | {None}
    assert "2 quotations" in result.stdout


def test_results_get_the_users_usual_permissions(
    fake_pipeline: FakePipeline, story_file: Path, tmp_path: Path
) -> None:
    previous = os.umask(0o022)
    try:
        result = run("analyze", str(story_file), "-o", str(tmp_path / "out"))
    finally:
        os.umask(previous)
    assert result.exit_code == 0
    assert (tmp_path / "out" / "kettle.json").stat().st_mode & 0o777 == 0o644
