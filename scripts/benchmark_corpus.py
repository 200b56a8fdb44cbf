"""Corpus throughput on the 22 PDNC novels with 1 and 2 local workers.

Usage: ``.venv/bin/python scripts/benchmark_corpus.py [--pdnc DIR] [--workers 1 2]``.
Each setting runs ``fabula corpus`` on a list of the novels into a fresh folder and prints a
markdown row: wall seconds, tokens per minute (whitespace tokens of the works done), and the
peak memory of the largest process (the biggest worker: the driver itself is small).
"""

from __future__ import annotations

import argparse
import datetime
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PDNC = REPO_ROOT.parent / "shared" / "data" / "pdnc"
FABULA = Path(sys.executable).with_name("fabula")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pdnc", type=Path, default=DEFAULT_PDNC, help="PDNC corpus folder")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()

    novels = sorted((args.pdnc / "data").glob("*/novel_text.txt"))
    print(
        "| date | workers | novels | tokens | seconds | tokens/min | peak MiB (largest process) |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for workers in args.workers:
        with tempfile.TemporaryDirectory() as folder:
            listing = Path(folder) / "novels.lst"
            listing.write_text("\n".join(str(p.resolve()) for p in novels) + "\n", "utf-8")
            outdir = Path(folder) / "out"
            started = time.perf_counter()
            subprocess.run(
                [str(FABULA), "corpus", str(listing), "-o", str(outdir), "-q",
                 "--workers", str(workers)],
                check=True, stdout=subprocess.DEVNULL,
            )  # fmt: skip
            seconds = time.perf_counter() - started
            peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
            pattern = str(outdir / "works" / "*" / "works.parquet")
            done, tokens = duckdb.sql(
                f"SELECT count(*), sum(tokens) FROM read_parquet('{pattern}')"
            ).fetchall()[0]
        print(
            f"| {datetime.date.today().isoformat()} | {workers} | {done} | {tokens:,} "
            f"| {seconds:.0f} | {tokens / seconds * 60:,.0f} | {peak_mib:,.0f} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
