"""Runs the stages in order and assembles their findings into a ``Story``.

read → segment → parse → cast → coreference → attribution → analysis. Each stage returns
findings; this module is the only one that attaches them to the document.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from fabula.analysis.counts import count_characters
from fabula.analysis.entities import EntityCategory, find_entities
from fabula.analysis.events import tag_events
from fabula.analysis.profiles import ProfileCounts, build_profiles, collect_profile_words
from fabula.analysis.sentiment import scene_sentiments, score_quotes
from fabula.arguments import checked_cast, checked_settings, story_source
from fabula.attribution.addressees import (
    AddresseeModel,
    AddresseeSink,
    Conversation,
    find_addressees,
)
from fabula.attribution.ranker import SpeakerRanker
from fabula.attribution.speakers import CandidateSink, attribute_speakers
from fabula.cast.merge import merge_window_casts
from fabula.cast.names import find_cast
from fabula.cast.tags import known_cast_from_tags
from fabula.coreference.descriptions import describe_people
from fabula.coreference.pronouns import resolve_pronouns, resolve_quoted_pronouns
from fabula.diagnostics import check_evidence
from fabula.language.analyse import Progress, parse_text
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
)
from fabula.nlp import (
    load_addressee_model,
    load_confidence_map,
    load_entity_tagger,
    load_event_tagger,
    load_speaker_ranker,
)
from fabula.segmentation.paragraphs import find_paragraphs
from fabula.segmentation.quotes import find_quotes
from fabula.segmentation.scenes import find_scenes, scenes_containing
from fabula.segmentation.windows import find_windows
from fabula.settings import DEFAULT_SETTINGS, Settings


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
    speaker_candidates: CandidateSink | None = None,
    addressee_candidates: AddresseeSink | None = None,
    quote_spans: tuple[QuoteSpan, ...] | None = None,
    progress: Progress | None = None,
) -> Story:
    """Analyse a read source; reading notes become the story's first diagnostics.

    A text longer than ``settings.window_chars`` is parsed, cast and attributed a window at a
    time (``segmentation/windows.py``), so memory stays bounded; the windows' casts are then
    merged into one. ``speaker_candidates`` and ``addressee_candidates`` see the speaker
    ranker's and the addressee model's candidates (for training them). ``quote_spans`` are
    quotations found by someone else (gold spans, for evaluation) instead of fabula's own;
    ``progress(done, total)`` hears how far the parse, the long part, has got.
    """
    text = source.text
    paragraphs = find_paragraphs(text)
    chapters = source.work.chapters if source.work is not None else ()
    scenes = find_scenes(text, paragraphs, chapters)
    quote_notes: tuple[str, ...] = ()
    if quote_spans is None:
        quote_spans, quote_notes = find_quotes(text, paragraphs)
    # A cast the user gives wins over the work's own character tags.
    known_cast = tuple(cast or ()) or known_cast_from_tags(source.work)
    ranker = load_speaker_ranker(settings.speaker_ranker) if settings.speaker_ranker else None
    addressee_model = (
        load_addressee_model(settings.addressee_model) if settings.addressee_model else None
    )
    windows = [
        _analyze_window(
            text,
            _Window.of(window, paragraphs, quote_spans),
            scenes,
            known_cast,
            settings=settings,
            ranker=ranker,
            addressee_model=addressee_model,
            speaker_candidates=speaker_candidates,
            addressee_candidates=addressee_candidates,
            progress=progress,
        )
        for window in find_windows(paragraphs, scenes, settings.window_chars)
    ]
    if progress is not None:
        progress(len(text), len(text))
    joined = _join_windows(windows) if windows else _WindowFindings((), (), (), ProfileCounts())
    mentions, attributions = joined.mentions, joined.attributions

    sentiments = score_quotes(text, quote_spans)
    calibrate = load_confidence_map().apply if settings.calibrate_confidence else float
    quote_ids = [QuoteId(f"q{i}") for i in range(len(quote_spans))]
    quote_starts = [span.char_start for span in quote_spans]
    quotes = tuple(
        Quote(
            id=quote_ids[i],
            char_start=span.char_start,
            char_end=span.char_end,
            speaker=found.speaker,
            addressees=found.addressees,
            type=found.type,
            confidence=calibrate(found.confidence),
            scene=scene.id if scene is not None else None,
            continues=quote_ids[span.continues] if span.continues is not None else None,
            sentiment=sentiment,
        )
        for i, (span, found, scene, sentiment) in enumerate(
            zip(
                quote_spans,
                attributions,
                scenes_containing(scenes, quote_starts),
                sentiments,
                strict=True,
            )
        )
    )
    characters = count_characters(joined.characters, mentions, quotes)
    story = Story(
        text=text,
        paragraphs=paragraphs,
        scenes=scenes,
        quotes=quotes,
        characters=characters,
        mentions=mentions,
        diagnostics=source.notes + quote_notes,
        work=source.work,
        scene_sentiments=scene_sentiments(quotes),
        profiles=build_profiles(characters, joined.profile_words, mentions, quotes, scenes),
        entities=_in_scenes(joined.entities, scenes),
        events=_in_scenes(joined.events, scenes),
    )
    return check_evidence(story, known_cast)


def _in_scenes(found: tuple[_Located, ...], scenes: tuple[Scene, ...]) -> tuple[_Located, ...]:
    """Each entity or event with the scene it lies in."""
    where = scenes_containing(scenes, [item.char_start for item in found])
    return tuple(
        replace(item, scene=scene.id if scene is not None else None)
        for item, scene in zip(found, where, strict=True)
    )


_Located = TypeVar("_Located", Entity, Event)


@dataclass(frozen=True, slots=True)
class _Window:
    """A window's paragraphs and quotations, indexed from 0 as the stages expect; offsets
    stay those of the whole text."""

    paragraphs: tuple[Paragraph, ...]
    quote_spans: tuple[QuoteSpan, ...]

    @classmethod
    def of(
        cls, window: range, paragraphs: tuple[Paragraph, ...], quote_spans: tuple[QuoteSpan, ...]
    ) -> _Window:
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
        )


@dataclass(frozen=True, slots=True)
class _WindowFindings:
    characters: tuple[Character, ...]
    mentions: tuple[Mention, ...]
    attributions: tuple[Attribution, ...]
    profile_words: ProfileCounts
    entities: tuple[Entity, ...] = ()
    events: tuple[Event, ...] = ()


def _analyze_window(
    text: str,
    window: _Window,
    scenes: tuple[Scene, ...],
    known_cast: tuple[KnownCharacter, ...],
    *,
    settings: Settings,
    ranker: SpeakerRanker | None,
    addressee_model: AddresseeModel | None,
    speaker_candidates: CandidateSink | None,
    addressee_candidates: AddresseeSink | None,
    progress: Progress | None,
) -> _WindowFindings:
    """Parse, cast, coreference and attribution for one window; its parse is dropped after."""
    quote_spans = window.quote_spans
    parse = parse_text(text, window.paragraphs, quote_spans, settings=settings, progress=progress)
    found_cast = find_cast(text, parse, quote_spans, known_cast=known_cast)
    pronoun_mentions = resolve_pronouns(text, parse, quote_spans, found_cast)
    mentions = tuple(
        sorted(found_cast.mentions + pronoun_mentions, key=lambda m: (m.char_start, m.char_end))
    )
    attributions = attribute_speakers(
        text,
        parse,
        quote_spans,
        scenes,
        found_cast,
        mentions,
        ranker=ranker,
        on_candidates=speaker_candidates,
    )
    conversation = Conversation.of(
        text, window.paragraphs, quote_spans, scenes, found_cast, mentions, attributions
    )
    attributions = find_addressees(
        conversation, attributions, addressee_model, on_candidates=addressee_candidates
    )
    entity_spans = find_entities(parse, load_entity_tagger(settings.entity_tagger))
    mentions = tuple(
        sorted(
            mentions
            + resolve_quoted_pronouns(parse, attributions, found_cast, mentions)
            + describe_people(text, entity_spans, found_cast, found_cast.mentions),
            key=lambda m: (m.char_start, m.char_end),
        )
    )
    # Mention counts tell the cast merge who is major in this window.
    characters = count_characters(found_cast.characters, mentions, ())
    profile_words = collect_profile_words(parse, mentions)
    places = tuple(
        Entity(span.char_start, span.char_end, str(span.category), str(span.kind))
        for span in entity_spans
        if span.category != EntityCategory.PER
    )
    events = tuple(
        Event(parse.tokens[i].char_start, parse.tokens[i].char_end)
        for i in tag_events(parse, load_event_tagger())
    )
    return _WindowFindings(characters, mentions, attributions, profile_words, places, events)


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
    )
