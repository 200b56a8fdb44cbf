"""``fabula eval pdnc DIR`` and ``fabula eval litbank-coref DIR``: run fabula over an
annotated corpus and print the scores (``fabula eval fanfic DIR`` lives in fanfic_command.py).

Registered in ``cli.py`` with ``main.add_command(eval_command)``. Novels run in worker
processes when ``--jobs`` > 1; results are printed and written in corpus order regardless.
"""

from __future__ import annotations

import json
import multiprocessing
import operator
import time
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from functools import partial, reduce
from pathlib import Path

import click

from fabula.commands.exits import EXIT_CODES_HELP
from fabula.errors import InputError
from fabula.evaluation.fanfic_command import fanfic_command
from fabula.evaluation.fic_style import perturb_novel, style_for
from fabula.evaluation.pdnc import gold_cast, gold_quote_spans, list_novels, read_novel
from fabula.evaluation.scoring import Metrics, NovelScore, macro_average, score_story
from fabula.evaluation.table import format_row, jobs_option, json_option, percent, run_in_order
from fabula.extras import require
from fabula.model import SourceText
from fabula.models import check_pdnc_folds
from fabula.pipeline import analyze, analyze_source
from fabula.segmentation.paragraphs import find_paragraphs
from fabula.settings import Settings
from fabula.training.folds import FULL_MODEL, litbank_folds, pdnc_folds
from fabula.training.ship import recorded_folds

_COLUMNS = (
    ("novel", 30),
    ("gold", 6),
    ("recall", 7),
    ("speaker", 8),
    ("explicit", 9),
    ("anaphor", 8),
    ("implicit", 9),
    ("addr F1", 8),
    ("unmapped", 9),
    ("seconds", 8),
)


PLAIN_STYLE = "plain"
FANFIC_STYLE = "fanfic"
ALL_NOVELS = "all"
TUNING_SPLIT = "tuning"
SEALED_SPLIT = "sealed"


@dataclass(frozen=True, slots=True)
class NovelRun:
    score: NovelScore
    seconds: float  # time spent in fabula.analyze only, not reading or scoring


def evaluate_novel(
    corpus_dir: Path,
    name: str,
    *,
    use_gold_cast: bool = False,
    use_gold_quotes: bool = False,
    style: str = PLAIN_STYLE,
) -> NovelRun:
    """Analyse one PDNC novel with fabula and score it (runs in a worker process).

    With ``style="fanfic"`` the novel is first rewritten in fan-fiction punctuation
    (``fic_style.perturb_novel``), its gold carried along.
    """
    novel = read_novel(corpus_dir, name)
    if style == FANFIC_STYLE:
        novel = perturb_novel(novel).novel
    fold = pdnc_folds().held_out_fold(name)
    settings = Settings(speaker_ranker=fold, addressee_model=fold)
    spans = gold_quote_spans(novel, find_paragraphs(novel.text)) if use_gold_quotes else None
    started = time.perf_counter()
    story = analyze_source(
        SourceText(novel.text),
        gold_cast(novel) if use_gold_cast else None,
        settings=settings,
        quote_spans=spans,
    )
    seconds = time.perf_counter() - started
    return NovelRun(score_story(story, novel), seconds)


@click.group("eval", epilog=EXIT_CODES_HELP)
def eval_command() -> None:
    """Score fabula against annotated corpora."""


eval_command.add_command(fanfic_command)


@eval_command.command("pdnc", epilog=EXIT_CODES_HELP)
@click.argument("corpus_dir", metavar="DIR", type=click.Path(path_type=Path))
@click.option(
    "--gold-cast", is_flag=True, help="Give fabula the gold character list as its known cast."
)
@click.option(
    "--gold-quotes",
    is_flag=True,
    help="Give fabula the gold quotation spans instead of finding them (attribution alone).",
)
@click.option(
    "--novel", "novels", multiple=True, metavar="NAME", help="Only this novel folder (repeatable)."
)
@click.option(
    "--style",
    type=click.Choice([PLAIN_STYLE, FANFIC_STYLE]),
    default=PLAIN_STYLE,
    show_default=True,
    help="fanfic: rewrite each novel in fan-fiction punctuation first (gold carried along).",
)
@click.option(
    "--split",
    type=click.Choice([ALL_NOVELS, TUNING_SPLIT, SEALED_SPLIT]),
    default=ALL_NOVELS,
    show_default=True,
    help="tuning: the novels we tune on; sealed: the held-back ones of folds.json, summary rows"
    " only (no per-novel rows, no --json), so their errors are never read.",
)
@jobs_option("Novels")
@json_option
def pdnc_command(
    corpus_dir: Path,
    gold_cast: bool,
    gold_quotes: bool,
    novels: tuple[str, ...],
    style: str,
    split: str,
    jobs: int,
    json_path: Path | None,
) -> None:
    """Score speaker and addressee attribution on the PDNC corpus at DIR, each novel with the
    speaker ranker and addressee model of the fold that left it out (fabula/data/folds.json)."""
    sealed = split == SEALED_SPLIT
    if sealed and (json_path is not None or novels):
        raise click.UsageError("--split sealed prints summary rows only: no --json, no --novel")
    names = _in_split(_select_novels(corpus_dir, novels), split)
    check_pdnc_folds()
    click.echo(_row(name for name, _ in _COLUMNS))
    runs: list[NovelRun] = []
    given = {"use_gold_cast": gold_cast, "use_gold_quotes": gold_quotes, "style": style}
    for run in _run_all(corpus_dir, names, given, jobs=jobs):
        runs.append(run)
        if not sealed:
            click.echo(_novel_row(run))

    micro = reduce(operator.add, (r.score.metrics for r in runs))
    macro = macro_average([r.score.metrics for r in runs])
    seconds = sum(r.seconds for r in runs)
    click.echo(_summary_row("micro (all quotes)", micro, micro.rates(), seconds))
    click.echo(_summary_row("macro (per novel)", micro, macro, seconds))
    if style == FANFIC_STYLE:
        click.echo(_style_note(names))
    if json_path is not None:
        json_path.write_text(
            json.dumps(_report(corpus_dir, given, runs, micro, macro), indent=2) + "\n",
            encoding="utf-8",
        )


@eval_command.command("litbank-coref", epilog=EXIT_CODES_HELP)
@click.argument("corpus_dir", metavar="DIR", type=click.Path(path_type=Path))
@jobs_option("Excerpts")
@click.option(
    "--entity-folds",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="FOLDS",
    help="Folder of fold taggers (scripts/train_entity_tagger.py --save-folds): each excerpt is"
    " then analysed with the entity tagger of the fold that left it out (fabula/data/folds.json).",
)
def litbank_coref_command(corpus_dir: Path, jobs: int, entity_folds: Path | None) -> None:
    """Score coreference of characters on LitBank's person entities at DIR (the litbank folder):
    MUC, B³, CEAF-e and their CoNLL average, over all excerpts together.

    The shipped entity tagger learnt from these excerpts: only with --entity-folds are the
    scores held out. Needs the eval extra: pip install 'fabula[eval]'."""
    require("eval", "fabula eval litbank-coref")
    from fabula.evaluation.litbank_coref import read_coref_excerpts, score_clusters

    excerpts = read_coref_excerpts(corpus_dir)
    taggers = _held_out_taggers(entity_folds, [e.excerpt.name for e in excerpts])
    key: list = []
    response: list = []
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        for gold, found in pool.map(_coref_excerpt, excerpts, taggers):
            key += gold
            response += found
    scores = score_clusters(key, response)
    click.echo(f"{'metric':8} {'recall':>7} {'precision':>10} {'F1':>6}")
    for name, (recall, precision, f1) in (
        ("MUC", scores.muc),
        ("B3", scores.b_cubed),
        ("CEAF-e", scores.ceaf_e),
    ):
        click.echo(f"{name:8} {recall:7.1%} {precision:10.1%} {f1:6.1%}")
    click.echo(f"{'CoNLL':8} {'':7} {'':10} {scores.conll:6.1%}")
    click.echo(
        f"{len(excerpts)} excerpts; {scores.gold_mentions} gold person mentions,"
        f" {scores.response_mentions} fabula mentions, {scores.exact_mentions} with the exact span"
    )
    if entity_folds is None:
        click.echo("entity tagger: the shipped one, trained on these excerpts (not held out)")
    else:
        click.echo(f"entity tagger: held out, one per fold from {entity_folds}")


def _held_out_taggers(folder: Path | None, names: list[str]) -> list[str | None]:
    """For each excerpt, the fold tagger file that never saw it (None: the shipped tagger);
    the fold taggers must have been trained on the LitBank folds of ``folds.json``."""
    if folder is None:
        return [None] * len(names)
    folds = litbank_folds()
    fold_of = {name: folds.held_out_fold(name) for name in names}
    if missing := [name for name, fold in fold_of.items() if fold == FULL_MODEL]:
        raise InputError(f"no LitBank fold holds out {missing[0]} (and {len(missing) - 1} more)")
    paths = {}
    for fold in sorted(set(fold_of.values())):
        path = folder / f"{fold}.json"
        if not path.is_file():
            raise InputError(f"{folder}: no fold tagger {path.name}")
        folds.check_recorded(recorded_folds(json.loads(path.read_text("utf-8"))), str(path))
        paths[fold] = str(path)
    return [paths[fold_of[name]] for name in names]


def _coref_excerpt(excerpt, entity_tagger: str | None):
    """Analyse one LitBank excerpt (in a worker): its gold clusters and fabula's."""
    from fabula.evaluation.litbank_coref import response_clusters

    story = analyze(excerpt.excerpt.text, settings=Settings(entity_tagger=entity_tagger))
    return list(excerpt.clusters), response_clusters(story, excerpt.excerpt)


def _style_note(names: Sequence[str]) -> str:
    """Which of the novels the whole-novel fic changes hit."""
    styles = {name: style_for(name) for name in names}
    lowercase = [name for name, style in styles.items() if style.lowercase] or ["none"]
    guillemets = [name for name, style in styles.items() if style.guillemets] or ["none"]
    return (
        f"fanfic style: all-lowercase: {', '.join(lowercase)}; guillemets: {', '.join(guillemets)};"
        " tags, fused paragraphs and spaced marks in every novel (evaluation/fic_style.py)"
    )


def _select_novels(corpus_dir: Path, wanted: Sequence[str]) -> tuple[str, ...]:
    if not corpus_dir.is_dir():
        raise InputError(f"PDNC folder not found: {corpus_dir}")
    available = list_novels(corpus_dir)
    if unknown := sorted(set(wanted) - set(available)):
        raise InputError(f"no such PDNC novel(s): {', '.join(unknown)}")
    if not available:
        raise InputError(f"no novels under {corpus_dir / 'data'}")
    return tuple(n for n in available if n in wanted) if wanted else available


def _in_split(names: tuple[str, ...], split: str) -> tuple[str, ...]:
    """The novels of ``split``: the sealed ones of folds.json, the others, or all."""
    if split == ALL_NOVELS:
        return names
    sealed = set(pdnc_folds().sealed)
    chosen = tuple(name for name in names if (name in sealed) == (split == SEALED_SPLIT))
    if not chosen:
        raise InputError(f"no {split} novels under the PDNC folder")
    return chosen


def _run_all(
    corpus_dir: Path, names: Sequence[str], given: dict[str, bool | str], *, jobs: int
) -> Iterator[NovelRun]:
    """``given`` says what fabula gets: ``evaluate_novel``'s ``use_gold_*`` flags and style."""
    return run_in_order(partial(evaluate_novel, corpus_dir, **given), names, jobs=jobs)


def _row(cells: Iterable[object]) -> str:
    return format_row(cells, _COLUMNS)


def _rate_cells(rates: dict[str, float | None]) -> list[str]:
    keys = ("quote_recall", "speaker", "speaker_explicit", "speaker_anaphoric")
    keys += ("speaker_implicit", "addressee_f1")
    return [percent(rates[k]) for k in keys]


def _novel_row(run: NovelRun) -> str:
    metrics = run.score.metrics
    return _row(
        [
            run.score.novel,
            metrics.speaker.total,
            *_rate_cells(metrics.rates()),
            metrics.unmapped_speaking_characters,
            f"{run.seconds:.1f}",
        ]
    )


def _summary_row(
    label: str, totals: Metrics, rates: dict[str, float | None], seconds: float
) -> str:
    return _row(
        [
            label,
            totals.speaker.total,
            *_rate_cells(rates),
            totals.unmapped_speaking_characters,
            f"{seconds:.1f}",
        ]
    )


def _report(
    corpus_dir: Path,
    given: dict[str, bool | str],
    runs: Sequence[NovelRun],
    micro: Metrics,
    macro: dict[str, float | None],
) -> dict:
    return {
        "corpus": str(corpus_dir),
        "gold_cast": given["use_gold_cast"],
        "gold_quotes": given["use_gold_quotes"],
        "style": given["style"],
        "micro": {"rates": micro.rates(), "counts": asdict(micro)},
        "macro": {"rates": macro},
        "novels": [
            {
                "novel": run.score.novel,
                "seconds": round(run.seconds, 3),
                "rates": run.score.metrics.rates(),
                "counts": asdict(run.score.metrics),
                "character_map": dict(run.score.character_map),
                "quotes": [asdict(q) for q in run.score.quotes],
            }
            for run in runs
        ],
    }
