"""Attribution stage: the speaker of every quotation.

Three layers, most reliable first:
1. tags (``tags.py``): the subject of a speech verb in the narration next to the quotation, in
   any position ("Mara said", "said Mara", "she asked", "said his wife"), then action beats
   ("Theo grinned.");
2. turn structure (``turns.py``): quotations in one paragraph share a speaker unless a tag
   says otherwise, and untagged turns in a run of dialogue alternate between the two people
   talking, anchored by the tagged turns around them and steered by vocatives ("Yes, Papa");
3. the ranker (``candidates.py``, ``decoding.py``): a learned model re-decides every turn no
   name tag fixes, from the candidates and features of the conversation around it, and each
   run of dialogue is decoded jointly.
"""

from __future__ import annotations

from fabula.attribution.candidates import Ranking, SpeechStyles
from fabula.attribution.context import SpeakerContext
from fabula.attribution.decoding import CandidateSink, rerank_runs
from fabula.attribution.evidence import FIXED_EVIDENCE, NO_GUESS, Evidence, Guess
from fabula.attribution.ranker import SpeakerRanker
from fabula.attribution.tags import PassState, TagReader
from fabula.attribution.turns import (
    Turn,
    fill_run,
    group_turns,
    resolve_descriptions,
    split_runs,
    turn_evidence,
)
from fabula.cast.names import Cast
from fabula.model import Attribution, Mention, Parse, QuoteSpan, QuoteType, Scene
from fabula.stages import stage

# Confidence is reported to this many decimals.
CONFIDENCE_DECIMALS = 3

__all__ = ["CandidateSink", "attribute_speakers"]


@stage(
    requires={"parse", "quotes", "scenes", "characters", "vocatives", "narrator"}
    | {"name_mentions", "pronoun_mentions"},
    produces={"speakers"},
)
def attribute_speakers(
    parse: Parse,
    quote_spans: tuple[QuoteSpan, ...],
    scenes: tuple[Scene, ...],
    cast: Cast,
    mentions: tuple[Mention, ...],
    *,
    ranker: SpeakerRanker | None = None,
    on_candidates: CandidateSink | None = None,
) -> tuple[Attribution, ...]:
    """Attribute each quotation to a character (or ``None`` when nothing supports a guess).

    ``ranker`` re-decides the turns no name tag fixes; ``on_candidates`` receives each such
    turn's quotation indices and candidates (the training script collects them).
    """
    if not quote_spans:
        return ()
    context = SpeakerContext.build(parse, quote_spans, cast, mentions, scenes)
    first = PassState()
    guesses, turns, runs = _rule_pass(context, scenes, first)
    notes = first.notes
    described = resolve_descriptions(turns, context, first, guesses)
    if described:
        # Second pass: the described speakers now anchor the turn-taking around them.
        second = PassState(described=described)
        guesses, turns, runs = _rule_pass(context, scenes, second)
        notes = notes.updated_by(second.notes)
    if ranker is not None or on_candidates is not None:
        style = SpeechStyles(
            context,
            (
                (turn.speaker, turn.quotes)
                for run in runs
                for turn in run
                if turn.speaker is not None and turn_evidence(turn, guesses) in FIXED_EVIDENCE
            ),
        )
        ranking = Ranking(context, notes, described, guesses, style)
        rerank_runs(runs, ranking, ranker, on_candidates)
    return tuple(
        _attribution(turn, guesses[quote_index]) for turn in turns for quote_index in turn.quotes
    )


def _rule_pass(
    context: SpeakerContext, scenes: tuple[Scene, ...], state: PassState
) -> tuple[list[Guess], list[Turn], list[list[Turn]]]:
    """Tags and turn-taking over every run of dialogue, once."""
    guesses = [NO_GUESS] * len(context.quote_spans)
    turns = group_turns(context.quote_spans, context)
    runs = list(split_runs(turns, context, scenes))
    reader = TagReader(context, state)
    for run in runs:
        fill_run(run, reader, guesses)
    return guesses, turns, runs


def _attribution(turn: Turn, guess: Guess) -> Attribution:
    """A quotation's own tag, else its turn's speaker; the ranker's probability, when it
    decided the turn, else the evidence's confidence."""
    speaker, evidence, quote_type = guess.speaker, guess.evidence, guess.type
    if speaker is None:
        speaker, evidence = turn.speaker, turn.evidence
        quote_type = turn.type if evidence == Evidence.PARAGRAPH else QuoteType.IMPLICIT
    confidence = evidence.confidence if evidence is not None else 0.0
    if turn.confidence is not None:
        confidence = turn.confidence
    return Attribution(
        speaker=speaker,
        type=quote_type,
        confidence=round(confidence, CONFIDENCE_DECIMALS) if speaker else 0.0,
    )
