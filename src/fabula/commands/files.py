"""Reading the commands' inputs and writing their outputs: every output file is written to a
temporary name and renamed into place, so no reader (and no crash or Ctrl-C) sees half a file."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any, TextIO

import click

from fabula import reading
from fabula.errors import ConfigError
from fabula.model import SourceText, Story
from fabula.outputs import booknlp

STDIN = "-"


def output_stem(name: str) -> str:
    """``story.txt`` -> ``story``; stdin has no name, so it is ``stdin``."""
    return "stdin" if name == STDIN else Path(name).stem


def read_input(name: str, input_format: reading.InputFormat = "auto") -> SourceText:
    if name == STDIN:
        data = sys.stdin.buffer.read()
        return reading.read_bytes(data, name="<stdin>", input_format=input_format)
    return reading.read_path(Path(name), input_format=input_format)


def make_outdir(outdir: Path) -> None:
    try:
        outdir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ConfigError(f"cannot create output directory {outdir}: {error.strerror}") from error


class StagedFiles:
    """Files written under temporary names in their own directories, then renamed into place
    together by ``commit``; leaving the ``with`` block without it removes them.

    A reader (or a crash, or Ctrl-C) never sees half a file, an old result survives a failed
    run, and one input's files (the JSON and its page, BookNLP's four) appear together.
    """

    def __init__(self) -> None:
        self._pending: list[tuple[Path, Path]] = []  # (temporary, final)

    def __enter__(self) -> StagedFiles:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        for temporary, _ in self._pending:
            temporary.unlink(missing_ok=True)
        self._pending.clear()

    def write(self, path: Path, write: Callable[[TextIO], None]) -> Path:
        """Write ``path``'s content to a temporary file beside it; return ``path``."""
        tmp_path: Path | None = None
        try:
            fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
            tmp_path = Path(tmp_name)
            self._pending.append((tmp_path, path))
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as tmp:
                write(tmp)
            # mkstemp makes the file private (0600); results get the user's usual permissions.
            os.chmod(tmp_path, 0o666 & ~_umask())
        except OSError as error:
            raise ConfigError(f"cannot write {path}: {error.strerror}") from error
        return path

    def commit(self) -> None:
        """Rename every staged file into place."""
        while self._pending:
            temporary, path = self._pending[0]
            try:
                os.replace(temporary, path)
            except OSError as error:
                raise ConfigError(f"cannot write {path}: {error.strerror}") from error
            self._pending.pop(0)


def _umask() -> int:
    """The process's umask (reading it means setting it, so it is set straight back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_story_data(staged: StagedFiles, data: dict[str, Any], path: Path) -> Path:
    """Stage a story's JSON data (``Story.to_dict()``)."""

    def dump(file: TextIO) -> None:
        # Streamed: a 50 MB story's JSON is never one string in memory.
        json.dump(data, file, ensure_ascii=False, indent=2)
        file.write("\n")

    return staged.write(path, dump)


def write_booknlp_files(staged: StagedFiles, story: Story, outdir: Path, stem: str) -> list[Path]:
    """Stage BookNLP's four files for the story as OUTDIR/<stem>.<suffix>."""
    return booknlp.write_booknlp(
        story, lambda suffix, write: staged.write(outdir / f"{stem}.{suffix}", write)
    )


def write_report(staged: StagedFiles, story: dict[str, Any], path: Path) -> Path:
    """Stage the story's HTML report at ``path``."""
    from fabula.outputs.report import render_report

    page = render_report(story, title=path.stem.replace("_", " "))
    return staged.write(path, lambda file: file.write(page))


def output_option(help_text: str, **settings: object) -> Callable:
    """The ``-o/--output OUTDIR`` option every command that writes files takes; ``settings``
    are click's (``default``, ``required``, ``show_default``)."""
    return click.option(
        "-o",
        "--output",
        "outdir",
        metavar="OUTDIR",
        type=click.Path(file_okay=False, path_type=Path),
        help=help_text,
        **settings,
    )
