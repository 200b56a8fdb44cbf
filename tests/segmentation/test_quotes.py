"""Quotations: conventions, apostrophes, tags, multi-paragraph speech and flawed marks."""

from __future__ import annotations

from fabula.model import QuoteSpan
from fabula.segmentation.paragraphs import find_paragraphs
from fabula.segmentation.quotes import find_quotes


def quotes_of(text: str) -> tuple[list[str], tuple[QuoteSpan, ...], tuple[str, ...]]:
    spans, notes = find_quotes(text, find_paragraphs(text))
    return [text[s.char_start : s.char_end] for s in spans], spans, notes


def test_straight_double_quotes_include_marks() -> None:
    found, spans, notes = quotes_of('"Is it raining?" asked Bea.\n\nNo one answered.')
    assert found == ['"Is it raining?"']
    assert spans[0] == QuoteSpan(char_start=0, char_end=16, paragraph_index=0)
    assert notes == ()


def test_curly_double_quotes_with_nested_single() -> None:
    found, _, _ = quotes_of("“He told me ‘never again’ and left,” said Rook.")
    assert found == ["“He told me ‘never again’ and left,”"]


def test_interrupted_quotation_continues_first_part() -> None:
    found, spans, _ = quotes_of('"Wait," she said, "for me."')
    assert found == ['"Wait,"', '"for me."']
    assert spans[1].continues == 0


def test_separate_quotations_after_long_narration_are_not_linked() -> None:
    story = (
        '"Done." Marguerite set down the brush, wiped each finger on her apron in turn and '
        'stepped back to look at the wall for a long while. "What now?"'
    )
    _, spans, _ = quotes_of(story)
    assert [s.continues for s in spans] == [None, None]


def test_single_quote_convention_ignores_apostrophes() -> None:
    story = (
        "'I've read the boys' books twice,' said Nell.\n\n"
        "'Rock 'n' roll at six o'clock? Tell 'em no.'\n\n"
        "'I'm goin' home,' Ed said. 'Don't wait.'\n\n"
        "Nell's answer was a shrug."
    )
    found, _, notes = quotes_of(story)
    assert found == [
        "'I've read the boys' books twice,'",
        "'Rock 'n' roll at six o'clock? Tell 'em no.'",
        "'I'm goin' home,'",
        "'Don't wait.'",
    ]
    assert notes == ()


def test_detached_contractions_in_old_typesetting() -> None:
    found, _, _ = quotes_of("'It 's late, and you 'll see,' said Abe.\n\n'Fine.'")
    assert found == ["'It 's late, and you 'll see,'", "'Fine.'"]


def test_curly_single_quote_convention_with_nested_double() -> None:
    story = "‘She said “go” and I went,’ Ann said.\n\n‘Fine,’ said Joe. ‘It’s late.’"
    found, spans, _ = quotes_of(story)
    assert found == ["‘She said “go” and I went,’", "‘Fine,’", "‘It’s late.’"]
    assert spans[2].continues == 1


def test_double_convention_ignores_single_marks() -> None:
    found, _, _ = quotes_of("\"It's the 'best' one,\" said Lu.\n\n'Twas late, and Lu's cat slept.")
    assert found == ["\"It's the 'best' one,\""]


def test_speech_running_over_paragraphs() -> None:
    story = '"The first part goes on\n\n"and the second ends here."\n\nThey stood.'
    found, spans, notes = quotes_of(story)
    assert found == ['"The first part goes on', '"and the second ends here."']
    assert (spans[0].closed, spans[1].continues) == (False, 0)
    assert notes == ()


def test_unclosed_quotation_closes_at_paragraph_end_with_note() -> None:
    story = '"Nobody closes this one, said Uma.\n\nThe kettle boiled.\n\n"Tea?"'
    found, spans, notes = quotes_of(story)
    assert found == ['"Nobody closes this one, said Uma.', '"Tea?"']
    assert spans[0].closed is False
    assert spans[1].continues is None
    assert notes == ("paragraph 0: unbalanced quotation mark; quotation closed at paragraph end",)


def test_unclosed_quotation_before_a_heading_is_noted() -> None:
    _, spans, notes = quotes_of('"Never finished\n\nChapter 2\n\n"New start."')
    assert [s.continues for s in spans] == [None, None]
    assert notes == ("paragraph 0: unbalanced quotation mark; quotation closed at paragraph end",)


def test_stray_mark_after_closing_quote_is_recovered_locally() -> None:
    story = '"Sit," said Ode." Then she sat too.\n\n"Good," said Ode.'
    found, _, notes = quotes_of(story)
    assert found == ['"Sit,"', '"Good,"']
    assert notes == ("paragraph 0: stray closing quotation mark ignored",)


def test_doubled_closing_mark() -> None:
    found, _, notes = quotes_of('"Enough."" Kai walked out.')
    assert found == ['"Enough.""']
    assert notes == ("paragraph 0: doubled closing quotation mark",)


def test_missing_closing_mark_before_next_opening() -> None:
    story = '"I lost it, she said. "Where?" asked Tim.'
    found, spans, notes = quotes_of(story)
    assert found == ['"I lost it, she said.', '"Where?"']
    assert spans[0].closed is False
    assert len(notes) == 1


def test_scare_quotes_in_narration_are_dropped() -> None:
    found, _, _ = quotes_of('They called it "the shed" in town.\n\n"Come in," said Pell.')
    assert found == ['"Come in,"']


def test_headings_hold_no_quotations() -> None:
    found, _, _ = quotes_of('Chapter 3: "Hello"\n\n"Hi," said Vee.')
    assert found == ['"Hi,"']


def test_no_dialogue() -> None:
    assert find_quotes("A quiet day.", find_paragraphs("A quiet day.")) == ((), ())
    assert find_quotes("", ()) == ((), ())


DASH_DIALOGUE = (
    "Mara and Theo stood on the quay while the boats came in.\n\n"
    "— Where are you going? — asked Mara.\n\n"
    "— Home, — said Theo. — It is late.\n\n"
    "— I — I thought you would stay.\n\n"
    "Theo shrugged and looked at the water.\n\n"
    "— Not tonight."
)


def test_dash_dialogue_alternates_speech_and_tags() -> None:
    texts, spans, notes = quotes_of(DASH_DIALOGUE)
    assert texts == [
        "— Where are you going?",
        "— Home,",
        "— It is late.",
        "— I — I thought you would stay.",
        "— Not tonight.",
    ]
    assert [span.continues for span in spans] == [None, None, 1, None, None]
    assert notes == ()


def test_a_few_dashes_in_quoted_prose_are_not_a_convention() -> None:
    text = (
        '"Wait," said Mara.\n\n'
        "— and then the rain came, as it always did.\n\n"
        '"Here," said Theo — and he pointed.'
    )
    texts, _, _ = quotes_of(text)
    assert texts == ['"Wait,"', '"Here,"']
