"""Candidates and features: who might have spoken a turn, and what speaks for each of them.

The pool is everyone the conversation around a turn makes plausible: the speakers of the
turns around it, the people its neighbours address, the names in its narration and the
narration before it, the narrator, the speakers of the runs before. Each candidate gets the
features the ranker (``ranker.FEATURES``) scores.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from fabula.attribution.context import FIRST_PERSON_WORDS, SpeakerContext
from fabula.attribution.evidence import Evidence, Guess
from fabula.attribution.ranker import feature_vector
from fabula.attribution.scorer import Candidate
from fabula.attribution.tags import TagNotes
from fabula.attribution.turns import Turn, turn_evidence
from fabula.model import CharacterId

# How many turns either side the ranker looks at for candidate speakers.
CANDIDATE_TURNS = 4
# How many of the latest speakers before a run stay candidates in it.
EARLIER_SPEAKERS = 4
# Paragraphs back whose narration names candidates, and how many of those names are taken.
RECENT_NAME_PARAGRAPHS = 4
RECENT_CANDIDATES = 4
# How many paragraphs back first-person narration marks the narrator as present.
NARRATING_PARAGRAPHS = 3
SECOND_PERSON_WORDS = frozenset({"you", "You", "your", "Your"})
# A line longer than this (in tokens) is a speech, often followed by the same speaker's next.
LONG_SPEECH_WORDS = 60
# A speaker's style is known from this many words of tagged lines; unseen words are smoothed.
MIN_STYLE_WORDS = 100
STYLE_SMOOTHING = 0.5
# Prominence: log(1 + SCALE × the character's share of name mentions) / NORM, about 0 to 1.
PROMINENCE_SCALE = 1000
PROMINENCE_NORM = 7
# The rule's evidence, as the feature that says which rule picked a candidate.
RULE_FEATURE = {
    Evidence.ALTERNATION: "rule_alternation",
    Evidence.SALIENCE: "rule_salience",
    Evidence.PRONOUN_TAG: "rule_pronoun",
    Evidence.NOMINAL_TAG: "rule_description",
    Evidence.BEAT: "rule_beat",
    Evidence.NAME_BEAT: "rule_beat",
}


class SpeechStyles:
    """How each character talks, learnt from the lines their name tags fix in this very text.

    A turn's words are scored against each speaker's own words (a smoothed unigram model
    against everyone's): Mr. Woodhouse's "my dear", Miss Bates's dashes.
    """

    def __init__(
        self, context: SpeakerContext, tagged_turns: Iterable[tuple[CharacterId, list[int]]]
    ) -> None:
        self.counts: dict[CharacterId, Counter[str]] = {}
        self.everyone: Counter[str] = Counter()
        for speaker, quote_indices in tagged_turns:
            words = context.quote_words(quote_indices)
            self.counts.setdefault(speaker, Counter()).update(words)
            self.everyone.update(words)
        self.totals = {speaker: sum(c.values()) for speaker, c in self.counts.items()}
        self.everyone_total = sum(self.everyone.values())
        self.vocabulary = len(self.everyone) + 1

    def knows(self, speaker: CharacterId) -> bool:
        return self.totals.get(speaker, 0) >= MIN_STYLE_WORDS

    def fit(self, speaker: CharacterId, words: list[str]) -> float:
        """Mean log-likelihood ratio of the words under the speaker's model vs everyone's."""
        counts, total = self.counts[speaker], self.totals[speaker]
        smoothing = STYLE_SMOOTHING * self.vocabulary
        ratio = 0.0
        for word in words:
            own = (counts[word] + STYLE_SMOOTHING) / (total + smoothing)
            shared = (self.everyone[word] + STYLE_SMOOTHING) / (self.everyone_total + smoothing)
            ratio += math.log(own / shared)
        return ratio / max(1, len(words))


@dataclass(frozen=True, slots=True)
class Ranking:
    """What the candidates of every turn are built from, once the rules have run."""

    context: SpeakerContext
    notes: TagNotes
    described: Mapping[int, CharacterId]
    guesses: list[Guess]
    style: SpeechStyles


@dataclass(frozen=True, slots=True)
class RunView:
    """One run of dialogue as the ranker sees it: who each turn is given to now, whom the
    rules picked, which turns a name tag fixes, and the speakers of the runs before."""

    turns: list[Turn]
    decided: list[CharacterId | None]
    rule_picks: list[CharacterId | None]
    fixed: list[bool]
    earlier: list[CharacterId]  # most recent first

    def at(self, position: int) -> CharacterId | None:
        return self.decided[position] if 0 <= position < len(self.turns) else None

    def tagged(self, position: int) -> bool:
        return 0 <= position < len(self.turns) and self.fixed[position]


@dataclass(frozen=True, slots=True)
class _TurnFacts:
    """What the features of one turn's candidates look at."""

    paragraph_subjects: list[CharacterId]
    paragraph_names: list[CharacterId]
    gap_subjects: list[CharacterId]
    gap_names: list[CharacterId]
    recent: list[CharacterId]
    pronoun: tuple[str, int] | None
    pronoun_owner: CharacterId | None
    described: CharacterId | None
    described_gender: str | None
    first_person: bool
    narrating: bool
    last_subject: CharacterId | None
    last_subject_of_gender: dict[str, CharacterId]
    previous_asked: bool
    previous_says_you: bool
    previous_long: bool
    named_here: set[CharacterId]
    named_before: set[CharacterId]
    named_after: set[CharacterId]
    evidence: Evidence | None
    words: list[str]
    in_scene: frozenset[CharacterId]
    total_mentions: int

    @classmethod
    def of(cls, run: RunView, position: int, ranking: Ranking) -> _TurnFacts:
        context, notes = ranking.context, ranking.notes
        turns = run.turns
        turn = turns[position]
        paragraph = turn.paragraph
        quotes = turn.quotes
        gap_start = turns[position - 1].last_paragraph + 1 if position else max(0, paragraph - 1)
        paragraph_subjects, paragraph_names = context.narration_names([paragraph])
        gap_subjects, gap_names = context.narration_names(list(range(gap_start, paragraph)))
        pronoun = notes.pronoun_of(quotes)
        last_subject, last_of_gender = context.last_subjects(quotes[0], gap_start)
        previous = turns[position - 1].quotes if position else []
        after = turns[position + 1].quotes if position + 1 < len(turns) else []
        return cls(
            paragraph_subjects=paragraph_subjects,
            paragraph_names=paragraph_names,
            gap_subjects=gap_subjects,
            gap_names=gap_names,
            recent=context.recent_names(paragraph, RECENT_NAME_PARAGRAPHS),
            pronoun=pronoun,
            pronoun_owner=context.pronoun_owner.get(context.tokens[pronoun[1]].char_start)
            if pronoun
            else None,
            described=next((ranking.described[q] for q in quotes if q in ranking.described), None),
            # "said the boy", "said his wife": the description's gender rules out the others.
            described_gender=next(
                (notes.nominals[q].gender for q in quotes if q in notes.nominals), None
            ),
            first_person=any(context.has_word(q, FIRST_PERSON_WORDS) for q in quotes),
            # In a first-person passage the narrator takes part in every conversation.
            narrating=context.cast.narrator is not None
            and any(
                p in context.first_person_paragraphs
                for p in range(max(0, paragraph - NARRATING_PARAGRAPHS), paragraph + 1)
            ),
            last_subject=last_subject,
            last_subject_of_gender=last_of_gender,
            # A question or a "you" in the previous line expects an answer from someone else.
            previous_asked=bool(previous) and context.ends_with_question(previous[-1]),
            previous_says_you=any(context.has_word(q, SECOND_PERSON_WORDS) for q in previous),
            previous_long=sum(context.quote_length(q) for q in previous) > LONG_SPEECH_WORDS,
            # People seldom name themselves; the one named in the last line often answers.
            named_here=context.named_in_quotes(quotes),
            named_before=context.named_in_quotes(previous),
            named_after=context.named_in_quotes(after),
            evidence=turn_evidence(turn, ranking.guesses),
            words=context.quote_words(quotes),
            in_scene=context.present_in_scene.get(
                context.scene_of_paragraph[paragraph], frozenset()
            ),
            total_mentions=max(1, sum(context.mention_counts.values())),
        )


def turn_candidates(run: RunView, position: int, ranking: Ranking) -> list[Candidate]:
    """The plausible speakers of one turn, each with its features."""
    facts = _TurnFacts.of(run, position, ranking)
    turn = run.turns[position]
    genders = ranking.context.genders
    candidates: list[Candidate] = []
    seen: set[CharacterId] = set()
    for character in _pool(run, position, facts, ranking):
        if character is None or character in seen or character in turn.vocatives:
            continue
        seen.add(character)
        gender = genders.get(character)
        if facts.pronoun is not None and gender not in (facts.pronoun[0], None):
            continue
        if facts.described_gender is not None and gender not in (facts.described_gender, None):
            continue
        active = (
            _neighbour_features(character, run, position, facts)
            | _narration_features(character, run, facts, ranking)
            | _reference_features(character, gender, run, position, facts, ranking)
        )
        candidates.append(Candidate(character, feature_vector(active)))
    return candidates


def _pool(
    run: RunView, position: int, facts: _TurnFacts, ranking: Ranking
) -> list[CharacterId | None]:
    """Everyone who might have spoken the turn, in the order ties are broken."""
    pool: list[CharacterId | None] = [
        run.at(position + offset) for offset in range(-CANDIDATE_TURNS, CANDIDATE_TURNS + 1)
    ]
    for offset in (-1, 1):
        if 0 <= position + offset < len(run.turns):
            pool.extend(run.turns[position + offset].vocatives)
    pool.extend(facts.paragraph_subjects + facts.paragraph_names)
    pool.extend(facts.gap_subjects + facts.gap_names + facts.recent[:RECENT_CANDIDATES])
    pool.append(ranking.context.cast.narrator)
    # A long exchange can drift far from its anchors: everyone it has been given to so far,
    # the last speakers before it, and those named in the lines around.
    pool.extend(run.decided)
    pool.extend(run.earlier[:EARLIER_SPEAKERS])
    pool.append(facts.described)
    pool.extend(sorted(facts.named_before) + sorted(facts.named_after))
    return pool


def _neighbour_features(
    character: CharacterId, run: RunView, position: int, facts: _TurnFacts
) -> dict[str, float]:
    """Turn-taking: is the candidate the rules' pick, a neighbour's speaker, addressed?"""
    active: dict[str, float] = {}
    if character == run.rule_picks[position]:
        active["rule"] = 1.0
        if facts.evidence in RULE_FEATURE:
            active[RULE_FEATURE[facts.evidence]] = 1.0
    if character == run.at(position - 1):
        active["previous"] = 1.0
        active["previous_tagged"] = float(run.tagged(position - 1))
        active["previous_asked"] = float(facts.previous_asked)
        active["previous_long"] = float(facts.previous_long)
    if character == run.at(position - 2) and run.at(position - 2) != run.at(position - 1):
        active["two_back"] = 1.0
        active["two_back_tagged"] = float(run.tagged(position - 2))
        active["two_back_asked"] = float(facts.previous_asked)
        active["addressed_you_before"] = float(facts.previous_says_you)
    if character == run.at(position + 1):
        active["next"] = 1.0
        active["next_tagged"] = float(run.tagged(position + 1))
    if character == run.at(position + 2) and run.at(position + 2) != run.at(position + 1):
        active["two_ahead"] = 1.0
        active["two_ahead_tagged"] = float(run.tagged(position + 2))
    if position > 0 and character in run.turns[position - 1].vocatives:
        active["addressed_before"] = 1.0
    if position + 1 < len(run.turns) and character in run.turns[position + 1].vocatives:
        active["addressed_after"] = 1.0
    active["run_share"] = sum(1 for s in run.decided if s == character) / len(run.turns)
    if character in run.earlier[:EARLIER_SPEAKERS]:
        active["earlier_speaker"] = 1.0 / (1 + run.earlier.index(character))
    if position == 0:
        active["first_in_run"] = 1.0
        if character in facts.gap_subjects:
            active["first_in_run_gap_subject"] = 1.0
    return active


def _narration_features(
    character: CharacterId, run: RunView, facts: _TurnFacts, ranking: Ranking
) -> dict[str, float]:
    """What the narration and the lines say of the candidate: named, present, prominent."""
    context = ranking.context
    active: dict[str, float] = {}
    if character in facts.paragraph_subjects:
        active["paragraph_subject"] = 1.0
    elif character in facts.paragraph_names:
        active["paragraph_name"] = 1.0
    if character in facts.gap_subjects:
        active["gap_subject"] = 1.0
    elif character in facts.gap_names:
        active["gap_name"] = 1.0
    if ranking.style.knows(character):
        active["style_known"] = 1.0
        active["style_fit"] = ranking.style.fit(character, facts.words)
    if character in facts.in_scene:
        active["in_scene_narration"] = 1.0
    if character in facts.recent:
        active["recency"] = 1.0 / (1 + facts.recent.index(character))
    share = PROMINENCE_SCALE * context.mention_counts[character] / facts.total_mentions
    active["prominence"] = math.log1p(share) / PROMINENCE_NORM
    if character in facts.named_here:
        active["named_in_quote"] = 1.0
    if character in facts.named_before:
        active["named_in_previous_quote"] = 1.0
    if character in facts.named_after:
        active["named_in_next_quote"] = 1.0
    if character == facts.last_subject:
        active["last_subject"] = 1.0
    return active


def _reference_features(
    character: CharacterId,
    gender: str | None,
    run: RunView,
    position: int,
    facts: _TurnFacts,
    ranking: Ranking,
) -> dict[str, float]:
    """The tag's pronoun and the narrator: does the candidate fit "she said" or "I said"?"""
    active: dict[str, float] = {}
    pronoun = facts.pronoun
    if pronoun is not None:
        if gender == pronoun[0]:
            active["pronoun_gender"] = 1.0
        else:
            active["pronoun_unknown_gender"] = 1.0
        if character == facts.pronoun_owner:
            active["pronoun_resolved"] = 1.0
        if character == facts.last_subject_of_gender.get(pronoun[0]):
            active["last_subject_of_gender"] = 1.0
    if character == ranking.context.cast.narrator:
        active["narrator"] = 1.0
        active["narrator_first_person"] = float(facts.first_person)
        active["narrator_narrating"] = float(facts.narrating)
    return active
