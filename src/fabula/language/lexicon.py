"""Word lists the stages share: speech verbs, honorifics, pronouns, nicknames.

The lists live in ``fabula/data`` (written for fabula) and are read once.
"""

from __future__ import annotations

import functools
from importlib import resources

PERSONAL_PRONOUN_GENDER = {
    "he": "he",
    "him": "he",
    "his": "he",
    "himself": "he",
    "she": "she",
    "her": "she",
    "hers": "she",
    "herself": "she",
}
SUBJECT_PRONOUNS = {"he": "he", "she": "she", "they": "they"}
# Dependency labels of a verb's subject, active or passive.
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
FIRST_PERSON = {"i", "me", "my", "mine", "myself"}
SECOND_PERSON = {"you", "your", "yours", "yourself"}
# Groups: fabula has no group characters, so these are mentions linked to no one.
PLURAL_PRONOUNS = {
    "we", "us", "our", "ours", "ourselves", "they", "them", "their", "theirs", "themselves",
}  # fmt: skip

# Nouns for people of one gender ("said his wife", "the old man"): a description's gender.
FEMALE_NOUNS = frozenset({
    "wife", "lady", "woman", "girl", "mother", "sister", "aunt", "daughter", "niece", "widow",
    "queen", "duchess", "maid", "mistress", "hostess", "grandmother", "governess", "bride",
    "landlady", "nurse", "countess", "princess", "baroness", "housekeeper",
})  # fmt: skip
MALE_NOUNS = frozenset({
    "husband", "man", "gentleman", "boy", "father", "brother", "uncle", "son", "nephew",
    "king", "duke", "lord", "master", "host", "grandfather", "landlord", "fellow", "youth",
    "colonel", "captain", "general", "count", "prince", "baron", "servant", "waiter",
    "doctor", "clergyman", "officer", "stranger",
})  # fmt: skip


def noun_gender(word: str) -> str | None:
    """The gender a lower-case noun for a person implies: "wife" → "she", "man" → "he"."""
    if word in FEMALE_NOUNS:
        return "she"
    return "he" if word in MALE_NOUNS else None


# Irregular past forms of speech verbs; regular ones are derived by rule.
_IRREGULAR = {
    "say": ("said",),
    "tell": ("told",),
    "think": ("thought",),
    "speak": ("spoke", "spoken"),
    "begin": ("began", "begun"),
    "break": ("broke", "broken"),
    "write": ("wrote", "written"),
    "sing": ("sang", "sung"),
    "swear": ("swore", "sworn"),
    "put": ("put",),
    "cut": ("cut",),
    "read": ("read",),
    "burst": ("burst",),
}


def _lines(name: str) -> list[str]:
    text = resources.files("fabula.data").joinpath(name).read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]


def _inflections(base: str) -> set[str]:
    """say -> {say, says, saying, said}; snap -> {snaps, snapped, snapping}."""
    forms = {base, *_IRREGULAR.get(base, ())}
    if base.endswith("e"):
        stem = base[:-1]
        forms |= {base + "s", base + "d", stem + "ing"}
    elif base.endswith("y") and base[-2:-1] not in "aeiou":
        forms |= {base[:-1] + "ies", base[:-1] + "ied", base + "ing"}
    elif base.endswith(("s", "sh", "ch", "x", "z")):
        forms |= {base + "es", base + "ed", base + "ing"}
    else:
        doubled = (
            len(base) >= 3
            and base[-1] not in "aeiouwxy"
            and base[-2] in "aeiou"
            and base[-3] not in "aeiou"
            and len(base) <= 4
        )
        stem = base + base[-1] if doubled else base
        forms |= {base + "s", stem + "ed", stem + "ing"}
    return forms


@functools.cache
def speech_verbs() -> frozenset[str]:
    """Every inflected form of the speech verbs, lower case."""
    forms: set[str] = set()
    for base in _lines("speech_verbs.txt"):
        forms |= _inflections(base.strip())
    return frozenset(forms)


@functools.cache
def honorifics() -> dict[str, str | None]:
    """Honorific → the gender it implies ("he", "she") or None."""
    table: dict[str, str | None] = {}
    for line in _lines("honorifics.tsv"):
        word, gender = line.split("\t")
        table[word] = gender if gender in ("he", "she") else None
    return table


@functools.cache
def nicknames() -> dict[str, frozenset[str]]:
    """Short form → the full first names it can stand for ("Lizzy" → {"Elizabeth"})."""
    table: dict[str, set[str]] = {}
    for line in _lines("nicknames.tsv"):
        full, shorts = line.split("\t")
        for short in shorts.split(","):
            table.setdefault(short.strip(), set()).add(full)
    return {short: frozenset(fulls) for short, fulls in table.items()}
