"""Tags and beats: the speaker the narration next to a quotation names.

A speech tag is a speech verb's subject in any position ("Mara said", "said Mara", "she asked",
"said his wife", "Mara's reply was"); a beat is the subject of any other verb in the sentence
touching the quotation ("Theo grinned."). A pronoun goes to whom salience and turn-taking make
likely; a description ("said her father") is noted, and decided once the whole text shows
whom it usually means (``turns.resolve_descriptions``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from fabula.attribution.context import SpeakerContext
from fabula.attribution.evidence import NO_GUESS, Evidence, Guess
from fabula.cast.aliases import normalise_name
from fabula.language.lexicon import (
    FIRST_PERSON,
    PERSONAL_PRONOUN_GENDER,
    SUBJECT_DEPS,
    noun_gender,
)
from fabula.model import CharacterId, QuoteType, Token

SHARED_SUBJECT_DEPS = {"conj", "xcomp", "advcl"}
NOMINAL_MODIFIERS = {"det", "poss", "amod", "compound"}
# How many words after an inverted speech verb its subject may come ("said the old Mara").
INVERTED_SUBJECT_REACH = 4
# How many words before a description's head may belong to it ("one old labourer").
DESCRIPTION_REACH = 4
# How many modifiers before its head a description keeps ("her old father").
PHRASE_MODIFIERS = 3
# A beat whose subject is one of these belongs to its possessor ("Edith's voice shook").
BODY_NOUNS = {
    "voice", "face", "eyes", "eye", "hand", "hands", "lips", "mouth", "smile", "head", "tone",
    "gaze", "expression", "cheeks", "brow", "jaw", "chin", "shoulders", "laugh", "heart",
}  # fmt: skip
# Nouns for what someone said: their owner is the speaker ("Mary's reply was").
SPEECH_NOUNS = {
    "remark", "reply", "answer", "comment", "word", "words", "assurance", "reproach",
    "exclamation", "question", "response", "rejoinder", "retort", "observation", "greeting",
    "advice", "request", "verdict", "cry", "whisper",
}  # fmt: skip
# How a narration paragraph that announces the next paragraph's speech ends.
INTRODUCING_PUNCTUATION = {",", ":", "--", "—", "-", ";", ",--", ":--"}

# Votes for whom a "he"/"she" tag means. The coreference stage's own answer counts, and a
# name earlier in the tag's paragraph counts most, as the subject of its sentence ("Greta
# picked up the cards. 'Now,' she said.") or anywhere else.
COREFERENCE_VOTE = 2.0
SAME_PARAGRAPH_SUBJECT = 5.0
SAME_PARAGRAPH_NAME = 2.5
# People take turns: the last speaker of the run is less likely, the one before more; a
# description ("said the boy") avoids the last speaker more strongly than a pronoun.
LAST_SPEAKER_PENALTY = 1.5
LAST_SPEAKER_PENALTY_DESCRIBED = 3.0
SPEAKER_BEFORE_LAST_BONUS = 2.0
# How many of the run's latest speakers the turn-taking votes look at.
RUN_SPEAKERS_SEEN = 3
# Before anyone in the run has spoken, the pass's last speaker gets a small vote.
LAST_SPEAKER_OF_PASS_BONUS = 0.5
# Names in the previous paragraphs' narration vote 1, 1/2, 1/3... by recency.
RECENT_NAME_PARAGRAPHS = 4
# A character of unknown gender is a weaker match for "he" or "she".
UNKNOWN_GENDER_PENALTY = 1.0


@dataclass(frozen=True, slots=True)
class Nominal:
    """A description in a tag ("said her father"), its gender, and whom the context alone
    suggests; a possessive pronoun in it is replaced by its referent ("said <c3> father")."""

    phrase: str
    gender: str
    fallback: CharacterId | None


@dataclass(slots=True)
class TagNotes:
    """What reading the tags noticed besides speakers, by quotation: the pronoun of a pronoun
    tag ("she said": its gender and token) and the description of a nominal one."""

    pronouns: dict[int, tuple[str, int]] = field(default_factory=dict)
    nominals: dict[int, Nominal] = field(default_factory=dict)

    def updated_by(self, later: TagNotes) -> TagNotes:
        """These notes with a later pass's on top (a later pass may not re-read every tag)."""
        return TagNotes(self.pronouns | later.pronouns, self.nominals | later.nominals)

    def pronoun_of(self, quote_indices: list[int]) -> tuple[str, int] | None:
        """The (gender, token) of the first pronoun tag among these quotations ("she said")."""
        return next((self.pronouns[q] for q in quote_indices if q in self.pronouns), None)


@dataclass(slots=True)
class PassState:
    """What one pass over the quotations has decided so far; resolving "she said" reads it.

    ``described`` holds the speakers of description tags, decided after the first pass.
    """

    described: Mapping[int, CharacterId] = field(default_factory=dict)
    notes: TagNotes = field(default_factory=TagNotes)
    speakers_so_far: list[CharacterId] = field(default_factory=list)
    run_speakers: list[CharacterId | None] = field(default_factory=list)  # turns of this run


class TagReader:
    """Reads the tag and beats of each quotation for one pass."""

    def __init__(self, context: SpeakerContext, state: PassState) -> None:
        self.context = context
        self.state = state
        self.tokens = context.tokens

    def tag_speaker(self, quote_index: int) -> Guess:
        """The speaker named by a speech tag or beat next to the quotation, if any."""
        context = self.context
        # The tag right after the quotation, up to the end of its sentence.
        after_clause = _first_sentence(self.tokens, context.narration_after(quote_index))
        before_clause = _last_sentence(self.tokens, context.narration_before(quote_index))
        introduction = self._introduction(quote_index)
        for clause in (after_clause, before_clause, introduction):
            found = self._speech_subject(clause, quote_index)
            if found.speaker is not None:
                return found
        for clause in (after_clause, before_clause, introduction):
            found = self._speech_noun_owner(clause, quote_index)
            if found.speaker is not None:
                return found
        # The second part of an interrupted quotation inherits the first part's tag.
        for clause in (after_clause, before_clause):
            found = self._beat_subject(clause, quote_index)
            if found.speaker is not None:
                return found
        return NO_GUESS

    def _introduction(self, quote_index: int) -> list[int]:
        """A tag that ends the previous paragraph and announces this one ("Lydia said,--")."""
        context = self.context
        if context.narration_before(quote_index):
            return []
        paragraph = context.quote_spans[quote_index].paragraph_index
        first, _ = context.quote_tokens[quote_index]
        if (
            paragraph == 0
            or first < 0
            or context.paragraph_quotes.get(paragraph, [None])[0] != (quote_index)
        ):
            return []
        previous = context.paragraph_tokens(paragraph - 1)
        if not previous or self.tokens[previous.stop - 1].in_quote is not None:
            return []
        last = self.tokens[previous.stop - 1].text
        if last not in INTRODUCING_PUNCTUATION and not last[-1:].isalpha():
            return []
        return _last_sentence(self.tokens, list(previous))

    def _speech_subject(self, clause: list[int], quote_index: int) -> Guess:
        tokens = self.tokens
        verbs = [
            index
            for index in clause
            if tokens[index].text.lower() in self.context.verbs
            and tokens[index].pos in ("VERB", "AUX")
        ]
        # "Not until Anne had finished did Marilla say:": the main verb's subject speaks, not
        # a subordinate clause's, when both verbs could be speech verbs.
        main = [index for index in verbs if tokens[index].dep != "advcl"]
        for index in main + [index for index in verbs if index not in main]:
            subject = self._subject_of(index, clause)
            if subject is not None:
                return self._referent(subject, quote_index, tag=True)
        return NO_GUESS

    def _speech_noun_owner(self, clause: list[int], quote_index: int) -> Guess:
        """ "was Catherine's honest assurance", "Sir Walter's remark was": whose words they are."""
        tokens = self.tokens
        for index in clause:
            token = tokens[index]
            if token.dep == "poss" and tokens[token.head].text.lower() in SPEECH_NOUNS:
                found = self._referent(index, quote_index, tag=True)
                if found.speaker is not None:
                    return found
        return NO_GUESS

    def _beat_subject(self, clause: list[int], quote_index: int) -> Guess:
        tokens = self.tokens
        for index in clause:
            token = tokens[index]
            if token.dep in SUBJECT_DEPS and tokens[token.head].pos in ("VERB", "AUX"):
                found = self._referent(self._bodily_owner(index, clause), quote_index, tag=False)
                if found.speaker is not None:
                    return found
        return NO_GUESS

    def _bodily_owner(self, subject: int, clause: list[int]) -> int:
        """ "Edith's voice shook", "her face fell": the beat belongs to the possessor."""
        if self.tokens[subject].text.lower() not in BODY_NOUNS:
            return subject
        for index in clause:
            if self.tokens[index].head == subject and self.tokens[index].dep == "poss":
                return index
        return subject

    def _subject_of(self, verb_index: int, clause: list[int]) -> int | None:
        tokens = self.tokens
        for index in clause:
            if tokens[index].head == verb_index and tokens[index].dep in SUBJECT_DEPS:
                return self._antecedent(index)
        verb = tokens[verb_index]
        if verb.dep in SHARED_SUBJECT_DEPS and verb.head != verb_index and verb.head in clause:
            # "The detective brightened and said," / "he made use of it to say": the subject
            # of the verb this one hangs from.
            for index in clause:
                if tokens[index].head == verb.head and tokens[index].dep in SUBJECT_DEPS:
                    return self._antecedent(index)
        # A name the parser read as the verb's modal: '"Shall we?" May asked.'
        modal = verb_index - 1
        if modal in clause and modal in self.context.cast.by_token and tokens[modal].dep == "aux":
            return modal
        return self._inverted_subject(verb_index, clause)

    def _inverted_subject(self, verb_index: int, clause: list[int]) -> int | None:
        """Inverted tags the parser missed: "said Mara", "cried the scandalised Margaret"."""
        tokens = self.tokens
        reach = min(verb_index + 1 + INVERTED_SUBJECT_REACH, len(tokens))
        for position in range(verb_index + 1, reach):
            if position not in clause:
                break
            token = tokens[position]
            if (
                position in self.context.cast.by_token
                or token.text.lower() in PERSONAL_PRONOUN_GENDER
                or token.pos in ("PROPN", "NOUN")
            ):
                return position
            if token.pos not in ("DET", "ADJ", "ADV", "PRON") and token.tag != "VBN":
                break
        return None

    def _antecedent(self, subject: int) -> int:
        """ "Dan, who said," : a relative pronoun stands for the noun its clause modifies."""
        token = self.tokens[subject]
        verb = self.tokens[token.head]
        if token.text.lower() in ("who", "that") and verb.dep == "relcl":
            return verb.head
        return subject

    def _referent(self, subject: int, quote_index: int, *, tag: bool) -> Guess:
        """Character a tag's subject token refers to, with the kind of evidence."""
        cast = self.context.cast
        owner = cast.by_token.get(subject)
        if owner is not None:
            evidence = Evidence.NAME_TAG if tag else Evidence.NAME_BEAT
            return Guess(owner, evidence, QuoteType.EXPLICIT)
        word = self.tokens[subject].text.lower()
        if word in FIRST_PERSON or word in cast.narrator_words:
            if cast.narrator is not None and word in cast.narrator_words:
                return Guess(cast.narrator, Evidence.NARRATOR_TAG, QuoteType.ANAPHORIC)
            return NO_GUESS
        gender = PERSONAL_PRONOUN_GENDER.get(word)
        if gender is not None:
            self.state.notes.pronouns[quote_index] = (gender, subject)
            speaker = self.resolve_gendered(gender, quote_index, subject)
            if speaker is not None:
                evidence = Evidence.PRONOUN_TAG if tag else Evidence.BEAT
                return Guess(speaker, evidence, QuoteType.ANAPHORIC)
            return Guess(type=QuoteType.ANAPHORIC)
        if not tag:
            return NO_GUESS
        return self._nominal_referent(subject, quote_index)

    def _nominal_referent(self, subject: int, quote_index: int) -> Guess:
        """A nominal ("his wife", "the old man", "the Hatter"): a character's name or
        description, a name inside it (not a possessor: "Brenda's solicitor"), or its gender."""
        named = self._described_by_name(subject)
        if named is not None:
            return Guess(named, Evidence.NAME_TAG, QuoteType.ANAPHORIC)
        for index in range(max(0, subject - DESCRIPTION_REACH), subject + 1):
            token = self.tokens[index]
            if (token.head == subject and token.dep != "poss") or index == subject:
                owner = self.context.cast.by_token.get(index)
                if owner is not None:
                    return Guess(owner, Evidence.NAME_TAG, QuoteType.EXPLICIT)
        if quote_index in self.state.described:
            return Guess(
                self.state.described[quote_index], Evidence.NOMINAL_TAG, QuoteType.ANAPHORIC
            )
        gender = noun_gender(self.tokens[subject].text.lower())
        if gender is not None:
            only = self._only_one_present(gender, quote_index)
            if only is not None:
                return Guess(only, Evidence.SOLE_DESCRIPTION, QuoteType.ANAPHORIC)
            # Decided later, once the whole text shows whom this description usually means.
            fallback = self.resolve_gendered(gender, quote_index, subject, avoid_previous=True)
            self.state.notes.nominals[quote_index] = Nominal(
                self._phrase(subject), gender, fallback
            )
        return Guess(type=QuoteType.ANAPHORIC)

    def _only_one_present(self, gender: str, quote_index: int) -> CharacterId | None:
        """ "said the boy" in a scene whose narration names one male character: him."""
        context = self.context
        scene = context.scene_of_paragraph[context.quote_spans[quote_index].paragraph_index]
        present = [
            owner
            for owner in context.present_in_scene.get(scene, ())
            if context.genders.get(owner) == gender
        ]
        return present[0] if len(present) == 1 else None

    def _described_by_name(self, head: int) -> CharacterId | None:
        """A description that is some character's name: "the policeman", "one old labourer"."""
        first = head
        while (
            first > max(0, head - DESCRIPTION_REACH)
            and self.tokens[first - 1].head == head
            and (self.tokens[first - 1].dep in NOMINAL_MODIFIERS | {"nummod"})
        ):
            first -= 1
        words = [self.tokens[i].text for i in range(first, head + 1)]
        for start in range(len(words)):
            owner = self.context.name_lookup.get(normalise_name(" ".join(words[start:])))
            if owner is not None:
                return owner
        return None

    def _phrase(self, head: int) -> str:
        """ "her father", "the old man": the head noun with its determiners and adjectives.

        A possessive pronoun is replaced by whom it refers to, so Ann's "her sister" and
        Bea's "her sister" are different descriptions.
        """
        words = []
        for index in range(max(0, head - PHRASE_MODIFIERS), head):
            token = self.tokens[index]
            if token.head != head or token.dep not in NOMINAL_MODIFIERS:
                continue
            owner = (
                self.context.pronoun_owner.get(token.char_start) if token.dep == "poss" else None
            )
            words.append(f"<{owner}>" if owner else token.text.lower())
        return " ".join([*words, self.tokens[head].text.lower()])

    def resolve_gendered(
        self, gender: str, quote_index: int, token_index: int, *, avoid_previous: bool = False
    ) -> CharacterId | None:
        """Pick the character a he/she in a tag means, from salience and turn-taking."""
        votes = self._gendered_votes(quote_index, token_index, avoid_previous=avoid_previous)
        own_vocatives = set(self.context.cast.vocatives[quote_index])
        best: CharacterId | None = None
        best_score = float("-inf")
        for character, score in votes.items():
            character_gender = self.context.genders.get(character)
            if character_gender not in (gender, None) or character in own_vocatives:
                continue
            if character_gender is None:
                score -= UNKNOWN_GENDER_PENALTY
            if score > best_score:
                best, best_score = character, score
        return best

    def _gendered_votes(
        self, quote_index: int, token_index: int, *, avoid_previous: bool
    ) -> Counter[CharacterId]:
        context = self.context
        votes: Counter[CharacterId] = Counter()
        resolved = context.pronoun_owner.get(self.tokens[token_index].char_start)
        if resolved is not None:
            votes[resolved] += COREFERENCE_VOTE
        paragraph = context.quote_spans[quote_index].paragraph_index
        # Names earlier in the same paragraph's narration are the strongest cue.
        for index in context.paragraph_tokens(paragraph):
            if index >= token_index:
                break
            owner = context.cast.by_token.get(index)
            if owner is not None and self.tokens[index].in_quote is None:
                is_subject = self.tokens[index].dep in SUBJECT_DEPS
                votes[owner] += SAME_PARAGRAPH_SUBJECT if is_subject else SAME_PARAGRAPH_NAME
        recent = [s for s in self.state.run_speakers[-RUN_SPEAKERS_SEEN:] if s is not None]
        if recent:
            previous = recent[-1]
            votes[previous] -= (
                LAST_SPEAKER_PENALTY_DESCRIBED if avoid_previous else LAST_SPEAKER_PENALTY
            )
            if len(recent) >= 2 and recent[-2] != previous:
                votes[recent[-2]] += SPEAKER_BEFORE_LAST_BONUS
        elif self.state.speakers_so_far:
            votes[self.state.speakers_so_far[-1]] += LAST_SPEAKER_OF_PASS_BONUS
        for offset, owner in enumerate(context.recent_names(paragraph, RECENT_NAME_PARAGRAPHS)):
            votes[owner] += 1.0 / (1 + offset)
        return votes


def _first_sentence(tokens: tuple[Token, ...], indices: list[int]) -> list[int]:
    if not indices:
        return []
    sentence = tokens[indices[0]].sentence
    return [i for i in indices if tokens[i].sentence == sentence]


def _last_sentence(tokens: tuple[Token, ...], indices: list[int]) -> list[int]:
    if not indices:
        return []
    sentence = tokens[indices[-1]].sentence
    return [i for i in indices if tokens[i].sentence == sentence]
