"""Render the example story's report and photograph it for the docs.

Usage: ``.venv/bin/python scripts/report_screenshot.py``. Writes docs/report.png (the top: cast
and network) and docs/report-text.png (the text with speaker names on and one tooltip).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from fabula import pipeline
from fabula.outputs.report import render_report
from fabula.reading import read_path

REPO_ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = REPO_ROOT / "examples" / "the_lighthouse_keepers.txt"
TOP = REPO_ROOT / "docs" / "report.png"
TEXT = REPO_ROOT / "docs" / "report-text.png"
CHROMIUM = "/usr/lib/chromium/chromium"


def main() -> None:
    from playwright.sync_api import sync_playwright

    data = pipeline.analyze_source(read_path(EXAMPLE)).to_dict()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "report.html"
        path.write_text(render_report(data, title="The Lighthouse Keepers"), encoding="utf-8")
        with sync_playwright() as driver:
            browser = driver.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=["--gaia-url=http://127.0.0.1:9"]
            )
            page = browser.new_page(viewport={"width": 1000, "height": 1250})
            page.goto(path.as_uri())
            page.screenshot(path=str(TOP))
            page.set_viewport_size({"width": 1000, "height": 900})
            page.locator("#labels").click()
            page.locator("#text").scroll_into_view_if_needed()
            page.evaluate("window.scrollBy(0, 200)")
            page.locator('[data-quote-id="q8"]').hover()
            page.screenshot(path=str(TEXT))
            browser.close()
    print(f"wrote {TOP} and {TEXT}")


if __name__ == "__main__":
    main()
