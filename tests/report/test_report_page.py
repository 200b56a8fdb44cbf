"""The report page's HTML, read without a browser: one element per quotation, all text escaped,
nothing fetched; and the ``report`` and ``analyze --html`` commands."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from fabula.cli import main
from fabula.errors import InputError
from fabula.outputs.report import load_story_json, render_report

pytestmark = pytest.mark.model


class _Elements(HTMLParser):
    """Every start tag with its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.tags.append((tag, dict(attrs)))


def _elements(page: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Elements()
    parser.feed(page)
    return parser.tags


def test_every_quotation_is_one_element_with_its_id(example_data: dict) -> None:
    tags = _elements(render_report(example_data, title="example"))
    quote_ids = [a["data-quote-id"] for _, a in tags if "quote" in (a.get("class") or "").split()]
    assert quote_ids == [q["id"] for q in example_data["quotes"]]
    speakers = {a["data-speaker"] for _, a in tags if a.get("data-quote-id")}
    assert speakers == {q["speaker"] for q in example_data["quotes"]}


def test_the_cast_panel_and_pictures_are_there(example_data: dict) -> None:
    page = render_report(example_data, title="example")
    tags = _elements(page)
    buttons = [a["data-character"] for t, a in tags if t == "button" and "data-character" in a]
    assert sorted(buttons) == sorted(c["id"] for c in example_data["characters"])
    assert sum(t == "svg" for t, _ in tags) == 4  # network, two arcs, timeline
    edges = {a["id"] for t, a in tags if t == "g" and (a.get("id") or "").startswith("edge-")}
    pairs = {(q["speaker"], a) for q in example_data["quotes"] for a in q["addressees"]}
    assert edges == {f"edge-{s}-{a}" for s, a in pairs}
    for name in ("Billie", "Ansel", "Nell", "Edith", "Toby"):
        assert name in page


def test_story_text_and_names_are_escaped(hostile_data: dict) -> None:
    page = render_report(hostile_data, title="hostile")
    tags = _elements(page)
    scripts = [a for t, a in tags if t == "script"]
    assert scripts == [{"type": "application/json", "id": "fabula-data"}, {}]
    assert not any(t in {"img", "b"} for t, _ in tags)
    assert not any(k.startswith("on") for _, a in tags for k in a)
    assert "&lt;script&gt;window.pwned" in page
    # In the page's data the name is JSON whose "<" can't close the script element.
    assert "\\u003c/script\\u003e\\u003cscript\\u003ewindow.pwned" in page


def test_the_page_fetches_nothing(example_data: dict) -> None:
    tags = _elements(render_report(example_data, title="example"))
    for _, attributes in tags:
        assert "src" not in attributes
        for key in ("href", "xlink:href"):
            assert (attributes.get(key) or "#").startswith("#"), attributes
    assert any(t == "meta" and a.get("http-equiv") == "Content-Security-Policy" for t, a in tags)


def test_report_command_writes_the_page_beside_the_json(example_data: dict, tmp_path: Path) -> None:
    story = tmp_path / "keepers.json"
    story.write_text(json.dumps(example_data), encoding="utf-8")
    result = CliRunner().invoke(main, ["report", str(story)])
    assert result.exit_code == 0, result.output
    page = tmp_path / "keepers.html"
    assert result.output.strip() == f"{story} -> {page}"
    assert 'data-quote-id="q0"' in page.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json", "not valid JSON"),
        ('{"schema": "other/1"}', "not a fabula story"),
        ('{"schema": "fabula.story/1", "text": ""}', "lacks characters"),
    ],
)
def test_report_refuses_what_is_not_a_story(tmp_path: Path, content: str, message: str) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(content, encoding="utf-8")
    result = CliRunner().invoke(main, ["report", str(bad), str(tmp_path / "missing.json")])
    assert result.exit_code == 3
    lines = result.stderr.splitlines()
    assert len(lines) == 2 and message in lines[0] and "no such file" in lines[1]
    assert not (tmp_path / "bad.html").exists()
    with pytest.raises(InputError, match=message):
        load_story_json(content, "bad.json")


def test_analyze_html_writes_json_and_page(tmp_path: Path) -> None:
    story = tmp_path / "lamp.txt"
    story.write_text('"Is the lamp lit?" asked Wren.\n\n"Not yet," said Odile.\n', "utf-8")
    result = CliRunner().invoke(main, ["analyze", str(story), "-o", str(tmp_path), "--html"])
    assert result.exit_code == 0, result.output
    assert f"-> {tmp_path / 'lamp.json'}, {tmp_path / 'lamp.html'}" in result.output
    page = (tmp_path / "lamp.html").read_text(encoding="utf-8")
    assert page.count('class="quote') == 2 and "Odile" in page
