"""The ``fabula`` command: a thin shell over ``pipeline.py`` and the only place that exits.

Every ``FabulaError`` becomes one line on stderr and a documented exit code; anything else is a
bug and becomes one "internal error" line (the traceback only with ``FABULA_DEBUG=1``).
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TextIO

import click

from fabula import __version__, pipeline, reading
from fabula.diagnostics import warnings_in
from fabula.errors import ConfigError, FabulaError, InputError, StageError
from fabula.evaluation.command import eval_command
from fabula.language.analyse import Progress
from fabula.model import SCHEMA, KnownCharacter, SourceText, Story
from fabula.outputs import booknlp
from fabula.outputs.summary import format_summary

EXIT_INTERNAL = 1
EXIT_INPUT = 3
EXIT_CONFIG = 4
EXIT_STAGE = 5
STDIN = "-"
# What --format writes per input; BookNLP's files are <stem>.tokens, .entities, .quotes, .book.
FORMAT_JSON = "json"
FORMAT_BOOKNLP = "booknlp"

EXIT_CODES_HELP = """\b
Exit codes:
  0  success
  1  internal error (a bug: please report it; FABULA_DEBUG=1 shows the traceback)
  2  usage error (bad option or argument)
  3  input error (missing, empty, binary or undecodable input)
  4  configuration error (bad --cast file, unwritable output directory)
  5  a pipeline stage failed on this input
"""


def exit_code_for(error: BaseException) -> int:
    """The documented exit code for an error raised while running a command."""
    if isinstance(error, InputError):
        return EXIT_INPUT
    if isinstance(error, ConfigError):
        return EXIT_CONFIG
    if isinstance(error, StageError):
        return EXIT_STAGE
    return EXIT_INTERNAL


def error_line(error: BaseException, where: str | None = None) -> str:
    """One line for stderr: messages from deep inside may hold newlines, so they are folded."""
    message = " ".join(str(error).split()) or type(error).__name__
    # Reading errors already name their input; don't say it twice.
    prefix = f"{where}: " if where and not isinstance(error, InputError) else ""
    if isinstance(error, FabulaError):
        return f"fabula: {prefix}{message}"
    return (
        f"fabula: internal error: {prefix}{type(error).__name__}: {message}; please report it"
        " (FABULA_DEBUG=1 shows the traceback)"
    )


def report(error: BaseException, where: str | None = None) -> int:
    """Print ``error`` as one stderr line (plus its traceback when debugging); return its code."""
    if os.environ.get("FABULA_DEBUG") == "1":
        click.echo("".join(traceback.format_exception(error)), err=True, nl=False)
    click.echo(error_line(error, where), err=True)
    return exit_code_for(error)


class FabulaGroup(click.Group):
    """Maps errors escaping any subcommand (``eval`` too) to one line and an exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as error:  # the last line of defence: still one line, still a code
            ctx.exit(report(error))


@click.group(name="fabula", cls=FabulaGroup, epilog=EXIT_CODES_HELP)
@click.version_option(__version__, prog_name="fabula", message=f"%(prog)s %(version)s ({SCHEMA})")
def main() -> None:
    """Find a story's cast, who says each quotation to whom, and its scenes."""


@main.command(epilog=EXIT_CODES_HELP, short_help="Analyse stories into JSON or BookNLP files.")
@click.argument("inputs", metavar="INPUT...", nargs=-1, required=True)
@click.option(
    "-o",
    "--output",
    "outdir",
    metavar="OUTDIR",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("fabula-out"),
    show_default=True,
    help="Directory for the output files, named after each input (created if needed).",
)
@click.option(
    "--cast",
    "cast_path",
    metavar="CAST.json",
    type=click.Path(dir_okay=False, path_type=Path),
    help='JSON list of known characters: [{"name": ..., "aliases": [...], "gender": "she"}].',
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice([FORMAT_JSON, FORMAT_BOOKNLP]),
    default=FORMAT_JSON,
    show_default=True,
    help="json: OUTDIR/<stem>.json. booknlp: instead, BookNLP's four files OUTDIR/<stem>.tokens,"
    " .entities, .quotes and .book, for scripts written for BookNLP (see the README).",
)
@click.option(
    "--html", is_flag=True, help="Also write OUTDIR/<stem>.html, the story's report page."
)
@click.option("-q", "--quiet", is_flag=True, help="Print only errors.")
@click.pass_context
def analyze(
    ctx: click.Context,
    inputs: tuple[str, ...],
    outdir: Path,
    cast_path: Path | None,
    output_format: str,
    html: bool,
    quiet: bool,
) -> None:
    """Analyse each INPUT (text, Markdown, HTML or EPUB; - for stdin) into OUTDIR/<stem>.json,
    or with --format booknlp into OUTDIR/<stem>.tokens, .entities, .quotes and .book.

    A failing input is reported on one line and skipped; the others are still written, and the
    exit code is that of the first failure.
    """
    stems = [output_stem(name) for name in inputs]
    duplicates = sorted({stem for stem in stems if stems.count(stem) > 1})
    if duplicates:
        suffix = ".json" if output_format == FORMAT_JSON else ".tokens"
        raise click.UsageError(
            f"several inputs would write {', '.join(d + suffix for d in duplicates)};"
            " analyse them into different output directories"
        )
    cast = load_cast(cast_path) if cast_path is not None else None
    make_outdir(outdir)

    exit_code = 0
    for name, stem in zip(inputs, stems, strict=True):
        label = "<stdin>" if name == STDIN else name
        try:
            with parse_progress(label, show=not quiet and sys.stderr.isatty()) as progress:
                story = pipeline.analyze_source(read_input(name), cast, progress=progress)
            # The story's plain data is built once for the JSON and the report alike.
            data = story.to_dict() if html or output_format != FORMAT_BOOKNLP else None
            if output_format == FORMAT_BOOKNLP:
                written = write_booknlp_files(story, outdir, stem)
            else:
                written = [write_story_data(data, outdir / f"{stem}.json")]
            if html:
                written.append(write_report(data, outdir / f"{stem}.html"))
        except Exception as error:  # report it, then go on with the other inputs
            code = report(error, label)
            exit_code = exit_code or code
            continue
        if not quiet:
            for warning in warnings_in(story):
                click.echo(f"fabula: {label}: {warning}", err=True)
            click.echo(f"{label} -> {', '.join(str(path) for path in written)}")
            click.echo(format_summary(story))
    ctx.exit(exit_code)


@main.command("report", epilog=EXIT_CODES_HELP, short_help="Turn story JSON into HTML pages.")
@click.argument("stories", metavar="STORY.json...", nargs=-1, required=True)
@click.option(
    "-o",
    "--output",
    "outdir",
    metavar="OUTDIR",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Directory for the <stem>.html pages  [default: beside each STORY.json]",
)
@click.option("-q", "--quiet", is_flag=True, help="Print only errors.")
@click.pass_context
def report_command(
    ctx: click.Context, stories: tuple[str, ...], outdir: Path | None, quiet: bool
) -> None:
    """Write each STORY.json (from ``fabula analyze``) as <stem>.html: one page that opens
    offline in any browser, with the coloured dialogue, the cast, the network and the arcs."""
    from fabula.outputs.report import load_story_json

    if outdir is not None:
        make_outdir(outdir)
    exit_code = 0
    for name in stories:
        path = Path(name)
        try:
            raw = _read_story_json(path)
            story = load_story_json(raw, name)
            written = write_report(story, (outdir or path.parent) / f"{path.stem}.html")
        except Exception as error:  # report it, then go on with the other stories
            code = report(error, name)
            exit_code = exit_code or code
            continue
        if not quiet:
            click.echo(f"{name} -> {written}")
    ctx.exit(exit_code)


def _read_story_json(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError as error:
        raise InputError(f"{path}: no such file") from error
    except IsADirectoryError as error:
        raise InputError(f"{path}: is a directory, not a story JSON file") from error
    except UnicodeDecodeError as error:
        raise InputError(f"{path}: not UTF-8 text, so not a fabula story") from error
    except OSError as error:
        raise InputError(f"{path}: cannot read it: {error.strerror}") from error


@main.command("corpus", epilog=EXIT_CODES_HELP, short_help="Analyse a corpus into Parquet.")
@click.argument("corpus", metavar="INPUT", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    "outdir",
    metavar="OUTDIR",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder for the tables (created if needed; a second run resumes in it).",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Local worker processes  [default: one per CPU]",
)
@click.option("--dask", "dask_address", metavar="ADDRESS", help="Run on this Dask scheduler.")
@click.option("--json", "want_json", is_flag=True, help="Also keep each work's story JSON.")
@click.option(
    "--timeout",
    type=click.FloatRange(min=1),
    default=600,
    show_default=True,
    help="Seconds a work may take before it is stopped and recorded as an error (local runs).",
)
@click.option("--retry-errors", is_flag=True, help="Try again the works that failed before.")
@click.option("-q", "--quiet", is_flag=True, help="Print only errors and the final count.")
def corpus_command(
    corpus: Path,
    outdir: Path,
    workers: int | None,
    dask_address: str | None,
    want_json: bool,
    timeout: float,
    retry_errors: bool,
    quiet: bool,
) -> None:
    """Analyse every work in INPUT (a folder, searched recursively; a zip or tar archive; or
    a .lst file of paths, one per line) into Parquet tables in OUTDIR.

    Works already in OUTDIR are skipped, so a run that was stopped resumes where it was. A
    work that fails is recorded in the errors table and the run goes on; the exit code is 0
    once every work is either done or recorded. Query the tables with fabula query.
    """
    from fabula.corpus.inputs import list_works
    from fabula.corpus.run import run_corpus

    sources = list(list_works(corpus))
    if workers is None:
        workers = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
    show_bar = not quiet and sys.stderr.isatty()
    with corpus_progress(len(sources), show=show_bar, quiet=quiet) as listener:
        progress = run_corpus(
            sources,
            outdir,
            workers=workers,
            dask_address=dask_address,
            timeout=timeout,
            want_json=want_json,
            retry_errors=retry_errors,
            listener=listener,
        )
    minutes = max(time.perf_counter() - progress.started, 1e-9) / 60
    click.echo(
        f"{progress.done} analysed, {progress.skipped} already done, {progress.failed} failed"
        f" ({progress.tokens / minutes:,.0f} tokens/min) -> {outdir}"
    )


@contextlib.contextmanager
def corpus_progress(total: int, *, show: bool, quiet: bool) -> Iterator:
    """A progress bar with works/s, tokens/s and the ETA on a terminal; otherwise one log line
    per work on stderr (only failures with --quiet)."""
    from fabula.corpus.run import RunProgress, WorkResult

    def rates(progress: RunProgress) -> str:
        seconds = max(time.perf_counter() - progress.started, 1e-9)
        return f"{progress.done / seconds:.2f} works/s, {progress.tokens / seconds:,.0f} tokens/s"

    if show:
        with click.progressbar(
            length=total, label="analysing", file=sys.stderr, show_eta=True, show_pos=True
        ) as bar:

            def advance(progress: RunProgress, result: WorkResult | None) -> None:
                bar.label = f"analysing ({rates(progress)})"
                bar.update(1)

            yield advance
        return

    def log(progress: RunProgress, result: WorkResult | None) -> None:
        if result is None or (quiet and result.tables is not None):
            return
        where = f"[{progress.finished}/{progress.total}]"
        if result.tables is None:
            click.echo(
                f"{where} failed {result.source}: {result.error_kind}: {result.error_message}",
                err=True,
            )
        else:
            click.echo(
                f"{where} done {result.source} ({result.tokens:,} tokens, {result.seconds:.1f} s;"
                f" {rates(progress)})",
                err=True,
            )

    yield log


@main.command("query", epilog=EXIT_CODES_HELP, short_help="SQL over a corpus's tables.")
@click.argument("outdir", metavar="OUTDIR", type=click.Path(path_type=Path))
@click.argument("sql", metavar="SQL")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
    help="table for people; csv or json (one object per line) for programs.",
)
def query_command(outdir: Path, sql: str, output_format: str) -> None:
    """Run SQL (DuckDB's dialect) over the tables of a corpus made by fabula corpus: works,
    characters, quotes, mentions, scenes, interactions and errors."""
    from fabula.corpus.query import run_query

    columns, rows = run_query(outdir, sql)
    if output_format == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)
    elif output_format == "json":
        for row in rows:
            click.echo(json.dumps(dict(zip(columns, row, strict=True)), default=str))
    else:
        click.echo(format_table(columns, rows))


def format_table(columns: list[str], rows: list[tuple]) -> str:
    """Columns aligned for a terminal; long cells cut to keep rows on one line."""
    cells = [[_cell(value) for value in row] for row in rows]
    widths = [max([len(name), *(len(row[i]) for row in cells)]) for i, name in enumerate(columns)]
    lines = ["  ".join(name.ljust(w) for name, w in zip(columns, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(line.rstrip() for line in lines)


def _cell(value: object, limit: int = 60) -> str:
    text = "" if value is None else " ".join(str(value).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


main.add_command(eval_command)


@contextlib.contextmanager
def parse_progress(label: str, *, show: bool) -> Iterator[Progress | None]:
    """A progress bar on a terminal's stderr while a story is parsed; nothing otherwise, so
    pipes and logs get only the summary."""
    if not show:
        yield None
        return
    with click.progressbar(length=1, label=f"parsing {label}", file=sys.stderr) as bar:
        done = 0

        def advance(parsed: int, total: int) -> None:
            nonlocal done
            bar.length = total
            bar.update(parsed - done)
            done = parsed

        yield advance


def output_stem(name: str) -> str:
    """``story.txt`` -> ``story``; stdin has no name, so it is ``stdin``."""
    return "stdin" if name == STDIN else Path(name).stem


def read_input(name: str) -> SourceText:
    if name == STDIN:
        data = sys.stdin.buffer.read()
        return reading.read_bytes(data, name="<stdin>")
    return reading.read_path(Path(name))


def make_outdir(outdir: Path) -> None:
    try:
        outdir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ConfigError(f"cannot create output directory {outdir}: {error.strerror}") from error


def write_story_data(data: dict[str, Any], path: Path) -> Path:
    """Write a story's JSON data (``Story.to_dict()``) atomically (see ``write_atomically``)."""

    def dump(file: TextIO) -> None:
        # Streamed: a 50 MB story's JSON is never one string in memory.
        json.dump(data, file, ensure_ascii=False, indent=2)
        file.write("\n")

    return write_atomically(path, dump)


def write_booknlp_files(story: Story, outdir: Path, stem: str) -> list[Path]:
    """BookNLP's four files for the story as OUTDIR/<stem>.<suffix>, each written atomically."""
    return booknlp.write_booknlp(
        story, lambda suffix, write: write_atomically(outdir / f"{stem}.{suffix}", write)
    )


def write_atomically(path: Path, write: Callable[[TextIO], None]) -> Path:
    """Write through a temporary file in the same directory, then ``os.replace``.

    A reader (or a crash) never sees half a file, and an old result survives a failed run:
    the finally clause removes a half-written temporary file.
    """
    tmp_path: Path | None = None
    try:
        fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        tmp_path = Path(tmp_name)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as tmp:
            write(tmp)
        # mkstemp makes the file private (0600); results get the user's usual permissions.
        os.chmod(tmp_path, 0o666 & ~_umask())
        os.replace(tmp_path, path)
    except OSError as error:
        raise ConfigError(f"cannot write {path}: {error.strerror}") from error
    finally:
        if tmp_path is not None:
            tmp_path.unlink(missing_ok=True)  # already renamed unless writing failed
    return path


def _umask() -> int:
    """The process's umask (reading it means setting it, so it is set straight back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_report(story: dict[str, Any], path: Path) -> Path:
    """The story's HTML report at ``path``, atomically."""
    from fabula.outputs.report import render_report

    page = render_report(story, title=path.stem.replace("_", " "))
    return write_atomically(path, lambda file: file.write(page))


def load_cast(path: Path) -> tuple[KnownCharacter, ...]:
    """Read a ``--cast`` file: a JSON list of ``{"name", "aliases", "gender", "is_narrator"}``.

    Only ``name`` is required. Unknown keys are rejected so that a typo ("alias") is not
    silently ignored. Example: ``[{"name": "Wren", "aliases": ["Wrenna"], "gender": "she"}]``.
    """
    where = f"cast file {path}"
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as error:
        raise ConfigError(f"{where}: cannot read it: {error.strerror}") from error
    except UnicodeDecodeError as error:
        raise ConfigError(f"{where}: not UTF-8 text") from error
    except json.JSONDecodeError as error:
        raise ConfigError(
            f"{where}: not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})"
        ) from error
    if not isinstance(data, list):
        raise ConfigError(f"{where}: expected a JSON list of characters, got {_json_type(data)}")
    cast = tuple(_known_character(entry, f"{where}: entry {i}") for i, entry in enumerate(data))
    seen: set[str] = set()
    for i, character in enumerate(cast):
        if character.name.casefold() in seen:
            raise ConfigError(f"{where}: entry {i}: duplicate name {character.name!r}")
        seen.add(character.name.casefold())
    return cast


def _known_character(entry: object, where: str) -> KnownCharacter:
    if not isinstance(entry, dict):
        raise ConfigError(f"{where}: expected an object, got {_json_type(entry)}")
    try:
        return KnownCharacter.from_dict(entry)
    except ConfigError as error:
        raise ConfigError(f"{where}: {error}") from None


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    return {dict: "an object", list: "a list", str: "a string"}[type(value)]
