"""The report page in a real headless browser (Debian's Chromium through Playwright).

It must load offline with no console error and no request, show a quotation's speaker on
hover and on keyboard focus, filter the text to one character, and run nothing a story holds.
Without Chromium these tests skip; ``.ci/run`` installs it, so they run in CI.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from fabula.outputs.report import render_report

pytestmark = [pytest.mark.model, pytest.mark.slow]

CHROMIUM = Path("/usr/lib/chromium/chromium")
playwright_api = pytest.importorskip("playwright.sync_api")
if not CHROMIUM.exists():
    pytest.skip(
        f"browser tests need Debian's Chromium at {CHROMIUM} (apt-get install chromium;"
        " .ci/run installs it)",
        allow_module_level=True,
    )


@pytest.fixture(scope="module")
def browser() -> Iterator:
    with playwright_api.sync_playwright() as driver:
        # The accounts host look-ups Chromium makes at start fail on a closed network anyway.
        launched = driver.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=["--gaia-url=http://127.0.0.1:9"]
        )
        yield launched
        launched.close()


class _Visit:
    """A page opened from a file, with what it logged, asked for and popped up."""

    def __init__(self, browser, path: Path, width: int = 1100) -> None:
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page = browser.new_page(viewport={"width": width, "height": 900})
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.goto(path.as_uri())
        self.page.wait_for_load_state("load")


def _page_file(tmp_path: Path, data: dict, name: str) -> Path:
    path = tmp_path / f"{name}.html"
    path.write_text(render_report(data, title=name), encoding="utf-8")
    return path


@pytest.fixture
def example_visit(browser, example_data: dict, tmp_path: Path) -> Iterator[_Visit]:
    visit = _Visit(browser, _page_file(tmp_path, example_data, "example"))
    yield visit
    visit.page.close()


def test_loads_offline_without_errors(example_visit: _Visit) -> None:
    assert example_visit.errors == []
    assert all(url.startswith(("file:", "data:")) for url in example_visit.requests)
    assert example_visit.page.locator(".quote").count() == 112


def test_hovering_a_quotation_shows_its_speaker(example_visit: _Visit, example_data) -> None:
    page = example_visit.page
    names = {c["id"]: c["name"] for c in example_data["characters"]}
    quote = example_data["quotes"][5]
    tip = page.locator("#tip")
    assert tip.is_hidden()
    page.locator(f'[data-quote-id="{quote["id"]}"]').hover()
    assert tip.is_visible()
    assert f"Speaker{names[quote['speaker']]}" in tip.inner_text().replace("\n", "")
    page.mouse.move(0, 0)
    assert tip.is_hidden()


def test_keyboard_focus_shows_the_tooltip_too(example_visit: _Visit) -> None:
    page = example_visit.page
    page.locator('[data-quote-id="q0"]').focus()
    assert page.locator("#tip").is_visible()
    assert page.evaluate("document.activeElement.getAttribute('aria-describedby')") == "tip"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.dataset.quoteId") == "q1"
    page.keyboard.press("Escape")
    assert page.locator("#tip").is_hidden()


def test_the_cast_filter_shows_one_characters_lines(example_visit: _Visit, example_data) -> None:
    page = example_visit.page
    nell = next(c["id"] for c in example_data["characters"] if c["name"] == "Nell")
    paragraphs = page.locator("#text p")
    total = paragraphs.count()
    button = page.locator(f'button.who[data-character="{nell}"]')
    button.click()
    assert button.get_attribute("aria-pressed") == "true"
    shown = page.locator("#text p:visible")
    nell_lines = sum(1 for q in example_data["quotes"] if q["speaker"] == nell)
    assert 0 < shown.count() <= nell_lines < total
    for index in range(shown.count()):
        assert nell in (shown.nth(index).get_attribute("data-speakers") or "").split()
    page.locator("#show-all").click()
    assert page.locator("#text p:visible").count() == total
    assert button.get_attribute("aria-pressed") == "false"


def test_choosing_a_scene_fades_the_other_conversations(example_visit: _Visit) -> None:
    page = example_visit.page
    page.select_option("#network-scene", index=1)
    faded = page.evaluate(
        "[...document.querySelectorAll('#network g[id^=edge-]')]"
        ".filter(g => g.style.opacity === '0.06').length"
    )
    assert faded > 0
    page.select_option("#network-scene", index=0)
    assert page.locator('#network g[id^="edge-"][style*="opacity: 0.06"]').count() == 0


def test_a_story_with_scripts_runs_nothing(browser, hostile_data: dict, tmp_path: Path) -> None:
    visit = _Visit(browser, _page_file(tmp_path, hostile_data, "hostile"))
    page = visit.page
    assert page.evaluate("typeof window.pwned") == "undefined"
    assert visit.dialogs == [] and visit.errors == []
    assert "<script>window.pwned" in page.locator("#text").inner_text()
    for quote in page.locator(".quote").all():
        quote.hover()
    page.locator("button.who").first.hover()
    assert visit.dialogs == [] and page.evaluate("typeof window.pwned") == "undefined"
    visit.page.close()


def test_readable_on_a_phone(browser, example_data: dict, tmp_path: Path) -> None:
    visit = _Visit(browser, _page_file(tmp_path, example_data, "phone"), width=390)
    overflow = visit.page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 1  # nothing wider than the screen: the cast table scrolls in its box
    visit.page.close()
