"""Size of the report page for one PDNC novel, and how long headless Chromium takes to open it.

Usage: ``.venv/bin/python scripts/benchmark_report.py [--novel NightAndDay] [--pdnc DIR]``.
Prints a markdown table row. "open" is navigation start to the end of the load event, the
median of five loads (Chromium's own clock, ``performance.getEntriesByType("navigation")``).
"""

from __future__ import annotations

import argparse
import datetime
import statistics
import tempfile
import time
from pathlib import Path

from fabula import pipeline
from fabula.outputs.report import render_report

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PDNC = REPO_ROOT.parent / "shared" / "data" / "pdnc"
CHROMIUM = "/usr/lib/chromium/chromium"
LOADS = 5


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--novel", default="NightAndDay", help="PDNC novel folder name")
    parser.add_argument("--pdnc", type=Path, default=DEFAULT_PDNC, help="PDNC corpus folder")
    args = parser.parse_args()

    text = (args.pdnc / "data" / args.novel / "novel_text.txt").read_text(encoding="utf-8")
    data = pipeline.analyze(text).to_dict()
    started = time.perf_counter()
    page = render_report(data, title=args.novel)
    render_seconds = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{args.novel}.html"
        path.write_text(page, encoding="utf-8")
        size = path.stat().st_size
        opens = _open_times(path)
    print("| date | novel | quotations | page MB | render s | open s (median of 5) |")
    print("|---|---|---:|---:|---:|---:|")
    print(
        f"| {datetime.date.today().isoformat()} | {args.novel} | {len(data['quotes']):,} "
        f"| {size / 1e6:.2f} | {render_seconds:.1f} | {statistics.median(opens):.2f} |"
    )


def _open_times(path: Path) -> list[float]:
    from playwright.sync_api import sync_playwright

    times = []
    with sync_playwright() as driver:
        browser = driver.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--gaia-url=http://127.0.0.1:9"]
        )
        for _ in range(LOADS):
            page = browser.new_page()
            page.goto(path.as_uri(), wait_until="load")
            times.append(
                page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd / 1000")
            )
            page.close()
        browser.close()
    return times


if __name__ == "__main__":
    main()
