"""``fabula query``: DuckDB SQL over the tables ``fabula corpus`` wrote."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import click

from fabula.commands.exits import EXIT_CODES_HELP
from fabula.corpus.names import ERRORS_TABLE, WORK_TABLES
from fabula.extras import require

QUERY_HELP = f"""Run SQL (DuckDB's dialect) over the tables of a corpus made by fabula corpus:
{", ".join(WORK_TABLES)} and {ERRORS_TABLE} (docs/corpus-tables.md has their columns).

Two views are there too. lines: one row per line of dialogue, as fabula analyze counts them
(the parts of a quotation broken by a tag are one line), with speaker_names and
addressee_names, every name and alias of the speaker and of the addressees, so a character is
found by any of them. character_names: one row per name or alias of each character.

\b
Examples:
  fabula query OUT "SELECT speaker, count(*) AS n FROM lines GROUP BY 1 ORDER BY 2 DESC"
  fabula query OUT "SELECT text FROM lines WHERE list_contains(addressee_names, 'Buffy')"
"""
# A cell longer than this is cut in the table format, to keep each row on one line.
MAX_CELL_CHARS = 60


class _SqlCommand(click.Command):
    """SQL may start with a comment ("-- who speaks\\nSELECT ..."), which click would take for
    an option: an argument that starts with "-" and holds a space or a line break is no
    option name, so it is passed after "--", where nothing is an option."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if "--" not in args:
            sql = [a for a in args if a.startswith("-") and any(c.isspace() for c in a)]
            args = [a for a in args if a not in sql] + (["--", *sql] if sql else [])
        return super().parse_args(ctx, args)


@click.command(
    "query",
    cls=_SqlCommand,
    help=QUERY_HELP,
    epilog=EXIT_CODES_HELP,
    short_help="SQL over a corpus's tables.",
)
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
    require("corpus", "fabula query")
    from fabula.corpus.query import NO_STATEMENT, has_statement, run_query

    if not has_statement(sql):
        raise click.UsageError(f'{NO_STATEMENT}; e.g. "SELECT count(*) FROM works"')
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


def _cell(value: object, limit: int = MAX_CELL_CHARS) -> str:
    text = "" if value is None else " ".join(str(value).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
