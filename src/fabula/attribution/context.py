"""Read-only look-ups over one window's parse that every layer of the speaker stage shares.

Built once per call of ``attribute_speakers`` and never changed after: which tokens each
quotation holds, who the narration names in each scene, which pronouns the coreference stage
resolved. What a pass over the quotations learns as it goes lives elsewhere (``tags.TagNotes``,
``turns.PassState``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from fabula.cast.aliases import normalise_name
from fabula.cast.names import Cast
from fabula.language.lexicon import SUBJECT_DEPS, speech_verbs
from fabula.model import CharacterId, Mention, MentionKind, Parse, QuoteSpan, Scene, Token
from fabula.segmentation.scenes import scene_positions

FIRST_PERSON_WORDS = frozenset({"I", "me", "my"})
# How far back (in tokens) the ranker looks for the latest narration subject.
SUBJECT_LOOKBACK_TOKENS = 400
# The last tokens of a quotation that show it asks a question ('"Well?"', '"Is it?" —').
QUESTION_TAIL_TOKENS = 3
NO_TOKENS = (-1, -1)


@dataclass(frozen=True, slots=True)
class SpeakerContext:
    """Token-level look-ups shared by the layers; ``quote_tokens`` is each quotation's first
    and last token (``NO_TOKENS`` for one that holds none)."""

    parse: Parse
    tokens: tuple[Token, ...]  # the parse's
    quote_spans: tuple[QuoteSpan, ...]
    cast: Cast
    genders: dict[CharacterId, str | None]
    name_lookup: dict[str, CharacterId]
    verbs: frozenset[str]
    quote_tokens: tuple[tuple[int, int], ...]
    pronoun_owner: dict[int, CharacterId]  # char_start of a resolved narration pronoun
    paragraph_quotes: dict[int, list[int]]  # paragraph -> its quotations, in order
    mention_counts: Counter[CharacterId]
    scene_of_paragraph: list[int]  # each paragraph's scene position
    present_in_scene: dict[int, frozenset[CharacterId]]  # who the narration names there
    first_person_paragraphs: frozenset[int]  # paragraphs whose narration says "I"

    @classmethod
    def build(
        cls,
        parse: Parse,
        quote_spans: tuple[QuoteSpan, ...],
        cast: Cast,
        mentions: tuple[Mention, ...],
        scenes: tuple[Scene, ...],
    ) -> SpeakerContext:
        tokens = parse.tokens
        paragraph_quotes: dict[int, list[int]] = {}
        for index, span in enumerate(quote_spans):
            paragraph_quotes.setdefault(span.paragraph_index, []).append(index)
        # A paragraph with no tokens (only at the end) counts as after every scene.
        after_all = scenes[-1].char_end if scenes else 0
        paragraph_starts = [
            tokens[start].char_start if start < len(tokens) else after_all
            for start in parse.paragraph_token_starts
        ]
        return cls(
            parse=parse,
            tokens=tokens,
            quote_spans=quote_spans,
            cast=cast,
            genders={c.id: c.gender for c in cast.characters},
            name_lookup={
                normalise_name(name): c.id for c in cast.characters for name in (c.name, *c.aliases)
            },
            verbs=speech_verbs(),
            quote_tokens=_quote_token_ranges(tokens, len(quote_spans)),
            pronoun_owner={
                m.char_start: m.character
                for m in mentions
                if m.kind == MentionKind.PRONOUN and m.character is not None
            },
            paragraph_quotes=paragraph_quotes,
            mention_counts=Counter(cast.by_token.values()),
            scene_of_paragraph=scene_positions(scenes, paragraph_starts),
            present_in_scene=_named_in_scenes(tokens, cast, scenes),
            first_person_paragraphs=frozenset(
                parse.sentences[token.sentence].paragraph_index
                for token in tokens
                if token.text in FIRST_PERSON_WORDS and token.in_quote is None
            ),
        )

    def paragraph_tokens(self, paragraph: int) -> range:
        starts = self.parse.paragraph_token_starts
        end = starts[paragraph + 1] if paragraph + 1 < len(starts) else len(self.tokens)
        return range(starts[paragraph], end)

    def narration_after(self, quote_index: int) -> list[int]:
        """The narration tokens after a quotation, up to the next quotation or paragraph end."""
        _, last = self.quote_tokens[quote_index]
        if last < 0:
            return []
        paragraph = self.quote_spans[quote_index].paragraph_index
        indices = []
        for index in range(last + 1, self.paragraph_tokens(paragraph).stop):
            if self.tokens[index].in_quote is not None:
                break
            indices.append(index)
        return indices

    def narration_before(self, quote_index: int) -> list[int]:
        """The narration tokens before a quotation, back to the previous one or paragraph start."""
        first, _ = self.quote_tokens[quote_index]
        if first < 0:
            return []
        paragraph = self.quote_spans[quote_index].paragraph_index
        indices = []
        for index in range(first - 1, self.paragraph_tokens(paragraph).start - 1, -1):
            if self.tokens[index].in_quote is not None:
                break
            indices.append(index)
        return indices[::-1]

    def recent_names(self, paragraph: int, window: int) -> list[CharacterId]:
        """Characters named (or meant by a resolved pronoun) in the previous paragraphs'
        narration, most recent first."""
        seen: list[CharacterId] = []
        for previous in range(paragraph - 1, max(-1, paragraph - 1 - window), -1):
            for index in reversed(self.paragraph_tokens(previous)):
                token = self.tokens[index]
                owner = self.cast.by_token.get(index)
                if owner is None and token.in_quote is None:
                    owner = self.pronoun_owner.get(token.char_start)
                if owner is not None and owner not in seen:
                    seen.append(owner)
        return seen

    def narration_names(self, paragraphs: list[int]) -> tuple[list[CharacterId], list[CharacterId]]:
        """Characters named in the narration of these paragraphs: as subjects, and otherwise."""
        subjects: list[CharacterId] = []
        others: list[CharacterId] = []
        for paragraph in paragraphs:
            for index in self.paragraph_tokens(paragraph):
                token = self.tokens[index]
                owner = self.cast.by_token.get(index)
                if owner is None or token.in_quote is not None:
                    continue
                if token.dep in SUBJECT_DEPS:
                    if owner not in subjects:
                        subjects.append(owner)
                elif owner not in others:
                    others.append(owner)
        return subjects, others

    def last_subjects(
        self, quote_index: int, first_paragraph: int
    ) -> tuple[CharacterId | None, dict[str, CharacterId]]:
        """The latest narration subject before a quotation (a name or a resolved pronoun), and
        the latest of each gender: "Mrs. Elton chose another subject. 'We...,' said she."
        """
        first_token, _ = self.quote_tokens[quote_index]
        start = self.paragraph_tokens(first_paragraph).start
        latest: CharacterId | None = None
        by_gender: dict[str, CharacterId] = {}
        lookback = max(start, first_token - SUBJECT_LOOKBACK_TOKENS)
        for index in range(lookback, max(start, first_token)):
            token = self.tokens[index]
            if token.in_quote is not None or token.dep not in SUBJECT_DEPS:
                continue
            owner = self.cast.by_token.get(index) or self.pronoun_owner.get(token.char_start)
            if owner is None:
                continue
            latest = owner
            gender = self.genders.get(owner)
            if gender:
                by_gender[gender] = owner
        return latest, by_gender

    # -- the words of quotations ---------------------------------------------------------------

    def quote_words(self, quote_indices: list[int]) -> list[str]:
        """The lower-cased tokens of these quotations, in order."""
        words: list[str] = []
        for quote_index in quote_indices:
            first, last = self.quote_tokens[quote_index]
            if first >= 0:
                words.extend(self.tokens[i].text.lower() for i in range(first, last + 1))
        return words

    def quote_length(self, quote_index: int) -> int:
        """How many tokens a quotation holds."""
        first, last = self.quote_tokens[quote_index]
        return last - first + 1 if first >= 0 else 0

    def has_word(self, quote_index: int, words: frozenset[str]) -> bool:
        first, last = self.quote_tokens[quote_index]
        return first >= 0 and any(self.tokens[i].text in words for i in range(first, last + 1))

    def ends_with_question(self, quote_index: int) -> bool:
        first, last = self.quote_tokens[quote_index]
        tail = max(first, last - QUESTION_TAIL_TOKENS + 1)
        return first >= 0 and any(self.tokens[i].text == "?" for i in range(tail, last + 1))

    def named_in_quotes(self, quote_indices: list[int]) -> set[CharacterId]:
        """Characters named inside these quotations."""
        named: set[CharacterId] = set()
        for quote_index in quote_indices:
            first, last = self.quote_tokens[quote_index]
            for index in range(first, last + 1 if first >= 0 else first):
                owner = self.cast.by_token.get(index)
                if owner is not None:
                    named.add(owner)
        return named


def _quote_token_ranges(tokens: tuple[Token, ...], quote_count: int) -> tuple[tuple[int, int], ...]:
    ranges = [NO_TOKENS] * quote_count
    for token in tokens:
        if token.in_quote is not None:
            first, _ = ranges[token.in_quote]
            ranges[token.in_quote] = (token.index if first < 0 else first, token.index)
    return tuple(ranges)


def _named_in_scenes(
    tokens: tuple[Token, ...], cast: Cast, scenes: tuple[Scene, ...]
) -> dict[int, frozenset[CharacterId]]:
    """Who the narration names in each scene: the people present, more or less."""
    present: dict[int, set[CharacterId]] = {}
    narration_names = [i for i in cast.by_token if tokens[i].in_quote is None]
    positions = scene_positions(scenes, [tokens[i].char_start for i in narration_names])
    for index, scene in zip(narration_names, positions, strict=True):
        present.setdefault(scene, set()).add(cast.by_token[index])
    return {scene: frozenset(names) for scene, names in present.items()}
