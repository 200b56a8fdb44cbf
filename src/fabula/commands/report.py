"""``fabula report``: story JSON (from ``fabula analyze``) into HTML pages."""

from __future__ import annotations

from pathlib import Path

import click

from fabula.commands.exits import EXIT_CODES_HELP, print_error
from fabula.commands.files import StagedFiles, make_outdir, output_option, write_report
from fabula.errors import InputError
from fabula.extras import require


@click.command("report", epilog=EXIT_CODES_HELP, short_help="Turn story JSON into HTML pages.")
@click.argument("stories", metavar="STORY.json...", nargs=-1, required=True)
@output_option("Directory for the <stem>.html pages  [default: beside each STORY.json]")
@click.option("-q", "--quiet", is_flag=True, help="Print only errors.")
@click.pass_context
def report_command(
    ctx: click.Context, stories: tuple[str, ...], outdir: Path | None, quiet: bool
) -> None:
    """Write each STORY.json (from ``fabula analyze``) as <stem>.html: one page that opens
    offline in any browser, with the coloured dialogue, the cast, the network and the arcs.
    Needs the report extra: pip install 'fabula[report]'."""
    require("report", "fabula report")
    from fabula.outputs.report import load_story_json

    pages = [(outdir or Path(name).parent) / f"{Path(name).stem}.html" for name in stories]
    targets = [page.resolve() for page in pages]
    clashes = sorted({str(p) for p, t in zip(pages, targets, strict=True) if targets.count(t) > 1})
    if clashes:
        raise click.UsageError(
            f"several stories would write {', '.join(clashes)};"
            " write their pages into different output directories"
        )
    if outdir is not None:
        make_outdir(outdir)
    exit_code = 0
    for name, page in zip(stories, pages, strict=True):
        try:
            raw = _read_story_json(Path(name))
            story = load_story_json(raw, name)
            with StagedFiles() as staged:
                written = write_report(staged, story, page)
                staged.commit()
        except Exception as error:  # report it, then go on with the other stories
            code = print_error(error, name)
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
