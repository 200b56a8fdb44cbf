"""The ``fabula`` command: the group of subcommands (``fabula.commands``) and the only place that
exits.

Whatever ends a run ends here, as a documented exit code (``commands/exits.py``) and, for an
error, one stderr line starting with ``fabula:``: a ``FabulaError``, a usage error (click's own
three lines folded into one), Ctrl-C, and any other exception, which is a bug and becomes one
"internal error" line (the traceback only with ``FABULA_DEBUG=1``).
"""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from fabula import __version__
from fabula.commands.analyze import analyze
from fabula.commands.corpus import corpus_command
from fabula.commands.exits import (
    EXIT_BROKEN_PIPE,
    EXIT_CODES_HELP,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    Interrupted,
    is_broken_pipe,
    one_line,
    print_error,
    usage_line,
)
from fabula.commands.query import query_command
from fabula.commands.report import report_command
from fabula.evaluation.command import eval_command
from fabula.model import SCHEMA


class _OutputClosed(Exception):
    """Writing to stdout failed with EPIPE, carried past click (which would exit 1)."""


class FabulaGroup(click.Group):
    """Maps whatever ends any subcommand (``eval`` too) to one line and an exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort, Interrupted):
            raise
        except KeyboardInterrupt:
            raise Interrupted("interrupted") from None
        except Exception as error:  # the last line of defence: still one line, still a code
            if is_broken_pipe(error):
                raise _OutputClosed from error
            ctx.exit(print_error(error))

    def main(  # type: ignore[override]
        self,
        args: list[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        """Run, then exit with the documented code; ``standalone_mode=False`` leaves the
        exceptions to the caller, as click's does."""
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, **extra)
        try:
            result = super().main(args, prog_name, complete_var, False, **extra)
        except BaseException as error:  # each kind is mapped to its code
            sys.exit(_exit_code_for(error))
        sys.exit(result if isinstance(result, int) else EXIT_OK)


def _exit_code_for(error: BaseException) -> int:
    """Print the one line for what ended the run; return its exit code."""
    if isinstance(error, click.exceptions.NoArgsIsHelpError):
        click.echo(error.ctx.get_help())
        click.echo("fabula: no command given; choose one of the commands above", err=True)
        return EXIT_USAGE
    if isinstance(error, click.UsageError):
        click.echo(usage_line(error), err=True)
        return EXIT_USAGE
    if isinstance(error, click.ClickException):
        click.echo(f"fabula: {one_line(error.format_message())}", err=True)
        return error.exit_code
    if isinstance(error, Interrupted | click.Abort | KeyboardInterrupt):
        # On a terminal the "^C" echo is still on the line: start a fresh one.
        start = "\n" if sys.stderr.isatty() else ""
        click.echo(f"{start}fabula: {one_line(str(error)) or 'interrupted'}", err=True)
        return EXIT_INTERRUPTED
    if isinstance(error, _OutputClosed):
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    if isinstance(error, SystemExit):
        raise error
    return print_error(error)


def _silence_stdout() -> None:
    """The reader went away: what is still buffered would fail again at exit, so stdout is
    pointed at the null device."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass  # not a real file (a test's buffer): nothing to flush at exit


@click.group(name="fabula", cls=FabulaGroup, epilog=EXIT_CODES_HELP)
@click.version_option(__version__, prog_name="fabula", message=f"%(prog)s %(version)s ({SCHEMA})")
def main() -> None:
    """Find a story's cast, who says each quotation to whom, and its scenes."""


for command in (analyze, report_command, corpus_command, query_command, eval_command):
    main.add_command(command)
