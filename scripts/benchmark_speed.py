"""Time ``fabula.analyze`` on one PDNC novel and print a markdown table row.

Usage: ``.venv/bin/python scripts/benchmark_speed.py [--novel NightAndDay] [--pdnc DIR]``.
The default novel is PDNC's longest, so the row tracks worst-case speed over time.
Peak memory adds this process's peak to the largest child's (the parser may fork workers),
an upper bound on what ran at once. Linux reports ``ru_maxrss`` in KiB.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import resource
import time
from pathlib import Path

import fabula

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PDNC = REPO_ROOT.parent / "shared" / "data" / "pdnc"
HEADER = (
    "| date | machine | novel | tokens | seconds | tokens/s | peak MiB |\n"
    "|---|---|---|---:|---:|---:|---:|"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--novel", default="NightAndDay", help="PDNC novel folder name")
    parser.add_argument("--pdnc", type=Path, default=DEFAULT_PDNC, help="PDNC corpus folder")
    parser.add_argument("--no-header", action="store_true", help="print only the row")
    args = parser.parse_args()

    text = (args.pdnc / "data" / args.novel / "novel_text.txt").read_text(encoding="utf-8")
    tokens = len(text.split())
    started = time.perf_counter()
    fabula.analyze(text)
    seconds = time.perf_counter() - started

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
        f"| {seconds:.1f} | {tokens / seconds:,.0f} | {peak_kib / 1024:,.0f} |"
    )


if __name__ == "__main__":
    main()
