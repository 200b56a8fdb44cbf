"""Runs the stages in order and assembles their findings into a ``Story``.

read → segment → parse → cast → coreference → attribution → analysis. Each stage returns
findings; this module is the only one that attaches them to the document. ``STAGES`` lists
the stage functions in the order they run; their contracts (``fabula.stages``) are checked
before a text is read.
"""

from __future__ import annotations

import functools
from bisect import bisect_left
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from fabula.analysis.counts import count_characters
from fabula.analysis.diagnostics import check_evidence
from fabula.analysis.events import tag_events
from fabula.analysis.presence import scene_presence
from fabula.analysis.profiles import ProfileCounts, build_profiles, collect_profile_words
from fabula.analysis.sentiment import scene_sentiments, score_quotes
from fabula.arguments import checked_cast, checked_settings, story_source
from fabula.attribution.addressees import find_addressees
from fabula.attribution.confidence import calibrate_confidences
from fabula.attribution.conversation import Conversation
from fabula.attribution.scorer import Candidate
from fabula.attribution.speakers import attribute_speakers
from fabula.cast.merge import merge_window_casts
from fabula.cast.names import find_cast
from fabula.cast.tags import known_cast_from_tags
from fabula.coreference.descriptions import describe_people
from fabula.coreference.pronouns import resolve_pronouns, resolve_quoted_pronouns
from fabula.language.analyse import Progress, parse_text
from fabula.language.entities import EntityCategory, find_entities
from fabula.language.tokens import compact_tokens, join_token_tables
from fabula.model import (
    Attribution,
    Character,
    Entity,
    Event,
    KnownCharacter,
    Mention,
    Paragraph,
    Quote,
    QuoteId,
    QuoteSpan,
    Scene,
    SourceText,
    Story,
    TokenTable,
)
from fabula.models import Models, load_models
from fabula.segmentation.paragraphs import find_paragraphs
from fabula.segmentation.quotes import find_quotes
from fabula.segmentation.scenes import find_scenes, scenes_containing
from fabula.segmentation.windows import find_windows
from fabula.settings import DEFAULT_SETTINGS, Settings
from fabula.stages import check_order

# The stage functions in the order ``Pipeline.run`` calls them (a test traces a run to hold
# this list to the truth); the window stages, parse to events, run once per window.
STAGES = (
    find_paragraphs,
    find_scenes,
    find_quotes,
    known_cast_from_tags,
    parse_text,
    find_cast,
    resolve_pronouns,
    attribute_speakers,
    find_addressees,
    find_entities,
    resolve_quoted_pronouns,
    describe_people,
    count_characters,
    tag_events,
    collect_profile_words,
    calibrate_confidences,
    score_quotes,
    scene_presence,
    scene_sentiments,
    build_profiles,
    check_evidence,
)
# What a run starts from: the source's text and what reading found beside it.
GIVEN = frozenset({"text", "work", "chapters"})


class Observer:
    """Sees what the learned models choose among, for the training scripts; a subclass
    overrides what it wants to collect. Observing never changes the result."""

    def speaker_candidates(self, quote_indices: list[int], candidates: list[Candidate]) -> None:
        """Each turn the speaker ranker re-decides: its quotations and candidates."""

    def addressee_candidates(self, quote_index: int, candidates: list[Candidate]) -> None:
        """Each attributed quotation's addressee candidates."""


def analyze(
    text: str | bytes,
    cast: Sequence[KnownCharacter | Mapping[str, Any]] | None = None,
    *,
    settings: Settings = DEFAULT_SETTINGS,
) -> Story:
    """Analyse one story: a ``str``, or ``bytes`` decoded as ``fabula analyze`` decodes a file.

    ``cast`` lists ``KnownCharacter``s, or dicts with their keys; a wrong argument raises a
    ``FabulaError`` that says what to pass (see ``arguments.py``).
    """
    source = story_source(text)
    return analyze_source(source, checked_cast(cast), settings=checked_settings(settings))


def analyze_source(
    source: SourceText,
    cast: Sequence[KnownCharacter] | None = None,
    *,
    settings: Settings = DEFAULT_SETTINGS,
    quote_spans: tuple[QuoteSpan, ...] | None = None,
    progress: Progress | None = None,
) -> Story:
    """Analyse a read source; reading notes become the story's first diagnostics.

    ``quote_spans`` are quotations found by someone else (gold spans, for evaluation) instead
    of fabula's own; ``progress(done, total)`` hears how far the parse, the long part, has got.
    """
    pipeline = Pipeline(settings, load_models(settings))
    return pipeline.run(source, cast, quote_spans=quote_spans, progress=progress)


@functools.cache
def _check_stages() -> None:
    check_order(STAGES, GIVEN)


@dataclass(frozen=True, slots=True)
class _Segments:
    """What segmentation finds over the whole text, before any window is parsed."""

    paragraphs: tuple[Paragraph, ...]
    scenes: tuple[Scene, ...]
    quote_spans: tuple[QuoteSpan, ...]
    notes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Pipeline:
    """One configuration of the stages: settings, the loaded models, and who observes.

    A text longer than ``settings.window_chars`` is parsed, cast and attributed a window at a
    time (``segmentation/windows.py``), so memory stays bounded; the windows' casts are then
    merged into one.
    """

    settings: Settings
    models: Models
    observer: Observer | None = None

    def run(
        self,
        source: SourceText,
        cast: Sequence[KnownCharacter] | None = None,
        *,
        quote_spans: tuple[QuoteSpan, ...] | None = None,
        progress: Progress | None = None,
    ) -> Story:
        _check_stages()
        text = source.text
        segments = _segment(source, quote_spans)
        # A cast the user gives wins over the work's own character tags.
        known_cast = tuple(cast or ()) or known_cast_from_tags(source.work)
        windows = [
            self._analyze_window(
                text, _Window.of(window, segments), segments.scenes, known_cast, progress
            )
            for window in find_windows(
                segments.paragraphs, segments.scenes, self.settings.window_chars
            )
        ]
        if progress is not None:
            progress(len(text), len(text))
        joined = _join_windows(windows) if windows else _WindowFindings((), (), (), ProfileCounts())
        return check_evidence(self._assemble(source, segments, joined), known_cast)

    def _assemble(self, source: SourceText, segments: _Segments, joined: _WindowFindings) -> Story:
        """The story from the windows' joined findings: quotations with their scenes and
        sentiment, counts, profiles, and who is present in each scene."""
        text, scenes, spans = source.text, segments.scenes, segments.quote_spans
        mentions = joined.mentions
        attributions = calibrate_confidences(joined.attributions, self.models.confidence_map)
        quotes = _quotes(spans, attributions, scenes, score_quotes(text, spans))
        characters = count_characters(joined.characters, mentions, quotes)
        return Story(
            text=text,
            paragraphs=segments.paragraphs,
            scenes=scene_presence(scenes, quotes, mentions),
            quotes=quotes,
            characters=characters,
            mentions=mentions,
            diagnostics=source.notes + segments.notes,
            work=source.work,
            scene_sentiments=scene_sentiments(quotes),
            profiles=build_profiles(characters, joined.profile_words, mentions, quotes, scenes),
            entities=_in_scenes(joined.entities, scenes),
            events=_in_scenes(joined.events, scenes),
            tokens=joined.tokens,
        )

    def _analyze_window(
        self,
        text: str,
        window: _Window,
        scenes: tuple[Scene, ...],
        known_cast: tuple[KnownCharacter, ...],
        progress: Progress | None,
    ) -> _WindowFindings:
        """Parse, cast, coreference and attribution for one window; its parse is dropped after."""
        models, observer = self.models, self.observer
        quote_spans = window.quote_spans
        parse = parse_text(
            text, window.paragraphs, quote_spans, settings=self.settings, progress=progress
        )
        found_cast = find_cast(text, parse, quote_spans, known_cast=known_cast)
        mentions = _in_order(found_cast.mentions + resolve_pronouns(parse, found_cast))
        attributions = attribute_speakers(
            parse,
            quote_spans,
            scenes,
            found_cast,
            mentions,
            ranker=models.speaker_ranker,
            on_candidates=observer.speaker_candidates if observer is not None else None,
        )
        conversation = Conversation.of(
            text, window.paragraphs, quote_spans, scenes, found_cast, mentions, attributions
        )
        attributions = find_addressees(
            conversation,
            attributions,
            models.addressee_model,
            on_candidates=observer.addressee_candidates if observer is not None else None,
        )
        entity_spans = find_entities(parse, models.entity_tagger)
        mentions = _in_order(
            mentions
            + resolve_quoted_pronouns(parse, attributions, found_cast, mentions)
            + describe_people(text, entity_spans, found_cast, found_cast.mentions)
        )
        # Mention counts tell the cast merge who is major in this window.
        characters = count_characters(found_cast.characters, mentions, ())
        places = tuple(
            Entity(span.char_start, span.char_end, str(span.category), str(span.kind))
            for span in entity_spans
            if span.category != EntityCategory.PER
        )
        events = tuple(
            Event(parse.tokens[i].char_start, parse.tokens[i].char_end)
            for i in tag_events(parse, models.event_tagger)
        )
        profile_words = collect_profile_words(parse, mentions)
        tokens = (
            compact_tokens(parse, window.first_paragraph) if self.settings.keep_tokens else None
        )
        return _WindowFindings(
            characters, mentions, attributions, profile_words, places, events, tokens
        )


def _segment(source: SourceText, quote_spans: tuple[QuoteSpan, ...] | None) -> _Segments:
    """Paragraphs, scenes and quotations of the whole text (quotations given, or found)."""
    text = source.text
    paragraphs = find_paragraphs(text)
    chapters = source.work.chapters if source.work is not None else ()
    scenes = find_scenes(text, paragraphs, chapters)
    notes: tuple[str, ...] = ()
    if quote_spans is None:
        quote_spans, notes = find_quotes(text, paragraphs)
    return _Segments(paragraphs, scenes, quote_spans, notes)


def _quotes(
    spans: tuple[QuoteSpan, ...],
    attributions: tuple[Attribution, ...],
    scenes: tuple[Scene, ...],
    sentiments: tuple[float, ...],
) -> tuple[Quote, ...]:
    """Each quotation span with its attribution, scene and sentiment."""
    quote_ids = [QuoteId(f"q{i}") for i in range(len(spans))]
    where = scenes_containing(scenes, [span.char_start for span in spans])
    return tuple(
        Quote(
            id=quote_ids[i],
            char_start=span.char_start,
            char_end=span.char_end,
            speaker=found.speaker,
            addressees=found.addressees,
            type=found.type,
            confidence=found.confidence,
            scene=scene.id if scene is not None else None,
            continues=quote_ids[span.continues] if span.continues is not None else None,
            sentiment=sentiment,
        )
        for i, (span, found, scene, sentiment) in enumerate(
            zip(spans, attributions, where, sentiments, strict=True)
        )
    )


def _in_order(mentions: tuple[Mention, ...]) -> tuple[Mention, ...]:
    return tuple(sorted(mentions, key=lambda m: (m.char_start, m.char_end)))


_Located = TypeVar("_Located", Entity, Event)


def _in_scenes(found: tuple[_Located, ...], scenes: tuple[Scene, ...]) -> tuple[_Located, ...]:
    """Each entity or event with the scene it lies in."""
    where = scenes_containing(scenes, [item.char_start for item in found])
    return tuple(
        replace(item, scene=scene.id if scene is not None else None)
        for item, scene in zip(found, where, strict=True)
    )


@dataclass(frozen=True, slots=True)
class _Window:
    """A window's paragraphs and quotations, indexed from 0 as the stages expect; offsets
    stay those of the whole text."""

    paragraphs: tuple[Paragraph, ...]
    quote_spans: tuple[QuoteSpan, ...]
    first_paragraph: int = 0  # the index of the window's first paragraph in the whole text

    @classmethod
    def of(cls, window: range, segments: _Segments) -> _Window:
        paragraphs, quote_spans = segments.paragraphs, segments.quote_spans
        if len(window) == len(paragraphs):
            return cls(paragraphs, quote_spans)
        first_quote = bisect_left([q.paragraph_index for q in quote_spans], window.start)
        spans = [q for q in quote_spans[first_quote:] if q.paragraph_index < window.stop]
        window_paragraphs = paragraphs[window.start : window.stop]
        return cls(
            tuple(replace(p, index=p.index - window.start) for p in window_paragraphs),
            tuple(
                replace(
                    q,
                    paragraph_index=q.paragraph_index - window.start,
                    # A quotation can't continue one in the window before.
                    continues=(
                        q.continues - first_quote
                        if q.continues is not None and q.continues >= first_quote
                        else None
                    ),
                )
                for q in spans
            ),
            window.start,
        )


@dataclass(frozen=True, slots=True)
class _WindowFindings:
    characters: tuple[Character, ...]
    mentions: tuple[Mention, ...]
    attributions: tuple[Attribution, ...]
    profile_words: ProfileCounts
    entities: tuple[Entity, ...] = ()
    events: tuple[Event, ...] = ()
    tokens: TokenTable | None = None


def _join_windows(windows: list[_WindowFindings]) -> _WindowFindings:
    """The windows' findings as one text's: one cast, character ids mapped onto it."""
    if len(windows) == 1:
        return windows[0]
    characters, id_maps = merge_window_casts([w.characters for w in windows])
    mentions: list[Mention] = []
    attributions: list[Attribution] = []
    profile_words = ProfileCounts()
    for window, id_map in zip(windows, id_maps, strict=True):
        profile_words.merge(window.profile_words, id_map)
        mentions.extend(
            replace(m, character=id_map[m.character]) if m.character is not None else m
            for m in window.mentions
        )
        attributions.extend(
            replace(
                found,
                speaker=id_map[found.speaker] if found.speaker is not None else None,
                addressees=tuple(dict.fromkeys(id_map[a] for a in found.addressees)),
            )
            for found in window.attributions
        )
    return _WindowFindings(
        characters,
        tuple(mentions),
        tuple(attributions),
        profile_words,
        tuple(entity for window in windows for entity in window.entities),
        tuple(event for window in windows for event in window.events),
        join_token_tables([w.tokens for w in windows]) if windows[0].tokens is not None else None,
    )
