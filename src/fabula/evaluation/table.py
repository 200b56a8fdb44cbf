"""What the ``fabula eval`` commands share: fixed-width score rows and running items (novels,
stories) in worker processes while results come back in input order."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TypeVar

import click

Result = TypeVar("Result")
Column = tuple[str, int]  # header and width; the first column is left-aligned


def format_row(cells: Iterable[object], columns: Sequence[Column]) -> str:
    """One table line: ``format_row(["Emma", 3], [("novel", 6), ("gold", 5)])`` →
    ``"Emma       3"``."""
    return " ".join(
        str(cell).ljust(width) if i == 0 else str(cell).rjust(width)
        for i, (cell, (_, width)) in enumerate(zip(cells, columns, strict=True))
    )


def percent(rate: float | None) -> str:
    """A rate as a percentage with one decimal; "-" when nothing was counted."""
    return "-" if rate is None else f"{100 * rate:.1f}"


def run_in_order(
    work: Callable[[str], Result], names: Sequence[str], *, jobs: int
) -> Iterator[Result]:
    """``work(name)`` for each name, in worker processes when ``jobs`` > 1, yielded in order."""
    if jobs == 1:
        yield from map(work, names)
        return
    # "spawn": a forked worker would inherit the parent's threads and any loaded model state.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        yield from pool.map(work, names)


def jobs_option(items: str) -> Callable:
    """``--jobs``: how many of ``items`` ("Novels", "Stories") run in parallel."""
    return click.option(
        "--jobs",
        type=click.IntRange(min=1),
        default=1,
        show_default=True,
        help=f"{items} in parallel.",
    )


json_option = click.option(
    "--json",
    "json_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write every score, character mapping and per-quote result here.",
)
