"""Addressees: who each quotation is spoken to.

Every character who speaks near a line, is named in it as a vocative ("Yes, Papa") or is
named in the narration around it is a candidate. A small learned model scores each
candidate over features of the conversation (is it the previous or the next other speaker,
how many people are talking, does the line speak to a group: "both of you", "gentlemen"),
and the line goes to its best candidate plus every other one the model thinks likely, so a
speech to a room gets a group of addressees. Without a model, the rule is the old one: a
vocative, else the previous other speaker, else the next one.

Weights are trained by ``scripts/train_addressee_model.py`` on PDNC, leave-novels-out, and
shipped in ``fabula/data/addressee_model.json``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from fabula.attribution.conversation import FEATURE_INDEX, Conversation, addressee_candidates
from fabula.attribution.scorer import Candidate, TanhScorer
from fabula.model import Attribution, CharacterId
from fabula.stages import stage


@dataclass(frozen=True, slots=True, eq=False)
class AddresseeModel(TanhScorer):
    """P(addressee) = sigmoid of the score; every candidate at or above ``threshold`` joins
    the best one."""

    threshold: float

    @classmethod
    def from_json(cls, weights: dict) -> AddresseeModel:
        return cls(*cls.arrays_from_json(weights), threshold=float(weights["threshold"]))

    def to_json(self) -> dict:
        return TanhScorer.to_json(self) | {"threshold": round(self.threshold, 3)}

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        """One probability per row of a (candidates, features) matrix."""
        return 1.0 / (1.0 + np.exp(-self.scores(features)))

    def choose(self, candidates: Sequence[Candidate]) -> tuple[CharacterId, ...]:
        """The best candidate, then every other one likely enough, best first."""
        if not candidates:
            return ()
        chances = self.probabilities(np.array([c.features for c in candidates]))
        order = np.argsort(-chances, kind="stable")
        return tuple(
            candidates[i].character
            for rank, i in enumerate(order)
            if rank == 0 or chances[i] >= self.threshold
        )


AddresseeSink = Callable[[int, list[Candidate]], None]


@stage(
    requires={"text", "paragraphs", "quotes", "scenes", "characters", "vocatives", "narrator"}
    | {"name_mentions", "pronoun_mentions", "speakers"},
    produces={"addressees"},
)
def find_addressees(
    conversation: Conversation,
    attributions: tuple[Attribution, ...],
    model: AddresseeModel | None,
    *,
    on_candidates: AddresseeSink | None = None,
) -> tuple[Attribution, ...]:
    """Fill in ``addressees`` for every attributed quotation.

    >>> # A: "Ready?"  B: "Yes, Ann."  ->  A's line to B (next speaker), B's line to Ann (vocative)
    """
    result: list[Attribution] = []
    for index, found in enumerate(attributions):
        if found.speaker is None:
            result.append(found)
            continue
        candidates = addressee_candidates(conversation, index)
        if on_candidates is not None:
            on_candidates(index, candidates)
        chosen = model.choose(candidates) if model else rule_addressees(candidates)
        result.append(replace(found, addressees=chosen))
    return tuple(result)


def rule_addressees(candidates: list[Candidate]) -> tuple[CharacterId, ...]:
    """Vocatives, else the previous other speaker, else the next one."""
    for feature in ("vocative", "previous_other", "next_other"):
        column = FEATURE_INDEX[feature]
        chosen = tuple(c.character for c in candidates if c.features[column])
        if chosen:
            return chosen
    return ()
