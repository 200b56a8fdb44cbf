"""Sentiment of quotations (VADER) and its per-scene averages."""

from __future__ import annotations

from fabula.analysis.sentiment import scene_sentiments, score_quotes
from fabula.model import CharacterId, Feeling, Quote, QuoteId, QuoteSpan, QuoteType, SceneId
from fabula.segmentation.paragraphs import find_paragraphs
from fabula.segmentation.quotes import find_quotes


def test_warm_lines_score_above_hostile_ones() -> None:
    text = '"I love you, and I am so glad you came," said Ann.\n\n"I hate you," said Ben.'
    spans, _ = find_quotes(text, find_paragraphs(text))
    warm, hostile = score_quotes(text, spans)
    assert warm > 0.5 and hostile < -0.3
    assert score_quotes(text, (QuoteSpan(0, 0, 0),)) == (0.0,)


def _line(index: int, speaker: str | None, addressees: tuple[str, ...], scene: str | None, mood):
    return Quote(
        QuoteId(f"q{index}"),
        index,
        index + 1,
        CharacterId(speaker) if speaker else None,
        tuple(CharacterId(a) for a in addressees),
        QuoteType.IMPLICIT,
        0.5,
        SceneId(scene) if scene else None,
        sentiment=mood,
    )


def test_a_line_to_two_people_counts_for_both_relationships() -> None:
    quotes = (
        _line(0, "ann", ("ben", "cy"), "s0", 0.5),
        _line(1, "ben", ("ann",), "s0", -0.5),
        _line(2, "ann", ("ben",), "s0", 0.0),
        _line(3, None, (), "s0", 0.9),  # unattributed: in no average
        _line(4, "cy", (), None, 0.9),  # outside every scene
    )
    (only,) = scene_sentiments(quotes)
    assert only.scene == "s0"
    assert only.speakers == (("ann", Feeling(0.25, 2)), ("ben", Feeling(-0.5, 1)))
    assert only.relationships == (
        ("ann", "ben", Feeling(0.25, 2)),
        ("ann", "cy", Feeling(0.5, 1)),
        ("ben", "ann", Feeling(-0.5, 1)),
    )
