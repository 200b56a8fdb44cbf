"""Analysis: character profiles, what each character does, undergoes, has and is called.

The parse says it: a mention that is the subject of a verb makes that verb the character's
action ("Mara hugged Jonah": Mara agent of "hug", Jonah its patient); a possessive mention owns
its head noun ("her sword"); adjectives on a mention or after "be" describe the character.
Words are spaCy's lemmas. Collected per window while the parse exists (``collect_profile_words``)
and assembled once for the whole text (``build_profiles``).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from fabula.language.lexicon import PERSONAL_PRONOUN_GENDER, PLURAL_PRONOUNS
from fabula.model import (
    Character,
    CharacterId,
    Mention,
    MentionKind,
    Parse,
    Profile,
    ProfileWord,
    Quote,
    Scene,
    SceneId,
    Token,
)
from fabula.nlp import lemma_of
from fabula.segmentation.scenes import scenes_containing
from fabula.stages import MENTIONS, stage

# Offsets kept per profile word, and words kept per list (the most frequent).
MAX_EXAMPLES = 3
MAX_WORDS = 50
SUBJECTS = {"nsubj"}
OBJECTS = {"dobj", "nsubjpass", "obj", "dative"}
VERB_POS = {"VERB", "AUX"}
ROLES = ("agent", "patient", "possessions", "modifiers")


@dataclass(slots=True)
class ProfileCounts:
    """Profile words found so far: role → character → word → offsets of the mentions."""

    words: dict[str, dict[CharacterId, dict[str, list[int]]]] = field(
        default_factory=lambda: {role: defaultdict(lambda: defaultdict(list)) for role in ROLES}
    )

    def add(self, role: str, character: CharacterId, word: str, offset: int) -> None:
        self.words[role][character][word].append(offset)

    def merge(self, other: ProfileCounts, id_map: dict[CharacterId, CharacterId]) -> None:
        """Add another window's words, its character ids mapped onto the merged cast."""
        for role in ROLES:
            for character, words in other.words[role].items():
                for word, offsets in words.items():
                    self.words[role][id_map[character]][word].extend(offsets)


@stage(requires=MENTIONS | {"parse"}, produces={"profile_words"})
def collect_profile_words(parse: Parse, mentions: Iterable[Mention]) -> ProfileCounts:
    """Read agent verbs, patient verbs, possessions and modifiers off the parse for every
    mention linked to a character."""
    tokens = parse.tokens
    token_at = {token.char_start: token.index for token in tokens}
    children: dict[int, list[Token]] = defaultdict(list)
    for token in tokens:
        if token.head != token.index:
            children[token.head].append(token)
    counts = ProfileCounts()
    for mention in mentions:
        first = token_at.get(mention.char_start)
        if mention.character is None or first is None:
            continue
        head = _mention_head(tokens, first, mention.char_end)
        character, offset = mention.character, mention.char_start
        governor = tokens[head.head]
        role_of_subject = head.dep in SUBJECTS or (head.dep == "conj" and governor.dep in SUBJECTS)
        verb = tokens[governor.head] if head.dep == "conj" else governor
        if role_of_subject and verb.pos in VERB_POS and verb.index != head.index:
            if _word(verb) == "be":
                for child in children[verb.index]:
                    if child.dep in {"acomp", "attr"} and child.pos in {"ADJ", "NOUN"}:
                        counts.add("modifiers", character, _word(child), offset)
            else:
                counts.add("agent", character, _word(verb), offset)
        elif head.dep in OBJECTS and governor.pos in VERB_POS:
            counts.add("patient", character, _word(governor), offset)
        elif head.dep == "poss" and governor.pos in {"NOUN", "PROPN"}:
            counts.add("possessions", character, _word(governor), offset)
        for child in children[head.index]:
            if child.dep == "amod" and child.pos == "ADJ":
                counts.add("modifiers", character, _word(child), offset)
    return counts


@stage(
    requires=MENTIONS | {"characters", "profile_words", "speakers", "scenes"},
    produces={"profiles"},
)
def build_profiles(
    characters: tuple[Character, ...],
    counts: ProfileCounts,
    mentions: tuple[Mention, ...],
    quotes: tuple[Quote, ...],
    scenes: tuple[Scene, ...],
) -> tuple[Profile, ...]:
    """One profile per character: the words, the pronoun evidence, where they first and last
    appear (a mention or a line they speak) and the scenes they are in."""
    pronouns: dict[CharacterId, Counter] = defaultdict(Counter)
    appearances: dict[CharacterId, list[int]] = defaultdict(list)
    for mention in mentions:
        if mention.character is None:
            continue
        appearances[mention.character].append(mention.char_start)
        if mention.kind == MentionKind.PRONOUN:
            pronouns[mention.character][_pronoun_kind(mention.text)] += 1
    for quote in quotes:
        if quote.speaker is not None:
            appearances[quote.speaker].append(quote.char_start)
    profiles = []
    for character in characters:
        where = sorted(appearances.get(character.id, ()))
        in_scenes = [s for s in scenes_containing(scenes, where) if s is not None]
        profiles.append(
            Profile(
                character=character.id,
                agent=_top(counts.words["agent"].get(character.id, {})),
                patient=_top(counts.words["patient"].get(character.id, {})),
                possessions=_top(counts.words["possessions"].get(character.id, {})),
                modifiers=_top(counts.words["modifiers"].get(character.id, {})),
                pronouns=tuple(sorted(pronouns[character.id].items())),
                first_mention=where[0] if where else None,
                last_mention=where[-1] if where else None,
                scenes=tuple(dict.fromkeys(SceneId(s.id) for s in in_scenes)),
            )
        )
    return tuple(profiles)


def _mention_head(tokens: tuple[Token, ...], first: int, char_end: int) -> Token:
    """The mention's syntactic head: its token whose head lies outside it ("Mr. Darcy")."""
    last = first
    while last + 1 < len(tokens) and tokens[last + 1].char_end <= char_end:
        last += 1
    for token in tokens[first : last + 1]:
        if not first <= token.head <= last or token.head == token.index:
            return token
    return tokens[last]


def _word(token: Token) -> str:
    return lemma_of(token.text, token.tag, token.pos).lower()


def _pronoun_kind(word: str) -> str:
    lowered = word.lower()
    if lowered in PERSONAL_PRONOUN_GENDER:
        return PERSONAL_PRONOUN_GENDER[lowered]
    if lowered in PLURAL_PRONOUNS:
        return "they"
    return "other"  # "I", "you": a speaker or addressee of any gender


def _top(words: dict[str, list[int]]) -> tuple[ProfileWord, ...]:
    ranked = sorted(words.items(), key=lambda item: (-len(item[1]), item[0]))[:MAX_WORDS]
    return tuple(
        ProfileWord(word, len(offsets), tuple(sorted(offsets)[:MAX_EXAMPLES]))
        for word, offsets in ranked
    )
