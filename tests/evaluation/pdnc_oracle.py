"""The fixture corpus and a gold-built "oracle" prediction for the evaluation tests."""

from __future__ import annotations

from pathlib import Path

from fabula.evaluation.pdnc import GoldNovel
from fabula.model import Character, CharacterId, Quote, QuoteId, QuoteType, Story

# A PDNC-format folder holding one short story written for these tests.
FIXTURE_CORPUS = Path(__file__).parent / "fixtures" / "pdnc"


def build_oracle(novel: GoldNovel) -> Story:
    """A perfect prediction made from gold: each sub-span widened by its quote marks.

    Interrupted quotations become chained parts (``continues``), as fabula writes them.
    """
    quotes: list[Quote] = []
    for gold in novel.quotes:
        previous: QuoteId | None = None
        for part, (start, end) in enumerate(gold.spans):
            quote_id = QuoteId(f"{gold.id}.{part}")
            quotes.append(
                Quote(
                    id=quote_id,
                    char_start=start - 1,
                    char_end=end + 1,
                    speaker=CharacterId(f"c{gold.speaker}") if gold.speaker else None,
                    addressees=tuple(CharacterId(f"c{a}") for a in gold.addressees),
                    type=gold.type or QuoteType.IMPLICIT,
                    confidence=1.0,
                    scene=None,
                    continues=previous,
                )
            )
            previous = quote_id
    characters = tuple(
        Character(id=CharacterId(f"c{c.id}"), name=c.main_name, aliases=c.aliases)
        for c in novel.characters
    )
    return Story(
        text=novel.text,
        paragraphs=(),
        scenes=(),
        quotes=tuple(quotes),
        characters=characters,
        mentions=(),
    )
