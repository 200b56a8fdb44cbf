"""The rules alone, without the learned ranker and addressee model: a change in the rules shows
here even when the ranker would hide it (and the ranker's own tests use fixed features).

The example story, analysed with ``speaker_ranker=None`` and ``addressee_model=None``, has
exactly the mistakes listed below; an improvement must update the list on purpose.
"""

from __future__ import annotations

import pytest

import fabula
from fabula.model import QuoteType, Story
from fabula.settings import Settings
from test_example_story import GOLD, STORY_PATH, gold_name_of

pytestmark = pytest.mark.model

RULES_ONLY = Settings(speaker_ranker=None, addressee_model=None)
# (quotation index, gold speaker, the rules' speaker) of every quotation the rules get wrong.
RULES_MISTAKES = [
    (10, "Eleanor Dunmore", "Wilhelmina Oduya"),
    (11, "Eleanor Dunmore", "Wilhelmina Oduya"),
    (32, "Ansel Brannock", "Tobias Dunmore"),
    (33, "Ansel Brannock", "Tobias Dunmore"),
    *((index, "Wilhelmina Oduya", "Eleanor Dunmore") for index in (41, 43, 45, 47, 49, 51)),
]
# Quotations whose addressees the rule (a vocative, else the previous other speaker, else the
# next one) gets exactly right.
RULE_EXACT_ADDRESSEES = 88


@pytest.fixture(scope="module")
def rules_story() -> Story:
    return fabula.analyze(STORY_PATH.read_text(encoding="utf-8"), settings=RULES_ONLY)


def test_the_rules_make_exactly_the_known_mistakes(rules_story: Story) -> None:
    assert len(rules_story.quotes) == len(GOLD["quotes"])
    mistakes = [
        (index, gold["speaker"], gold_name_of(rules_story.character(quote.speaker)))
        for index, (quote, gold) in enumerate(zip(rules_story.quotes, GOLD["quotes"], strict=True))
        if gold_name_of(rules_story.character(quote.speaker)) != gold["speaker"]
    ]
    assert mistakes == RULES_MISTAKES


def test_the_addressee_rule_alone(rules_story: Story) -> None:
    exact = sum(
        sorted(gold_name_of(rules_story.character(a)) or "?" for a in quote.addressees)
        == sorted(gold["addressees"])
        for quote, gold in zip(rules_story.quotes, GOLD["quotes"], strict=True)
    )
    assert exact == RULE_EXACT_ADDRESSEES


def test_without_the_ranker_confidence_is_the_evidence_s_own() -> None:
    text = '"Open it," said Marisol.\n\n"No," Teodor said.\n\n"Please."\n\n"No."'
    raw = Settings(speaker_ranker=None, addressee_model=None, calibrate_confidence=False)
    story = fabula.analyze(text, settings=raw)
    names = [story.character(q.speaker).name for q in story.quotes]
    assert names == ["Marisol", "Teodor", "Marisol", "Teodor"]
    assert [q.confidence for q in story.quotes] == [0.95, 0.95, 0.7, 0.7]  # tag, tag, turns
    assert [q.type for q in story.quotes] == [QuoteType.EXPLICIT] * 2 + [QuoteType.IMPLICIT] * 2
