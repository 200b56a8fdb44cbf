"""The versioned JSON contract (``fabula.story/1``) that ``Story.to_dict`` produces.

docs/json-format.md documents every field; a change that renames, removes or re-types a field
bumps ``model.SCHEMA``. Offsets are Python ``str`` indices into ``"text"``, end excluded, so a
consumer in another language must index by code point, not by UTF-8 or UTF-16 unit.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Any

from fabula.model import (
    SCHEMA,
    CharacterId,
    Profile,
    ProfileWord,
    SceneId,
    SceneSentiment,
    Story,
    Work,
)

CONFIDENCE_DIGITS = 3


def story_to_dict(story: Story) -> dict[str, Any]:
    """Turn a ``Story`` into plain JSON-ready data (only str, int, float, bool, None, list, dict).

    Each quotation also carries its ``text`` (marks included) so readers need not slice.
    """
    present = scene_characters(story)
    moods = {m.scene: _scene_sentiment_to_dict(m) for m in story.scene_sentiments}
    profiles = {p.character: p for p in story.profiles}
    return {
        "schema": SCHEMA,
        "text": story.text,
        "characters": [
            {
                "id": c.id,
                "name": c.name,
                "aliases": list(c.aliases),
                "gender": c.gender,
                "is_narrator": c.is_narrator,
                "mention_count": c.mention_count,
                "quote_count": c.quote_count,
                "profile": _profile_to_dict(profiles.get(c.id)),
            }
            for c in story.characters
        ],
        "quotes": [
            {
                "id": q.id,
                "start": q.char_start,
                "end": q.char_end,
                "text": story.text[q.char_start : q.char_end],
                "speaker": q.speaker,
                "addressees": list(q.addressees),
                "type": str(q.type),
                "confidence": round(float(q.confidence), CONFIDENCE_DIGITS),
                "scene": q.scene,
                "continues": q.continues,
                "sentiment": q.sentiment,
            }
            for q in story.quotes
        ],
        "mentions": [
            {
                "start": m.char_start,
                "end": m.char_end,
                "character": m.character,
                "kind": str(m.kind),
            }
            for m in story.mentions
        ],
        "scenes": [
            {
                "id": s.id,
                "start": s.char_start,
                "end": s.char_end,
                "heading": s.heading,
                "characters": present[s.id],
                "sentiment": moods.get(s.id, _NO_SENTIMENT),
            }
            for s in story.scenes
        ],
        "paragraphs": [{"start": p.char_start, "end": p.char_end} for p in story.paragraphs],
        "diagnostics": list(story.diagnostics),
        "work": _work_to_dict(story.work) if story.work is not None else None,
        "entities": [
            {
                "start": e.char_start,
                "end": e.char_end,
                "text": story.text[e.char_start : e.char_end],
                "category": e.category,
                "kind": e.kind,
                "scene": e.scene,
            }
            for e in story.entities
        ],
        "events": [
            {
                "start": e.char_start,
                "end": e.char_end,
                "text": story.text[e.char_start : e.char_end],
                "scene": e.scene,
            }
            for e in story.events
        ],
    }


_NO_SENTIMENT: dict[str, list] = {"characters": [], "relationships": []}


def _profile_to_dict(profile: Profile | None) -> dict[str, Any]:
    profile = profile or Profile(CharacterId(""))

    def words(entries: tuple[ProfileWord, ...]) -> list[dict[str, Any]]:
        return [{"word": e.word, "count": e.count, "examples": list(e.examples)} for e in entries]

    return {
        "agent": words(profile.agent),
        "patient": words(profile.patient),
        "possessions": words(profile.possessions),
        "modifiers": words(profile.modifiers),
        "pronouns": dict(profile.pronouns),
        "first_mention": profile.first_mention,
        "last_mention": profile.last_mention,
        "scenes": list(profile.scenes),
    }


def _scene_sentiment_to_dict(mood: SceneSentiment) -> dict[str, Any]:
    return {
        "characters": [
            {"character": who, "mean": feeling.mean, "quotes": feeling.quotes}
            for who, feeling in mood.speakers
        ],
        "relationships": [
            {"speaker": speaker, "addressee": addressee, "mean": f.mean, "quotes": f.quotes}
            for speaker, addressee, f in mood.relationships
        ],
    }


def _work_to_dict(work: Work) -> dict[str, Any]:
    return {
        "title": work.title,
        "authors": list(work.authors),
        "fandoms": list(work.fandoms),
        "relationships": list(work.relationships),
        "characters": list(work.characters),
        "additional_tags": list(work.additional_tags),
        "warnings": list(work.warnings),
        "categories": list(work.categories),
        "rating": work.rating,
        "language": work.language,
        "words": work.words,
        "chapters": [
            {"title": c.title, "start": c.char_start, "end": c.char_end} for c in work.chapters
        ],
    }


def scene_characters(story: Story) -> dict[SceneId, list[CharacterId]]:
    """Who is present in each scene: speakers and mentioned characters, by first appearance.

    A speaker appears where the quotation starts; a mention where it starts. Addressees who are
    neither named nor speaking are not counted: being spoken to does not show presence. Example:
    a scene where Ann is mentioned at 10 and Ben speaks at 4 gives ``["ben", "ann"]``.
    """
    ordered = sorted(story.scenes, key=lambda s: s.char_start)
    starts = [s.char_start for s in ordered]
    appearances = sorted(
        [(q.char_start, q.speaker) for q in story.quotes if q.speaker is not None]
        + [(m.char_start, m.character) for m in story.mentions if m.character is not None]
    )
    present: dict[SceneId, dict[CharacterId, None]] = {s.id: {} for s in story.scenes}
    for position, character in appearances:
        index = bisect_right(starts, position) - 1
        if index >= 0 and position < ordered[index].char_end:
            present[ordered[index].id].setdefault(character)
    return {scene_id: list(characters) for scene_id, characters in present.items()}
