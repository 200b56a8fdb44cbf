"""Windows for long texts: whole paragraphs, in order, cut where scenes start when they can."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from fabula.segmentation.paragraphs import find_paragraphs
from fabula.segmentation.scenes import find_scenes
from fabula.segmentation.windows import find_windows


def _story(scene_lengths: list[int]) -> str:
    """Scenes of numbered paragraphs, each about 40 characters, between "* * *" breaks."""
    scenes = [
        "\n\n".join(f"Paragraph {s}.{n} goes on for a while here." for n in range(length))
        for s, length in enumerate(scene_lengths)
    ]
    return "\n\n* * *\n\n".join(scenes)


@settings(max_examples=200)
@given(
    st.lists(st.integers(1, 30), min_size=1, max_size=12),
    st.integers(30, 2_000),
)
def test_windows_cover_every_paragraph_once_in_order(scene_lengths, max_chars) -> None:
    text = _story(scene_lengths)
    paragraphs = find_paragraphs(text)
    windows = find_windows(paragraphs, find_scenes(text, paragraphs), max_chars)
    assert [i for window in windows for i in window] == list(range(len(paragraphs)))
    for window in windows:
        first, last = paragraphs[window.start], paragraphs[window.stop - 1]
        assert len(window) == 1 or last.char_end - first.char_start <= max_chars


def test_a_text_within_the_limit_is_one_window() -> None:
    text = _story([5, 5])
    paragraphs = find_paragraphs(text)
    assert find_windows(paragraphs, find_scenes(text, paragraphs), len(text)) == (
        range(len(paragraphs)),
    )
    assert find_windows((), (), 100) == ()


def test_windows_end_where_scenes_start() -> None:
    text = _story([10, 10, 10, 10])  # four scenes of ~460 characters, a break between each
    paragraphs = find_paragraphs(text)
    scenes = find_scenes(text, paragraphs)
    windows = find_windows(paragraphs, scenes, 1_100)
    scene_starts = {scene.char_start for scene in scenes}
    assert len(windows) == 2
    assert all(paragraphs[w.start].char_start in scene_starts for w in windows)


def test_a_scene_longer_than_a_window_is_cut_between_paragraphs() -> None:
    text = _story([40])
    paragraphs = find_paragraphs(text)
    windows = find_windows(paragraphs, find_scenes(text, paragraphs), 500)
    assert len(windows) > 3 and all(len(w) >= 1 for w in windows)
