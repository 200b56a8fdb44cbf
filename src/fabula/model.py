"""The typed document model that flows one way through the pipeline, and its JSON form.

Every offset is a Python ``str`` index into ``SourceText.text``; ``char_end`` is excluded,
as in spaCy spans. Stages return these records; only ``pipeline.py`` assembles a ``Story``.

``Story.to_dict`` is the versioned JSON contract (``SCHEMA``): docs/json-format.md documents
every field; a change that renames, removes or re-types a field bumps ``SCHEMA``. Offsets are
Python ``str`` indices into ``"text"``, end excluded, so a consumer in another language must
index by code point, not by UTF-8 or UTF-16 unit.
"""

from __future__ import annotations

import json
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, NewType

from fabula.errors import ConfigError

CharacterId = NewType("CharacterId", str)
QuoteId = NewType("QuoteId", str)
SceneId = NewType("SceneId", str)

SCHEMA = "fabula.story/1"
# The pronouns a character's gender is written as; None when unknown.
GENDERS = ("he", "she", "they")
# The keys of a cast file's entries (``KnownCharacter.from_dict``).
CAST_KEYS = ("name", "aliases", "gender", "is_narrator")


class QuoteType(StrEnum):
    """How the speaker of a quotation is signalled (PDNC's three types)."""

    EXPLICIT = "explicit"  # the speaker is named in the tag or beat
    ANAPHORIC = "anaphoric"  # a pronoun or description in the tag
    IMPLICIT = "implicit"  # no tag: the reader infers the speaker


class MentionKind(StrEnum):
    NAME = "name"
    PRONOUN = "pronoun"
    NOMINAL = "nominal"


@dataclass(frozen=True, slots=True)
class Chapter:
    """A chapter of a work read from HTML, EPUB or Markdown: the span of its body (its title
    line, when the text has one, is the paragraph just before). Chapters start scenes."""

    title: str | None
    char_start: int
    char_end: int


@dataclass(frozen=True, slots=True)
class Work:
    """What an archive download or an e-book says about itself, beside the story's text.

    ``characters`` are the author's character tags: fabula takes them as the known cast.
    """

    title: str | None = None
    authors: tuple[str, ...] = ()
    fandoms: tuple[str, ...] = ()
    relationships: tuple[str, ...] = ()
    characters: tuple[str, ...] = ()
    additional_tags: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    rating: str | None = None
    language: str | None = None
    words: int | None = None
    chapters: tuple[Chapter, ...] = ()


@dataclass(frozen=True, slots=True)
class SourceText:
    """Decoded, normalised text and what reading had to change to get it."""

    text: str
    encoding: str = "utf-8"
    notes: tuple[str, ...] = ()
    work: Work | None = None  # for formats that carry metadata (HTML, EPUB, Markdown)


@dataclass(frozen=True, slots=True)
class Paragraph:
    index: int
    char_start: int
    char_end: int


@dataclass(frozen=True, slots=True)
class Scene:
    id: SceneId
    char_start: int
    char_end: int
    heading: str | None = None  # e.g. "Chapter 3" when a heading opened the scene
    # Who is present: speakers and mentioned characters, by first appearance in the scene.
    characters: tuple[CharacterId, ...] = ()


@dataclass(frozen=True, slots=True)
class QuoteSpan:
    """One quotation as segmentation finds it: marks included, speaker unknown.

    ``continues`` links the second part of a quotation interrupted by a tag
    ("Wait," she said, "for me.") to the first part's index in the tuple of spans.
    """

    char_start: int
    char_end: int
    paragraph_index: int
    closed: bool = True  # False when the paragraph ended before the closing mark
    continues: int | None = None


@dataclass(frozen=True, slots=True)
class Token:
    """One word as the parse stage sees it, with book offsets."""

    index: int  # position in Parse.tokens
    char_start: int
    char_end: int
    text: str
    pos: str
    tag: str
    dep: str
    head: int  # index of the syntactic head in Parse.tokens (itself for a root)
    sentence: int  # index into Parse.sentences
    in_quote: int | None  # index into the quote spans, or None for narration


@dataclass(frozen=True, slots=True)
class Sentence:
    index: int
    token_start: int
    token_end: int
    paragraph_index: int


@dataclass(frozen=True, slots=True)
class Parse:
    """Tokens and sentences of the whole text, in order."""

    tokens: tuple[Token, ...]
    sentences: tuple[Sentence, ...]
    paragraph_token_starts: tuple[int, ...]  # first token of each paragraph


@dataclass(frozen=True, slots=True, eq=False)
class TokenTable:
    """Every token of the whole text, compactly, for exports that index by token (BookNLP);
    kept only when asked for (``Settings.keep_tokens``): a long work has millions of tokens.

    Token ``i`` spans ``char_starts[i]:char_ends[i]``, hangs from token ``heads[i]`` (itself
    for a root), lies in sentence ``sentences[i]`` and has the tags ``labels[label_ids[i]]``
    (coarse POS, fine tag, dependency). Sentence ``s`` starts at token ``sentence_starts[s]``
    in paragraph ``sentence_paragraphs[s]``.
    """

    char_starts: array
    char_ends: array
    heads: array
    sentences: array
    label_ids: array
    labels: tuple[tuple[str, str, str], ...]
    sentence_starts: array
    sentence_paragraphs: array

    def __len__(self) -> int:
        return len(self.char_starts)

    def covering(self, char_start: int, char_end: int) -> tuple[int, int] | None:
        """First and last (inclusive) ids of the tokens overlapping ``[char_start, char_end)``,
        or None when the span holds no token (only whitespace).

        Tokens "Ann" (0-3), "said" (4-8): span 2-5 -> (0, 1); span 3-4 -> None.
        """
        first = bisect_right(self.char_ends, char_start)
        last = bisect_left(self.char_starts, char_end) - 1
        return (first, last) if first <= last else None


@dataclass(frozen=True, slots=True)
class Character:
    id: CharacterId
    name: str
    aliases: tuple[str, ...] = ()
    gender: str | None = None  # "he" / "she" / "they" / None when unknown
    is_narrator: bool = False
    mention_count: int = 0
    quote_count: int = 0


@dataclass(frozen=True, slots=True)
class KnownCharacter:
    """A cast member given by the user (``--cast``): anchors detection.

    Checked when made, since users make them: ``KnownCharacter("Ann", aliases="Annie")`` raises
    a ``ConfigError`` that asks for ``aliases=("Annie",)``; a list of aliases becomes a tuple.
    """

    name: str
    aliases: tuple[str, ...] = ()
    gender: str | None = None  # "he", "she", "they" or None
    is_narrator: bool = False  # the "I" of a first-person narration

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise ConfigError(
                f'KnownCharacter: name must be a non-empty str, like "Ann", not {self.name!r}'
            )
        where = f"KnownCharacter {self.name!r}"
        if isinstance(self.aliases, str | bytes) or not isinstance(self.aliases, tuple | list):
            raise ConfigError(
                f'{where}: aliases must be a tuple of names, like aliases=("Annie",),'
                f" not {self.aliases!r}"
            )
        if not all(isinstance(alias, str) and alias.strip() for alias in self.aliases):
            raise ConfigError(f"{where}: each alias must be a non-empty str: {self.aliases!r}")
        object.__setattr__(self, "aliases", tuple(self.aliases))
        if self.gender is not None and self.gender not in GENDERS:
            raise ConfigError(
                f'{where}: gender must be "he", "she", "they" or None, not {self.gender!r}'
            )
        if not isinstance(self.is_narrator, bool):
            raise ConfigError(
                f"{where}: is_narrator must be True or False, not {self.is_narrator!r}"
            )

    @classmethod
    def from_dict(cls, entry: Mapping[str, Any]) -> KnownCharacter:
        """One entry of a cast file: ``{"name": "Ann", "aliases": ["Annie"], "gender": "she",
        "is_narrator": false}``; only ``name`` is required, surrounding spaces are dropped and
        any other key is refused (a typo such as "alias" would otherwise be lost)."""
        unknown = sorted(set(entry) - set(CAST_KEYS), key=str)
        if unknown:
            raise ConfigError(f"unknown key {unknown[0]!r} (allowed: {', '.join(CAST_KEYS)})")
        name = entry.get("name")
        if not isinstance(name, str) or not name.strip():
            raise ConfigError('"name" must be a non-empty string')
        aliases = entry.get("aliases", [])
        if not isinstance(aliases, list | tuple) or not all(
            isinstance(a, str) and a.strip() for a in aliases
        ):
            raise ConfigError('"aliases" must be a list of non-empty strings')
        gender = entry.get("gender")
        if gender is not None and gender not in GENDERS:
            raise ConfigError('"gender" must be "he", "she", "they" or null')
        is_narrator = entry.get("is_narrator", False)
        if not isinstance(is_narrator, bool):
            raise ConfigError('"is_narrator" must be true or false')
        return cls(name.strip(), tuple(a.strip() for a in aliases), gender, is_narrator)


@dataclass(frozen=True, slots=True)
class Mention:
    char_start: int
    char_end: int
    character: CharacterId | None
    kind: MentionKind
    text: str = ""


@dataclass(frozen=True, slots=True)
class Attribution:
    """The attribution stage's finding for one quotation."""

    speaker: CharacterId | None
    addressees: tuple[CharacterId, ...] = ()
    type: QuoteType = QuoteType.IMPLICIT
    confidence: float = 0.0


@dataclass(frozen=True, slots=True)
class Quote:
    id: QuoteId
    char_start: int
    char_end: int
    speaker: CharacterId | None
    addressees: tuple[CharacterId, ...]
    type: QuoteType
    confidence: float
    scene: SceneId | None
    continues: QuoteId | None = None
    sentiment: float = 0.0  # VADER's compound score of the words: -1 hostile ... +1 warm


@dataclass(frozen=True, slots=True)
class Feeling:
    """The mean sentiment of some quotations, and how many there were."""

    mean: float
    quotes: int


@dataclass(frozen=True, slots=True)
class SceneSentiment:
    """How each character speaks, and speaks to each other one, in one scene: the points of
    the story's arcs."""

    scene: SceneId
    speakers: tuple[tuple[CharacterId, Feeling], ...]  # in order of first quotation
    relationships: tuple[tuple[CharacterId, CharacterId, Feeling], ...]  # (speaker, addressee)


@dataclass(frozen=True, slots=True)
class Entity:
    """A place, facility, organisation or vehicle the story mentions (people are the cast):
    LitBank's categories LOC, FAC, GPE, ORG, VEH; ``kind`` is PROP (a name) or NOM."""

    char_start: int
    char_end: int
    category: str
    kind: str
    scene: SceneId | None = None


@dataclass(frozen=True, slots=True)
class Event:
    """A realis event: the word of something depicted as actually happening ("slammed")."""

    char_start: int
    char_end: int
    scene: SceneId | None = None


@dataclass(frozen=True, slots=True)
class ProfileWord:
    """One word of a character profile: how often, and where (up to a few offsets)."""

    word: str
    count: int
    examples: tuple[int, ...]  # char_start of the character's mention in a few occurrences


@dataclass(frozen=True, slots=True)
class Profile:
    """What a character does, undergoes, has and is called, from the parse of their mentions.

    ``pronouns`` counts the pronouns linked to them by kind ("he", "she", "they", "other": "I",
    "you"), the evidence behind ``Character.gender``.
    """

    character: CharacterId
    agent: tuple[ProfileWord, ...] = ()  # verbs they are the subject of ("hug")
    patient: tuple[ProfileWord, ...] = ()  # verbs they are the object of
    possessions: tuple[ProfileWord, ...] = ()  # "her sword" → "sword"
    modifiers: tuple[ProfileWord, ...] = ()  # "the old man", "Mara was tall"
    pronouns: tuple[tuple[str, int], ...] = ()
    first_mention: int | None = None  # char_start of the first mention or quotation
    last_mention: int | None = None
    scenes: tuple[SceneId, ...] = ()


@dataclass(frozen=True, slots=True)
class Story:
    """The result of ``fabula.analyze``: everything recovered from one text."""

    text: str
    paragraphs: tuple[Paragraph, ...]
    scenes: tuple[Scene, ...]
    quotes: tuple[Quote, ...]
    characters: tuple[Character, ...]
    mentions: tuple[Mention, ...]
    diagnostics: tuple[str, ...] = field(default=())
    work: Work | None = None
    scene_sentiments: tuple[SceneSentiment, ...] = ()
    profiles: tuple[Profile, ...] = ()  # one per character, in the characters' order
    entities: tuple[Entity, ...] = ()
    events: tuple[Event, ...] = ()
    tokens: TokenTable | None = None  # only with Settings.keep_tokens; not in the JSON

    def character(self, character_id: CharacterId | None) -> Character | None:
        return next((c for c in self.characters if c.id == character_id), None)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (only str, int, float, bool, None, list, dict): the JSON
        contract. Each quotation also carries its ``text`` (marks included)."""
        return _story_to_dict(self)

    def to_json(self, *, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)


# -- the JSON form ---------------------------------------------------------------------

CONFIDENCE_DIGITS = 3


def _story_to_dict(story: Story) -> dict[str, Any]:
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
                "characters": list(s.characters),
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
