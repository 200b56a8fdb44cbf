"""Exit codes, and the one stderr line every error becomes.

``EXIT_CODES`` is the single table: ``--help`` prints it and a test checks the README's.
"""

from __future__ import annotations

import errno
import os
import traceback

import click

from fabula.errors import ConfigError, FabulaError, InputError, MissingExtraError, StageError

EXIT_OK = 0
EXIT_INTERNAL = 1
EXIT_USAGE = 2
EXIT_INPUT = 3
EXIT_CONFIG = 4
EXIT_STAGE = 5
EXIT_MISSING_EXTRA = 6
# As shells report a process ended by a signal: 128 + SIGINT (Ctrl-C), 128 + SIGPIPE.
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141

EXIT_CODES = (
    (EXIT_OK, "success"),
    (EXIT_INTERNAL, "internal error (a bug: please report it; FABULA_DEBUG=1 shows the traceback)"),
    (EXIT_USAGE, "usage error (bad option or argument, empty SQL, -o naming a file)"),
    (EXIT_INPUT, "input error (missing, empty, binary or undecodable input; no works found)"),
    (EXIT_CONFIG, "configuration error (bad --cast file, unwritable output, SQL DuckDB rejects)"),
    (EXIT_STAGE, "a pipeline stage failed on this input"),
    (EXIT_MISSING_EXTRA, "an optional extra the command needs is not installed (named)"),
    (EXIT_INTERRUPTED, "interrupted (Ctrl-C); no partial file is left"),
    (EXIT_BROKEN_PIPE, "the reader of the output went away (| head); nothing is printed"),
)
EXIT_CODES_HELP = "\b\nExit codes:\n" + "\n".join(
    f"  {code:>3}  {meaning}" for code, meaning in EXIT_CODES
)


class Interrupted(Exception):
    """Ctrl-C, carried past click (which would print "Aborted!") to ``fabula.cli``; the
    message says what was kept."""


def exit_code_for(error: BaseException) -> int:
    """The documented exit code for an error raised while running a command."""
    if isinstance(error, InputError):
        return EXIT_INPUT
    if isinstance(error, ConfigError):
        return EXIT_CONFIG
    if isinstance(error, StageError):
        return EXIT_STAGE
    if isinstance(error, MissingExtraError):
        return EXIT_MISSING_EXTRA
    return EXIT_INTERNAL


def one_line(message: str) -> str:
    """Messages from deep inside may hold newlines: folded, they stay one line."""
    return " ".join(message.split())


def error_line(error: BaseException, where: str | None = None) -> str:
    """One line for stderr, starting with ``fabula:``."""
    message = one_line(str(error)) or type(error).__name__
    # Reading errors already name their input; don't say it twice.
    prefix = f"{where}: " if where and not isinstance(error, InputError) else ""
    if isinstance(error, FabulaError):
        return f"fabula: {prefix}{message}"
    return (
        f"fabula: internal error: {prefix}{type(error).__name__}: {message}; please report it"
        " (FABULA_DEBUG=1 shows the traceback)"
    )


def usage_line(error: click.UsageError) -> str:
    """Click's usage message, which takes three lines, as one."""
    message = one_line(error.format_message()).rstrip(".")
    message = message[:1].lower() + message[1:]
    command = error.ctx.command_path if error.ctx is not None else "fabula"
    return f"fabula: {message} (try '{command} --help')"


def is_broken_pipe(error: BaseException) -> bool:
    return isinstance(error, OSError) and error.errno == errno.EPIPE


def print_error(error: BaseException, where: str | None = None) -> int:
    """Print ``error`` as one stderr line (plus its traceback when debugging); return its code."""
    if os.environ.get("FABULA_DEBUG") == "1":
        click.echo("".join(traceback.format_exception(error)), err=True, nl=False)
    click.echo(error_line(error, where), err=True)
    return exit_code_for(error)
