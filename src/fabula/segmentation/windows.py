"""Cut a long text into windows of whole paragraphs, analysed one after another.

The parse of a whole novel fits in memory; that of a 50 MB archive dump does not. Windows of
about a long novel's size keep memory bounded whatever the length, and cutting where scenes
start keeps each conversation inside one window.
"""

from __future__ import annotations

from bisect import bisect_right
from itertools import pairwise

from fabula.model import Paragraph, Scene

__all__ = ["find_windows"]


def find_windows(
    paragraphs: tuple[Paragraph, ...], scenes: tuple[Scene, ...], max_chars: int
) -> tuple[range, ...]:
    """Ranges of paragraph indices, in order and covering all, each spanning at most about
    ``max_chars`` characters (a single longer paragraph is a window of its own).

    A window ends where a scene starts if one starts in its second half, else at the last
    paragraph that fits. A text within ``max_chars`` is one window; no paragraphs, no windows.
    """
    if not paragraphs:
        return ()
    starts = [p.char_start for p in paragraphs]
    scene_start_paragraphs = sorted(
        {bisect_right(starts, scene.char_start) - 1 for scene in scenes} - {-1, 0}
    )
    cuts = [0]
    last = len(paragraphs) - 1
    while cuts[-1] < last and paragraphs[last].char_end - starts[cuts[-1]] > max_chars:
        first = cuts[-1]
        limit = paragraphs[first].char_start + max_chars
        # The last paragraph that can start the next window; at least one paragraph per window.
        latest = max(bisect_right(starts, limit) - 1, first + 1)
        earliest = first + max((latest - first) // 2, 1)
        at_scene = bisect_right(scene_start_paragraphs, latest) - 1
        if at_scene >= 0 and scene_start_paragraphs[at_scene] >= earliest:
            latest = scene_start_paragraphs[at_scene]
        cuts.append(latest)
    cuts.append(len(paragraphs))
    return tuple(range(first, end) for first, end in pairwise(cuts))
