"""Shared fixtures: paths, the example story analysed once, a hand-built story, and a
model-free stand-in for the pipeline."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest

from fabula import pipeline
from fabula.analysis.presence import scene_presence
from fabula.analysis.sentiment import scene_sentiments
from fabula.model import (
    Character,
    CharacterId,
    Entity,
    Event,
    KnownCharacter,
    Mention,
    MentionKind,
    Paragraph,
    Quote,
    QuoteId,
    QuoteType,
    Scene,
    SceneId,
    SourceText,
    Story,
)
from fabula.reading import read_path
from fabula.settings import DEFAULT_SETTINGS, Settings

REPO_ROOT = Path(__file__).resolve().parent.parent
PDNC_DIR = REPO_ROOT.parent / "shared" / "data" / "pdnc"
EXAMPLE_PATH = REPO_ROOT / "examples" / "the_lighthouse_keepers.txt"

# Written for these tests. Two scenes; Odile's second line is interrupted by a tag.
SAMPLE_TEXT = """\
Chapter 1

"Is the lamp lit?" asked Wren.

Odile shook her head. "Not yet," she said, "but the oil is coming."

"Then we wait," said Wren.

Chapter 2

The ferryman, Bastien, had not spoken all morning. "Zoë sends her regards," he told Odile."""


@pytest.fixture
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture
def pdnc_dir() -> Path:
    """The PDNC corpus, which lives beside the repository and is never copied into it."""
    if not (PDNC_DIR / "data").is_dir():
        pytest.skip("PDNC corpus not found at ../shared/data/pdnc (present in CI)")
    return PDNC_DIR


@pytest.fixture(scope="session")
def example_story() -> Story:
    """The bundled example, analysed once per test run for every test that reads it."""
    return pipeline.analyze_source(read_path(EXAMPLE_PATH))


def find_span(text: str, needle: str, context: str | None = None) -> tuple[int, int]:
    """Offsets of ``needle`` in the one place ``context`` occurs: fixtures hold no numbers."""
    context = context or needle
    assert text.count(context) == 1, f"{context!r} must occur once"
    start = text.index(context) + context.index(needle)
    return start, start + len(needle)


def _quote(
    index: int,
    needle: str,
    speaker: str | None,
    addressees: Sequence[str],
    kind: QuoteType,
    confidence: float,
    scene: str,
    continues: int | None = None,
    sentiment: float = 0.0,
) -> Quote:
    start, end = find_span(SAMPLE_TEXT, needle)
    return Quote(
        id=QuoteId(f"q{index}"),
        char_start=start,
        char_end=end,
        speaker=CharacterId(speaker) if speaker else None,
        addressees=tuple(CharacterId(a) for a in addressees),
        type=kind,
        confidence=confidence,
        scene=SceneId(scene),
        continues=QuoteId(f"q{continues}") if continues is not None else None,
        sentiment=sentiment,
    )


def _mention(needle: str, context: str, character: str | None, kind: MentionKind) -> Mention:
    start, end = find_span(SAMPLE_TEXT, needle, context)
    who = CharacterId(character) if character else None
    return Mention(char_start=start, char_end=end, character=who, kind=kind, text=needle)


def build_sample_story() -> Story:
    """A complete ``Story`` over ``SAMPLE_TEXT``, as the pipeline would assemble it."""
    text = SAMPLE_TEXT
    chapter_2 = text.index("Chapter 2")
    paragraphs, start = [], 0
    for index, block in enumerate(text.split("\n\n")):
        paragraphs.append(Paragraph(index=index, char_start=start, char_end=start + len(block)))
        start += len(block) + 2
    name, pronoun, nominal = MentionKind.NAME, MentionKind.PRONOUN, MentionKind.NOMINAL
    explicit, anaphoric = QuoteType.EXPLICIT, QuoteType.ANAPHORIC
    quotes = (
        _quote(0, '"Is the lamp lit?"', "wren", ["odile"], explicit, 0.91234, "s0"),
        _quote(1, '"Not yet,"', "odile", ["wren"], anaphoric, 0.8, "s0"),
        _quote(2, '"but the oil is coming."', "odile", ["wren"], anaphoric, 0.8, "s0", 1),
        _quote(3, '"Then we wait,"', "wren", ["odile"], explicit, 0.95, "s0", sentiment=-0.2),
        replace(
            _quote(4, '"Zoë sends her regards,"', "bastien", ["odile"], anaphoric, 0.7, "s1"),
            sentiment=0.4,
        ),
    )
    mentions = (
        _mention("Wren", "asked Wren", "wren", name),
        _mention("Odile", "Odile shook", "odile", name),
        _mention("her", "shook her", "odile", pronoun),
        _mention("she", " she said", "odile", pronoun),
        _mention("Wren", "said Wren", "wren", name),
        _mention("The ferryman", "The ferryman", "bastien", nominal),
        _mention("Bastien", "Bastien", "bastien", name),
        _mention("Zoë", "Zoë", "zoe", name),
        _mention("her", "her regards", None, pronoun),
        _mention("he", " he told", "bastien", pronoun),
        _mention("Odile", "told Odile", "odile", name),
    )
    scenes = (
        Scene(SceneId("s0"), 0, chapter_2, heading="Chapter 1"),
        Scene(SceneId("s1"), chapter_2, len(text), heading="Chapter 2"),
    )
    return Story(
        text=text,
        paragraphs=tuple(paragraphs),
        scenes=scene_presence(scenes, quotes, mentions),
        quotes=quotes,
        characters=(
            Character(CharacterId("wren"), "Wren", gender="she", mention_count=2, quote_count=2),
            Character(CharacterId("odile"), "Odile", gender="she", mention_count=4, quote_count=1),
            Character(
                CharacterId("bastien"),
                "Bastien",
                aliases=("The ferryman",),
                gender="he",
                mention_count=3,
                quote_count=1,
            ),
            Character(CharacterId("zoe"), "Zoë", mention_count=1),
        ),
        mentions=mentions,
        diagnostics=("paragraph 2: a quotation is interrupted by a tag",),
        scene_sentiments=scene_sentiments(quotes),
        entities=(Entity(*find_span(SAMPLE_TEXT, "the lamp"), "FAC", "NOM", SceneId("s0")),),
        events=(Event(*find_span(SAMPLE_TEXT, "shook"), SceneId("s0")),),
    )


def running_in_group(group: int) -> list[int]:
    """Processes of the process group ``group`` that still run (zombies, which have ended and
    only wait to be reaped, do not count); read from /proc, so Linux only."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # it ended meanwhile
        state, process_group = fields[0], int(fields[2])
        if process_group == group and state != "Z":
            found.append(int(stat.parent.name))
    return found


@pytest.fixture
def group_ends() -> Callable[[int], bool]:
    """Whether every process of a group has ended within a few seconds (a terminated worker
    takes a moment to go)."""
    if not Path("/proc/self/stat").exists():
        pytest.skip("reads /proc (Linux)")

    def ends(group: int, seconds: float = 10) -> bool:
        deadline = time.monotonic() + seconds
        while running_in_group(group):
            if time.monotonic() > deadline:
                return False
            time.sleep(0.05)
        return True

    return ends


@pytest.fixture
def start_job() -> Iterator[Callable[[list[str]], subprocess.Popen]]:
    """Start a command as its own job (a process group, as a terminal does), so that a signal
    can reach all its processes; whatever still runs at the test's end is killed."""
    started: list[subprocess.Popen] = []

    def start(command: list[str]) -> subprocess.Popen:
        job = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            start_new_session=True,
        )  # fmt: skip
        started.append(job)
        return job

    yield start
    for job in started:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(job.pid, signal.SIGKILL)
        job.communicate()


@pytest.fixture
def sample_story() -> Story:
    return build_sample_story()


@dataclass
class FakePipeline:
    """Stands in for ``pipeline.analyze_source``: records its calls, needs no spaCy model."""

    calls: list[tuple[SourceText, tuple[KnownCharacter, ...] | None]] = field(default_factory=list)
    story: Callable[[SourceText], Story] | None = None

    def __call__(
        self,
        source: SourceText,
        cast: Sequence[KnownCharacter] | None = None,
        *,
        settings: Settings = DEFAULT_SETTINGS,
        progress: Callable[[int, int], None] | None = None,
    ) -> Story:
        self.calls.append((source, tuple(cast) if cast is not None else None))
        return self.story(source) if self.story else _plain_story(source)


def _plain_story(source: SourceText) -> Story:
    """Paragraphs, one scene and unattributed quotations: enough for a valid JSON file."""
    text = source.text
    paragraphs = tuple(
        Paragraph(i, m.start(), m.end()) for i, m in enumerate(re.finditer(r"[^\n]+", text))
    )
    quotes = tuple(
        Quote(
            QuoteId(f"q{i}"), m.start(), m.end(), None, (), QuoteType.IMPLICIT, 0.0, SceneId("s0")
        )
        for i, m in enumerate(re.finditer(r'"[^"\n]*"', text))
    )
    return Story(
        text=text,
        paragraphs=paragraphs,
        scenes=(Scene(SceneId("s0"), 0, len(text)),),
        quotes=quotes,
        characters=(),
        mentions=(),
        diagnostics=source.notes,
    )


@pytest.fixture
def fake_pipeline(monkeypatch: pytest.MonkeyPatch) -> FakePipeline:
    fake = FakePipeline()
    monkeypatch.setattr(pipeline, "analyze_source", fake)
    return fake
