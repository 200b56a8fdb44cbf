"""The scoring contract: span matching, character mapping and per-type accuracy."""

from __future__ import annotations

import pytest
from pdnc_oracle import FIXTURE_CORPUS

from fabula.evaluation.pdnc import GoldCharacter, GoldNovel, GoldQuote, read_novel
from fabula.evaluation.scoring import (
    Ratio,
    gold_name_owners,
    map_characters,
    match_quotes,
    normalise_name,
    score_story,
)
from fabula.model import Character, CharacterId, Quote, QuoteId, QuoteType, Story


def _quote(
    quote_id: str,
    start: int,
    end: int,
    speaker: str | None = None,
    addressees: tuple[str, ...] = (),
    continues: str | None = None,
) -> Quote:
    return Quote(
        id=QuoteId(quote_id),
        char_start=start,
        char_end=end,
        speaker=CharacterId(speaker) if speaker else None,
        addressees=tuple(CharacterId(a) for a in addressees),
        type=QuoteType.IMPLICIT,
        confidence=1.0,
        scene=None,
        continues=QuoteId(continues) if continues else None,
    )


def _gold_quote(quote_id: str, *spans: tuple[int, int]) -> GoldQuote:
    return GoldQuote(quote_id, spans, None, (), QuoteType.IMPLICIT, "")


def _gold(*characters: tuple[str, tuple[str, ...]], first_person: bool = False) -> GoldNovel:
    return GoldNovel(
        name="Test",
        text="",
        characters=tuple(
            GoldCharacter(str(i), main, aliases, "U", "minor")
            for i, (main, aliases) in enumerate(characters)
        ),
        quotes=(),
        first_person=first_person,
        unmapped_names=0,
    )


def _character(name: str, *aliases: str, narrator: bool = False) -> Character:
    return Character(CharacterId("p"), name, aliases, is_narrator=narrator)


# --- matching ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "matches"),
    [
        (9, 21, True),  # marks around the gold span
        (5, 15, True),  # overlap 5 = exactly half of the longer (10)
        (4, 15, False),  # overlap 5 < half of 11
        (15, 25, True),  # overlap 5, both 10 long
        (16, 25, False),  # overlap 4 < half of 10
        (0, 10, False),  # touching is not overlapping
    ],
)
def test_match_needs_half_the_longer_span(start: int, end: int, matches: bool) -> None:
    found = match_quotes([_quote("p", start, end)], [_gold_quote("g", (10, 20))])
    assert ("g" in found) is matches


def test_match_is_one_to_one_by_largest_overlap() -> None:
    gold = [_gold_quote("g1", (10, 20)), _gold_quote("g2", (20, 30))]
    # p1 overlaps g1 fully; p2 overlaps g1 by 5 and g2 by 5: it can only take g2.
    predicted = [_quote("p2", 15, 25), _quote("p1", 9, 21)]
    found = match_quotes(predicted, gold)
    assert {g: q.id for g, q in found.items()} == {"g1": "p1", "g2": "p2"}


def test_one_prediction_matches_one_gold_only() -> None:
    gold = [_gold_quote("g1", (10, 20)), _gold_quote("g2", (12, 21))]
    found = match_quotes([_quote("p", 10, 20)], gold)
    assert list(found) == ["g1"]


def test_split_quote_counts_once_through_its_largest_part() -> None:
    gold = [_gold_quote("g", (10, 20), (40, 70))]
    predicted = [
        _quote("a", 9, 21, speaker="x"),
        _quote("b", 39, 71, speaker="y", continues="a"),
    ]
    assert match_quotes(predicted, gold)["g"].id == "b"


def test_long_prediction_far_before_the_gold_span_is_found() -> None:
    found = match_quotes([_quote("p", 0, 100)], [_gold_quote("g", (40, 100))])
    assert "g" in found


# --- character mapping ------------------------------------------------------------------


def test_normalise_name_drops_case_punctuation_and_the() -> None:
    assert normalise_name("The Mad  Hatter.") == "mad hatter"
    assert normalise_name("Mr. Darcy") == normalise_name("mr darcy")


def test_main_name_first_and_last_words_are_owned_when_unshared() -> None:
    owners = gold_name_owners(_gold(("Charlotte Lucas", ()), ("Elizabeth Bennet", ())).characters)
    assert owners["charlotte"] == "0"
    assert owners["lucas"] == "0"
    assert owners["elizabeth bennet"] == "1"


def test_shared_words_are_owned_by_nobody() -> None:
    gold = _gold(("Charlotte Lucas", ()), ("Sir William Lucas", ("Sir William",)))
    owners = gold_name_owners(gold.characters)
    assert "lucas" not in owners
    assert owners["charlotte"] == "0"
    assert owners["sir"] == "1"  # the first word, borne by nobody else
    assert "william" not in owners  # a middle word contributes nothing


def test_a_name_borne_by_two_characters_counts_for_neither() -> None:
    gold = _gold(("Jane Bennet", ("Miss Bennet",)), ("Elizabeth Bennet", ("Miss Bennet",)))
    assert "miss bennet" not in gold_name_owners(gold.characters)
    mapping = map_characters([_character("Miss Bennet")], gold)
    assert mapping["p"] is None


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (("Charlotte", "Miss Lucas", "Mr. Collins"), "0"),  # 2 of 3 names owned by Charlotte
        (("Charlotte", "Mr. Collins"), None),  # exactly half is not more than half
        (("Charlotte", "Charlotte."), "0"),  # names are compared after normalising
        (("Mr. Collins", "Collins"), "1"),
        (("Stranger",), None),
    ],
)
def test_character_maps_by_more_than_half_of_its_names(
    names: tuple[str, ...], expected: str | None
) -> None:
    gold = _gold(("Charlotte Lucas", ("Miss Lucas",)), ("Mr. Collins", ("Collins",)))
    assert map_characters([_character(*names)], gold)["p"] == expected


def test_duplicate_gold_entries_fall_back_to_the_exact_main_name() -> None:
    gold = _gold(("Mrs. Harville", ()), ("Mrs Harville", ()))
    assert map_characters([_character("Mrs Harville")], gold)["p"] == "1"


def test_first_person_narrator_falls_back_to_the_i_speaker() -> None:
    gold = _gold(("Alexis Ivanovitch", ()), ("Polina", ()), first_person=True)
    said = GoldQuote("q", ((0, 1),), "0", (), QuoteType.ANAPHORIC, "I replied")
    gold = GoldNovel(gold.name, "", gold.characters, (said,), True, 0)
    assert map_characters([_character("I", narrator=True)], gold)["p"] == "0"
    # A non-narrator named "I" is not the narrator, nor is a narrator in third-person fiction.
    assert map_characters([_character("I")], gold)["p"] is None
    third = GoldNovel(gold.name, "", gold.characters, (said,), False, 0)
    assert map_characters([_character("I", narrator=True)], third)["p"] is None


# --- whole-novel scoring on the fixture -------------------------------------------------


def _fixture_prediction(novel: GoldNovel) -> Story:
    spans = {q.id: q.spans for q in novel.quotes}

    def marks(quote_id: str, part: int = 0) -> tuple[int, int]:
        start, end = spans[quote_id][part]
        return start - 1, end + 1

    characters = (
        Character(CharacterId("m"), "Mara", ("Miss Quill", "Mara Quill")),
        Character(CharacterId("t"), "Tobias"),
        Character(CharacterId("f"), "Fen"),
        Character(CharacterId("x"), "the keeper"),
    )
    quotes = (
        _quote("p0", *marks("Q0"), speaker="t", addressees=("m",)),
        # Q1 split around "she answered": the wrong first part is shorter, so the second decides.
        _quote("p1", *marks("Q1", 0), speaker="t"),
        _quote("p2", *marks("Q1", 1), speaker="m", addressees=("t",), continues="p1"),
        _quote("p3", *marks("Q2"), speaker="x"),  # a speaker that is no gold character
        # Q3 is missed.
        _quote("p4", *marks("Q4"), speaker="f", addressees=("m", "x")),
        _quote("p5", 20, 40, speaker="m"),  # narration taken for a quote
    )
    return Story(novel.text, (), (), quotes, characters, ())


def test_fixture_scores_by_type() -> None:
    novel = read_novel(FIXTURE_CORPUS, "TinyTale")
    metrics = score_story(_fixture_prediction(novel), novel).metrics
    assert metrics.quote_recall == Ratio(4, 5)
    assert metrics.quote_precision == Ratio(4, 5)  # p1 + p2 are one quotation
    assert metrics.speaker == Ratio(3, 5)
    assert metrics.speaker_explicit == Ratio(1, 1)
    assert metrics.speaker_anaphoric == Ratio(2, 2)
    assert metrics.speaker_implicit == Ratio(0, 2)
    assert metrics.addressee_f1.total == 5
    assert metrics.addressee_f1.hits == pytest.approx(1 + 1 + 0 + 0 + 2 / 3)
    assert metrics.addressee_exact == Ratio(2, 5)
    assert metrics.predicted_characters == 4
    assert metrics.unmapped_speaking_characters == 1
    assert metrics.unmapped_speaker_share == Ratio(1, 4)
    assert metrics.unmapped_gold_names == 1  # "Gulls"


def test_metrics_sum_for_micro_averages() -> None:
    novel = read_novel(FIXTURE_CORPUS, "TinyTale")
    metrics = score_story(_fixture_prediction(novel), novel).metrics
    total = metrics + metrics
    assert total.speaker == Ratio(6, 10)
    assert total.rates()["speaker"] == pytest.approx(0.6)
    assert total.predicted_characters == 8


def test_empty_prediction_scores_zero_not_nothing() -> None:
    novel = read_novel(FIXTURE_CORPUS, "TinyTale")
    metrics = score_story(Story(novel.text, (), (), (), (), ()), novel).metrics
    assert metrics.speaker == Ratio(0, 5)
    assert metrics.quote_precision.rate is None
    assert metrics.addressee_f1 == Ratio(0, 5)
