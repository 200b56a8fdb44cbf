"""One analysed work as rows of the corpus tables (Arrow), every row keyed by ``work_id``.

The tables and their columns are documented in docs/corpus-tables.md; ``SCHEMAS`` is the
single source of their types, so an empty table and a full one always agree.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

import pyarrow as pa

from fabula import __version__
from fabula.corpus.names import WORK_TABLES
from fabula.model import Story, Work

_STRINGS = pa.list_(pa.string())

SCHEMAS: dict[str, pa.Schema] = {
    "works": pa.schema(
        [
            ("work_id", pa.string()),
            ("source", pa.string()),
            ("title", pa.string()),
            ("authors", _STRINGS),
            ("fandoms", _STRINGS),
            ("relationships", _STRINGS),
            ("character_tags", _STRINGS),
            ("additional_tags", _STRINGS),
            ("rating", pa.string()),
            ("language", pa.string()),
            ("chapters", pa.int32()),
            ("chars", pa.int64()),
            ("tokens", pa.int64()),
            ("characters", pa.int32()),
            ("quotes", pa.int32()),
            ("scenes", pa.int32()),
            ("seconds", pa.float64()),
            ("fabula_version", pa.string()),
        ]
    ),
    "characters": pa.schema(
        [
            ("work_id", pa.string()),
            ("character_id", pa.string()),
            ("name", pa.string()),
            ("aliases", _STRINGS),
            ("gender", pa.string()),
            ("is_narrator", pa.bool_()),
            ("mention_count", pa.int32()),
            ("quote_count", pa.int32()),
        ]
    ),
    "quotes": pa.schema(
        [
            ("work_id", pa.string()),
            ("quote_id", pa.string()),
            ("start", pa.int64()),
            ("end", pa.int64()),
            ("text", pa.string()),
            ("speaker_id", pa.string()),
            ("speaker", pa.string()),
            ("addressee_ids", _STRINGS),
            ("addressees", _STRINGS),
            ("type", pa.string()),
            ("confidence", pa.float64()),
            ("sentiment", pa.float64()),
            ("scene_id", pa.string()),
            ("continues", pa.string()),
        ]
    ),
    "mentions": pa.schema(
        [
            ("work_id", pa.string()),
            ("start", pa.int64()),
            ("end", pa.int64()),
            ("text", pa.string()),
            ("character_id", pa.string()),
            ("kind", pa.string()),
        ]
    ),
    "scenes": pa.schema(
        [
            ("work_id", pa.string()),
            ("scene_id", pa.string()),
            ("position", pa.int32()),
            ("start", pa.int64()),
            ("end", pa.int64()),
            ("heading", pa.string()),
            ("character_ids", _STRINGS),
            ("quotes", pa.int32()),
        ]
    ),
    "interactions": pa.schema(
        [
            ("work_id", pa.string()),
            ("scene_id", pa.string()),
            ("speaker_id", pa.string()),
            ("addressee_id", pa.string()),
            ("quotes", pa.int32()),
            ("mean_sentiment", pa.float64()),
        ]
    ),
    "profile_words": pa.schema(
        [
            ("work_id", pa.string()),
            ("character_id", pa.string()),
            ("role", pa.string()),
            ("word", pa.string()),
            ("count", pa.int32()),
        ]
    ),
    "entities": pa.schema(
        [
            ("work_id", pa.string()),
            ("start", pa.int64()),
            ("end", pa.int64()),
            ("text", pa.string()),
            ("category", pa.string()),
            ("kind", pa.string()),
            ("scene_id", pa.string()),
        ]
    ),
    "events": pa.schema(
        [
            ("work_id", pa.string()),
            ("start", pa.int64()),
            ("end", pa.int64()),
            ("text", pa.string()),
            ("scene_id", pa.string()),
        ]
    ),
    "errors": pa.schema(
        [
            ("work_id", pa.string()),
            ("source", pa.string()),
            ("kind", pa.string()),
            ("message", pa.string()),
            ("seconds", pa.float64()),
        ]
    ),
}


def story_tables(story: Story, *, work_id: str, source: str, seconds: float) -> dict[str, pa.Table]:
    """The work tables for one analysed story.

    ``interactions`` holds one row per scene and speaker → addressee pair: how many quotations
    (parts of an interrupted one count apart, as in the JSON's scene sentiment) and their mean
    sentiment. Mentions, entities and events are the JSON's own rows.
    """
    data = story.to_dict()
    rows = {"works": [_work_row(story, source=source, seconds=seconds)]}
    rows |= {name: build(story, data) for name, build in _ROWS.items()}
    return {
        name: pa.Table.from_pylist(
            [{"work_id": work_id, **row} for row in rows[name]], schema=SCHEMAS[name]
        )
        for name in WORK_TABLES
    }


def _work_row(story: Story, *, source: str, seconds: float) -> dict[str, Any]:
    work = story.work or Work()
    return {
        "source": source,
        "title": work.title,
        "authors": list(work.authors),
        "fandoms": list(work.fandoms),
        "relationships": list(work.relationships),
        "character_tags": list(work.characters),
        "additional_tags": list(work.additional_tags),
        "rating": work.rating,
        "language": work.language,
        "chapters": len(work.chapters),
        "chars": len(story.text),
        "tokens": len(story.text.split()),
        "characters": len(story.characters),
        "quotes": len(story.quotes),
        "scenes": len(story.scenes),
        "seconds": seconds,
        "fabula_version": __version__,
    }


def _character_rows(story: Story, data: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "character_id": c.id,
            "name": c.name,
            "aliases": list(c.aliases),
            "gender": c.gender,
            "is_narrator": c.is_narrator,
            "mention_count": c.mention_count,
            "quote_count": c.quote_count,
        }
        for c in story.characters
    ]


def _quote_rows(story: Story, data: dict[str, Any]) -> list[dict[str, Any]]:
    names = {c.id: c.name for c in story.characters}
    return [
        {
            "quote_id": q.id,
            "start": q.char_start,
            "end": q.char_end,
            "text": story.text[q.char_start : q.char_end],
            "speaker_id": q.speaker,
            "speaker": names.get(q.speaker) if q.speaker else None,
            "addressee_ids": list(q.addressees),
            "addressees": [names.get(a, a) for a in q.addressees],
            "type": str(q.type),
            "confidence": float(q.confidence),
            "sentiment": q.sentiment,
            "scene_id": q.scene,
            "continues": q.continues,
        }
        for q in story.quotes
    ]


def _scene_rows(story: Story, data: dict[str, Any]) -> list[dict[str, Any]]:
    scene_quotes = Counter(quote.scene for quote in story.quotes if quote.scene is not None)
    return [
        {
            "scene_id": s.id,
            "position": position,
            "start": s.char_start,
            "end": s.char_end,
            "heading": s.heading,
            "character_ids": list(s.characters),
            "quotes": scene_quotes[s.id],
        }
        for position, s in enumerate(story.scenes)
    ]


def _interaction_rows(story: Story, data: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "scene_id": mood.scene,
            "speaker_id": speaker,
            "addressee_id": addressee,
            "quotes": feeling.quotes,
            "mean_sentiment": feeling.mean,
        }
        for mood in story.scene_sentiments
        for speaker, addressee, feeling in mood.relationships
    ]


def _profile_rows(story: Story, data: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "character_id": profile.character,
            "role": role,
            "word": entry.word,
            "count": entry.count,
        }
        for profile in story.profiles
        for role, entries in (
            ("agent", profile.agent),
            ("patient", profile.patient),
            ("possession", profile.possessions),
            ("modifier", profile.modifiers),
        )
        for entry in entries
    ]


# The JSON's keys that the tables name after what they point at.
_TABLE_KEYS = {"character": "character_id", "scene": "scene_id"}


def _json_rows(key: str) -> Callable[[Story, dict[str, Any]], list[dict[str, Any]]]:
    """Rows that are the JSON's own (mentions, entities, events), with the text they cover."""

    def rows(story: Story, data: dict[str, Any]) -> list[dict[str, Any]]:
        return [
            {_TABLE_KEYS.get(name, name): value for name, value in row.items()}
            | {"text": story.text[row["start"] : row["end"]]}
            for row in data[key]
        ]

    return rows


_ROWS = {
    "characters": _character_rows,
    "quotes": _quote_rows,
    "mentions": _json_rows("mentions"),
    "scenes": _scene_rows,
    "interactions": _interaction_rows,
    "profile_words": _profile_rows,
    "entities": _json_rows("entities"),
    "events": _json_rows("events"),
}


def error_table(*, work_id: str, source: str, kind: str, message: str, seconds: float) -> pa.Table:
    """One row of the ``errors`` table: a work that could not be analysed, and why."""
    row = {"work_id": work_id, "source": source, "kind": kind, "message": message}
    return pa.Table.from_pylist([row | {"seconds": seconds}], schema=SCHEMAS["errors"])
