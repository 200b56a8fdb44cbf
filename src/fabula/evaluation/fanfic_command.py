"""``fabula eval fanfic DIR``: run fabula over fanfic-dev and print the scores per story.

The same matching and character mapping as ``fabula eval pdnc`` (``scoring.py``), with the
corpus's own counting (``fanfic.py``: parts, group lines), plus the cast numbers of
``cast_scores.py``. Registered under ``fabula eval`` by ``command.py``.
"""

from __future__ import annotations

import json
import operator
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from functools import partial, reduce
from pathlib import Path

import click

from fabula.commands.exits import EXIT_CODES_HELP
from fabula.errors import InputError
from fabula.evaluation.cast_scores import CastScore, score_cast
from fabula.evaluation.fanfic import gold_cast, list_stories, read_story
from fabula.evaluation.scoring import Metrics, NovelScore, macro_average, score_story
from fabula.evaluation.table import (
    Column,
    format_row,
    jobs_option,
    json_option,
    percent,
    run_in_order,
)
from fabula.model import SourceText, Story
from fabula.pipeline import analyze_source

COLUMNS: tuple[Column, ...] = (
    ("story", 20),
    ("gold", 5),
    ("recall", 7),
    ("precis", 7),
    ("speaker", 8),
    ("explicit", 9),
    ("anaphor", 8),
    ("implicit", 9),
    ("addr F1", 8),
    ("unmapped", 9),
    ("cast", 6),
    ("junk", 5),
    ("aliases", 8),
    ("seconds", 8),
)
_RATE_KEYS = (
    "quote_recall",
    "quote_precision",
    "speaker",
    "speaker_explicit",
    "speaker_anaphoric",
    "speaker_implicit",
    "addressee_f1",
)
_LEGEND = (
    "gold: gold quotation parts; speaker and its types leave out group lines; unmapped:"
    " speakers of matched quotes that map to no gold character",
    "cast: gold speakers some predicted character maps to; junk: predicted speakers that map"
    " to nobody; aliases: gold aliases used 2+ times attached to the right character",
)


@dataclass(frozen=True, slots=True)
class StoryRun:
    score: NovelScore
    cast: CastScore
    seconds: float  # time spent in fabula's analysis only, not reading or scoring
    names: dict[str, str]  # predicted character id → its name, for reading the mapping
    # Predicted quotations no gold line matched (what costs precision): id, offsets, text.
    unmatched: tuple[dict[str, object], ...]


def evaluate_story(corpus_dir: Path, name: str, *, use_gold_cast: bool = False) -> StoryRun:
    """Analyse one story with fabula and score it (runs in a worker process).

    The shipped models are used as they are: no fanfic-dev story is in their training data.
    """
    story_gold = read_story(corpus_dir, name)
    started = time.perf_counter()
    story = analyze_source(
        SourceText(story_gold.text), gold_cast(story_gold) if use_gold_cast else None
    )
    seconds = time.perf_counter() - started
    score = score_story(story, story_gold)
    return StoryRun(
        score=score,
        cast=score_cast(story, story_gold, score.character_map),
        seconds=seconds,
        names={c.id: c.name for c in story.characters},
        unmatched=_unmatched(story, score),
    )


def _unmatched(story: Story, score: NovelScore) -> tuple[dict[str, object], ...]:
    matched = {q.predicted_id for q in score.quotes}
    return tuple(
        {
            "id": q.id,
            "char_start": q.char_start,
            "char_end": q.char_end,
            "text": story.text[q.char_start : q.char_end],
        }
        for q in story.quotes
        if q.id not in matched
    )


@click.command("fanfic", epilog=EXIT_CODES_HELP)
@click.argument("corpus_dir", metavar="DIR", type=click.Path(path_type=Path))
@click.option(
    "--gold-cast", is_flag=True, help="Give fabula each story's characters as its known cast."
)
@click.option(
    "--story", "stories", multiple=True, metavar="NAME", help="Only this story folder (repeatable)."
)
@jobs_option("Stories")
@json_option
def fanfic_command(
    corpus_dir: Path, gold_cast: bool, stories: tuple[str, ...], jobs: int, json_path: Path | None
) -> None:
    """Score quotations, speakers, addressees and the cast on annotated fan fiction at DIR
    (a fanfic-dev folder: one folder per story with story.txt, characters.json and
    quotes.jsonl)."""
    names = _select_stories(corpus_dir, stories)
    click.echo(format_row((header for header, _ in COLUMNS), COLUMNS))
    runs: list[StoryRun] = []
    work = partial(evaluate_story, corpus_dir, use_gold_cast=gold_cast)
    for run in run_in_order(work, names, jobs=jobs):
        runs.append(run)
        click.echo(_row(run.score.novel, run.score.metrics, run.cast, _rates(run), run.seconds))

    micro = reduce(operator.add, (r.score.metrics for r in runs))
    cast = reduce(operator.add, (r.cast for r in runs))
    macro = _macro(runs)
    seconds = sum(r.seconds for r in runs)
    click.echo(_row("micro (all quotes)", micro, cast, micro.rates() | cast.rates(), seconds))
    click.echo(_row("macro (per story)", micro, cast, macro, seconds))
    for line in _LEGEND:
        click.echo(line)
    if json_path is not None:
        report = _report(corpus_dir, gold_cast, runs, micro, cast, macro)
        json_path.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


def _select_stories(corpus_dir: Path, wanted: Sequence[str]) -> tuple[str, ...]:
    available = list_stories(corpus_dir)
    if unknown := sorted(set(wanted) - set(available)):
        raise InputError(f"no such fanfic story(s): {', '.join(unknown)}")
    if not available:
        raise InputError(f"no stories (folders with story.txt) under {corpus_dir}")
    return tuple(n for n in available if n in wanted) if wanted else available


def _rates(run: StoryRun) -> dict[str, float | None]:
    return run.score.metrics.rates() | run.cast.rates()


def _macro(runs: Sequence[StoryRun]) -> dict[str, float | None]:
    """Every rate averaged over the stories that have it, cast rates included."""
    averages = macro_average([r.score.metrics for r in runs])
    for key in runs[0].cast.rates():
        present = [rate for r in runs if (rate := r.cast.rates()[key]) is not None]
        averages[key] = sum(present) / len(present) if present else None
    return averages


def _row(
    label: str, metrics: Metrics, cast: CastScore, rates: dict[str, float | None], seconds: float
) -> str:
    cells = [
        label,
        metrics.quote_recall.total,
        *(percent(rates[key]) for key in _RATE_KEYS),
        metrics.unmapped_speaking_characters,
        percent(rates["speakers_found"]),
        len(cast.unmapped_speakers),
        percent(rates["aliases_attached"]),
        f"{seconds:.1f}",
    ]
    return format_row(cells, COLUMNS)


def _report(
    corpus_dir: Path,
    gold_cast: bool,
    runs: Sequence[StoryRun],
    micro: Metrics,
    cast: CastScore,
    macro: dict[str, float | None],
) -> dict:
    return {
        "corpus": str(corpus_dir),
        "gold_cast": gold_cast,
        "micro": {
            "rates": micro.rates() | cast.rates(),
            "counts": asdict(micro),
            "cast": asdict(cast),
        },
        "macro": {"rates": macro},
        "stories": [
            {
                "story": run.score.novel,
                "seconds": round(run.seconds, 3),
                "rates": _rates(run),
                "counts": asdict(run.score.metrics),
                "cast": asdict(run.cast),
                "character_map": dict(run.score.character_map),
                "character_names": run.names,
                "unmatched_predictions": list(run.unmatched),
                "quotes": [asdict(q) for q in run.score.quotes],
            }
            for run in runs
        ],
    }
