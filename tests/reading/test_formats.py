"""One story, whatever it comes in: text, an archive's HTML download, an EPUB, Markdown.

The archive fixtures are ours (``tests/reading/fixtures``); the EPUB is built from the text
version's chapters. Hostile files go through the CLI: one line on stderr, exit code 3.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from epub_factory import make_epub

from fabula.cli import main
from fabula.model import Story
from fabula.pipeline import analyze_source
from fabula.reading import read_bytes, read_path

FIXTURES = Path(__file__).parent / "fixtures"
TEXT_VERSION = FIXTURES / "archive_work.txt"
HTML_VERSION = FIXTURES / "archive_work.html"
EXIT_INPUT = 3


def _epub_of_text_version() -> bytes:
    """The text version as an EPUB: one XHTML document per "Chapter N: ..." heading."""
    chapters: list[tuple[str, list[str]]] = []
    for paragraph in TEXT_VERSION.read_text(encoding="utf-8").split("\n\n"):
        paragraph = paragraph.strip()
        if paragraph.startswith("Chapter "):
            chapters.append((paragraph, []))
        elif paragraph:
            chapters[-1][1].append(paragraph)
    return make_epub(chapters, title="The Lighthouse Ledger", authors=("wren_writes",))


def _dialogue(story: Story) -> list[tuple[str, str | None]]:
    """Each quotation's words and its speaker's name."""
    found = []
    for quote in story.quotes:
        speaker = story.character(quote.speaker)
        words = " ".join(story.text[quote.char_start : quote.char_end].split())
        found.append((words, speaker.name if speaker else None))
    return found


def _speakers_by_all_names(story: Story) -> list[tuple[str, frozenset[str]]]:
    """Each quotation's words and all its speaker's names: what must not depend on the format
    (an archive's tags may make "Theo Vance" the main name where the text says "Theo")."""
    found = []
    for quote in story.quotes:
        speaker = story.character(quote.speaker)
        words = " ".join(story.text[quote.char_start : quote.char_end].split())
        names = frozenset((speaker.name, *speaker.aliases)) if speaker else frozenset()
        found.append((words, names))
    return found


@pytest.fixture(scope="module")
def versions() -> dict[str, Story]:
    sources = {
        "text": read_path(TEXT_VERSION),
        "html": read_path(HTML_VERSION),
        "epub": read_bytes(_epub_of_text_version(), name="ledger.epub"),
    }
    return {name: analyze_source(source) for name, source in sources.items()}


@pytest.mark.model
def test_html_and_epub_give_the_text_version_s_dialogue(versions: dict[str, Story]) -> None:
    expected = _speakers_by_all_names(versions["text"])
    assert [speaker for _, speaker in _dialogue(versions["text"])] == [
        "Mara Quill", "Theo", "Mara Quill", "Mara Quill", "Wren", "Wren", "Wren",
        "Mara Quill", "Mara Quill", "Wren", "Wren", "Theo", "Theo",
    ]  # fmt: skip
    assert _speakers_by_all_names(versions["html"]) == expected
    assert _speakers_by_all_names(versions["epub"]) == expected


@pytest.mark.model
def test_html_and_epub_give_the_text_version_s_cast(versions: dict[str, Story]) -> None:
    def speaking(story: Story) -> set[frozenset[str]]:
        return {frozenset((c.name, *c.aliases)) for c in story.characters if c.quote_count}

    text_cast = speaking(versions["text"])
    assert text_cast == {
        frozenset({"Mara Quill", "Mara"}),
        frozenset({"Theo", "Theo Vance"}),
        frozenset({"Wren"}),
    }
    assert speaking(versions["epub"]) == text_cast
    # The archive's character tags give the full names: the same people, better named.
    assert speaking(versions["html"]) == text_cast
    assert {c.name for c in versions["html"].characters} == {"Mara Quill", "Theo Vance", "Wren"}


@pytest.mark.model
def test_chapters_start_scenes_and_their_titles_head_them(versions: dict[str, Story]) -> None:
    for name in ("html", "epub"):
        story = versions[name]
        chapter_starts = {c.char_start for c in story.work.chapters}
        scene_starts = {s.char_start for s in story.scenes}
        assert chapter_starts <= scene_starts, name
        headings = [s.heading for s in story.scenes if s.heading]
        assert "Chapter 2: Low Tide" in headings, name


@pytest.mark.model
def test_the_work_block_carries_the_archive_metadata(versions: dict[str, Story]) -> None:
    work = versions["html"].to_dict()["work"]
    assert work["relationships"] == ["Mara Quill/Theo Vance"]
    assert "Wren (Original Character)" in work["characters"]
    assert len(work["chapters"]) == 2
    assert versions["text"].to_dict()["work"] is None
    assert versions["epub"].work.title == "The Lighthouse Ledger"
    assert versions["epub"].work.authors == ("wren_writes",)


TAGGED_WORK = """<!DOCTYPE html>
<html><head><title>Spring Tides</title></head><body>
<div class="preface group"><h1>Spring Tides</h1>
<dl class="tags">
<dt>Character:</dt>
<dd><a class="tag">June Harlow</a>, <a class="tag">April (Original Character)</a></dd>
</dl></div>
<div id="chapters"><div class="userstuff">
<p>June and April sat on the harbour wall, and the tide went out under them.</p>
<p>"It is going to rain," said June.</p>
<p>April looked at the sky. "It always says that and it never does."</p>
<p>"Then we will stay."</p>
<p>"We will," said April.</p>
</div></div></body></html>
"""


@pytest.mark.model
def test_character_tags_find_names_the_heuristics_miss() -> None:
    """June and April read as months to the proper-noun rules; the author's tags say otherwise."""
    untagged = analyze_source(read_bytes(TAGGED_WORK.encode(), name="spring.txt"), cast=None)
    plain_text = "\n\n".join(
        line.removeprefix("<p>").removesuffix("</p>")
        for line in TAGGED_WORK.splitlines()
        if line.startswith("<p>")
    )
    without_tags = analyze_source(read_bytes(plain_text.encode(), name="spring.txt"))
    assert [c.name for c in without_tags.characters] == []
    assert [speaker for _, speaker in _dialogue(untagged)] == [
        "June Harlow",
        "April",
        "June Harlow",
        "April",
    ]


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stderr if hasattr(result, "stderr") else result.output


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "entities.epub",
            make_epub(
                [("One", ["Ada rowed."])],
                opf='<?xml version="1.0"?>\n<!DOCTYPE package [<!ENTITY x SYSTEM '
                '"file:///etc/passwd">]>\n<package/>',
            ),
            "contains XML entity declarations",
        ),
        ("broken.epub", b"PK\x03\x04 not really a zip", "is not a valid EPUB"),
        ("scripts.html", b"<html><body><script>alert(1)</script></body></html>", "no story text"),
    ],
)
def test_hostile_files_get_one_line_and_exit_code_3(
    tmp_path: Path, name: str, data: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    code, stderr = _run("analyze", str(path), "-o", str(tmp_path / "out"))
    assert code == EXIT_INPUT
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and message in lines[0], stderr
    assert "Traceback" not in stderr


@pytest.mark.model
def test_the_cli_reads_an_archive_download(tmp_path: Path) -> None:
    code, _ = _run("analyze", str(HTML_VERSION), "-o", str(tmp_path))
    assert code == 0
    data = json.loads((tmp_path / "archive_work.json").read_text(encoding="utf-8"))
    assert data["work"]["title"]
    assert "<script" not in data["text"] and "LEAK" not in data["text"]
