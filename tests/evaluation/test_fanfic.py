"""fanfic-dev's reader and its scoring rules: parts counted one by one, group lines found but
not attributed, and the cast numbers."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from fanfic_oracle import FANFIC_CORPUS, character_id, fanfic_oracle

from fabula.errors import InputError
from fabula.evaluation.cast_scores import count_uses, frequent_aliases, score_cast
from fabula.evaluation.fanfic import gold_cast, list_stories, read_story
from fabula.evaluation.scoring import score_story
from fabula.model import Character, QuoteId, QuoteType

FANFIC_DEV = Path(__file__).resolve().parents[3] / "shared" / "data" / "fanfic-dev"


# --- reading ----------------------------------------------------------------------------


def test_lists_the_story_folders_only() -> None:
    assert list_stories(FANFIC_CORPUS) == ("copper_kettle", "night_watch")


def test_reads_parts_speakers_and_addressees_as_gold_records() -> None:
    novel = read_story(FANFIC_CORPUS, "copper_kettle")
    assert novel.split_quotations and not novel.first_person
    assert [c.id for c in novel.characters] == ["Nell Ashby", "Bram Cole", "Mrs. Pike"]
    first = novel.quotes[0]
    assert novel.text[slice(*first.spans[0])] == '"We\'re closed"'
    assert (first.speaker, first.addressees, first.type) == (
        "Nell Ashby",
        ("Bram Cole",),
        QuoteType.ANAPHORIC,
    )
    assert first.referring_expression == "she said"
    # The quotation broken by "Bram laughed" is two gold lines with one speaker.
    assert [q.speaker for q in novel.quotes[1:3]] == ["Bram Cole", "Bram Cole"]
    assert novel.unmapped_names == 0


def test_group_and_unknowable_lines_are_kept_but_not_scored_for_speaker() -> None:
    group = read_story(FANFIC_CORPUS, "copper_kettle").quotes[3]
    assert (group.speaker, group.speaker_scored) == (None, False)
    assert group.addressees == ("Nell Ashby", "Bram Cole")
    watch = read_story(FANFIC_CORPUS, "night_watch")
    unknowable = watch.quotes[2]
    assert (unknowable.speaker, unknowable.speaker_scored) == (None, False)
    # "_group" as an addressee names no character and is no unmapped name either.
    assert watch.quotes[4].addressees == ("Tam Orrin",)
    assert watch.unmapped_names == 0


def test_narrator_tags_make_a_first_person_story_and_a_narrator_in_the_gold_cast() -> None:
    novel = read_story(FANFIC_CORPUS, "night_watch")
    assert novel.first_person
    cast = gold_cast(novel)
    assert [(c.name, c.is_narrator) for c in cast] == [
        ("Rhea Vale", True),
        ("Tam Orrin", False),
        ("The Owl", False),
    ]
    assert [c.gender for c in cast] == ["she", "they", None]  # "it" is no cast gender
    assert cast[0].aliases == ("Rhea", "Captain")


def _write_story(folder: Path, quotes: list[dict], text: str = '"Hi," said Ann.') -> Path:
    story = folder / "one"
    story.mkdir(parents=True)
    (story / "story.txt").write_text(text, encoding="utf-8")
    (story / "characters.json").write_text('[{"name": "Ann"}]', encoding="utf-8")
    lines = [json.dumps(q) for q in quotes]
    (story / "quotes.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


_GOOD = {
    "id": 1,
    "start": 0,
    "end": 5,
    "text": '"Hi,"',
    "speaker": "Ann",
    "addressees": [],
    "type": "explicit",
    "cue": "said Ann",
}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"text": '"Ho,"'}, "not the quotation's text"),
        ({"end": 99}, "outside the story"),
        ({"addressees": "Ann"}, "must be a list"),
    ],
)
def test_bad_gold_lines_are_input_errors(tmp_path: Path, change: dict, message: str) -> None:
    corpus = _write_story(tmp_path, [_GOOD | change])
    with pytest.raises(InputError, match=message):
        read_story(corpus, "one")


def test_a_line_without_a_speaker_key_is_an_input_error(tmp_path: Path) -> None:
    corpus = _write_story(tmp_path, [{k: v for k, v in _GOOD.items() if k != "speaker"}])
    with pytest.raises(InputError, match="a quotation needs the keys"):
        read_story(corpus, "one")


def test_an_untyped_line_without_a_cue_reads(tmp_path: Path) -> None:
    corpus = _write_story(tmp_path, [_GOOD | {"type": None, "cue": None}])
    quote = read_story(corpus, "one").quotes[0]
    assert (quote.type, quote.referring_expression, quote.speaker) == (None, "", "Ann")


def test_a_line_that_is_not_json_names_its_file_and_line(tmp_path: Path) -> None:
    corpus = _write_story(tmp_path, [_GOOD])
    (corpus / "one" / "quotes.jsonl").write_text(json.dumps(_GOOD) + "\n{oops\n")
    with pytest.raises(InputError, match=r"quotes\.jsonl:2: not valid JSON"):
        read_story(corpus, "one")


def test_an_unknown_speaker_is_counted_as_an_unmapped_name(tmp_path: Path) -> None:
    corpus = _write_story(tmp_path, [_GOOD | {"speaker": "Bea", "addressees": ["Cy", "Ann"]}])
    novel = read_story(corpus, "one")
    assert (novel.quotes[0].speaker, novel.quotes[0].addressees) == (None, ("Ann",))
    assert novel.unmapped_names == 2


def test_a_missing_story_is_an_input_error() -> None:
    with pytest.raises(InputError, match="no fanfic story"):
        read_story(FANFIC_CORPUS, "nope")


# --- scoring rules ----------------------------------------------------------------------


def test_a_perfect_prediction_scores_full_marks() -> None:
    novel = read_story(FANFIC_CORPUS, "copper_kettle")
    rates = score_story(fanfic_oracle(novel), novel).metrics.rates()
    assert rates["quote_recall"] == rates["quote_precision"] == rates["speaker"] == 1.0
    assert rates["addressee_f1"] == 1.0


def test_group_lines_count_for_recall_but_not_for_speaker_accuracy() -> None:
    novel = read_story(FANFIC_CORPUS, "copper_kettle")
    # Whoever the group line goes to, speaker accuracy is 5 of 5, recall 6 of 6.
    metrics = score_story(fanfic_oracle(novel, group_speaker="Bram Cole"), novel).metrics
    assert (metrics.speaker.hits, metrics.speaker.total) == (5, 5)
    assert (metrics.quote_recall.hits, metrics.quote_recall.total) == (6, 6)
    assert metrics.speaker_anaphoric.total == 1  # the group line is anaphoric, left out
    # ...and missing it costs recall, not speaker accuracy.
    story = fanfic_oracle(novel)
    story = replace(story, quotes=tuple(q for q in story.quotes if q.id != QuoteId("q4")))
    missed = score_story(story, novel).metrics
    assert missed.speaker.rate == 1.0 and missed.quote_recall.rate == 5 / 6


def test_precision_counts_predicted_parts_one_by_one() -> None:
    novel = read_story(FANFIC_CORPUS, "copper_kettle")
    story = fanfic_oracle(novel)
    sign = novel.text.index('"Soup of the Day"')
    spurious = replace(story.quotes[0], id=QuoteId("sign"), char_start=sign, char_end=sign + 17)
    # The two parts around "Bram laughed" are linked as fabula links them.
    second = replace(story.quotes[2], continues=story.quotes[1].id)
    quotes = (*story.quotes[:2], second, *story.quotes[3:], spurious)
    story = replace(story, quotes=tuple(sorted(quotes, key=lambda q: q.char_start)))
    assert score_story(story, novel).metrics.quote_precision.rate == 6 / 7
    # PDNC's rule would count the linked parts once: 5 quotations found of 6.
    as_pdnc = replace(novel, split_quotations=False)
    assert score_story(story, as_pdnc).metrics.quote_precision.rate == 5 / 6


def test_a_wrong_speaker_on_a_broken_quotation_costs_each_part() -> None:
    novel = read_story(FANFIC_CORPUS, "copper_kettle")
    story = fanfic_oracle(novel)
    nell = character_id("Nell Ashby")
    quotes = tuple(replace(q, speaker=nell) if q.id in {"q2", "q3"} else q for q in story.quotes)
    metrics = score_story(replace(story, quotes=quotes), novel).metrics
    assert (metrics.speaker.hits, metrics.speaker.total) == (3, 5)
    assert (metrics.speaker_explicit.hits, metrics.speaker_explicit.total) == (1, 3)


# --- cast numbers -----------------------------------------------------------------------


def test_cast_scores_find_speakers_junk_and_attached_aliases() -> None:
    novel = read_story(FANFIC_CORPUS, "copper_kettle")
    story = fanfic_oracle(novel)
    junk = Character(character_id("Said Nell"), "Said Nell")
    nell = Character(character_id("Nell Ashby"), "Nell Ashby", ("Nell",))  # no "Nellie"
    characters = (nell, *story.characters[1:], junk)
    quotes = (*story.quotes[:-1], replace(story.quotes[-1], speaker=junk.id))
    story = replace(story, characters=characters, quotes=quotes)
    score = score_story(story, novel)
    cast = score_cast(story, novel, score.character_map)
    assert cast.unmapped_speakers == ("Said Nell",)
    # Bram still speaks other lines, so both gold speakers are found.
    assert (cast.speakers_found.hits, cast.speakers_found.total) == (2, 2)
    # "Nell" (3 uses) and "Bram" (2) are frequent; "Nellie" is used once only.
    assert frequent_aliases(novel) == (("Nell", "Nell Ashby"), ("Bram", "Bram Cole"))
    assert (cast.aliases_attached.hits, cast.aliases_attached.total) == (2, 2)


def test_a_missing_speaker_and_a_detached_alias_are_named() -> None:
    novel = read_story(FANFIC_CORPUS, "copper_kettle")
    story = fanfic_oracle(novel)
    bram = character_id("Bram Cole")
    # Bram's lines go to Nell, and Bram's cast entry lost the alias "Bram".
    characters = tuple(
        replace(c, name="Mr. Cole", aliases=()) if c.id == bram else c for c in story.characters
    )
    quotes = tuple(
        replace(q, speaker=character_id("Nell Ashby")) if q.speaker == bram else q
        for q in story.quotes
    )
    story = replace(story, characters=characters, quotes=quotes)
    cast = score_cast(story, novel, score_story(story, novel).character_map)
    assert cast.missed_speakers == ("Bram Cole",)
    assert cast.missed_aliases == ("Bram → Bram Cole",)
    assert cast.speakers_found.rate == 1 / 2


@pytest.mark.parametrize(
    ("alias", "text", "uses"),
    [
        ("the Lion", "The Lion met the Lionel of the Lion.", 2),
        ("Art", "Art knew Arthur's art.", 2),
        ("Mrs. H", "Mrs. H laughed; Mrs. Hudson did not. mrs. H", 2),
        ("owl", "An owl, an Owl, an owlet.", 2),
    ],
)
def test_alias_uses_are_whole_words_with_either_first_letter(
    alias: str, text: str, uses: int
) -> None:
    assert count_uses(alias, text) == uses


# --- the real development set -------------------------------------------------------------


@pytest.mark.skipif(not FANFIC_DEV.is_dir(), reason="../shared/data/fanfic-dev is not here")
def test_every_fanfic_dev_story_reads_with_every_name_resolved() -> None:
    for name in list_stories(FANFIC_DEV):
        novel = read_story(FANFIC_DEV, name)
        assert novel.unmapped_names == 0, name
        assert all(novel.text[s:e].strip() for q in novel.quotes for s, e in q.spans)
