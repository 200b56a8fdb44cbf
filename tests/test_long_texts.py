"""Long texts are analysed a window at a time: memory stays flat, the cast stays one."""

from __future__ import annotations

import dataclasses
import tracemalloc

import pytest

from fabula import pipeline
from fabula.model import Story
from fabula.nlp import load_spacy
from fabula.reading import read_path
from fabula.settings import DEFAULT_SETTINGS
from test_example_story import GOLD, GOLD_CAST_NAMES, STORY_PATH, gold_name_of

pytestmark = [pytest.mark.model, pytest.mark.slow]


def _windows_of(chars: int):
    return dataclasses.replace(DEFAULT_SETTINGS, window_chars=chars)


def test_the_example_in_two_windows_keeps_its_cast_and_speakers(example_story: Story) -> None:
    source = read_path(STORY_PATH)
    assert len(source.text) > 8_000  # so the story is cut in two
    story = pipeline.analyze_source(source, settings=_windows_of(8_000))
    assert sorted(gold_name_of(c) for c in story.characters) == sorted(GOLD_CAST_NAMES)
    assert [(q.char_start, q.char_end) for q in story.quotes] == [
        (q.char_start, q.char_end) for q in example_story.quotes
    ]
    speakers = [gold_name_of(story.character(q.speaker)) for q in story.quotes]
    assert speakers == [q["speaker"] for q in GOLD["quotes"]]
    assert {c.id for c in story.characters} >= {m.character for m in story.mentions} - {None}


def test_memory_stays_flat_however_many_windows() -> None:
    story = STORY_PATH.read_text(encoding="utf-8")
    load_spacy()
    pipeline.analyze("Warm up.")  # loads the ranker and lexicons outside the measurement
    peaks = []
    for copies in (2, 6):
        text = "\n\n* * *\n\n".join([story] * copies)
        tracemalloc.start()
        pipeline.analyze(text, settings=_windows_of(15_000))
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    # Three times the text, the same peak: only one window's parse is alive at a time.
    assert peaks[1] < 1.1 * peaks[0]


def test_progress_runs_once_over_the_whole_text_across_windows() -> None:
    source = read_path(STORY_PATH)
    heard: list[tuple[int, int]] = []
    pipeline.analyze_source(
        source, settings=_windows_of(4_000), progress=lambda *p: heard.append(p)
    )
    done = [d for d, _ in heard]
    assert done == sorted(done) and heard[-1] == (len(source.text), len(source.text))
    assert len(heard) >= 3
