"""BookNLP-compatible files for one work, so scripts written for BookNLP can read fabula's results.

BookNLP (github.com/booknlp/booknlp) writes ``<id>.tokens``, ``<id>.entities`` and ``<id>.quotes``
(tab-separated, one header line) and ``<id>.book`` (JSON). These are the same files, with
BookNLP's column names in BookNLP's order, filled from a ``Story``. Where fabula has nothing to
put, the file says so in a way BookNLP's readers accept:

- ``lemma`` is spaCy's rule lemma, ``event`` is ``EVENT`` on fabula's realis-event words;
- ``agent``, ``patient``, ``mod`` and ``poss`` in ``.book`` come from fabula's profiles: one
  ``{"w": word, "i": token}`` per example kept there (up to three per word), ``i`` being the
  character's mention (BookNLP points at the verb);
- ``byte_onset``/``byte_offset`` are character offsets into the story's text (``byte_offset``
  excluded), as they are in BookNLP itself despite their names.

``.entities`` holds only mentions of fabula's characters (category ``PER``), and ``.quotes`` only
quotations with a speaker; README "BookNLP-compatible files" lists every difference.
"""

from __future__ import annotations

import json
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any, TextIO, TypeVar

from fabula.errors import ConfigError
from fabula.model import CharacterId, Mention, MentionKind, Profile, Quote, Story, TokenTable
from fabula.nlp import lemma_of
from fabula.typography import CLOSING_QUOTES, DASHES, OPENING_QUOTES

__all__ = ["ENTITIES_COLUMNS", "QUOTES_COLUMNS", "TOKENS_COLUMNS", "write_booknlp"]

TOKENS_COLUMNS = (
    "paragraph_ID",
    "sentence_ID",
    "token_ID_within_sentence",
    "token_ID_within_document",
    "word",
    "lemma",
    "byte_onset",
    "byte_offset",
    "POS_tag",
    "fine_POS_tag",
    "dependency_relation",
    "syntactic_head_ID",
    "event",
)
ENTITIES_COLUMNS = ("COREF", "start_token", "end_token", "prop", "cat", "text")
QUOTES_COLUMNS = (
    "quote_start",
    "quote_end",
    "mention_start",
    "mention_end",
    "mention_phrase",
    "char_id",
    "quote",
)

NO_EVENT = "O"
EVENT = "EVENT"
PERSON = "PER"
PROP_BY_KIND = {MentionKind.NAME: "PROP", MentionKind.PRONOUN: "PRON", MentionKind.NOMINAL: "NOM"}
# .book's three lists of a character's names, in BookNLP's order.
MENTIONS_KEY_BY_KIND = {
    MentionKind.NAME: "proper",
    MentionKind.NOMINAL: "common",
    MentionKind.PRONOUN: "pronoun",
}
# BookNLP's referential gender categories, by fabula's gender.
GENDER_CATEGORIES = {"he": "he/him/his", "she": "she/her", "they": "they/them/their"}
# BookNLP's .quotes has no mention to give when the speaker is not named near the quotation.
NO_TOKEN = -1
# Removed from the ends of a quotation's text: the marks that open and close it (a dash opens
# speech in dash-dialogue texts).
# A word never holds a tab or a line break once written, or the row would break; BookNLP writes
# a space as S, a line break as N and a tab as T.
WORD_WHITESPACE = str.maketrans(
    {" ": "S", "\t": "T"} | dict.fromkeys("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029", "N")
)

Writer = Callable[[TextIO], None]
Written = TypeVar("Written")


def write_booknlp(story: Story, write_file: Callable[[str, Writer], Written]) -> list[Written]:
    """Write the four files through ``write_file(suffix, writer)``, which opens the file for
    ``suffix`` ("tokens", "entities", "quotes", "book"), calls ``writer`` with it and returns
    what it likes (the CLI: the path, written atomically).

    The token ids come from the pipeline's own parse, kept on ``story.tokens`` when the
    story was analysed with ``Settings(keep_tokens=True)``: the text is never parsed twice.
    """
    tokens = story.tokens
    if tokens is None:
        raise ConfigError(
            "BookNLP files need the story's tokens: analyse it with Settings(keep_tokens=True)"
        )
    return [
        write_file("tokens", lambda file: _write_tokens(story, tokens, file)),
        write_file("entities", lambda file: _write_entities(story, tokens, file)),
        write_file("quotes", lambda file: _write_quotes(story, tokens, file)),
        write_file("book", lambda file: _write_book(story, tokens, file)),
    ]


def _write_tokens(story: Story, tokens: TokenTable, file: TextIO) -> None:
    """One row per token; paragraph, sentence and token ids count from 0 over the whole work."""
    _write_row(file, TOKENS_COLUMNS)
    events = {event.char_start for event in story.events}
    for index in range(len(tokens)):
        start, end = tokens.char_starts[index], tokens.char_ends[index]
        sentence = tokens.sentences[index]
        pos, tag, dep = tokens.labels[tokens.label_ids[index]]
        text = story.text[start:end]
        word = text.translate(WORD_WHITESPACE)
        _write_row(
            file,
            (
                tokens.sentence_paragraphs[sentence],
                sentence,
                index - tokens.sentence_starts[sentence],
                index,
                word,
                lemma_of(text, tag, pos).translate(WORD_WHITESPACE) or word.lower(),
                start,
                end,
                pos,
                tag,
                dep,
                tokens.heads[index],
                EVENT if start in events else NO_EVENT,
            ),
        )


def _write_entities(story: Story, tokens: TokenTable, file: TextIO) -> None:
    """One row per mention of a character, in text order; mentions of no one are left out."""
    _write_row(file, ENTITIES_COLUMNS)
    coref_ids = _coref_ids(story)
    by_position = sorted(_character_mentions(story), key=lambda m: (m[1].char_start, m[1].char_end))
    for character, mention in by_position:
        span = tokens.covering(mention.char_start, mention.char_end)
        if span is not None:
            kind = PROP_BY_KIND[mention.kind]
            row = (coref_ids[character], *span, kind, PERSON, _phrase(story, mention))
            _write_row(file, row)


def _write_quotes(story: Story, tokens: TokenTable, file: TextIO) -> None:
    """One row per quotation with a speaker (each part of an interrupted one is a quotation).

    The mention is the speaker's nearest one in the narration of the quotation's paragraph
    (outside every quotation; the earlier on a tie), else -1, -1 and an empty phrase: in
    ``"Late," said Wren.`` it is ``Wren``.
    """
    _write_row(file, QUOTES_COLUMNS)
    coref_ids = _coref_ids(story)
    paragraph_starts = [p.char_start for p in story.paragraphs]
    narration = _narration_mentions(story)
    narration_starts = [m.char_start for m in narration]
    for quote in story.quotes:
        span = tokens.covering(quote.char_start, quote.char_end)
        if quote.speaker is None or span is None:
            continue
        paragraph = story.paragraphs[_paragraph_position(paragraph_starts, quote.char_start)]
        in_paragraph = narration[
            bisect_left(narration_starts, paragraph.char_start) : bisect_left(
                narration_starts, paragraph.char_end
            )
        ]
        mention = _nearest(quote, (m for m in in_paragraph if m.character == quote.speaker))
        mention_span = tokens.covering(mention.char_start, mention.char_end) if mention else None
        mention_start, mention_end = mention_span or (NO_TOKEN, NO_TOKEN)
        phrase = _phrase(story, mention) if mention_span else ""
        text = _strip_marks(story.text[quote.char_start : quote.char_end])
        row = (*span, mention_start, mention_end, phrase, coref_ids[quote.speaker], text)
        _write_row(file, row)


def _write_book(story: Story, tokens: TokenTable, file: TextIO) -> None:
    """BookNLP's character file: every character, most mentioned first.

    BookNLP keeps only characters mentioned at least twice; fabula's cast is already filtered,
    so all of it is listed, and every ``char_id`` of ``.quotes`` is found here.
    """
    names: dict[CharacterId, dict[MentionKind, Counter[str]]] = {
        c.id: {kind: Counter() for kind in MentionKind} for c in story.characters
    }
    profiles = {profile.character: profile for profile in story.profiles}
    for character, mention in _character_mentions(story):
        names[character][mention.kind][_phrase(story, mention)] += 1
    entries = [
        {
            "id": coref,
            "count": sum(sum(counts.values()) for counts in names[character.id].values()),
            "mentions": {
                key: [
                    {"c": count, "n": name}
                    for name, count in names[character.id][kind].most_common()
                ]
                for kind, key in MENTIONS_KEY_BY_KIND.items()
            },
            "g": _gender(character.gender),
            **_profile_lists(profiles.get(character.id), tokens),
        }
        for coref, character in enumerate(story.characters)
    ]
    entries.sort(key=lambda entry: -entry["count"])  # stable: equal counts keep COREF order
    # ASCII, as BookNLP writes it: its readers often open the file without naming an encoding.
    json.dump({"characters": entries}, file)
    file.write("\n")


def _gender(gender: str | None) -> dict[str, Any] | None:
    """BookNLP's inferred referential gender, from fabula's decided one; null when unknown, as
    BookNLP leaves a character without evidence. "she" -> argmax "she/her", inference 1.0."""
    category = GENDER_CATEGORIES.get(gender) if gender else None
    if category is None:
        return None
    inference = {c: 1.0 if c == category else 0.0 for c in GENDER_CATEGORIES.values()}
    return {"inference": inference, "argmax": category, "max": 1.0, "total": 1.0}


def _coref_ids(story: Story) -> dict[CharacterId, int]:
    """BookNLP's integer COREF per character: its position in ``story.characters``."""
    return {character.id: i for i, character in enumerate(story.characters)}


def _character_mentions(story: Story) -> Iterable[tuple[CharacterId, Mention]]:
    """The mentions that refer to a character, with that character."""
    return ((m.character, m) for m in story.mentions if m.character is not None)


def _narration_mentions(story: Story) -> list[Mention]:
    """Character mentions outside every quotation, by start."""
    quote_starts = [q.char_start for q in story.quotes]

    def in_a_quote(mention: Mention) -> bool:
        position = bisect_right(quote_starts, mention.char_start) - 1
        return position >= 0 and mention.char_start < story.quotes[position].char_end

    outside = (m for _, m in _character_mentions(story) if not in_a_quote(m))
    return sorted(outside, key=lambda m: m.char_start)


def _nearest(quote: Quote, mentions: Iterable[Mention]) -> Mention | None:
    def distance(mention: Mention) -> tuple[int, int]:
        if mention.char_end <= quote.char_start:
            return quote.char_start - mention.char_end, mention.char_start
        return mention.char_start - quote.char_end, mention.char_start

    return min(mentions, key=distance, default=None)


def _paragraph_position(paragraph_starts: list[int], char_start: int) -> int:
    return max(bisect_right(paragraph_starts, char_start) - 1, 0)


def _phrase(story: Story, mention: Mention) -> str:
    """A mention's words as in the text, whitespace collapsed (a name can break over lines)."""
    return " ".join(story.text[mention.char_start : mention.char_end].split())


def _strip_marks(quotation: str) -> str:
    """``"Wait, for\\nme,"`` -> ``Wait, for me,``: one mark off each end, whitespace collapsed."""
    if quotation[:1] in OPENING_QUOTES | DASHES:
        quotation = quotation[1:]
    if quotation[-1:] in CLOSING_QUOTES:
        quotation = quotation[:-1]
    return " ".join(quotation.split())


def _write_row(file: TextIO, values: Iterable[object]) -> None:
    file.write("\t".join(map(str, values)))
    file.write("\n")


def _profile_lists(profile: Profile | None, tokens: TokenTable) -> dict[str, list[dict]]:
    """BookNLP's ``agent``/``patient``/``mod``/``poss``: ``{"w", "i"}`` per kept example."""
    lists: dict[str, list[dict]] = {"agent": [], "patient": [], "mod": [], "poss": []}
    if profile is None:
        return lists
    for key, words in (
        ("agent", profile.agent),
        ("patient", profile.patient),
        ("mod", profile.modifiers),
        ("poss", profile.possessions),
    ):
        for entry in words:
            for offset in entry.examples:
                span = tokens.covering(offset, offset + 1)
                if span is not None:
                    lists[key].append({"w": entry.word, "i": span[0]})
    return lists
