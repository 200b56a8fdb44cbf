"""Turn structure: paragraphs of dialogue as turns, runs of turns, and the rules' speakers.

1. the paragraph: quotations in one paragraph share a speaker unless a tag says otherwise;
2. conversation: untagged turns in a run of dialogue alternate between the two people talking,
   anchored by the tagged turns before and after, and steered by vocatives ("Yes, Papa").
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from fabula.attribution.context import SpeakerContext
from fabula.attribution.evidence import Evidence, Guess
from fabula.attribution.tags import PassState, TagReader
from fabula.model import CharacterId, QuoteSpan, QuoteType, Scene

# A gap of more paragraphs than this between two turns ends a run of dialogue...
RUN_BREAK_PARAGRAPHS = 4
# ... and so does narration longer than this (in words) between them.
RUN_BREAK_WORDS = 80
# How many turns back alternation looks for the other party of a conversation.
MAX_ALTERNATION_REACH = 6
# Alternation read backwards from a later anchor must be this many turns closer to win:
# a tagged line after an untagged stretch is often a third person joining in.
BACKWARD_HANDICAP = 2
# An alternation guess's distance from any anchor: none found, and one only guessed.
NO_ANCHOR = 99
GUESSED_ANCHOR = 50
# How many paragraphs of narration back the last resort looks for a named character.
SALIENCE_PARAGRAPHS = 6
# A description ("her father") seen this often is resolved to whom it usually means.
MIN_DESCRIPTION_VOTES = 2

Alternation = tuple[CharacterId | None, int]  # a speaker and its distance from an anchor


@dataclass(slots=True)
class Turn:
    """One paragraph of dialogue: its quotes and what its narration says about the speaker."""

    paragraph: int
    last_paragraph: int  # a speech over several paragraphs ends here
    quotes: list[int]
    speaker: CharacterId | None = None
    evidence: Evidence | None = None
    type: QuoteType = QuoteType.IMPLICIT
    vocatives: tuple[CharacterId, ...] = ()
    confidence: float | None = None  # the ranker's probability, when it decided the turn


def group_turns(quote_spans: tuple[QuoteSpan, ...], context: SpeakerContext) -> list[Turn]:
    """Group quotations by paragraph: one paragraph of dialogue is one turn.

    A speech running on over several paragraphs (each reopening the quotation) is one turn:
    its speaker does not alternate with anyone.
    """
    turns: list[Turn] = []
    for paragraph, quote_indices in sorted(context.paragraph_quotes.items()):
        continued = quote_spans[quote_indices[0]].continues
        if (
            turns
            and continued is not None
            and quote_spans[continued].paragraph_index != paragraph
            and continued in turns[-1].quotes
        ):
            turn = turns[-1]
            turn.quotes = turn.quotes + quote_indices
            turn.last_paragraph = paragraph
        else:
            turn = Turn(paragraph=paragraph, last_paragraph=paragraph, quotes=quote_indices)
            turns.append(turn)
        vocatives = list(turn.vocatives)
        for i in quote_indices:
            vocatives.extend(v for v in context.cast.vocatives[i] if v not in vocatives)
        turn.vocatives = tuple(vocatives)
    return turns


def split_runs(
    turns: list[Turn], context: SpeakerContext, scenes: tuple[Scene, ...]
) -> Iterator[list[Turn]]:
    """Split the turns into runs of dialogue: a scene break or a long narration ends a run."""
    run: list[Turn] = []
    for turn in turns:
        if run and _breaks_run(run[-1].last_paragraph, turn.paragraph, context, scenes):
            yield run
            run = []
        run.append(turn)
    if run:
        yield run


def _breaks_run(
    previous: int, current: int, context: SpeakerContext, scenes: tuple[Scene, ...]
) -> bool:
    if current - previous > RUN_BREAK_PARAGRAPHS:
        return True
    words = 0
    for paragraph in range(previous + 1, current):
        words += len(context.paragraph_tokens(paragraph))
    if words > RUN_BREAK_WORDS:
        return True
    tokens = context.tokens
    start = tokens[context.paragraph_tokens(previous).start].char_start
    end = tokens[context.paragraph_tokens(current).start].char_start
    return any(start < scene.char_start <= end for scene in scenes)


def turn_evidence(turn: Turn, guesses: list[Guess]) -> Evidence | None:
    """The tag evidence behind a turn (its first tagged quote), else how it was guessed."""
    for quote_index in turn.quotes:
        if guesses[quote_index].speaker is not None:
            return guesses[quote_index].evidence
    return turn.evidence


def _tag_turn(turn: Turn, reader: TagReader, guesses: list[Guess]) -> None:
    """Read the tags of a turn's quotations; a tagged quote speaks for the untagged ones."""
    quote_spans = reader.context.quote_spans
    for quote_index in turn.quotes:
        first = quote_spans[quote_index].continues
        if first is not None and guesses[first].speaker is not None:
            guesses[quote_index] = guesses[first]
            continue
        guesses[quote_index] = reader.tag_speaker(quote_index)
        if first is not None and guesses[quote_index].speaker is not None:
            guesses[first] = guesses[quote_index]
    tagged = [guesses[i] for i in turn.quotes if guesses[i].speaker is not None]
    if tagged:
        turn.speaker, turn.type = tagged[0].speaker, tagged[0].type
        turn.evidence = Evidence.PARAGRAPH


def fill_run(run: list[Turn], reader: TagReader, guesses: list[Guess]) -> None:
    """Speakers of a run of dialogue: tags first, then alternation between anchors.

    Forward, each turn's tags are read knowing who spoke before it (so "she said" can mean
    the other woman in the conversation); untagged turns take the alternating speaker. Then
    backward, untagged turns nearer to a later anchor take that anchor's alternation instead.
    """
    state = reader.state
    count = len(run)
    known: list[CharacterId | None] = [None] * count
    forward: list[Alternation] = [(None, NO_ANCHOR)] * count
    state.run_speakers = []
    for position, turn in enumerate(run):
        _tag_turn(turn, reader, guesses)
        known[position] = turn.speaker
        if turn.speaker is None:
            forward[position] = _alternate(run, known, forward, position, -1)
        state.run_speakers.append(turn.speaker or forward[position][0])
    backward: list[Alternation] = [(None, NO_ANCHOR)] * count
    for position in range(count - 1, -1, -1):
        if known[position] is None:
            backward[position] = _alternate(run, known, backward, position, +1)
    final: list[Alternation] = []
    for position, turn in enumerate(run):
        if turn.speaker is not None:
            final.append((turn.speaker, 0))
            continue
        (f_speaker, f_distance), (b_speaker, b_distance) = forward[position], backward[position]
        speaker = f_speaker if f_distance <= b_distance + BACKWARD_HANDICAP else b_speaker
        final.append((speaker or f_speaker or b_speaker, GUESSED_ANCHOR))
    _settle_open_turns(run, final, reader.context, state)


def _settle_open_turns(
    run: list[Turn], final: list[Alternation], context: SpeakerContext, state: PassState
) -> None:
    """Turns still open follow the ones just decided, so one guess carries the alternation."""
    decided = [speaker for speaker, _ in final]
    for position, turn in enumerate(run):
        if turn.speaker is not None:
            state.speakers_so_far.append(turn.speaker)
            continue
        evidence = Evidence.ALTERNATION
        speaker = decided[position]
        if speaker is None:
            speaker, _ = _alternate(run, decided, final, position, -1)
        if speaker is None:
            speaker = _salient_other(run, position, context)
            evidence = Evidence.SALIENCE
        decided[position] = speaker
        final[position] = (speaker, GUESSED_ANCHOR)
        turn.speaker, turn.evidence = speaker, evidence if speaker else None
        if speaker is not None:
            state.speakers_so_far.append(speaker)


def _alternate(
    run: list[Turn],
    known: list[CharacterId | None],
    guesses: list[Alternation],
    position: int,
    step: int,
) -> Alternation:
    """Speaker of an untagged turn by alternation with its neighbours in one direction.

    With neighbours A (one turn away) and B (two away), the turn is B's; with only A, it is
    whoever A addressed by name. The distance to the nearest real anchor rides along.
    """

    def at(index: int) -> Alternation:
        if not 0 <= index < len(run):
            return None, NO_ANCHOR
        if known[index] is not None:
            return known[index], 0
        return guesses[index]

    one, one_distance = at(position + step)
    two, two_distance = at(position + 2 * step)
    if one is not None and two is None:
        # The other party may have last spoken further back: "A, ?, A" still means B.
        for reach in range(3, MAX_ALTERNATION_REACH + 1):
            other, other_distance = at(position + reach * step)
            if other is not None and other != one:
                two, two_distance = other, other_distance + reach
                break
    # A vocative naming the expected speaker contradicts it: people don't address themselves.
    if one is not None and two is not None and one != two and two not in run[position].vocatives:
        return two, min(one_distance, two_distance) + 1
    if one is not None:
        neighbour = run[position + step]
        for addressee in neighbour.vocatives:
            if addressee != one:
                return addressee, one_distance + 1
    return None, NO_ANCHOR


def _salient_other(run: list[Turn], position: int, context: SpeakerContext) -> CharacterId | None:
    """Last resort: the most recently named character who did not speak the previous turn."""
    previous = run[position - 1].speaker if position > 0 else None
    paragraph = run[position].paragraph
    for owner in context.recent_names(paragraph + 1, SALIENCE_PARAGRAPHS):
        if owner != previous and owner not in run[position].vocatives:
            return owner
    return None


def resolve_descriptions(
    turns: list[Turn], context: SpeakerContext, state: PassState, guesses: list[Guess]
) -> dict[int, CharacterId]:
    """Tags like "said her father": the character the conversation implies most often.

    Each such turn first got a speaker by turn-taking alone; the description then goes to the
    character those guesses agree on across the text, which is usually one person per novel.
    """
    nominals = state.notes.nominals
    votes: dict[str, Counter[CharacterId]] = {}
    described: list[tuple[Turn, int]] = []
    for turn in turns:
        for quote_index in turn.quotes:
            if quote_index in nominals and guesses[quote_index].speaker is None:
                nominal = nominals[quote_index]
                described.append((turn, quote_index))
                if turn.speaker is not None and context.genders.get(turn.speaker) in (
                    nominal.gender,
                    None,
                ):
                    votes.setdefault(nominal.phrase, Counter())[turn.speaker] += 1
    speakers: dict[int, CharacterId] = {}
    for turn, quote_index in described:
        nominal = nominals[quote_index]
        ranked = votes.get(nominal.phrase, Counter()).most_common(1)
        if ranked and ranked[0][1] >= MIN_DESCRIPTION_VOTES:
            speaker = ranked[0][0]
        elif turn.speaker is not None and context.genders.get(turn.speaker) in (
            nominal.gender,
            None,
        ):
            speaker = turn.speaker
        else:
            speaker = nominal.fallback
        if speaker is not None:
            speakers[quote_index] = speaker
    return speakers
