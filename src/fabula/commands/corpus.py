"""``fabula corpus``: a folder, archive or list of works into Parquet tables, resumably."""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import click

from fabula.commands.exits import EXIT_CODES_HELP, Interrupted
from fabula.commands.files import output_option
from fabula.corpus.inputs import READABLE_SUFFIXES, extension, list_works
from fabula.errors import InputError
from fabula.extras import require
from fabula.outputs.words import counted, duration

if TYPE_CHECKING:
    from fabula.corpus.run import RunProgress, WorkResult


@click.command("corpus", epilog=EXIT_CODES_HELP, short_help="Analyse a corpus into Parquet.")
@click.argument("corpus", metavar="INPUT", type=click.Path(path_type=Path))
@output_option(
    "Folder for the tables (created if needed; a second run resumes in it).", required=True
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
    once every work is either done or recorded. Query the tables with fabula query. Needs
    the corpus extra: pip install 'fabula[corpus]'.
    """
    require("corpus", "fabula corpus")
    from fabula.corpus.run import run_corpus

    skipped_files: list[str] = []
    sources = list(list_works(corpus, on_skip=skipped_files.append))
    if not sources:
        raise InputError(
            f"{corpus}: no work to analyse (no {', '.join(sorted(READABLE_SUFFIXES))} file, nor"
            f" one without an extension){_skipped_note(skipped_files, '; ')}"
        )
    if workers is None:
        workers = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
    show_bar = not quiet and sys.stderr.isatty()
    try:
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
    except KeyboardInterrupt:
        raise Interrupted(
            "interrupted; the works finished are kept: the same command resumes the run"
        ) from None
    click.echo(run_summary(progress, outdir) + _skipped_note(skipped_files, "\n"))


def run_summary(progress: RunProgress, outdir: Path) -> str:
    """The line a run ends with: what became of each work, how long it took, how fast."""
    seconds = time.perf_counter() - progress.started
    duplicates = ""
    if progress.duplicates:
        duplicates = f", {counted(progress.duplicates, 'duplicate')} (another file's bytes)"
    return (
        f"{progress.done} analysed, {progress.skipped} already done, {progress.failed} failed"
        f"{duplicates} in {duration(seconds)} ({_tokens_per_second(progress)}) -> {outdir}"
    )


def _tokens_per_second(progress: RunProgress) -> str:
    seconds = max(time.perf_counter() - progress.started, 1e-9)
    return f"{progress.tokens / seconds:,.0f} tokens/s"


def _skipped_note(names: list[str], separator: str) -> str:
    """Which files were not works, by extension ("" when none were skipped)."""
    if not names:
        return ""
    extensions = sorted({extension(name) for name in names})
    files = counted(len(names), "file")
    return f"{separator}skipped {files} of other formats ({', '.join(extensions)})"


@contextlib.contextmanager
def corpus_progress(total: int, *, show: bool, quiet: bool) -> Iterator:
    """A progress bar with works/s, tokens/s and the ETA on a terminal; otherwise one log line
    per work on stderr (only failures with --quiet)."""

    def rates(progress: RunProgress) -> str:
        seconds = max(time.perf_counter() - progress.started, 1e-9)
        return f"{progress.done / seconds:.2f} works/s, {_tokens_per_second(progress)}"

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
