"""Runs the stages in order and assembles their findings into a ``Story``.

read → segment → parse → cast → coreference → attribution → analysis. Each stage returns
findings; this module is the only one that attaches them to the document.
"""

from __future__ import annotations

from collections.abc import Sequence

from fabula.analysis.counts import count_characters
from fabula.attribution.addressees import find_addressees
from fabula.attribution.speakers import CandidateSink, attribute_speakers
from fabula.cast.names import find_cast
from fabula.cast.tags import known_cast_from_tags
from fabula.coreference.pronouns import resolve_pronouns
from fabula.language.analyse import Progress, parse_text
from fabula.model import (
    KnownCharacter,
    Quote,
    QuoteId,
    SceneId,
    SourceText,
    Story,
)
from fabula.nlp import load_speaker_ranker
from fabula.segmentation.paragraphs import find_paragraphs
from fabula.segmentation.quotes import find_quotes
from fabula.segmentation.scenes import find_scenes
from fabula.settings import DEFAULT_SETTINGS, Settings


def analyze(
    text: str,
    cast: Sequence[KnownCharacter] | None = None,
    *,
    settings: Settings = DEFAULT_SETTINGS,
) -> Story:
    """Analyse one story given as a string (already decoded)."""
    return analyze_source(SourceText(text=text), cast, settings=settings)


def analyze_source(
    source: SourceText,
    cast: Sequence[KnownCharacter] | None = None,
    *,
    settings: Settings = DEFAULT_SETTINGS,
    speaker_candidates: CandidateSink | None = None,
    progress: Progress | None = None,
) -> Story:
    """Analyse a read source; reading notes become the story's first diagnostics.

    ``speaker_candidates`` sees the speaker ranker's candidates (for training it);
    ``progress(done, total)`` hears how far the parse, the long part, has got.
    """
    text = source.text
    paragraphs = find_paragraphs(text)
    chapters = source.work.chapters if source.work is not None else ()
    scenes = find_scenes(text, paragraphs, chapters)
    quote_spans, quote_notes = find_quotes(text, paragraphs)
    parse = parse_text(text, paragraphs, quote_spans, settings=settings, progress=progress)
    # A cast the user gives wins over the work's own character tags.
    known_cast = tuple(cast or ()) or known_cast_from_tags(source.work)
    found_cast = find_cast(text, parse, quote_spans, known_cast=known_cast)
    pronoun_mentions = resolve_pronouns(text, parse, quote_spans, found_cast)
    mentions = tuple(
        sorted(found_cast.mentions + pronoun_mentions, key=lambda m: (m.char_start, m.char_end))
    )
    ranker = load_speaker_ranker(settings.speaker_ranker) if settings.speaker_ranker else None
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
    attributions = find_addressees(text, parse, quote_spans, scenes, found_cast, attributions)

    quote_ids = [QuoteId(f"q{i}") for i in range(len(quote_spans))]
    quotes = tuple(
        Quote(
            id=quote_ids[i],
            char_start=span.char_start,
            char_end=span.char_end,
            speaker=found.speaker,
            addressees=found.addressees,
            type=found.type,
            confidence=found.confidence,
            scene=_scene_at(scenes, span.char_start),
            continues=quote_ids[span.continues] if span.continues is not None else None,
        )
        for i, (span, found) in enumerate(zip(quote_spans, attributions, strict=True))
    )
    characters = count_characters(found_cast.characters, mentions, quotes)
    return Story(
        text=text,
        paragraphs=paragraphs,
        scenes=scenes,
        quotes=quotes,
        characters=characters,
        mentions=mentions,
        diagnostics=source.notes + quote_notes,
        work=source.work,
    )


def _scene_at(scenes, char_start: int) -> SceneId | None:
    for scene in scenes:
        if scene.char_start <= char_start < scene.char_end:
            return scene.id
    return None
