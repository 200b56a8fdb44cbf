"""Scores a ``Story`` against a PDNC gold novel under fixed, tool-neutral rules.

The rules are a contract so that numbers compare across tools and over time:

- Every gold quotation counts; one that no prediction matches is wrong.
- A predicted quote matches a gold quotation when it overlaps one of the gold sub-spans by at
  least half the longer of the two (fabula's spans include the marks, PDNC's do not; PDNC's
  spans are sometimes off by a few characters). Matching is one-to-one, greedy by overlap.
- A predicted character maps to the gold character owning more than half of its names
  (fallbacks for PDNC's duplicate entries and for narrators: see ``map_characters``).
- Speaker accuracy = matched quotes whose speaker maps to the gold speaker / gold quotations,
  leaving out gold quotations no single character says (``GoldQuote.speaker_scored``).
- Quotation precision counts a predicted quotation split around a tag once, as PDNC annotates
  it, or each part alone where the gold annotates parts (``GoldNovel.split_quotations``).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields

from fabula.evaluation.pdnc import GoldCharacter, GoldNovel, GoldQuote
from fabula.model import Character, CharacterId, Quote, QuoteId, QuoteType, Story
from fabula.training.metrics import PRF

_NOT_NAME = re.compile(r"[^\w\s]|_")


@dataclass(frozen=True, slots=True)
class Ratio:
    """Hits over a total, kept as counts so novels can be summed (micro-averaged)."""

    hits: float
    total: int

    @property
    def rate(self) -> float | None:
        """None when nothing was counted, so an empty category is not reported as 0%."""
        return self.hits / self.total if self.total else None

    def __add__(self, other: Ratio) -> Ratio:
        return Ratio(self.hits + other.hits, self.total + other.total)


@dataclass(frozen=True, slots=True)
class Metrics:
    quote_recall: Ratio  # matched gold quotations / gold quotations
    # Matched predicted quotations / predicted quotations, counting a quote split around a
    # speech tag (later parts linked by ``continues``) once, as PDNC counts it, unless the gold
    # counts parts (``GoldNovel.split_quotations``).
    quote_precision: Ratio
    speaker: Ratio  # over the gold quotations whose speaker is scored
    speaker_explicit: Ratio
    speaker_anaphoric: Ratio
    speaker_implicit: Ratio
    addressee_f1: Ratio  # summed F1 over gold quotations with a non-empty addressee set
    addressee_exact: Ratio
    unmapped_speaker_share: Ratio  # matched quotes whose (non-None) speaker maps to nothing
    predicted_characters: int
    unmapped_speaking_characters: int  # speak a matched quote, map to no gold character
    unmapped_gold_names: int  # gold speaker/addressee names the reader could not resolve

    def __add__(self, other: Metrics) -> Metrics:
        return Metrics(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))

    def rates(self) -> dict[str, float | None]:
        """Each ratio's rate by field name."""
        return {
            f.name: value.rate
            for f in fields(self)
            if isinstance(value := getattr(self, f.name), Ratio)
        }


def macro_average(per_novel: Sequence[Metrics]) -> dict[str, float | None]:
    """Each rate averaged over the novels that have it, so every novel weighs the same."""
    rates = [m.rates() for m in per_novel]
    averages: dict[str, float | None] = {}
    for name in rates[0] if rates else ():
        present = [r[name] for r in rates if r[name] is not None]
        averages[name] = sum(present) / len(present) if present else None
    return averages


@dataclass(frozen=True, slots=True)
class QuoteScore:
    """How one gold quotation fared: for error analysis in ``--json`` output."""

    gold_id: str
    type: QuoteType | None
    predicted_id: QuoteId | None
    gold_speaker: str | None
    predicted_speaker: CharacterId | None
    mapped_speaker: str | None  # the gold id the predicted speaker maps to
    speaker_correct: bool
    addressee_f1: float | None  # None when the gold addressee set is empty
    speaker_scored: bool = True  # False: left out of speaker accuracy (``GoldQuote``)


@dataclass(frozen=True, slots=True)
class NovelScore:
    novel: str
    metrics: Metrics
    quotes: tuple[QuoteScore, ...]
    character_map: Mapping[CharacterId, str | None]


def score_story(story: Story, novel: GoldNovel) -> NovelScore:
    """Score one analysed novel against its gold annotations."""
    character_map = map_characters(story.characters, novel)
    matches = match_quotes(story.quotes, novel.quotes)

    quote_scores = tuple(_score_quote(g, matches.get(g.id), character_map) for g in novel.quotes)
    scored = [s for s in quote_scores if s.speaker_scored]
    by_type = {
        kind: Ratio(
            sum(s.speaker_correct for s in scored if s.type is kind),
            sum(1 for s in scored if s.type is kind),
        )
        for kind in QuoteType
    }
    with_addressees = [s.addressee_f1 for s in quote_scores if s.addressee_f1 is not None]
    matched_ids = {q.id for q in matches.values()}
    matched = [q for q in story.quotes if q.id in matched_ids]
    unmapped_speakers = {
        q.speaker for q in matched if q.speaker is not None and character_map.get(q.speaker) is None
    }
    if novel.split_quotations:
        roots = {q.id: q.id for q in story.quotes}
    else:
        roots = _quotation_roots(story.quotes)
    metrics = Metrics(
        quote_recall=Ratio(len(matches), len(novel.quotes)),
        quote_precision=Ratio(len({roots[q.id] for q in matched}), len(set(roots.values()))),
        speaker=Ratio(sum(s.speaker_correct for s in scored), len(scored)),
        speaker_explicit=by_type[QuoteType.EXPLICIT],
        speaker_anaphoric=by_type[QuoteType.ANAPHORIC],
        speaker_implicit=by_type[QuoteType.IMPLICIT],
        addressee_f1=Ratio(sum(with_addressees), len(with_addressees)),
        addressee_exact=Ratio(sum(f == 1.0 for f in with_addressees), len(with_addressees)),
        unmapped_speaker_share=Ratio(
            sum(1 for q in matched if q.speaker in unmapped_speakers), len(matched)
        ),
        predicted_characters=len(story.characters),
        unmapped_speaking_characters=len(unmapped_speakers),
        unmapped_gold_names=novel.unmapped_names,
    )
    return NovelScore(novel.name, metrics, quote_scores, character_map)


def match_quotes(predicted: Sequence[Quote], gold: Sequence[GoldQuote]) -> dict[str, Quote]:
    """Pair gold quotations with predicted quotes one-to-one; gold id → predicted quote.

    A pair qualifies when the predicted span overlaps a gold sub-span by at least half the
    longer of the two; pairs are taken greedily by overlap, ties by gold then predicted order.
    Gold (10, 20) and predicted (9, 21): overlap 10 ≥ 12 / 2, a match; predicted (15, 30): no.
    """
    ordered = sorted(predicted, key=lambda q: (q.char_start, q.char_end, q.id))
    starts = [q.char_start for q in ordered]
    overlaps: dict[tuple[int, int], int] = {}
    for gold_index, quote in enumerate(gold):
        for start, end in quote.spans:
            length = end - start
            # A qualifying prediction is at most twice the sub-span long, so it starts after
            # start - 2 * length: the bisect bounds the search without missing any.
            first = bisect_left(starts, start - 2 * length)
            for predicted_index in range(first, bisect_left(starts, end)):
                candidate = ordered[predicted_index]
                overlap = min(end, candidate.char_end) - max(start, candidate.char_start)
                longer = max(length, candidate.char_end - candidate.char_start)
                if overlap > 0 and 2 * overlap >= longer:
                    key = (gold_index, predicted_index)
                    overlaps[key] = max(overlaps.get(key, 0), overlap)

    matches: dict[str, Quote] = {}
    used: set[int] = set()
    for (gold_index, predicted_index), _ in sorted(
        overlaps.items(), key=lambda item: (-item[1], item[0])
    ):
        gold_id = gold[gold_index].id
        if gold_id not in matches and predicted_index not in used:
            matches[gold_id] = ordered[predicted_index]
            used.add(predicted_index)
    return matches


def normalise_name(name: str) -> str:
    """Fold a name for comparison: ``"The Mad Hatter."`` → ``"mad hatter"``."""
    words = _NOT_NAME.sub("", name.casefold()).split()
    return " ".join(w for w in words if w != "the")


def gold_name_owners(characters: Iterable[GoldCharacter]) -> dict[str, str]:
    """Normalised name → the one gold character that owns it.

    A character owns its main name and aliases, plus the first and last word of its main name
    when no other character's names contain that word ("Charlotte Lucas" → "charlotte",
    "lucas"). A name owned by several characters is left out: it decides nothing.
    """
    characters = tuple(characters)
    owners: dict[str, set[str]] = {}
    word_users: dict[str, set[str]] = {}
    for character in characters:
        for name in map(normalise_name, {character.main_name, *character.aliases}):
            if name:
                owners.setdefault(name, set()).add(character.id)
            for word in name.split():
                word_users.setdefault(word, set()).add(character.id)
    for character in characters:
        words = normalise_name(character.main_name).split()
        for word in {words[0], words[-1]} if words else ():
            if word_users[word] == {character.id}:
                owners.setdefault(word, set()).add(character.id)
    return {name: ids.pop() for name, ids in owners.items() if len(ids) == 1}


def narrator_id(novel: GoldNovel) -> str | None:
    """The gold character who narrates a first-person novel, or None.

    PDNC gives the narrator a named character (The Gambler's "Alexis Ivanovitch"). Take the
    character with the alias "I" if any, else the most frequent speaker of quotations whose
    referring expression starts with "I " ("I said", "I asked").
    """
    if not novel.first_person:
        return None
    for character in novel.characters:
        if "i" in map(normalise_name, character.aliases):
            return character.id
    speakers = Counter(
        q.speaker
        for q in novel.quotes
        if q.speaker is not None and q.referring_expression.startswith("I ")
    )
    return speakers.most_common(1)[0][0] if speakers else None


def map_characters(
    characters: Iterable[Character], novel: GoldNovel
) -> dict[CharacterId, str | None]:
    """Predicted character id → the gold id it maps to (None when no character owns it).

    A predicted character maps to the gold character owning more than half of its distinct
    normalised names (name + aliases). When the names decide nothing, two fallbacks apply:
    a name that is, character for character, the main name of exactly one gold character maps
    to it (PDNC lists some people twice: Persuasion's "Mrs. Harville" and "Mrs Harville"), and
    a narrator maps to the first-person narrator (``narrator_id``).
    """
    owners = gold_name_owners(novel.characters)
    main_names = Counter(c.main_name for c in novel.characters)
    by_main_name = {c.main_name: c.id for c in novel.characters if main_names[c.main_name] == 1}
    narrator = narrator_id(novel)
    mapping: dict[CharacterId, str | None] = {}
    for character in characters:
        names = {normalise_name(n) for n in (character.name, *character.aliases)} - {""}
        votes = Counter(owners[n] for n in names if n in owners)
        winner = next((g for g, count in votes.items() if 2 * count > len(names)), None)
        mapping[character.id] = (
            winner
            or by_main_name.get(character.name.strip())
            or (narrator if character.is_narrator else None)
        )
    return mapping


def _score_quote(
    gold: GoldQuote, predicted: Quote | None, character_map: Mapping[CharacterId, str | None]
) -> QuoteScore:
    speaker = predicted.speaker if predicted else None
    mapped = character_map.get(speaker) if speaker is not None else None
    addressee_f1 = None
    if gold.addressees:
        found = {character_map.get(a) for a in predicted.addressees} if predicted else set()
        found.discard(None)
        addressee_f1 = PRF.of_sets(found, set(gold.addressees)).f1
    return QuoteScore(
        gold_id=gold.id,
        type=gold.type,
        predicted_id=predicted.id if predicted else None,
        gold_speaker=gold.speaker,
        predicted_speaker=speaker,
        mapped_speaker=mapped,
        speaker_correct=mapped is not None and mapped == gold.speaker,
        addressee_f1=addressee_f1,
        speaker_scored=gold.speaker_scored,
    )


def _quotation_roots(quotes: Sequence[Quote]) -> dict[QuoteId, QuoteId]:
    """Quote id → id of the first part of the quotation it belongs to (via ``continues``)."""
    parent = {q.id: q.continues for q in quotes}
    roots: dict[QuoteId, QuoteId] = {}
    for quote in quotes:
        root, seen = quote.id, {quote.id}
        while (up := parent.get(root)) is not None and up not in seen:
            root = up
            seen.add(up)
        roots[quote.id] = root
    return roots
