"""A learned re-ranker for the speakers the rules are least sure of.

The rules decide every turn first (tags, turn-taking, salience). Then, for each turn that no
name or "I" tag fixes, the ranker scores the plausible speakers over features of the
conversation around it: who spoke the turns before and after (and whether a tag anchored
them), who was addressed by name, who the narration names, the tag's pronoun. The score is a
linear term plus one small tanh hidden layer, which learns how the cues combine ("the previous
speaker, but the previous line asked a question"); the softmax over a turn's candidates is
the attribution's confidence.

Weights are trained by ``scripts/train_speaker_ranker.py`` on PDNC, leave-novels-out, and
shipped in ``fabula/data/speaker_ranker.json``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from fabula.attribution.scorer import Candidate, TanhScorer

FEATURES = (
    "rule",
    "rule_alternation",
    "rule_salience",
    "rule_pronoun",
    "rule_description",
    "rule_beat",
    "previous",
    "two_back",
    "next",
    "two_ahead",
    "previous_tagged",
    "two_back_tagged",
    "next_tagged",
    "two_ahead_tagged",
    "addressed_before",
    "addressed_after",
    "paragraph_subject",
    "paragraph_name",
    "gap_subject",
    "gap_name",
    "recency",
    "run_share",
    "prominence",
    "pronoun_gender",
    "pronoun_unknown_gender",
    "pronoun_resolved",
    "narrator",
    "narrator_first_person",
    "named_in_quote",
    "named_in_previous_quote",
    "first_in_run",
    "first_in_run_gap_subject",
    "last_subject",
    "last_subject_of_gender",
    "previous_asked",
    "two_back_asked",
    "previous_long",
    "addressed_you_before",
    "narrator_narrating",
    "named_in_next_quote",
    "earlier_speaker",
    "in_scene_narration",
    "style_known",
    "style_fit",
)
FEATURE_INDEX = {name: index for index, name in enumerate(FEATURES)}


@dataclass(frozen=True, slots=True, eq=False)
class SpeakerRanker(TanhScorer):
    """Scores over ``FEATURES``; a turn's candidates compete in a softmax."""

    def probabilities(self, candidates: Sequence[Candidate]) -> list[float]:
        scores = self.scores(np.array([c.features for c in candidates]))
        exps = np.exp(scores - scores.max())
        return (exps / exps.sum()).tolist()


def feature_vector(active: dict[str, float]) -> tuple[float, ...]:
    """Dense vector from the named features that are on (the rest are 0)."""
    vector = [0.0] * len(FEATURES)
    for name, value in active.items():
        vector[FEATURE_INDEX[name]] = value
    return tuple(vector)
