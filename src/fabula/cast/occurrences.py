"""Name occurrences: runs of capitalised words that can name a person, and the evidence the
text gives that they do (speech-verb subjects, vocatives, possessives, places).

Names come from proper-noun tokens, the subjects of speech verbs, vocatives and honorifics,
not from spaCy's NER (it tags "Buffy" as an organisation).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from fabula.cast.aliases import NameForm
from fabula.language.lexicon import FIRST_PERSON, SUBJECT_DEPS, honorifics, speech_verbs
from fabula.model import Parse, Token
from fabula.typography import QUOTE_TOKENS

PROPER_TAGS = {"NNP", "NNPS"}
# Connectors allowed inside a multi-word name ("Lady Catherine de Bourgh").
NAME_CONNECTORS = {
    "de", "van", "von", "der", "den", "ten", "du", "la", "le", "da", "di", "del", "des",
}  # fmt: skip
# Capitalised words that are never character names on their own.
NOT_NAMES = {
    "I", "God", "Heaven", "Heavens", "Lord", "Providence", "Christ", "Jesus", "Oh", "Ah", "O",
    "Yes", "No", "Well", "Sir", "Madam", "Ma'am", "Miss", "Mrs", "Mr", "Mrs.", "Mr.", "Dear",
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December", "Christmas", "Easter", "English", "French", "Chapter",
    "CHAPTER", "Book", "Part", "Volume", "Hey", "Hi", "Hello", "Goodbye", "Okay", "OK", "Ok",
    "Thank", "Thanks", "Please", "Sorry", "Indeed", "Nonsense", "Good", "Bye", "Mamma",
    "Papa", "Mama", "Mum", "Mom", "Dad", "Daddy", "Mummy", "Mommy",
}  # fmt: skip
# Months are also given names ("May", "June"): one the narration makes a speaker this often is.
MONTHS = {"April", "May", "June", "July", "August"}
MIN_SPEAKING_WORD = 3
PLACE_PREPOSITIONS = {"in", "at", "to", "from", "into", "near", "through", "towards", "toward"}
# How far back (in tokens) a resumed quotation's first part may end, across its tag.
TAG_REACH = 12
THIRD_PERSON_WORDS = {"he", "she", "him", "her"}


@dataclass(slots=True)
class Occurrence:
    form: NameForm
    first_token: int
    last_token: int
    in_quote: bool


def capitalisation_stats(parse: Parse) -> tuple[Counter, Counter]:
    """How often each word is capitalised mid-sentence, and how often it appears in lower case."""
    capitalised_mid: Counter[str] = Counter()
    lower: Counter[str] = Counter()
    tokens = parse.tokens
    for token in tokens:
        word = token.text
        if not word[:1].isalpha():
            continue
        if word.islower():
            lower[word] += 1
        elif word[0].isupper() and not _sentence_initial(tokens, parse, token):
            capitalised_mid[word] += 1
    return capitalised_mid, lower


def speaking_words(parse: Parse) -> frozenset[str]:
    """Capitalised words the narration makes a speaker again and again ("May said", "asked
    May"): names, although the text writes them in lower case far more often ("may")."""
    tokens = parse.tokens
    counts = Counter(
        token.text
        for token in tokens
        if _mistagged_speaker(tokens, token.index)
        # Right after a quotation a capital proves something, though the parser may start
        # a sentence there ('"Shall we?" May asked.').
        and (
            not _sentence_initial(tokens, parse, token)
            or (token.index > 0 and tokens[token.index - 1].text in QUOTE_TOKENS)
        )
    )
    return frozenset(word for word, count in counts.items() if count >= MIN_SPEAKING_WORD)


def _sentence_initial(tokens: tuple[Token, ...], parse: Parse, token: Token) -> bool:
    """True for the first word of a sentence or of a quotation, where capitals prove nothing."""
    index = token.index
    sentence = parse.sentences[token.sentence]
    position = index - 1
    while position >= sentence.token_start and tokens[position].text in QUOTE_TOKENS | {
        "(",
        "—",
        "-",
        "--",
        "_",
        "[",
    }:
        position -= 1
    if position < sentence.token_start:
        return True
    return tokens[position].text in {".", "!", "?", ":", ";"} or (
        token.in_quote is not None and tokens[position].in_quote != token.in_quote
    )


def _is_common_word(word: str, word_stats: tuple[Counter, Counter]) -> bool:
    """A capitalised word that the text mostly writes in lower case ("Said", "Poor", "Well")."""
    capitalised_mid, lower = word_stats
    return lower[word.lower()] > max(2, 2 * capitalised_mid[word])


def name_occurrences(
    parse: Parse, word_stats: tuple[Counter, Counter], known_words: frozenset[str] = frozenset()
):
    """Yield each run of proper-noun tokens that can name a person, as a ``NameForm``."""
    tokens = parse.tokens
    honorific_table = honorifics()
    index = 0
    count = len(tokens)
    while index < count:
        token = tokens[index]
        if not (
            _can_start_name(token, honorific_table)
            or _opens_mistagged_title(parse, index, honorific_table)
            or _mistagged_speaker(tokens, index)
        ):
            index += 1
            continue
        run_end = index
        while run_end + 1 < count and _continues_name(tokens, run_end + 1, honorific_table):
            run_end += 1
        while run_end > index and tokens[run_end].text.lower() in NAME_CONNECTORS | {"-"}:
            run_end -= 1
        occurrence = _form_from_run(parse, index, run_end, word_stats, honorific_table, known_words)
        if occurrence is not None:
            yield occurrence
        index = run_end + 1


def _can_start_name(token: Token, honorific_table: dict[str, str | None]) -> bool:
    word = token.text
    return word[:1].isupper() and (token.tag in PROPER_TAGS or word in honorific_table)


def _mistagged_speaker(tokens: tuple[Token, ...], index: int) -> bool:
    """A capitalised word the tagger missed, in narration, at a speech verb, is a name:
    '"Deal again," Rosalind said.' (a noun subject), '"Did you?" asked Dolly.' (a name in -ly
    read as an adverb of the verb just before it) and '"Shall we?" May asked.' (a name read as
    a modal of the verb just after it)."""
    token = tokens[index]
    if not (
        token.in_quote is None
        and token.text[:1].isupper()
        and token.text.isalpha()
        and token.text not in NOT_NAMES - MONTHS
        and tokens[token.head].text.lower() in speech_verbs()
    ):
        return False
    if token.dep in SUBJECT_DEPS:
        return token.pos == "NOUN" or token.tag in PROPER_TAGS
    if token.head == index - 1:
        return token.pos in ("ADV", "NOUN", "ADJ")
    return token.head == index + 1 and token.dep == "aux"


def _opens_mistagged_title(
    parse: Parse, index: int, honorific_table: dict[str, str | None]
) -> bool:
    """ "the Invisible Man": a capitalised adjective mid-sentence before a proper noun."""
    tokens = parse.tokens
    token = tokens[index]
    return (
        index + 1 < len(tokens)
        and token.text[:1].isupper()
        and token.text.isalpha()
        and token.text not in NOT_NAMES
        and _can_start_name(tokens[index + 1], honorific_table)
        and tokens[index + 1].sentence == token.sentence
        and tokens[index + 1].in_quote == token.in_quote
        and not _sentence_initial(tokens, parse, token)
    )


def _continues_name(
    tokens: tuple[Token, ...], index: int, honorific_table: dict[str, str | None]
) -> bool:
    token = tokens[index]
    previous = tokens[index - 1]
    if token.sentence != previous.sentence or token.in_quote != previous.in_quote:
        return False
    if token.text == "-" or previous.text == "-":
        # Hyphenated names ("Grant-Menzies") are written without spaces.
        return token.char_start == previous.char_end
    if token.text.lower() in NAME_CONNECTORS:
        # "Mrs. van der Luyden": connectors run on to a capitalised word.
        following = index + 1
        while following < len(tokens) and tokens[following].text.lower() in NAME_CONNECTORS:
            following += 1
        return following < len(tokens) and tokens[following].text[:1].isupper()
    if not _is_name_word(previous.text):
        return False  # 'Ford.--"Yes' ends the name it is part of
    if (
        token.text in honorific_table
        and previous.text not in honorific_table
        and previous.text.lower() not in NAME_CONNECTORS
    ):
        return False  # "Miss Woodhouse Miss Taylor": a title starts the next name
    return token.text[:1].isupper() and (
        token.tag in PROPER_TAGS or previous.text in honorific_table
    )


def _is_name_word(word: str) -> bool:
    """Letters with inner apostrophes, hyphens or an initial's dot: not 'Ford.--"Yes'."""
    return all(ch.isalpha() or ch in "'’.-" for ch in word) and "--" not in word


def name_part(word: str) -> str:
    """The name at the start of a token that runs into punctuation: 'Ford.--"Yes' → "Ford"."""
    if _is_name_word(word):
        return word
    end = 0
    while end < len(word) and (word[end].isalpha() or word[end] in "'’"):
        end += 1
    return word[:end]


def _form_from_run(
    parse: Parse,
    first: int,
    last: int,
    word_stats: tuple[Counter, Counter],
    honorific_table: dict[str, str | None],
    known_words: frozenset[str] = frozenset(),
) -> Occurrence | None:
    tokens = parse.tokens
    not_names = NOT_NAMES - known_words
    # Drop leading words that are only capitalised because they open a sentence ("Said Willow").
    while first <= last:
        token = tokens[first]
        if token.text in honorific_table or token.text.lower() in NAME_CONNECTORS:
            break
        if token.text in known_words:
            break
        if token.text in not_names or (
            _sentence_initial(tokens, parse, token) and _is_common_word(token.text, word_stats)
        ):
            first += 1
            continue
        break
    if first > last:
        return None
    words = [name_part(tokens[i].text) for i in range(first, last + 1)]
    if not all(words) or any(word.isupper() and len(word) > 1 for word in words):
        return None  # headings and shouting, not names
    the_form = (
        first > 0
        and tokens[first - 1].text.lower() == "the"
        and tokens[first - 1].sentence == tokens[first].sentence
    )
    honorific = None
    if words[0] in honorific_table and not (the_form and len(words) == 1):
        honorific = words[0]
        words = words[1:]
    the_form = the_form and honorific is None
    name_words = tuple(w for w in words if w != "-")
    if not name_words or len(name_words) > 4:
        return None
    if len(name_words) == 1 and (name_words[0] in not_names or name_words[0] in FIRST_PERSON):
        return None
    if any(w in not_names and w not in NAME_CONNECTORS for w in name_words[:1]):
        return None
    if (
        honorific is None
        and len(name_words) == 1
        and name_words[0] not in known_words
        and _is_common_word(name_words[0], word_stats)
    ):
        return None
    joined = _join_words(tokens, first + (1 if honorific else 0), last)
    joined = joined[: len(joined) - len(tokens[last].text) + len(words[-1])]  # cut '.--"Yes'
    form = NameForm.build(honorific=honorific, words=name_words, display=joined, the_form=the_form)
    in_quote = tokens[first].in_quote is not None
    return Occurrence(form, first, last, in_quote)


def _join_words(tokens: tuple[Token, ...], first: int, last: int) -> str:
    parts: list[str] = []
    for index in range(first, last + 1):
        token = tokens[index]
        if parts and tokens[index - 1].char_end == token.char_start:
            parts[-1] += token.text
        else:
            parts.append(token.text)
    return " ".join(parts)


def person_evidence(parse: Parse, occurrences: list[Occurrence]) -> dict:
    """Per name form: how strongly the text treats it as a person rather than a place.

    "mid" counts uses inside a sentence, where a capital means a name ("Hullo" never has one).
    """
    tokens = parse.tokens
    verbs = speech_verbs()
    evidence: dict[str, Counter] = defaultdict(Counter)
    for occ in occurrences:
        stats = evidence[occ.form.key]
        stats["count"] += 1
        if not _sentence_initial(tokens, parse, tokens[occ.first_token]):
            stats["mid"] += 1
        head_token = tokens[occ.last_token]
        head = tokens[head_token.head]
        if occ.in_quote:
            if is_vocative(tokens, occ.first_token, occ.last_token):
                stats["vocative"] += 1
            continue
        if (
            head_token.dep in SUBJECT_DEPS | {"dobj"} and head.text.lower() in verbs
        ) or _mistagged_speaker(tokens, occ.last_token):
            # The speaker, or the one spoken to: "said Mara", '"Well?" asked Osric', "told Theo".
            stats["speaker"] += 1
        elif head_token.dep == "nsubj":
            stats["subject"] += 1
        elif head_token.dep == "pobj" and head.text.lower() in PLACE_PREPOSITIONS:
            stats["place"] += 1
        elif head_token.dep == "poss" or (
            occ.last_token + 1 < len(tokens) and tokens[occ.last_token + 1].text == "'s"
        ):
            stats["possessor"] += 1
    return evidence


def is_vocative(tokens: tuple[Token, ...], first: int, last: int) -> bool:
    """'Yes, Papa.' / 'Theo, wait.' / 'Come on, Theo!': a name set off by commas in speech."""
    before = tokens[first - 1] if first > 0 else None
    after = tokens[last + 1] if last + 1 < len(tokens) else None
    quote = tokens[first].in_quote
    before_ok = before is None or before.in_quote != quote or before.text in QUOTE_TOKENS
    after_ok = after is None or after.in_quote != quote or after.text in QUOTE_TOKENS
    comma_before = before is not None and before.text == ","
    comma_after = after is not None and after.text == ","
    end_after = after is not None and after.text in {"!", "?", ".", ";", ",", "—", "--"}
    if after is not None and after.text == "." and _names_a_pronoun(tokens, first, quote):
        return False
    return (
        (comma_before and (end_after or after_ok))
        or (before_ok and comma_after)
        or (
            (before_ok or (before is not None and before.text in {"O", "Oh", "Ah", "Dear", "dear"}))
            and end_after
        )
    )


def _names_a_pronoun(tokens: tuple[Token, ...], first: int, quote: int | None) -> bool:
    """'"She asked me to stay," he said. "Edie. Forty years ago..."': a name opening the
    resumed quotation says whom the pronoun before the tag meant; it addresses no one."""
    if quote is None or quote == 0 or first < 2 or tokens[first - 1].text not in QUOTE_TOKENS:
        return False
    index = first - 2
    while index > max(0, first - TAG_REACH) and tokens[index].in_quote is None:
        index -= 1
    if tokens[index].in_quote != quote - 1:
        return False
    while index >= 0 and tokens[index].in_quote == quote - 1:
        if tokens[index].text.lower() in THIRD_PERSON_WORDS:
            return True
        index -= 1
    return False
