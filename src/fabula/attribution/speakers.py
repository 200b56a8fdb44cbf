"""Attribution stage: the speaker of every quotation.

Three layers, most reliable first:
1. tags: the subject of a speech verb in the narration next to the quotation, in any position
   ("Mara said", "said Mara", "she asked", "said his wife"), then action beats ("Theo grinned.");
2. the paragraph: quotations in one paragraph share a speaker unless a tag says otherwise;
3. conversation: untagged turns in a run of dialogue alternate between the two people talking,
   anchored by the tagged turns before and after, and steered by vocatives ("Yes, Papa").
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from fabula.attribution.ranker import Candidate, SpeakerRanker, feature_vector
from fabula.cast.aliases import normalise_name
from fabula.cast.names import Cast
from fabula.language.lexicon import (
    FIRST_PERSON,
    PERSONAL_PRONOUN_GENDER,
    speech_verbs,
)
from fabula.model import (
    Attribution,
    CharacterId,
    Mention,
    MentionKind,
    Parse,
    QuoteSpan,
    QuoteType,
    Scene,
    Token,
)
from fabula.segmentation.scenes import scene_positions

REQUIRES = {"parse", "quotes", "scenes", "characters", "mentions"}
PRODUCES = {"speakers"}

SUBJECT_DEPS = {"nsubj", "nsubjpass"}
SHARED_SUBJECT_DEPS = {"conj", "xcomp", "advcl"}
# How many words after an inverted speech verb its subject may come ("said the old Mara").
INVERTED_SUBJECT_REACH = 4
# Evidence that fixes a turn's speaker; the ranker re-decides every other turn.
FIXED_EVIDENCE = {"name_tag", "narrator_tag", "name_beat", "sole_description"}
# How many turns either side the ranker looks at for candidate speakers.
CANDIDATE_TURNS = 4
# A speaker's style is known from this many words of tagged lines; unseen words are smoothed.
MIN_STYLE_WORDS = 100
STYLE_SMOOTHING = 0.5
# How many of the latest speakers before a run stay candidates in it.
EARLIER_SPEAKERS = 4
# How far back (in tokens) the ranker looks for the latest narration subject.
SUBJECT_LOOKBACK_TOKENS = 400
# How many paragraphs back first-person narration marks the narrator as present.
NARRATING_PARAGRAPHS = 3
FIRST_PERSON_WORDS = frozenset({"I", "me", "my"})
SECOND_PERSON_WORDS = frozenset({"you", "You", "your", "Your"})
# A line longer than this (in tokens) is a speech, often followed by the same speaker's next.
LONG_SPEECH_WORDS = 60
# Left-to-right passes of the ranker over a run; later passes see both neighbours decided.
RANKER_SWEEPS = 3
# After the sweeps, each run is decoded jointly (Viterbi): a speaker taking two turns in a
# row costs this much log-probability; the one the previous turn addressed by name gains.
SAME_SPEAKER_PENALTY = 0.5
ADDRESSED_BONUS = 0.5
CandidateSink = Callable[[list[int], list[Candidate]], None]
NOMINAL_MODIFIERS = {"det", "poss", "amod", "compound"}
# Weights of a name earlier in the tag's paragraph when resolving "she said": as the subject
# of its sentence ("Greta picked up the cards. 'Now,' she said.") or anywhere else.
SAME_PARAGRAPH_SUBJECT = 5.0
SAME_PARAGRAPH_NAME = 2.5
# A description ("her father") seen this often is resolved to whom it usually means.
MIN_DESCRIPTION_VOTES = 2
FEMALE_NOUNS = {
    "wife", "lady", "woman", "girl", "mother", "sister", "aunt", "daughter", "niece", "widow",
    "queen", "duchess", "maid", "mistress", "hostess", "grandmother", "governess", "bride",
    "landlady", "nurse", "countess", "princess", "baroness", "housekeeper",
}  # fmt: skip
MALE_NOUNS = {
    "husband", "man", "gentleman", "boy", "father", "brother", "uncle", "son", "nephew",
    "king", "duke", "lord", "master", "host", "grandfather", "landlord", "fellow", "youth",
    "colonel", "captain", "general", "count", "prince", "baron", "servant", "waiter",
    "doctor", "clergyman", "officer", "stranger",
}  # fmt: skip
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
# A narration paragraph longer than this (in words) ends a run of dialogue.
RUN_BREAK_WORDS = 80
# How many turns back alternation looks for the other party of a conversation.
MAX_ALTERNATION_REACH = 6
# Alternation read backwards from a later anchor must be this many turns closer to win:
# a tagged line after an untagged stretch is often a third person joining in.
BACKWARD_HANDICAP = 2
# Confidence of each kind of evidence.
CONFIDENCE = {
    "name_tag": 0.95,
    "narrator_tag": 0.93,
    "pronoun_tag": 0.8,
    "nominal_tag": 0.6,
    "sole_description": 0.8,
    "beat": 0.75,
    "name_beat": 0.85,
    "paragraph": 0.85,
    "alternation": 0.7,
    "salience": 0.35,
}


@dataclass(slots=True)
class _Turn:
    """One paragraph of dialogue: its quotes and what its narration says about the speaker."""

    paragraph: int
    last_paragraph: int  # a speech over several paragraphs ends here
    quotes: list[int]
    speaker: CharacterId | None = None
    evidence: str | None = None
    type: QuoteType = QuoteType.IMPLICIT
    vocatives: tuple[CharacterId, ...] = ()
    confidence: float | None = None  # the ranker's probability, when it decided the turn


def attribute_speakers(
    text: str,
    parse: Parse,
    quote_spans: tuple[QuoteSpan, ...],
    scenes: tuple[Scene, ...],
    cast: Cast,
    mentions: tuple[Mention, ...],
    *,
    ranker: SpeakerRanker | None = None,
    on_candidates: CandidateSink | None = None,
) -> tuple[Attribution, ...]:
    """Attribute each quotation to a character (or ``None`` when nothing supports a guess).

    ``ranker`` re-decides the turns no name tag fixes; ``on_candidates`` receives each such
    turn's quotation indices and candidates (the training script collects them).
    """
    if not quote_spans:
        return ()
    context = _Context(parse, quote_spans, cast, mentions, scenes)
    per_quote: list[tuple[CharacterId | None, str | None, QuoteType]] = [
        (None, None, QuoteType.IMPLICIT)
    ] * len(quote_spans)

    turns = _turns(quote_spans, context)
    runs = list(_runs(turns, context, scenes))
    for run in runs:
        _fill_run(run, context, per_quote)
    described = _resolve_descriptions(turns, context, per_quote)
    if described:
        # Second pass: the described speakers now anchor the turn-taking around them.
        context.described = described
        context.speakers_so_far = []
        per_quote[:] = [(None, None, QuoteType.IMPLICIT)] * len(quote_spans)
        turns = _turns(quote_spans, context)
        runs = list(_runs(turns, context, scenes))
        for run in runs:
            _fill_run(run, context, per_quote)
    if ranker is not None or on_candidates is not None:
        _rerank(runs, context, per_quote, ranker, on_candidates)

    attributions: list[Attribution] = []
    for turn in turns:
        for quote_index in turn.quotes:
            speaker, evidence, quote_type = per_quote[quote_index]
            if speaker is None:
                speaker, evidence = turn.speaker, turn.evidence
                quote_type = QuoteType.IMPLICIT if evidence != "paragraph" else turn.type
            confidence = CONFIDENCE.get(evidence or "", 0.0)
            if turn.confidence is not None:
                confidence = turn.confidence
            attributions.append(
                Attribution(
                    speaker=speaker,
                    type=quote_type,
                    confidence=round(confidence, 3) if speaker else 0.0,
                )
            )
    return tuple(attributions)


class _Context:
    """Token-level look-ups shared by the layers."""

    def __init__(
        self,
        parse: Parse,
        quote_spans: tuple[QuoteSpan, ...],
        cast: Cast,
        mentions: tuple[Mention, ...],
        scenes: tuple[Scene, ...],
    ) -> None:
        self.parse = parse
        self.tokens = parse.tokens
        self.quote_spans = quote_spans
        self.cast = cast
        self.genders = {c.id: c.gender for c in cast.characters}
        self.name_lookup = {
            normalise_name(name): c.id for c in cast.characters for name in (c.name, *c.aliases)
        }
        self.verbs = speech_verbs()
        self.quote_tokens = self._quote_token_ranges()
        self.pronoun_owner = {
            m.char_start: m.character
            for m in mentions
            if m.kind == MentionKind.PRONOUN and m.character is not None
        }
        self.token_at = {t.char_start: t.index for t in self.tokens}
        self.paragraph_quotes: dict[int, list[int]] = {}
        for index, span in enumerate(quote_spans):
            self.paragraph_quotes.setdefault(span.paragraph_index, []).append(index)
        self.vocatives = cast.vocatives
        self.speakers_so_far: list[CharacterId] = []
        self.run_speakers: list[CharacterId | None] = []  # turns so far in this run
        # quote index -> (description, its gender, best guess from the context alone)
        self.nominals: dict[int, tuple[str, str, CharacterId | None]] = {}
        self.described: dict[int, CharacterId] = {}  # their speakers, once decided
        self.tag_pronouns: dict[int, tuple[str, int]] = {}  # quote -> (gender, pronoun token)
        self.mention_counts = Counter(cast.by_token.values())
        self.style: _SpeechStyles | None = None  # set once the tags are read
        # Who the narration names in each scene: the people present, more or less.
        # A paragraph with no tokens (only at the end) counts as after every scene.
        after_all = scenes[-1].char_end if scenes else 0
        self.scene_of_paragraph = scene_positions(
            scenes,
            [
                self.tokens[start].char_start if start < len(self.tokens) else after_all
                for start in parse.paragraph_token_starts
            ],
        )
        self.present_in_scene: dict[int, set[CharacterId]] = {}
        narration_names = [i for i in cast.by_token if self.tokens[i].in_quote is None]
        for index, scene in zip(
            narration_names,
            scene_positions(scenes, [self.tokens[i].char_start for i in narration_names]),
            strict=True,
        ):
            self.present_in_scene.setdefault(scene, set()).add(cast.by_token[index])
        # Paragraphs whose narration says "I": the narrator is in the scene around them.
        self.first_person_paragraphs = {
            parse.sentences[token.sentence].paragraph_index
            for token in self.tokens
            if token.text in FIRST_PERSON_WORDS and token.in_quote is None
        }

    def tag_pronoun(self, quote_indices: list[int]) -> tuple[str, int] | None:
        """The (gender, token) of the first pronoun tag among these quotations ("she said")."""
        return next((self.tag_pronouns[q] for q in quote_indices if q in self.tag_pronouns), None)

    def coreferent(self, pronoun: tuple[str, int]) -> CharacterId | None:
        """Whom the narration's coreference gives a tag's pronoun to."""
        return self.pronoun_owner.get(self.tokens[pronoun[1]].char_start)

    def _quote_token_ranges(self) -> list[tuple[int, int]]:
        ranges = [(-1, -1)] * len(self.quote_spans)
        for token in self.tokens:
            if token.in_quote is not None:
                first, _ = ranges[token.in_quote]
                ranges[token.in_quote] = (token.index if first < 0 else first, token.index)
        return ranges

    def paragraph_tokens(self, paragraph: int) -> range:
        starts = self.parse.paragraph_token_starts
        end = starts[paragraph + 1] if paragraph + 1 < len(starts) else len(self.tokens)
        return range(starts[paragraph], end)

    # -- tags ---------------------------------------------------------------------------------

    def narration_after(self, quote_index: int) -> list[int]:
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

    def tag_speaker(self, quote_index: int) -> tuple[CharacterId | None, str | None, QuoteType]:
        """The speaker named by a speech tag or beat next to the quotation, if any."""
        after = self.narration_after(quote_index)
        before = self.narration_before(quote_index)
        # The tag right after the quotation, up to the end of its sentence.
        after_clause = _first_sentence(self.tokens, after)
        before_clause = _last_sentence(self.tokens, before)
        introduction = self._introduction(quote_index)
        for clause in (after_clause, before_clause, introduction):
            found = self._speech_subject(clause, quote_index)
            if found[0] is not None:
                return found
        for clause in (after_clause, before_clause, introduction):
            found = self._speech_noun_owner(clause, quote_index)
            if found[0] is not None:
                return found
        # The second part of an interrupted quotation inherits the first part's tag.
        for clause in (after_clause, before_clause):
            found = self._beat_subject(clause, quote_index)
            if found[0] is not None:
                return found
        return None, None, QuoteType.IMPLICIT

    def _introduction(self, quote_index: int) -> list[int]:
        """A tag that ends the previous paragraph and announces this one ("Lydia said,--")."""
        if self.narration_before(quote_index):
            return []
        paragraph = self.quote_spans[quote_index].paragraph_index
        first, _ = self.quote_tokens[quote_index]
        if (
            paragraph == 0
            or first < 0
            or self.paragraph_quotes.get(paragraph, [None])[0] != (quote_index)
        ):
            return []
        previous = self.paragraph_tokens(paragraph - 1)
        if not previous or self.tokens[previous.stop - 1].in_quote is not None:
            return []
        last = self.tokens[previous.stop - 1].text
        if last not in INTRODUCING_PUNCTUATION and not last[-1:].isalpha():
            return []
        return _last_sentence(self.tokens, list(previous))

    def _speech_subject(self, clause: list[int], quote_index: int):
        tokens = self.tokens
        verbs = [
            index
            for index in clause
            if tokens[index].text.lower() in self.verbs and tokens[index].pos in ("VERB", "AUX")
        ]
        # "Not until Anne had finished did Marilla say:": the main verb's subject speaks, not
        # a subordinate clause's, when both verbs could be speech verbs.
        main = [index for index in verbs if tokens[index].dep != "advcl"]
        for index in main + [index for index in verbs if index not in main]:
            subject = self._subject_of(index, clause)
            if subject is not None:
                return self._referent(subject, quote_index, tag=True)
        return None, None, QuoteType.IMPLICIT

    def _speech_noun_owner(self, clause: list[int], quote_index: int):
        """ "was Catherine's honest assurance", "Sir Walter's remark was": whose words they are."""
        tokens = self.tokens
        for index in clause:
            token = tokens[index]
            if token.dep == "poss" and tokens[token.head].text.lower() in SPEECH_NOUNS:
                found = self._referent(index, quote_index, tag=True)
                if found[0] is not None:
                    return found
        return None, None, QuoteType.IMPLICIT

    def _beat_subject(self, clause: list[int], quote_index: int):
        tokens = self.tokens
        for index in clause:
            token = tokens[index]
            if token.dep in SUBJECT_DEPS and tokens[token.head].pos in ("VERB", "AUX"):
                found = self._referent(self._bodily_owner(index, clause), quote_index, tag=False)
                if found[0] is not None:
                    return found
        return None, None, QuoteType.IMPLICIT

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
        if modal in clause and modal in self.cast.by_token and tokens[modal].dep == "aux":
            return modal
        # Inverted tags the parser missed: "said Mara", "cried the scandalised Margaret".
        for position in range(
            verb_index + 1, min(verb_index + 1 + INVERTED_SUBJECT_REACH, len(tokens))
        ):
            if position not in clause:
                break
            token = tokens[position]
            if (
                position in self.cast.by_token
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

    def _referent(self, subject: int, quote_index: int, *, tag: bool):
        """Character a tag's subject token refers to, with the kind of evidence."""
        token = self.tokens[subject]
        owner = self.cast.by_token.get(subject)
        if owner is not None:
            return owner, ("name_tag" if tag else "name_beat"), QuoteType.EXPLICIT
        word = token.text.lower()
        if word in FIRST_PERSON or word in self.cast.narrator_words:
            if self.cast.narrator is not None and word in self.cast.narrator_words:
                return self.cast.narrator, "narrator_tag", QuoteType.ANAPHORIC
            return None, None, QuoteType.IMPLICIT
        gender = PERSONAL_PRONOUN_GENDER.get(word)
        if gender is not None:
            self.tag_pronouns[quote_index] = (gender, subject)
            speaker = self.resolve_gendered(gender, quote_index, subject)
            if speaker is not None:
                return speaker, ("pronoun_tag" if tag else "beat"), QuoteType.ANAPHORIC
            return None, None, QuoteType.ANAPHORIC
        if not tag:
            return None, None, QuoteType.IMPLICIT
        # A nominal ("his wife", "the old man", "the Hatter"): a character's name or
        # description, a name inside it (not a possessor: "Brenda's solicitor"), or its gender.
        named = self._described_by_name(subject)
        if named is not None:
            return named, "name_tag", QuoteType.ANAPHORIC
        for index in range(max(0, subject - 4), subject + 1):
            token = self.tokens[index]
            if (token.head == subject and token.dep != "poss") or index == subject:
                owner = self.cast.by_token.get(index)
                if owner is not None:
                    return owner, "name_tag", QuoteType.EXPLICIT
        if quote_index in self.described:
            return self.described[quote_index], "nominal_tag", QuoteType.ANAPHORIC
        gender = "she" if word in FEMALE_NOUNS else "he" if word in MALE_NOUNS else None
        if gender is not None:
            only = self._only_one_present(gender, quote_index)
            if only is not None:
                return only, "sole_description", QuoteType.ANAPHORIC
            # Decided later, once the whole text shows whom this description usually means.
            fallback = self.resolve_gendered(gender, quote_index, subject, avoid_previous=True)
            self.nominals[quote_index] = (self._phrase(subject), gender, fallback)
        return None, None, QuoteType.ANAPHORIC

    def _only_one_present(self, gender: str, quote_index: int) -> CharacterId | None:
        """ "said the boy" in a scene whose narration names one male character: him."""
        scene = self.scene_of_paragraph[self.quote_spans[quote_index].paragraph_index]
        present = [
            owner
            for owner in self.present_in_scene.get(scene, ())
            if self.genders.get(owner) == gender
        ]
        return present[0] if len(present) == 1 else None

    def _described_by_name(self, head: int) -> CharacterId | None:
        """A description that is some character's name: "the policeman", "one old labourer"."""
        first = head
        while (
            first > max(0, head - 4)
            and self.tokens[first - 1].head == head
            and (self.tokens[first - 1].dep in NOMINAL_MODIFIERS | {"nummod"})
        ):
            first -= 1
        words = [self.tokens[i].text for i in range(first, head + 1)]
        for start in range(len(words)):
            owner = self.name_lookup.get(normalise_name(" ".join(words[start:])))
            if owner is not None:
                return owner
        return None

    def _phrase(self, head: int) -> str:
        """ "her father", "the old man": the head noun with its determiners and adjectives.

        A possessive pronoun is replaced by whom it refers to, so Ann's "her sister" and
        Bea's "her sister" are different descriptions.
        """
        words = []
        for index in range(max(0, head - 3), head):
            token = self.tokens[index]
            if token.head != head or token.dep not in NOMINAL_MODIFIERS:
                continue
            owner = self.pronoun_owner.get(token.char_start) if token.dep == "poss" else None
            words.append(f"<{owner}>" if owner else token.text.lower())
        return " ".join([*words, self.tokens[head].text.lower()])

    def resolve_gendered(
        self, gender: str, quote_index: int, token_index: int, *, avoid_previous: bool = False
    ) -> CharacterId | None:
        """Pick the character a he/she in a tag means, from salience and turn-taking."""
        candidates: Counter[CharacterId] = Counter()
        own_vocatives = set(self.vocatives[quote_index])
        resolved = self.pronoun_owner.get(self.tokens[token_index].char_start)
        if resolved is not None:
            candidates[resolved] += 2.0
        paragraph = self.quote_spans[quote_index].paragraph_index
        # Names earlier in the same paragraph's narration are the strongest cue.
        for index in self.paragraph_tokens(paragraph):
            if index >= token_index:
                break
            owner = self.cast.by_token.get(index)
            if owner is not None and self.tokens[index].in_quote is None:
                is_subject = self.tokens[index].dep in SUBJECT_DEPS
                candidates[owner] += SAME_PARAGRAPH_SUBJECT if is_subject else SAME_PARAGRAPH_NAME
        recent = [s for s in self.run_speakers[-3:] if s is not None]
        if recent:
            previous = recent[-1]
            candidates[previous] -= 1.5 if not avoid_previous else 3.0
            if len(recent) >= 2 and recent[-2] != previous:
                candidates[recent[-2]] += 2.0
        elif self.speakers_so_far:
            candidates[self.speakers_so_far[-1]] += 0.5
        for offset, owner in enumerate(self._recent_names(paragraph, 4)):
            candidates[owner] += 1.0 / (1 + offset)
        best: CharacterId | None = None
        best_score = float("-inf")
        for character, score in candidates.items():
            character_gender = self.genders.get(character)
            if character_gender not in (gender, None) or character in own_vocatives:
                continue
            if character_gender is None:
                score -= 1.0
            if score > best_score:
                best, best_score = character, score
        return best

    def _recent_names(self, paragraph: int, window: int) -> list[CharacterId]:
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


def _resolve_descriptions(
    turns: list[_Turn], context: _Context, per_quote: list
) -> dict[int, CharacterId]:
    """Tags like "said her father": the character the conversation implies most often.

    Each such turn first got a speaker by turn-taking alone; the description then goes to the
    character those guesses agree on across the text, which is usually one person per novel.
    """
    votes: dict[str, Counter[CharacterId]] = {}
    described: list[tuple[_Turn, int]] = []
    for turn in turns:
        for quote_index in turn.quotes:
            if quote_index in context.nominals and per_quote[quote_index][0] is None:
                phrase, gender, _ = context.nominals[quote_index]
                described.append((turn, quote_index))
                if turn.speaker is not None and context.genders.get(turn.speaker) in (
                    gender,
                    None,
                ):
                    votes.setdefault(phrase, Counter())[turn.speaker] += 1
    speakers: dict[int, CharacterId] = {}
    for turn, quote_index in described:
        phrase, gender, fallback = context.nominals[quote_index]
        ranked = votes.get(phrase, Counter()).most_common(1)
        if ranked and ranked[0][1] >= MIN_DESCRIPTION_VOTES:
            speaker = ranked[0][0]
        elif turn.speaker is not None and context.genders.get(turn.speaker) in (gender, None):
            speaker = turn.speaker
        else:
            speaker = fallback
        if speaker is not None:
            speakers[quote_index] = speaker
    return speakers


def _first_sentence(tokens: tuple[Token, ...], indices: list[int]) -> list[int]:
    if not indices:
        return []
    sentence = tokens[indices[0]].sentence
    clause = [i for i in indices if tokens[i].sentence == sentence]
    return clause


def _last_sentence(tokens: tuple[Token, ...], indices: list[int]) -> list[int]:
    if not indices:
        return []
    sentence = tokens[indices[-1]].sentence
    return [i for i in indices if tokens[i].sentence == sentence]


def _turns(quote_spans, context: _Context) -> list[_Turn]:
    """Group quotations by paragraph: one paragraph of dialogue is one turn.

    A speech running on over several paragraphs (each reopening the quotation) is one turn:
    its speaker does not alternate with anyone.
    """
    turns: list[_Turn] = []
    for paragraph, quote_indices in sorted(context.paragraph_quotes.items()):
        continued = quote_spans[quote_indices[0]].continues
        if (
            turns
            and continued is not None
            and quote_spans[continued].paragraph_index != paragraph
            and continued in turns[-1].quotes
        ):
            turn = turns[-1]
            turn.quotes = turn.quotes + quote_indices
            turn.last_paragraph = paragraph
        else:
            turn = _Turn(paragraph=paragraph, last_paragraph=paragraph, quotes=quote_indices)
            turns.append(turn)
        vocatives = list(turn.vocatives)
        for i in quote_indices:
            vocatives.extend(v for v in context.vocatives[i] if v not in vocatives)
        turn.vocatives = tuple(vocatives)
    return turns


def _tag_turn(turn: _Turn, context: _Context, per_quote: list) -> None:
    """Read the tags of a turn's quotations; a tagged quote speaks for the untagged ones."""
    for quote_index in turn.quotes:
        first = context.quote_spans[quote_index].continues
        if first is not None and per_quote[first][0] is not None:
            per_quote[quote_index] = per_quote[first]
            continue
        per_quote[quote_index] = context.tag_speaker(quote_index)
        if first is not None and per_quote[quote_index][0] is not None:
            per_quote[first] = per_quote[quote_index]
    tagged = [per_quote[i] for i in turn.quotes if per_quote[i][0] is not None]
    if tagged:
        turn.speaker, _, turn.type = tagged[0]
        turn.evidence = "paragraph"


def _runs(turns: list[_Turn], context: _Context, scenes: tuple[Scene, ...]):
    """Split the turns into runs of dialogue: a scene break or a long narration ends a run."""
    run: list[_Turn] = []
    for turn in turns:
        if run and _breaks_run(run[-1].last_paragraph, turn.paragraph, context, scenes):
            yield run
            run = []
        run.append(turn)
    if run:
        yield run


def _breaks_run(previous: int, current: int, context: _Context, scenes) -> bool:
    if current - previous > 4:
        return True
    words = 0
    for paragraph in range(previous + 1, current):
        words += sum(1 for _ in context.paragraph_tokens(paragraph))
    if words > RUN_BREAK_WORDS:
        return True
    start = context.parse.tokens[context.paragraph_tokens(previous).start].char_start
    end = context.parse.tokens[context.paragraph_tokens(current).start].char_start
    return any(start < scene.char_start <= end for scene in scenes)


def _fill_run(run: list[_Turn], context: _Context, per_quote: list) -> None:
    """Speakers of a run of dialogue: tags first, then alternation between anchors.

    Forward, each turn's tags are read knowing who spoke before it (so "she said" can mean
    the other woman in the conversation); untagged turns take the alternating speaker. Then
    backward, untagged turns nearer to a later anchor take that anchor's alternation instead.
    """
    count = len(run)
    known: list[CharacterId | None] = [None] * count
    forward: list[tuple[CharacterId | None, int]] = [(None, 99)] * count
    context.run_speakers = []
    for position, turn in enumerate(run):
        _tag_turn(turn, context, per_quote)
        known[position] = turn.speaker
        if turn.speaker is None:
            forward[position] = _alternate(run, known, forward, position, -1)
        context.run_speakers.append(turn.speaker or forward[position][0])
    backward: list[tuple[CharacterId | None, int]] = [(None, 99)] * count
    for position in range(count - 1, -1, -1):
        if known[position] is None:
            backward[position] = _alternate(run, known, backward, position, +1)
    final: list[tuple[CharacterId | None, int]] = []
    for position, turn in enumerate(run):
        if turn.speaker is not None:
            final.append((turn.speaker, 0))
            continue
        (f_speaker, f_distance), (b_speaker, b_distance) = forward[position], backward[position]
        speaker = f_speaker if f_distance <= b_distance + BACKWARD_HANDICAP else b_speaker
        final.append((speaker or f_speaker or b_speaker, 50))
    # Turns still open follow the ones just decided, so one guess carries the alternation.
    decided = [speaker for speaker, _ in final]
    for position, turn in enumerate(run):
        if turn.speaker is not None:
            context.speakers_so_far.append(turn.speaker)
            continue
        evidence = "alternation"
        speaker = decided[position]
        if speaker is None:
            speaker, _ = _alternate(run, decided, final, position, -1)
        if speaker is None:
            speaker = _salient_other(run, position, context)
            evidence = "salience"
        decided[position] = speaker
        final[position] = (speaker, 50)
        turn.speaker, turn.evidence = speaker, evidence if speaker else None
        if speaker is not None:
            context.speakers_so_far.append(speaker)


def _alternate(run, known, guesses, position: int, step: int) -> tuple[CharacterId | None, int]:
    """Speaker of an untagged turn by alternation with its neighbours in one direction.

    With neighbours A (one turn away) and B (two away), the turn is B's; with only A, it is
    whoever A addressed by name. The distance to the nearest real anchor rides along.
    """

    def at(index: int) -> tuple[CharacterId | None, int]:
        if not 0 <= index < len(run):
            return None, 99
        if known[index] is not None:
            return known[index], 0
        return guesses[index]

    one, one_distance = at(position + step)
    two, two_distance = at(position + 2 * step)
    if one is not None and two is None:
        # The other party may have last spoken further back: "A, ?, A" still means B.
        for reach in range(3, MAX_ALTERNATION_REACH + 1):
            other, other_distance = at(position + reach * step)
            if other is not None and other != one:
                two, two_distance = other, other_distance + reach
                break
    # A vocative naming the expected speaker contradicts it: people don't address themselves.
    if one is not None and two is not None and one != two and two not in run[position].vocatives:
        return two, min(one_distance, two_distance) + 1
    if one is not None:
        neighbour = run[position + step]
        for addressee in neighbour.vocatives:
            if addressee != one:
                return addressee, one_distance + 1
    return None, 99


def _salient_other(run: list[_Turn], position: int, context: _Context) -> CharacterId | None:
    """Last resort: the most recently named character who did not speak the previous turn."""
    previous = run[position - 1].speaker if position > 0 else None
    paragraph = run[position].paragraph
    for owner in context._recent_names(paragraph + 1, 6):
        if owner != previous and owner not in run[position].vocatives:
            return owner
    return None


def _rerank(
    runs: list[list[_Turn]],
    context: _Context,
    per_quote: list,
    ranker: SpeakerRanker | None,
    on_candidates: CandidateSink | None,
) -> None:
    """Let the ranker re-decide every turn that no name or "I" tag fixes."""
    context.style = _SpeechStyles(
        context,
        (
            (turn.speaker, turn.quotes)
            for run in runs
            for turn in run
            if turn.speaker is not None and _turn_evidence(turn, per_quote) in FIXED_EVIDENCE
        ),
    )
    earlier: list[CharacterId] = []  # speakers of the runs before, most recent first
    for run in runs:
        decided = [turn.speaker for turn in run]
        rule_picks = list(decided)  # what the rules chose, before the ranker's sweeps
        fixed = [_turn_evidence(turn, per_quote) in FIXED_EVIDENCE for turn in run]
        fixed[0] = fixed[0] or _opens_with_resolved_pronoun(run[0], context, per_quote)
        sweeps = RANKER_SWEEPS if ranker is not None else 1
        for position, turn in [(p, t) for _ in range(sweeps) for p, t in enumerate(run)]:
            if fixed[position]:
                continue
            candidates = _candidates(
                run, position, decided, rule_picks, fixed, earlier, context, per_quote
            )
            if not candidates:
                continue
            if on_candidates is not None:
                on_candidates(turn.quotes, candidates)
            if ranker is None:
                continue
            probabilities = ranker.probabilities(candidates)
            best = max(range(len(candidates)), key=probabilities.__getitem__)
            _rank_speaker(turn, candidates[best].character, probabilities[best], per_quote)
            decided[position] = turn.speaker
        if ranker is not None:
            _decode_run(run, decided, rule_picks, fixed, earlier, context, per_quote, ranker)
        for speaker in reversed(decided):
            if speaker is not None:
                if speaker in earlier:
                    earlier.remove(speaker)
                earlier.insert(0, speaker)


def _decode_run(
    run: list[_Turn],
    decided: list[CharacterId | None],
    rule_picks: list[CharacterId | None],
    fixed: list[bool],
    earlier: list[CharacterId],
    context: _Context,
    per_quote: list,
    ranker: SpeakerRanker,
) -> None:
    """Re-decide a run's open turns jointly: the speaker sequence with the best total of the
    ranker's log-probabilities plus turn-taking terms (Viterbi over the run).

    Emissions are scored once with the neighbours the sweeps decided; a fixed turn (a name
    tag) has its speaker as its only state. The transitions penalise one speaker taking two
    turns in a row and reward the one the previous turn addressed by name ("Yes, Papa." is
    likely followed by Papa). Scoring the emissions with the rules' picks as neighbours
    instead was worse (PDNC gold cast, 11 novels: 75.9 vs 78.0 % speaker accuracy), as the
    ranker learnt its neighbour features from decided neighbours.
    """
    states: list[list[CharacterId | None]] = []
    emissions: list[list[float]] = []
    probabilities: list[list[float]] = []
    for position, turn in enumerate(run):
        candidates = (
            []
            if fixed[position]
            else _candidates(run, position, decided, rule_picks, fixed, earlier, context, per_quote)
        )
        if not candidates:
            states.append([decided[position]])
            emissions.append([0.0])
            probabilities.append([turn.confidence or 0.0])
            continue
        probs = ranker.probabilities(candidates)
        states.append([c.character for c in candidates])
        probabilities.append(probs)
        emissions.append([math.log(max(p, 1e-12)) for p in probs])
    best: list[float] = list(emissions[0])
    back: list[list[int]] = [[0] * len(states[0])]
    for position in range(1, len(run)):
        addressed = run[position - 1].vocatives
        scores, pointers = [], []
        for current, emission in zip(states[position], emissions[position], strict=True):
            top, top_index = -math.inf, 0
            for index, previous in enumerate(states[position - 1]):
                score = best[index]
                if current is not None and current == previous:
                    score -= SAME_SPEAKER_PENALTY
                if current is not None and current in addressed:
                    score += ADDRESSED_BONUS
                if score > top:
                    top, top_index = score, index
            scores.append(top + emission)
            pointers.append(top_index)
        best = scores
        back.append(pointers)
    index = max(range(len(best)), key=best.__getitem__)
    for position in range(len(run) - 1, -1, -1):
        turn = run[position]
        if not fixed[position] and len(states[position]) > 1:
            speaker = states[position][index]
            _rank_speaker(turn, speaker, probabilities[position][index], per_quote)
            decided[position] = speaker
        index = back[position][index]


def _rank_speaker(
    turn: _Turn, speaker: CharacterId | None, confidence: float, per_quote: list
) -> None:
    """Give a turn the ranker's speaker: the turn and each of its attributed quotations."""
    turn.speaker = speaker
    turn.confidence = confidence
    for quote_index in turn.quotes:
        if per_quote[quote_index][0] is not None:
            per_quote[quote_index] = (speaker, "ranker", per_quote[quote_index][2])


def _opens_with_resolved_pronoun(turn: _Turn, context: _Context, per_quote: list) -> bool:
    """A run that opens with "he said" after narration: when the tag's rules and the
    narration's coreference agree, nobody spoke before him to make it doubtful."""
    if _turn_evidence(turn, per_quote) != "pronoun_tag":
        return False
    pronoun = context.tag_pronoun(turn.quotes)
    if pronoun is None:
        return False
    owner = context.coreferent(pronoun)
    if owner is None or owner != turn.speaker or turn.paragraph == 0:
        return False
    subjects, _ = _narration_names(context, [turn.paragraph - 1])
    return turn.paragraph - 1 not in context.paragraph_quotes and subjects == [owner]


class _SpeechStyles:
    """How each character talks, learnt from the lines their name tags fix in this very text.

    A turn's words are scored against each speaker's own words (a smoothed unigram model
    against everyone's): Mr. Woodhouse's "my dear", Miss Bates's dashes.
    """

    def __init__(
        self, context: _Context, tagged_turns: Iterable[tuple[CharacterId, list[int]]]
    ) -> None:
        self.counts: dict[CharacterId, Counter[str]] = {}
        self.everyone: Counter[str] = Counter()
        for speaker, quote_indices in tagged_turns:
            words = _quote_words_of(context, quote_indices)
            self.counts.setdefault(speaker, Counter()).update(words)
            self.everyone.update(words)
        self.totals = {speaker: sum(c.values()) for speaker, c in self.counts.items()}
        self.everyone_total = sum(self.everyone.values())
        self.vocabulary = len(self.everyone) + 1

    def knows(self, speaker: CharacterId) -> bool:
        return self.totals.get(speaker, 0) >= MIN_STYLE_WORDS

    def fit(self, speaker: CharacterId, words: list[str]) -> float:
        """Mean log-likelihood ratio of the words under the speaker's model vs everyone's."""
        counts, total = self.counts[speaker], self.totals[speaker]
        smoothing = STYLE_SMOOTHING * self.vocabulary
        ratio = 0.0
        for word in words:
            own = (counts[word] + STYLE_SMOOTHING) / (total + smoothing)
            shared = (self.everyone[word] + STYLE_SMOOTHING) / (self.everyone_total + smoothing)
            ratio += math.log(own / shared)
        return ratio / max(1, len(words))


def _quote_words_of(context: _Context, quote_indices: list[int]) -> list[str]:
    words: list[str] = []
    for quote_index in quote_indices:
        first, last = context.quote_tokens[quote_index]
        if first >= 0:
            words.extend(context.tokens[i].text.lower() for i in range(first, last + 1))
    return words


def _turn_evidence(turn: _Turn, per_quote: list) -> str | None:
    """The tag evidence behind a turn (its first tagged quote), else how it was guessed."""
    for quote_index in turn.quotes:
        if per_quote[quote_index][0] is not None:
            return per_quote[quote_index][1]
    return turn.evidence


RULE_FEATURE = {
    "alternation": "rule_alternation",
    "salience": "rule_salience",
    "pronoun_tag": "rule_pronoun",
    "nominal_tag": "rule_description",
    "beat": "rule_beat",
    "name_beat": "rule_beat",
}


def _candidates(
    run: list[_Turn],
    position: int,
    decided: list[CharacterId | None],
    rule_picks: list[CharacterId | None],
    fixed: list[bool],
    earlier: list[CharacterId],
    context: _Context,
    per_quote: list,
) -> list[Candidate]:
    """The plausible speakers of one turn, each with its features."""
    turn = run[position]

    def at(offset: int) -> CharacterId | None:
        index = position + offset
        return decided[index] if 0 <= index < len(run) else None

    def tagged(offset: int) -> bool:
        index = position + offset
        return 0 <= index < len(run) and fixed[index]

    paragraph = turn.paragraph
    paragraph_subjects, paragraph_names = _narration_names(context, [paragraph])
    gap_start = run[position - 1].last_paragraph + 1 if position > 0 else max(0, paragraph - 1)
    gap_subjects, gap_names = _narration_names(context, list(range(gap_start, paragraph)))
    recent = context._recent_names(paragraph, 4)

    pool: list[CharacterId] = []
    for offset in range(-CANDIDATE_TURNS, CANDIDATE_TURNS + 1):
        pool.append(at(offset))
    for offset in (-1, 1):
        if 0 <= position + offset < len(run):
            pool.extend(run[position + offset].vocatives)
    pool.extend(paragraph_subjects + paragraph_names + gap_subjects + gap_names + recent[:4])
    pool.append(context.cast.narrator)
    # A long exchange can drift far from its anchors: everyone it has been given to so far,
    # the last speakers before it, and those named in the lines around.
    pool.extend(decided)
    pool.extend(earlier[:EARLIER_SPEAKERS])
    quote_indices = turn.quotes
    pronoun = context.tag_pronoun(quote_indices)
    described = next((context.described[q] for q in quote_indices if q in context.described), None)
    pool.append(described)
    # "said the boy", "said his wife": the description's gender rules out the others.
    described_gender = next(
        (context.nominals[q][1] for q in quote_indices if q in context.nominals), None
    )
    pronoun_owner = context.coreferent(pronoun) if pronoun else None
    first_person = any(_has_first_person(context, q) for q in quote_indices)
    last_subject, last_subject_of_gender = _last_subjects(context, turn.quotes[0], gap_start)
    # In a first-person passage the narrator takes part in every conversation.
    narrating = context.cast.narrator is not None and any(
        p in context.first_person_paragraphs
        for p in range(max(0, paragraph - NARRATING_PARAGRAPHS), paragraph + 1)
    )
    # A question or a "you" in the previous line expects an answer from someone else.
    previous_quotes = run[position - 1].quotes if position else []
    previous_asked = bool(previous_quotes) and _ends_with_question(context, previous_quotes[-1])
    previous_says_you = any(_has_word(context, q, SECOND_PERSON_WORDS) for q in previous_quotes)
    previous_long = sum(_quote_words(context, q) for q in previous_quotes) > LONG_SPEECH_WORDS
    # People seldom name themselves; the one named in the last line often answers.
    named_here = _named_in_quotes(context, quote_indices)
    named_before = _named_in_quotes(context, run[position - 1].quotes) if position else set()
    named_after = (
        _named_in_quotes(context, run[position + 1].quotes) if position + 1 < len(run) else set()
    )
    pool.extend(sorted(named_before) + sorted(named_after))
    evidence = _turn_evidence(turn, per_quote)
    turn_words = _quote_words_of(context, quote_indices)
    total_mentions = max(1, sum(context.mention_counts.values()))

    candidates: list[Candidate] = []
    seen: set[CharacterId] = set()
    for character in pool:
        if character is None or character in seen or character in turn.vocatives:
            continue
        seen.add(character)
        gender = context.genders.get(character)
        if pronoun is not None and gender not in (pronoun[0], None):
            continue
        if described_gender is not None and gender not in (described_gender, None):
            continue
        active: dict[str, float] = {}
        if character == rule_picks[position]:
            active["rule"] = 1.0
            if evidence in RULE_FEATURE:
                active[RULE_FEATURE[evidence]] = 1.0
        if character == at(-1):
            active["previous"] = 1.0
            active["previous_tagged"] = float(tagged(-1))
            active["previous_asked"] = float(previous_asked)
            active["previous_long"] = float(previous_long)
        if character == at(-2) and at(-2) != at(-1):
            active["two_back"] = 1.0
            active["two_back_tagged"] = float(tagged(-2))
            active["two_back_asked"] = float(previous_asked)
            active["addressed_you_before"] = float(previous_says_you)
        if character == at(1):
            active["next"] = 1.0
            active["next_tagged"] = float(tagged(1))
        if character == at(2) and at(2) != at(1):
            active["two_ahead"] = 1.0
            active["two_ahead_tagged"] = float(tagged(2))
        if position > 0 and character in run[position - 1].vocatives:
            active["addressed_before"] = 1.0
        if position + 1 < len(run) and character in run[position + 1].vocatives:
            active["addressed_after"] = 1.0
        if character in paragraph_subjects:
            active["paragraph_subject"] = 1.0
        elif character in paragraph_names:
            active["paragraph_name"] = 1.0
        if character in gap_subjects:
            active["gap_subject"] = 1.0
        elif character in gap_names:
            active["gap_name"] = 1.0
        if context.style is not None and context.style.knows(character):
            active["style_known"] = 1.0
            active["style_fit"] = context.style.fit(character, turn_words)
        if character in context.present_in_scene.get(context.scene_of_paragraph[paragraph], ()):
            active["in_scene_narration"] = 1.0
        if character in recent:
            active["recency"] = 1.0 / (1 + recent.index(character))
        active["run_share"] = sum(1 for s in decided if s == character) / len(run)
        active["prominence"] = (
            math.log1p(1000 * context.mention_counts[character] / total_mentions) / 7
        )
        if pronoun is not None:
            if gender == pronoun[0]:
                active["pronoun_gender"] = 1.0
            else:
                active["pronoun_unknown_gender"] = 1.0
            if character == pronoun_owner:
                active["pronoun_resolved"] = 1.0
        if character == context.cast.narrator:
            active["narrator"] = 1.0
            active["narrator_first_person"] = float(first_person)
            active["narrator_narrating"] = float(narrating)
        if character in named_here:
            active["named_in_quote"] = 1.0
        if character in named_before:
            active["named_in_previous_quote"] = 1.0
        if character in named_after:
            active["named_in_next_quote"] = 1.0
        if character in earlier[:EARLIER_SPEAKERS]:
            active["earlier_speaker"] = 1.0 / (1 + earlier.index(character))
        if character == last_subject:
            active["last_subject"] = 1.0
        if pronoun is not None and character == last_subject_of_gender.get(pronoun[0]):
            active["last_subject_of_gender"] = 1.0
        if position == 0:
            active["first_in_run"] = 1.0
            if character in gap_subjects:
                active["first_in_run_gap_subject"] = 1.0
        candidates.append(Candidate(character, feature_vector(active)))
    return candidates


def _narration_names(
    context: _Context, paragraphs: list[int]
) -> tuple[list[CharacterId], list[CharacterId]]:
    """Characters named in the narration of these paragraphs: as subjects, and otherwise."""
    subjects: list[CharacterId] = []
    others: list[CharacterId] = []
    for paragraph in paragraphs:
        for index in context.paragraph_tokens(paragraph):
            token = context.tokens[index]
            owner = context.cast.by_token.get(index)
            if owner is None or token.in_quote is not None:
                continue
            if token.dep in SUBJECT_DEPS:
                if owner not in subjects:
                    subjects.append(owner)
            elif owner not in others:
                others.append(owner)
    return subjects, others


def _has_first_person(context: _Context, quote_index: int) -> bool:
    return _has_word(context, quote_index, FIRST_PERSON_WORDS)


def _has_word(context: _Context, quote_index: int, words: frozenset[str]) -> bool:
    first, last = context.quote_tokens[quote_index]
    return first >= 0 and any(context.tokens[i].text in words for i in range(first, last + 1))


def _ends_with_question(context: _Context, quote_index: int) -> bool:
    first, last = context.quote_tokens[quote_index]
    return first >= 0 and any(
        context.tokens[i].text == "?" for i in range(max(first, last - 2), last + 1)
    )


def _quote_words(context: _Context, quote_index: int) -> int:
    first, last = context.quote_tokens[quote_index]
    return last - first + 1 if first >= 0 else 0


def _named_in_quotes(context: _Context, quote_indices: list[int]) -> set[CharacterId]:
    named: set[CharacterId] = set()
    for quote_index in quote_indices:
        first, last = context.quote_tokens[quote_index]
        for index in range(first, last + 1 if first >= 0 else first):
            owner = context.cast.by_token.get(index)
            if owner is not None:
                named.add(owner)
    return named


def _last_subjects(
    context: _Context, quote_index: int, first_paragraph: int
) -> tuple[CharacterId | None, dict[str, CharacterId]]:
    """The latest narration subject before a quotation (a name or a resolved pronoun), and
    the latest of each gender: "Mrs. Elton chose another subject. 'We...,' said she."
    """
    first_token, _ = context.quote_tokens[quote_index]
    start = context.paragraph_tokens(first_paragraph).start
    latest: CharacterId | None = None
    by_gender: dict[str, CharacterId] = {}
    for index in range(max(start, first_token - SUBJECT_LOOKBACK_TOKENS), max(start, first_token)):
        token = context.tokens[index]
        if token.in_quote is not None or token.dep not in SUBJECT_DEPS:
            continue
        owner = context.cast.by_token.get(index) or context.pronoun_owner.get(token.char_start)
        if owner is None:
            continue
        latest = owner
        gender = context.genders.get(owner)
        if gender:
            by_gender[gender] = owner
    return latest, by_gender
