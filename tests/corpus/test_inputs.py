"""Which files of a corpus are works, and what fabula corpus says about the rest (no model)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from fabula.cli import main
from fabula.corpus.inputs import list_works
from fabula.corpus.run import RunProgress
from fabula.outputs.words import duration

STORY = '"Is the lamp lit?" asked Wren.\n\n"Not yet," said Odile.\n'


def corpus(folder: Path, out: Path) -> Result:
    return CliRunner().invoke(main, ["corpus", str(folder), "-o", str(out), "--quiet"])


def test_an_empty_folder_is_an_input_error(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    result = corpus(tmp_path / "in", tmp_path / "out")
    assert result.exit_code == 3
    [line] = result.stderr.splitlines()
    assert line.startswith(f"fabula: {tmp_path / 'in'}: no work to analyse (no .epub, .htm,")
    assert not (tmp_path / "out").exists()


def test_a_folder_of_other_files_says_what_it_skipped(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "cover.jpg").write_bytes(b"\xff\xd8\xff")
    (folder / "notes.PDF").write_bytes(b"%PDF-1.7")
    (folder / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    result = corpus(folder, tmp_path / "out")
    assert result.exit_code == 3
    [line] = result.stderr.splitlines()
    assert line.endswith("; skipped 2 files of other formats (.jpg, .pdf)")


def test_files_without_an_extension_are_works(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    for name in ("chapter-one", "Ch. 2 - The Storm", "sub/story.txt", "sub/.hidden", "a.jpg"):
        (folder / name).write_text(STORY, encoding="utf-8")
    skipped: list[str] = []
    works = list(list_works(folder, on_skip=skipped.append))
    assert [w.name for w in works] == ["Ch. 2 - The Storm", "chapter-one", "sub/story.txt"]
    assert skipped == ["a.jpg"]


def test_the_summary_counts_duplicates_and_speaks_tokens_per_second(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "story.txt").write_text(STORY, encoding="utf-8")
    (folder / "cover.jpg").write_bytes(b"\xff\xd8\xff")

    def fake_run(sources, outdir, **options) -> RunProgress:
        return RunProgress(
            total=4, done=1, skipped=1, duplicates=1, failed=1, tokens=600,
            started=time.perf_counter() - 3,
        )  # fmt: skip

    monkeypatch.setattr("fabula.corpus.run.run_corpus", fake_run)
    out = tmp_path / "out"
    result = corpus(folder, out)
    assert result.exit_code == 0, result.output
    summary, skipped = result.stdout.splitlines()
    assert summary.startswith(
        "1 analysed, 1 already done, 1 failed, 1 duplicate (another file's bytes) in 3."
    )
    assert summary.endswith(f" tokens/s) -> {out}") and "tokens/min" not in summary
    assert skipped == "skipped 1 file of other formats (.jpg)"


@pytest.mark.parametrize(
    ("seconds", "words"),
    [(4.21, "4.2 s"), (192.4, "3 min 12 s"), (7500, "2 h 5 min"), (3600, "1 h 0 min")],
)
def test_durations_in_words(seconds: float, words: str) -> None:
    assert duration(seconds) == words
