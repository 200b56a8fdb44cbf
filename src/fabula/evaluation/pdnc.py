"""Reads the Project Dialogism Novel Corpus (PDNC) into typed gold records.

The records (``GoldNovel``, ``GoldCharacter``, ``GoldQuote``) are what scoring reads; other
corpora's readers (``fanfic.py``) fill the same records so that every corpus is scored alike.

A corpus folder holds ``PDNC-Novel-Index.csv`` and ``data/<Novel>/`` with ``novel_text.txt``,
``quotation_info.csv`` and ``character_info.csv``. PDNC names speakers and addressees by
name; reading resolves each name to a gold character id once, so scoring compares ids.
"""

from __future__ import annotations

import ast
import csv
from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path

from fabula.errors import InputError
from fabula.model import KnownCharacter, Paragraph, QuoteSpan, QuoteType
from fabula.typography import CLOSING_QUOTES, OPENING_QUOTES

_INDEX_FILE = "PDNC-Novel-Index.csv"
_GENDER_PRONOUNS = {"M": "he", "F": "she"}


@dataclass(frozen=True, slots=True)
class GoldCharacter:
    id: str
    main_name: str
    aliases: tuple[str, ...]
    gender: str  # PDNC's letter: M, F, U (unknown) or X (not annotated); fanfic-dev's pronoun
    category: str  # PDNC's major / intermediate / minor; empty where a corpus does not rank


@dataclass(frozen=True, slots=True)
class GoldQuote:
    """One gold quotation; a PDNC quotation interrupted by a tag keeps all its sub-spans (marks
    excluded), a fanfic-dev quotation is one part (marks included)."""

    id: str
    spans: tuple[tuple[int, int], ...]
    speaker: str | None  # gold character id; None when the name matches no character
    addressees: tuple[str, ...]  # gold character ids of the names that matched one
    type: QuoteType | None  # None for the few rows PDNC left untyped ("nan")
    referring_expression: str
    # False for speech no single character says (fanfic-dev's ``_group``, ``_unknowable``):
    # the quotation counts for finding quotations, not for speaker accuracy.
    speaker_scored: bool = True


@dataclass(frozen=True, slots=True)
class GoldNovel:
    name: str
    text: str
    characters: tuple[GoldCharacter, ...]
    quotes: tuple[GoldQuote, ...]
    first_person: bool
    unmapped_names: int  # speaker/addressee names that matched no character (or several)
    # True when each part of a quotation broken by a tag is its own gold quotation (fanfic-dev):
    # quotation precision then counts predicted parts one by one instead of whole quotations.
    split_quotations: bool = False


def list_novels(corpus_dir: Path) -> tuple[str, ...]:
    """Names of the novel folders under ``corpus_dir/data``, sorted for a stable order."""
    data_dir = corpus_dir / "data"
    if not data_dir.is_dir():
        raise InputError(f"not a PDNC folder (no data/ inside): {corpus_dir}")
    return tuple(sorted(p.name for p in data_dir.iterdir() if (p / "novel_text.txt").is_file()))


def read_novel(corpus_dir: Path, name: str) -> GoldNovel:
    """Read one novel; gold names resolve exactly first, then ignoring case and outer spaces.

    ``read_novel(Path("pdnc"), "Emma").quotes[0].speaker`` → ``"3"`` (an id, not a name).
    """
    folder = corpus_dir / "data" / name
    if not folder.is_dir():
        raise InputError(f"no PDNC novel named {name!r} in {corpus_dir / 'data'}")
    text = (folder / "novel_text.txt").read_text(encoding="utf-8")
    characters = _read_characters(folder / "character_info.csv")
    resolve = _NameResolver(characters)
    quotes = tuple(_read_quotes(folder / "quotation_info.csv", resolve))
    return GoldNovel(
        name=name,
        text=text,
        characters=characters,
        quotes=quotes,
        first_person=_first_person_novels(corpus_dir).get(name, False),
        unmapped_names=resolve.misses,
    )


def gold_cast(novel: GoldNovel) -> tuple[KnownCharacter, ...]:
    """The gold characters as the known cast fabula accepts (``--gold-cast``)."""
    return tuple(
        KnownCharacter(
            name=c.main_name,
            aliases=tuple(a for a in c.aliases if a != c.main_name),
            gender=_GENDER_PRONOUNS.get(c.gender),
            # PDNC marks the first-person narrator with the alias "_narr".
            is_narrator="_narr" in c.aliases,
        )
        for c in novel.characters
    )


def gold_quote_spans(novel: GoldNovel, paragraphs: tuple[Paragraph, ...]) -> tuple[QuoteSpan, ...]:
    """The gold quotations as the spans fabula's segmentation would give (``--gold-quotes``).

    PDNC's sub-spans leave the marks out; each is widened over an adjacent mark, as fabula's
    spans include them. The later sub-spans of an interrupted quotation continue the one before.
    """
    starts = [paragraph.char_start for paragraph in paragraphs]
    text = novel.text
    found: list[QuoteSpan] = []
    for quote in sorted(novel.quotes, key=lambda q: q.spans[0]):
        previous_part = None
        for start, end in sorted(quote.spans):
            if end <= start or (found and start < found[-1].char_end):
                continue
            if start > 0 and text[start - 1] in OPENING_QUOTES:
                start -= 1
            if end < len(text) and text[end] in CLOSING_QUOTES:
                end += 1
            found.append(
                QuoteSpan(
                    char_start=start,
                    char_end=end,
                    paragraph_index=max(bisect_right(starts, start) - 1, 0),
                    continues=previous_part,
                )
            )
            previous_part = len(found) - 1
    return tuple(found)


def _read_characters(path: Path) -> tuple[GoldCharacter, ...]:
    with path.open(encoding="utf-8", newline="") as handle:
        return tuple(
            GoldCharacter(
                id=row["Character ID"].strip(),
                main_name=row["Main Name"].strip(),
                # Aliases are a set literal in most novels and a list in some: sort for stability.
                aliases=tuple(sorted(a.strip() for a in ast.literal_eval(row["Aliases"]))),
                gender=row["Gender"].strip(),
                category=row["Category"].strip(),
            )
            for row in csv.DictReader(handle)
        )


def _read_quotes(path: Path, resolve: _NameResolver) -> list[GoldQuote]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            GoldQuote(
                id=row["quoteID"],
                spans=tuple((int(s), int(e)) for s, e in ast.literal_eval(row["quoteByteSpans"])),
                speaker=resolve(row["speaker"]),
                addressees=tuple(
                    dict.fromkeys(a for a in map(resolve, ast.literal_eval(row["addressees"])) if a)
                ),
                type=_quote_type(row["quoteType"]),
                referring_expression=_text_or_empty(row["referringExpression"]),
            )
            for row in csv.DictReader(handle)
        ]


def _quote_type(value: str) -> QuoteType | None:
    try:
        return QuoteType(value.strip().lower())
    except ValueError:
        return None


def _text_or_empty(value: str) -> str:
    # PDNC was written with pandas: a missing value is the string "nan".
    return "" if value.strip() == "nan" else value.strip()


def _first_person_novels(corpus_dir: Path) -> dict[str, bool]:
    """Folder name → whether PDNC's index calls the narration first-person ("1.0")."""
    index = corpus_dir / _INDEX_FILE
    if not index.is_file():
        return {}
    with index.open(encoding="utf-8", newline="") as handle:
        return {
            row["Folder Name"]: row["Narrative Person"].strip().startswith("1")
            for row in csv.DictReader(handle)
            if row.get("Folder Name")
        }


class _NameResolver:
    """Maps a PDNC speaker/addressee name to the one character that bears it; counts misses.

    A name that several characters bear (Persuasion's "Charles") resolves to none.
    """

    def __init__(self, characters: tuple[GoldCharacter, ...]) -> None:
        self._exact: dict[str, set[str]] = {}
        self._folded: dict[str, set[str]] = {}
        for character in characters:
            for name in {character.main_name, *character.aliases}:
                self._exact.setdefault(name, set()).add(character.id)
                self._folded.setdefault(name.casefold(), set()).add(character.id)
        self.misses = 0

    def __call__(self, name: str) -> str | None:
        # Some gold names carry a trailing space ("Frederick Tilney ").
        name = name.strip()
        owners = self._exact.get(name) or self._folded.get(name.casefold(), set())
        if len(owners) == 1:
            return next(iter(owners))
        self.misses += 1
        return None
