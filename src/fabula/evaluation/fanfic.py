"""Reads fanfic-dev, the project's annotated fan fiction, into the gold records PDNC fills.

A corpus folder holds one folder per story with ``story.txt``, ``characters.json`` and
``quotes.jsonl`` (the corpus README gives the format). Characters have no ids in the data:
the canonical name is the id. Each gold line is one quotation part with its marks, so the
novel is read with ``split_quotations``; lines said by a group or by nobody knowable keep
counting as quotations but not for speaker accuracy.
"""

from __future__ import annotations

import json
from pathlib import Path

from fabula.errors import InputError
from fabula.evaluation.pdnc import GoldCharacter, GoldNovel, GoldQuote
from fabula.evaluation.scoring import narrator_id
from fabula.model import KnownCharacter, QuoteType

STORY_FILE = "story.txt"
CHARACTERS_FILE = "characters.json"
QUOTES_FILE = "quotes.jsonl"
# Speaker values that name no single character: the line is found but not attributed.
NO_SINGLE_SPEAKER = frozenset({"_group", "_unknowable"})
# The pronouns a known cast accepts (as ``--cast`` does); fanfic-dev's "it" gives none.
_CAST_GENDERS = frozenset({"he", "she", "they"})
_QUOTE_KEYS = ("id", "start", "end", "text", "speaker", "addressees", "type", "cue")


def list_stories(corpus_dir: Path) -> tuple[str, ...]:
    """Names of the story folders under ``corpus_dir``, sorted for a stable order."""
    if not corpus_dir.is_dir():
        raise InputError(f"fanfic folder not found: {corpus_dir}")
    return tuple(sorted(p.name for p in corpus_dir.iterdir() if (p / STORY_FILE).is_file()))


def read_story(corpus_dir: Path, name: str) -> GoldNovel:
    """Read one story; gold names resolve to characters by canonical name.

    ``read_story(Path("fanfic-dev"), "bennet_sisters").quotes[0].speaker`` → ``"Lydia Bennet"``.
    A quotation whose ``text`` is not the story's text at its offsets is an ``InputError``.
    """
    folder = corpus_dir / name
    if not (folder / STORY_FILE).is_file():
        raise InputError(f"no fanfic story named {name!r} in {corpus_dir}")
    text = (folder / STORY_FILE).read_text(encoding="utf-8")
    characters = _read_characters(folder / CHARACTERS_FILE)
    names = {c.id for c in characters}
    misses = 0
    quotes: list[GoldQuote] = []
    for where, record in _read_jsonl(folder / QUOTES_FILE):
        quote, missed = _gold_quote(record, text, names, where)
        quotes.append(quote)
        misses += missed
    return GoldNovel(
        name=name,
        text=text,
        characters=characters,
        quotes=tuple(quotes),
        # A narrator's own tags ("I said") mark a first-person story, as PDNC's index does.
        first_person=any(q.referring_expression.startswith("I ") for q in quotes),
        unmapped_names=misses,
        split_quotations=True,
    )


def gold_cast(novel: GoldNovel) -> tuple[KnownCharacter, ...]:
    """The story's characters as the known cast fabula accepts (``--gold-cast``); the
    first-person narrator (``narrator_id``) is marked as the narrator."""
    narrator = narrator_id(novel)
    return tuple(
        KnownCharacter(
            name=c.main_name,
            aliases=tuple(dict.fromkeys(a for a in c.aliases if a != c.main_name)),
            gender=c.gender if c.gender in _CAST_GENDERS else None,
            is_narrator=c.id == narrator,
        )
        for c in novel.characters
    )


def _read_characters(path: Path) -> tuple[GoldCharacter, ...]:
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InputError(f"{path}: not a readable JSON character list ({error})") from error
    if not isinstance(entries, list):
        raise InputError(f"{path}: expected a JSON list of characters")
    characters: list[GoldCharacter] = []
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            raise InputError(f"{path}: entry {index} has no name")
        aliases = entry.get("aliases", [])
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            raise InputError(f"{path}: entry {index}: aliases must be a list of strings")
        name = entry["name"].strip()
        characters.append(
            GoldCharacter(
                id=name,
                main_name=name,
                aliases=tuple(a.strip() for a in aliases),
                gender=str(entry.get("gender") or ""),
                category="",
            )
        )
    if len({c.id for c in characters}) != len(characters):
        raise InputError(f"{path}: two characters share a name")
    return tuple(characters)


def _read_jsonl(path: Path) -> list[tuple[str, dict]]:
    """Each line's record with its ``file:line`` for error messages."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"{path}: cannot read it ({error})") from error
    records: list[tuple[str, dict]] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise InputError(f"{where}: not valid JSON ({error.msg})") from error
        if not isinstance(record, dict) or any(key not in record for key in _QUOTE_KEYS):
            raise InputError(f"{where}: a quotation needs the keys {', '.join(_QUOTE_KEYS)}")
        records.append((where, record))
    return records


def _gold_quote(record: dict, text: str, names: set[str], where: str) -> tuple[GoldQuote, int]:
    """The record as a gold quotation, and how many of its names matched no character."""
    start, end = record["start"], record["end"]
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
        raise InputError(f"{where}: offsets {start}-{end} are outside the story")
    if text[start:end] != record["text"]:
        raise InputError(f"{where}: the text at {start}-{end} is not the quotation's text")
    if not isinstance(record["addressees"], list):
        raise InputError(f"{where}: addressees must be a list of names")
    speaker = str(record["speaker"]).strip()
    addressees = [str(a).strip() for a in record["addressees"]]
    known_addressees = [a for a in addressees if a in names]
    misses = sum(a not in names and a not in NO_SINGLE_SPEAKER for a in addressees)
    scored = speaker not in NO_SINGLE_SPEAKER
    if scored and speaker not in names:
        misses += 1
    quote = GoldQuote(
        id=str(record["id"]),
        spans=((start, end),),
        speaker=speaker if speaker in names else None,
        addressees=tuple(dict.fromkeys(known_addressees)),
        type=_quote_type(record["type"]),
        referring_expression=str(record["cue"] or "").strip(),
        speaker_scored=scored,
    )
    return quote, misses


def _quote_type(value: object) -> QuoteType | None:
    try:
        return QuoteType(str(value).strip().lower())
    except ValueError:
        return None
