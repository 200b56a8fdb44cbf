"""The ``fabula`` command: the group of subcommands (``fabula.commands``) and the only place that
exits.

Every ``FabulaError`` becomes one line on stderr and a documented exit code; anything else is a
bug and becomes one "internal error" line (the traceback only with ``FABULA_DEBUG=1``).
"""

from __future__ import annotations

from typing import Any

import click

from fabula import __version__
from fabula.commands.analyze import analyze
from fabula.commands.corpus import corpus_command
from fabula.commands.exits import EXIT_CODES_HELP, print_error
from fabula.commands.query import query_command
from fabula.commands.report import report_command
from fabula.evaluation.command import eval_command
from fabula.model import SCHEMA


class FabulaGroup(click.Group):
    """Maps errors escaping any subcommand (``eval`` too) to one line and an exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as error:  # the last line of defence: still one line, still a code
            ctx.exit(print_error(error))


@click.group(name="fabula", cls=FabulaGroup, epilog=EXIT_CODES_HELP)
@click.version_option(__version__, prog_name="fabula", message=f"%(prog)s %(version)s ({SCHEMA})")
def main() -> None:
    """Find a story's cast, who says each quotation to whom, and its scenes."""


for command in (analyze, report_command, corpus_command, query_command, eval_command):
    main.add_command(command)
