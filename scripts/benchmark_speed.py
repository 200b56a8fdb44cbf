"""Time ``fabula.analyze`` on one PDNC novel against spaCy's bare parse of the same text.

Usage: ``.venv/bin/python scripts/benchmark_speed.py [--novel NightAndDay] [--pdnc DIR]
[--repeat 3]``. The default novel is PDNC's longest, so the row tracks worst-case speed.

This box's speed varies two-fold from day to day, so seconds do not compare across days; the
ratio does: each repeat times the bare parse (the same spaCy components, paragraphs and
processes the parse stage uses) and then the whole analysis, back to back, and the row gives
the medians and the median ratio. Peak memory adds this process's peak to the largest
child's (the parser may fork workers); Linux reports ``ru_maxrss`` in KiB.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import resource
import statistics
import time
from pathlib import Path

import fabula
from fabula.language.analyse import for_parser
from fabula.nlp import load_spacy
from fabula.segmentation.paragraphs import find_paragraphs
from fabula.settings import DEFAULT_SETTINGS

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PDNC = REPO_ROOT.parent / "shared" / "data" / "pdnc"
HEADER = (
    "| date | machine | novel | tokens | fabula s | spaCy parse s | ratio | tokens/s | peak MiB |\n"
    "|---|---|---|---:|---:|---:|---:|---:|---:|"
)


def bare_parse_seconds(text: str) -> float:
    """spaCy alone over the paragraphs, as the parse stage sends them."""
    settings = DEFAULT_SETTINGS
    nlp = load_spacy()
    texts = [for_parser(text[p.char_start : p.char_end]) for p in find_paragraphs(text)]
    processes = settings.parse_processes if len(text) >= settings.parallel_parse_min_chars else 1
    started = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=settings.parse_batch_size, n_process=processes):
        pass
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--novel", default="NightAndDay", help="PDNC novel folder name")
    parser.add_argument("--pdnc", type=Path, default=DEFAULT_PDNC, help="PDNC corpus folder")
    parser.add_argument("--repeat", type=int, default=3, help="timed pairs (medians are kept)")
    parser.add_argument("--no-header", action="store_true", help="print only the row")
    args = parser.parse_args()

    text = (args.pdnc / "data" / args.novel / "novel_text.txt").read_text(encoding="utf-8")
    tokens = len(text.split())
    fabula.analyze(text[:2000])  # load the models before timing
    parse_times, analyse_times = [], []
    for _ in range(args.repeat):
        parse_times.append(bare_parse_seconds(text))
        started = time.perf_counter()
        fabula.analyze(text)
        analyse_times.append(time.perf_counter() - started)
    seconds = statistics.median(analyse_times)
    ratio = statistics.median(a / p for a, p in zip(analyse_times, parse_times, strict=True))

    peak_kib = (
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        + resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    )
    # Like nproc: the CPUs this process may use, not all the machine has.
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    machine = f"{platform.system()} {platform.machine()}, {cpus} CPUs"
    if not args.no_header:
        print(HEADER)
    print(
        f"| {datetime.date.today().isoformat()} | {machine} | {args.novel} | {tokens:,} "
        f"| {seconds:.1f} | {statistics.median(parse_times):.1f} | {ratio:.2f} "
        f"| {tokens / seconds:,.0f} | {peak_kib / 1024:,.0f} |"
    )


if __name__ == "__main__":
    main()
