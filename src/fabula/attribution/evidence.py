"""What a speaker guess rests on, and how far each kind of evidence is trusted.

Every guess the speaker stage makes names its evidence; the evidence carries the raw
confidence the guess gets (the ranker's guesses carry their own probability instead). The
calibration map (``attribution/confidence.py``) later turns raw confidence into a rate.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from fabula.model import CharacterId, QuoteType


class Evidence(StrEnum):
    """Kinds of evidence, each with the confidence of a guess that rests on it alone."""

    confidence: float

    NAME_TAG = "name_tag", 0.95  # "said Mara", "Mara said"
    NARRATOR_TAG = "narrator_tag", 0.93  # "I said", in a first-person narration
    PRONOUN_TAG = "pronoun_tag", 0.8  # "she said", resolved
    NOMINAL_TAG = "nominal_tag", 0.6  # "said her father", resolved over the whole text
    SOLE_DESCRIPTION = "sole_description", 0.8  # "said the boy" with one boy in the scene
    BEAT = "beat", 0.75  # "She grinned.", resolved
    NAME_BEAT = "name_beat", 0.85  # "Theo grinned."
    PARAGRAPH = "paragraph", 0.85  # another quotation of the paragraph is tagged
    ALTERNATION = "alternation", 0.7  # untagged: turn-taking between the people talking
    SALIENCE = "salience", 0.35  # untagged, no turn-taking: the latest named other person
    RANKER = "ranker", 0.0  # the learned ranker decided; its probability is the confidence

    def __new__(cls, value: str, confidence: float) -> Evidence:
        member = str.__new__(cls, value)
        member._value_ = value
        member.confidence = confidence
        return member


# Evidence that fixes a turn's speaker; the ranker re-decides every other turn.
FIXED_EVIDENCE = frozenset(
    {Evidence.NAME_TAG, Evidence.NARRATOR_TAG, Evidence.NAME_BEAT, Evidence.SOLE_DESCRIPTION}
)


@dataclass(frozen=True, slots=True)
class Guess:
    """One quotation's speaker as a layer of the stage guessed it, and on what evidence.

    A guess without a speaker can still carry a type: "she said" that nobody resolves is
    anaphoric all the same.
    """

    speaker: CharacterId | None = None
    evidence: Evidence | None = None
    type: QuoteType = QuoteType.IMPLICIT


NO_GUESS = Guess()
