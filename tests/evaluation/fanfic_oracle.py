"""The fanfic fixture corpus and predictions built from its gold for the evaluation tests."""

from __future__ import annotations

from pathlib import Path

from fabula.evaluation.pdnc import GoldNovel
from fabula.model import Character, CharacterId, Quote, QuoteId, QuoteType, Story

# A fanfic-dev-format folder with two short stories written for these tests.
FANFIC_CORPUS = Path(__file__).parent / "fixtures" / "fanfic"


def character_id(name: str) -> CharacterId:
    return CharacterId(f"c:{name}")


def fanfic_oracle(novel: GoldNovel, *, group_speaker: str | None = None) -> Story:
    """A perfect prediction of ``novel``: gold spans as they are (marks included), gold
    speakers and addressees; lines with no single gold speaker go to ``group_speaker``."""
    quotes = []
    for gold in novel.quotes:
        speaker = gold.speaker or group_speaker
        quotes.append(
            Quote(
                id=QuoteId(f"q{gold.id}"),
                char_start=gold.spans[0][0],
                char_end=gold.spans[0][1],
                speaker=character_id(speaker) if speaker else None,
                addressees=tuple(character_id(a) for a in gold.addressees),
                type=gold.type or QuoteType.IMPLICIT,
                confidence=1.0,
                scene=None,
            )
        )
    characters = tuple(
        Character(id=character_id(c.id), name=c.main_name, aliases=c.aliases)
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
