"""PDNC rewritten in fan-fiction punctuation: each change, and the gold carried exactly."""

from __future__ import annotations

import importlib.util
import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pdnc_oracle import FIXTURE_CORPUS

from fabula.evaluation.fic_style import Edit, FicStyle, OffsetMap, perturb_novel, style_for
from fabula.evaluation.pdnc import GoldNovel, GoldQuote, list_novels, read_novel
from fabula.model import QuoteType

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "perturb_pdnc.py"
NOTHING = FicStyle(
    invert_name_tag=0, capitalise_pronoun_tag=0, drop_comma=0, fuse_narration=0, spaced_marks=0
)


def letters(text: str) -> str:
    """What a span must keep: its letters and digits, case-folded; marks and spaces ignored."""
    return "".join(c.casefold() for c in text if c.isalnum())


def novel_of(*paragraphs: str) -> GoldNovel:
    """A gold novel whose quotations are the text between each pair of straight marks."""
    text = "\n\n".join(paragraphs)
    marks = [i for i, c in enumerate(text) if c == '"']
    spans = list(zip(marks[::2], marks[1::2], strict=True))
    quotes = tuple(
        GoldQuote(str(i), ((start + 1, end),), None, (), QuoteType.IMPLICIT, "")
        for i, (start, end) in enumerate(spans)
    )
    return GoldNovel("Test", text, (), quotes, first_person=False, unmapped_names=0)


def rewrite(style: FicStyle, *paragraphs: str) -> tuple[str, list[str]]:
    """The new text and each gold span's new text."""
    novel = perturb_novel(novel_of(*paragraphs), style).novel
    return novel.text, [novel.text[s:e] for q in novel.quotes for s, e in q.spans]


# --- each change, applied everywhere it can be --------------------------------------------


def test_nothing_changes_at_zero_rates() -> None:
    text = '"Come here," she said. "Fine," Ines said.'
    assert rewrite(NOTHING, text)[0] == text


def test_the_comma_before_the_closing_mark_is_dropped() -> None:
    new, spans = rewrite(replace(NOTHING, drop_comma=1), '"Come here," she said.')
    assert new == '"Come here" she said.'
    assert spans == ["Come here"]


def test_a_pronoun_tag_is_capitalised_after_a_full_stop() -> None:
    style = replace(NOTHING, capitalise_pronoun_tag=1)
    assert rewrite(style, '"Hi," she said.')[0] == '"Hi." She said.'
    assert rewrite(style, '"Why?" he asked.')[0] == '"Why?" He asked.'


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ('"Fine," said Ines.', '"Fine." Said Ines.'),
        ('"Fine," Ines said.', '"Fine." Said Ines.'),
        ('"Fine!" said Mr. Quill.', '"Fine!" Said Mr. Quill.'),
        ('"Fine," said the Lantern.', '"Fine." Said the Lantern.'),
        ('"Fine," He said.', '"Fine," He said.'),  # a pronoun is no name
    ],
)
def test_a_named_tag_is_inverted_and_capitalised(before: str, after: str) -> None:
    assert rewrite(replace(NOTHING, invert_name_tag=1), before)[0] == after


def test_a_narration_paragraph_is_fused_with_the_speech_after_it() -> None:
    style = replace(NOTHING, fuse_narration=1)
    new, _ = rewrite(style, "Ines crossed her arms tightly.", '"You\'re late."', "The end came.")
    assert new == 'Ines crossed her arms tightly. "You\'re late."\n\nThe end came.'
    # A heading, or a paragraph that holds speech itself, is left alone.
    heading = ("CHAPTER IV.", '"Hi."')
    assert rewrite(style, *heading)[0] == "\n\n".join(heading)


def test_spaced_marks_take_their_inner_spaces_into_the_gold_span() -> None:
    new, spans = rewrite(replace(NOTHING, spaced_marks=1), '"Theo!" she cried.')
    assert new == '" Theo! " she cried.'
    assert spans == [" Theo! "]


def test_guillemets_replace_every_double_mark_with_inner_spaces() -> None:
    new, spans = rewrite(replace(NOTHING, guillemets=True), '"Hi," she said. "Are you coming?"')
    assert new == "« Hi, » she said. « Are you coming? »"
    assert spans == [" Hi, ", " Are you coming? "]


def test_lowercase_keeps_every_offset() -> None:
    new, spans = rewrite(replace(NOTHING, lowercase=True), '"Hi, Ines," said Theo.')
    assert new == '"hi, ines," said theo.'
    assert spans == ["hi, ines,"]


def test_tags_combine_with_marks_and_lowercase() -> None:
    style = FicStyle(
        invert_name_tag=1,
        capitalise_pronoun_tag=1,
        drop_comma=1,
        fuse_narration=1,
        spaced_marks=1,
        guillemets=True,
    )
    new, spans = rewrite(style, "Mara pulled the door open.", '"Oh. You," Mara said flatly.')
    assert new == "Mara pulled the door open. « Oh. You. » Said Mara flatly."
    assert spans == [" Oh. You. "]


# --- the offset map -----------------------------------------------------------------------


def test_offset_map_carries_spans_through_deletions_replacements_and_insertions() -> None:
    text = "ab,cd efg"
    edits = [Edit(2, 3, ""), Edit(5, 5, "XY"), Edit(6, 9, "E")]
    offsets = OffsetMap(edits)
    new = offsets.apply(text)
    assert new == "abcdXY E"
    assert offsets.map_span(0, 3) == (0, 2)  # the deleted comma leaves the span
    assert offsets.map_span(3, 5) == (2, 6)  # the insertion at its end joins it
    assert offsets.map_span(5, 6) == (4, 7)  # ...and at its start too
    assert offsets.map_span(7, 8) == (7, 8)  # inside a replaced range: the whole replacement


def test_overlapping_edits_are_refused() -> None:
    with pytest.raises(ValueError, match="overlapping"):
        OffsetMap([Edit(0, 3, "x"), Edit(2, 4, "y")])


# --- properties ---------------------------------------------------------------------------

_NAMES = ("Ines", "Theo", "Mr. Quill", "the Lantern")
_WORDS = ("the", "door", "Mara", "late", "ran", "softly", "I", "you", "cup")
_VERBS = ("said", "asked", "cried", "smiled", "went on")
_PRONOUNS = ("he", "she", "they", "He", "I")

_words = st.lists(st.sampled_from(_WORDS), min_size=1, max_size=6).map(" ".join)
_speech = st.tuples(_words, st.sampled_from([",", ".", "?", "!", ""])).map("".join)
_tag = st.one_of(
    st.tuples(st.sampled_from(_VERBS), st.sampled_from(_NAMES)).map(" ".join),
    st.tuples(st.sampled_from(_NAMES), st.sampled_from(_VERBS)).map(" ".join),
    st.tuples(st.sampled_from(_PRONOUNS), st.sampled_from(_VERBS)).map(" ".join),
    _words,
)
_spoken = st.builds(
    lambda first, tag, more, end: f'"{first}"{tag}{more}{end}',
    _speech,
    st.one_of(st.just(""), _tag.map(lambda t: " " + t)),
    st.one_of(st.just(""), _speech.map(lambda s: f', "{s}"')),
    st.sampled_from([".", "", "\n"]),
)
_narration = st.lists(_words.map(lambda w: w.capitalize() + "."), min_size=1, max_size=4).map(
    lambda sentences: " ".join(sentences)
)
_paragraphs = st.lists(st.one_of(_spoken, _narration), min_size=1, max_size=8)
_styles = st.builds(
    FicStyle,
    invert_name_tag=st.sampled_from([0.0, 0.5, 1.0]),
    capitalise_pronoun_tag=st.sampled_from([0.0, 0.5, 1.0]),
    drop_comma=st.sampled_from([0.0, 0.5, 1.0]),
    fuse_narration=st.sampled_from([0.0, 0.5, 1.0]),
    spaced_marks=st.sampled_from([0.0, 0.5, 1.0]),
    guillemets=st.booleans(),
    lowercase=st.booleans(),
)


@settings(max_examples=300, deadline=None)
@given(paragraphs=_paragraphs, style=_styles)
def test_every_gold_span_keeps_its_words_in_bounds_and_in_order(
    paragraphs: list[str], style: FicStyle
) -> None:
    novel = novel_of(*paragraphs)
    new = perturb_novel(novel, style).novel
    previous_end = 0
    for old_quote, new_quote in zip(novel.quotes, new.quotes, strict=True):
        for (start, end), (new_start, new_end) in zip(
            old_quote.spans, new_quote.spans, strict=True
        ):
            assert previous_end <= new_start <= new_end <= len(new.text)
            assert letters(new.text[new_start:new_end]) == letters(novel.text[start:end])
            previous_end = new_end
    # Tags move words, but no letter is lost or made up.
    assert Counter(letters(new.text)) == Counter(letters(novel.text))


@settings(max_examples=50, deadline=None)
@given(paragraphs=_paragraphs)
def test_the_same_novel_is_always_rewritten_the_same_way(paragraphs: list[str]) -> None:
    novel = novel_of(*paragraphs)
    first, second = perturb_novel(novel), perturb_novel(novel)
    assert first.novel == second.novel
    assert first.offsets.edits == second.offsets.edits
    assert first.style == style_for("Test")


# --- which novels, and the real corpus ------------------------------------------------------


def test_a_few_novels_are_all_lowercase_and_a_few_in_guillemets() -> None:
    lowercase = {"AnneOfGreenGables", "HowardsEnd", "TheSignOfTheFour"}
    guillemets = {"Emma", "NightAndDay", "ThePictureOfDorianGray"}
    for name in lowercase | guillemets | {"Persuasion", "TheGambler"}:
        assert style_for(name).lowercase is (name in lowercase)
        assert style_for(name).guillemets is (name in guillemets)


@pytest.mark.pdnc
def test_every_pdnc_quotation_keeps_its_words(pdnc_dir: Path) -> None:
    for name in list_novels(pdnc_dir):
        novel = read_novel(pdnc_dir, name)
        new = perturb_novel(novel).novel
        assert new.text != novel.text, name
        for old_quote, new_quote in zip(novel.quotes, new.quotes, strict=True):
            for (start, end), (new_start, new_end) in zip(
                old_quote.spans, new_quote.spans, strict=True
            ):
                assert letters(new.text[new_start:new_end]) == letters(novel.text[start:end])


def test_the_script_writes_a_pdnc_folder_of_the_rewritten_novel(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("perturb_pdnc", SCRIPT)
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    sys.modules["perturb_pdnc"] = script
    spec.loader.exec_module(script)
    script.main(["TinyTale", "--pdnc", str(FIXTURE_CORPUS), "-o", str(tmp_path)])
    written = read_novel(tmp_path, "TinyTale")
    expected = perturb_novel(read_novel(FIXTURE_CORPUS, "TinyTale")).novel
    assert written.text == expected.text
    assert [q.spans for q in written.quotes] == [q.spans for q in expected.quotes]
    assert [q.speaker for q in written.quotes] == [q.speaker for q in expected.quotes]
