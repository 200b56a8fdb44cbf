"""Analysis: how warm or hostile each quotation is, and the averages per scene that make arcs.

VADER (vaderSentiment, MIT licence, its lexicon ships in the package) scores each quotation's
words; each scene then averages them per speaker and per speaker → addressee pair, so "how
Edith's tone to Billie moves across the story" is data in the JSON, not only a picture.
"""

from __future__ import annotations

from collections import defaultdict

from fabula.model import (
    CharacterId,
    Feeling,
    Quote,
    QuoteSpan,
    SceneId,
    SceneSentiment,
)
from fabula.nlp import load_sentiment
from fabula.stages import stage

SENTIMENT_DIGITS = 4


@stage(requires={"text", "quotes"}, produces={"quote_sentiment"})
def score_quotes(text: str, quote_spans: tuple[QuoteSpan, ...]) -> tuple[float, ...]:
    """VADER's compound score (-1 … +1) of each quotation: '"I hate you."' → -0.57."""
    analyzer = load_sentiment()
    scores = (analyzer.polarity_scores(text[s.char_start : s.char_end]) for s in quote_spans)
    return tuple(round(score["compound"], SENTIMENT_DIGITS) for score in scores)


@stage(
    requires={"quote_sentiment", "speakers", "addressees", "scenes"}, produces={"scene_sentiment"}
)
def scene_sentiments(quotes: tuple[Quote, ...]) -> tuple[SceneSentiment, ...]:
    """Per scene with attributed quotations: each speaker's mean, and each speaker →
    addressee pair's mean (a line to two people counts for both pairs)."""
    speakers: dict[SceneId, dict[CharacterId, list[float]]] = defaultdict(dict)
    pairs: dict[SceneId, dict[tuple[CharacterId, CharacterId], list[float]]] = defaultdict(dict)
    for quote in quotes:
        if quote.scene is None or quote.speaker is None:
            continue
        speakers[quote.scene].setdefault(quote.speaker, []).append(quote.sentiment)
        for addressee in quote.addressees:
            pairs[quote.scene].setdefault((quote.speaker, addressee), []).append(quote.sentiment)
    return tuple(
        SceneSentiment(
            scene=scene,
            speakers=tuple((who, _feeling(scores)) for who, scores in by_speaker.items()),
            relationships=tuple(
                (speaker, addressee, _feeling(scores))
                for (speaker, addressee), scores in pairs[scene].items()
            ),
        )
        for scene, by_speaker in speakers.items()
    )


def _feeling(scores: list[float]) -> Feeling:
    return Feeling(mean=round(sum(scores) / len(scores), SENTIMENT_DIGITS), quotes=len(scores))
