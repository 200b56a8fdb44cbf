"""``fabula analyze``: stories into JSON (or BookNLP's files) and, on request, report pages."""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import click

from fabula import pipeline, reading
from fabula.analysis.diagnostics import warnings_in
from fabula.commands.cast_file import load_cast
from fabula.commands.exits import EXIT_CODES_HELP, print_error
from fabula.commands.files import (
    STDIN,
    StagedFiles,
    make_outdir,
    output_option,
    output_stem,
    read_input,
    write_booknlp_files,
    write_report,
    write_story_data,
)
from fabula.extras import require
from fabula.language.analyse import Progress
from fabula.outputs.summary import format_summary
from fabula.outputs.words import counted, duration
from fabula.settings import Settings

# What --format writes per input; BookNLP's files are <stem>.tokens, .entities, .quotes, .book.
FORMAT_JSON = "json"
FORMAT_BOOKNLP = "booknlp"


@click.command(epilog=EXIT_CODES_HELP, short_help="Analyse stories into JSON or BookNLP files.")
@click.argument("inputs", metavar="INPUT...", nargs=-1, required=True)
@output_option(
    "Directory for the output files, named after each input (created if needed).",
    default=Path("fabula-out"),
    show_default=True,
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
    "--input-format",
    type=click.Choice(reading.INPUT_FORMATS),
    default="auto",
    show_default=True,
    help="How to read each INPUT. auto: from its extension (.md, .html, .epub, else text) and"
    " its content (HTML and EPUB are recognised in any file, stdin too); text, markdown, html,"
    " epub: read it so, e.g. a Markdown stream on stdin, or HTML kept as plain text.",
)
@click.option(
    "--html",
    is_flag=True,
    help="Also write OUTDIR/<stem>.html, the story's report page (needs fabula[report]).",
)
@click.option("-q", "--quiet", is_flag=True, help="Print only errors.")
@click.pass_context
def analyze(
    ctx: click.Context,
    inputs: tuple[str, ...],
    outdir: Path,
    cast_path: Path | None,
    output_format: str,
    input_format: reading.InputFormat,
    html: bool,
    quiet: bool,
) -> None:
    """Analyse each INPUT (text, Markdown, HTML or EPUB; - for stdin) into OUTDIR/<stem>.json,
    or with --format booknlp into OUTDIR/<stem>.tokens, .entities, .quotes and .book.

    A failing input is reported on one line and skipped; the others are still written, and the
    exit code is that of the first failure.
    """
    if html:
        require("report", "fabula analyze --html")
    stems = [output_stem(name) for name in inputs]
    duplicates = sorted({stem for stem in stems if stems.count(stem) > 1})
    if duplicates:
        suffix = ".json" if output_format == FORMAT_JSON else ".tokens"
        raise click.UsageError(
            f"several inputs would write {', '.join(d + suffix for d in duplicates)};"
            " analyse them into different output directories"
        )
    cast = load_cast(cast_path) if cast_path is not None else None
    # The BookNLP files index the text by token: the analysis keeps its parse's tokens.
    settings = Settings(keep_tokens=output_format == FORMAT_BOOKNLP)
    make_outdir(outdir)

    exit_code = 0
    failed = 0
    run_started = time.perf_counter()
    for name, stem in zip(inputs, stems, strict=True):
        label = "<stdin>" if name == STDIN else name
        started = time.perf_counter()
        try:
            with parse_progress(label, show=not quiet and sys.stderr.isatty()) as progress:
                source = read_input(name, input_format)
                story = pipeline.analyze_source(source, cast, settings=settings, progress=progress)
            # The story's plain data is built once for the JSON and the report alike.
            data = story.to_dict() if html or output_format != FORMAT_BOOKNLP else None
            with StagedFiles() as staged:
                if output_format == FORMAT_BOOKNLP:
                    written = write_booknlp_files(staged, story, outdir, stem)
                else:
                    written = [write_story_data(staged, data, outdir / f"{stem}.json")]
                if html:
                    written.append(write_report(staged, data, outdir / f"{stem}.html"))
                staged.commit()
        except Exception as error:  # report it, then go on with the other inputs
            code = print_error(error, label)
            exit_code = exit_code or code
            failed += 1
            continue
        if not quiet:
            for warning in warnings_in(story):
                click.echo(f"fabula: {label}: {warning}", err=True)
            took = duration(time.perf_counter() - started)
            click.echo(f"{label} -> {', '.join(str(path) for path in written)} ({took})")
            click.echo(format_summary(story))
    if len(inputs) > 1 and not quiet:
        took = duration(time.perf_counter() - run_started)
        stories = counted(len(inputs), "story", "stories")
        click.echo(f"{stories} in {took}: {len(inputs) - failed} written, {failed} failed")
    ctx.exit(exit_code)


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
