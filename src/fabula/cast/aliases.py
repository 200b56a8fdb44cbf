"""Alias clustering: which name forms belong to one character.

"Mr. Darcy" / "Darcy" / "Fitzwilliam Darcy" are one person; "Mr. Bennet" and "Mrs. Bennet"
are two; "Lizzy" is Elizabeth when the text has exactly one Elizabeth. A cast given by the user
forms the first clusters and wins over guesses.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from fabula.language.lexicon import honorifics, nicknames
from fabula.model import CharacterId, KnownCharacter

# A form needs this much evidence of personhood to found a character of its own.
MIN_SPEAKER_EVIDENCE = 1
MIN_SUBJECT_EVIDENCE = 2
# A first name two characters share goes to the one named this many times as often.
SHARED_FIRST_NAME_DOMINANCE = 3
# With a cast given by the user, an unknown name must be a speech-verb subject this often.
MIN_SPEAKER_EVIDENCE_WITH_KNOWN_CAST = 3
# Share of a character's name mentions a form needs to be reported as an alias: a one-off
# form of a much-named character is more often a misread run of capitals ("Harvest
# Thanksgiving Tony") than a real name; a rarely named character keeps every form.
MIN_ALIAS_SHARE = 0.03
# Shortest clipped first name that joins the full one ("Anse" → "Ansel").
MIN_CLIPPED_LENGTH = 3
# Honorifics that go with a first name ("Miss Elizabeth", "Sir William", "Lady Catherine").
FIRST_NAME_HONORIFICS = {
    "Miss", "Lady", "Sir", "Master", "Aunt", "Auntie", "Uncle", "Mademoiselle", "Mlle.", "Mlle",
    "Madame", "Dame", "Cousin", "Sister", "Brother", "Father", "Mother", "Lord",
}  # fmt: skip
# How much commoner than a two-word run each of its words must be alone for the run to be
# read as two names side by side ("Katharine Cassandra") rather than one full name.
NAMES_APART_RATIO = 10
# Pronoun votes ("Thomas Palmer ... he") that give a cluster without honorifics a gender.
MIN_PRONOUN_VOTES = 2
PRONOUN_SHARE = 0.7
# Titles one person never carries together: "Mr. Palmer" and "Mrs. Palmer" are two people.
EXCLUSIVE_TITLES = {"Mr.", "Mrs.", "Miss", "Ms.", "Mademoiselle", "Mlle.", "Madame", "Monsieur"}
CANONICAL_HONORIFIC = {"Mr": "Mr.", "Mrs": "Mrs.", "Ms": "Ms.", "Dr": "Dr.", "Mlle": "Mlle."}


@dataclass(frozen=True, slots=True)
class NameForm:
    """One way of naming someone: honorific + words, or "the" + a title ("the Queen")."""

    key: str
    honorific: str | None
    words: tuple[str, ...]
    display: str
    the_form: bool = False

    @classmethod
    def build(
        cls,
        *,
        honorific: str | None,
        words: tuple[str, ...],
        display: str,
        the_form: bool = False,
    ) -> NameForm:
        honorific = CANONICAL_HONORIFIC.get(honorific or "", honorific)
        name = display
        if honorific:
            name = f"{honorific} {display}"
        elif the_form:
            name = f"the {display}"
        return cls(
            key=normalise_name(name),
            honorific=honorific,
            words=words,
            display=name,
            the_form=the_form,
        )

    @property
    def gender(self) -> str | None:
        return honorifics().get(self.honorific or "")

    @property
    def first(self) -> str | None:
        return self.words[0] if len(self.words) >= 2 else None

    @property
    def last(self) -> str | None:
        return self.words[-1] if len(self.words) >= 2 else None


def normalise_name(name: str) -> str:
    """Case- and punctuation-insensitive key: "Mr Darcy" and "mr. darcy" → "mr darcy"."""
    cleaned = "".join(ch if ch.isalnum() or ch in " -'" else " " for ch in name.lower())
    return " ".join(cleaned.split())


@dataclass(slots=True)
class Cluster:
    id: CharacterId
    forms: Counter = field(default_factory=Counter)  # NameForm -> occurrences
    known: KnownCharacter | None = None
    evidence: Counter = field(default_factory=Counter)

    @property
    def count(self) -> int:
        return sum(self.forms.values())

    @property
    def gender(self) -> str | None:
        if self.known is not None and self.known.gender:
            return self.known.gender
        votes = Counter(f.gender for f in self.forms if f.gender)
        if len(votes) == 1:
            return next(iter(votes))
        return None

    @property
    def likely_gender(self) -> str | None:
        """The honorifics' gender, else what the pronouns after its names clearly say."""
        if gender := self.gender:
            return gender
        he, she = self.evidence["he"], self.evidence["she"]
        if max(he, she) >= MIN_PRONOUN_VOTES and max(he, she) >= PRONOUN_SHARE * (he + she):
            return "he" if he > she else "she"
        return None

    @property
    def firsts(self) -> set[str]:
        return self.given_names | self.titled_words

    @property
    def given_names(self) -> set[str]:
        """First words of full names and bare names: surely not surnames."""
        # "Mrs. Newland Archer" is named after her husband: "Newland" is not her name.
        names = {f.first for f in self.forms if f.first and f.honorific != "Mrs."}
        names |= {f.words[0] for f in self.forms if len(f.words) == 1 and not f.honorific}
        return names

    @property
    def titled_words(self) -> set[str]:
        """ "Miss Bingley", "Sir William": a first name or a surname, the title cannot tell."""
        return {
            f.words[0]
            for f in self.forms
            if len(f.words) == 1 and f.honorific in FIRST_NAME_HONORIFICS
        }

    @property
    def lasts(self) -> set[str]:
        names = {f.last for f in self.forms if f.last}
        names |= {
            f.words[0]
            for f in self.forms
            if len(f.words) == 1 and f.honorific and f.honorific not in FIRST_NAME_HONORIFICS
        }
        return names

    @property
    def name(self) -> str:
        if self.known is not None:
            return self.known.name
        # The most frequent of the fullest forms: "Mr. Darcy" over "Darcy", unless rare.
        best = max(self.forms, key=lambda f: (self.forms[f] * (1 + 0.5 * len(f.words)), f.key))
        return best.display

    @property
    def aliases(self) -> tuple[str, ...]:
        floor = MIN_ALIAS_SHARE * self.count
        reported = [f for f, count in self.forms.items() if count >= floor]
        bare = {f.words for f in reported if not f.honorific and not f.the_form}
        # "Mr. Arobin" beside "Arobin" is the same name with a title, not another alias.
        names = {f.display for f in reported if not (f.honorific and f.words in bare)}
        if self.known is not None:
            names |= set(self.known.aliases)
        names.discard(self.name)
        return tuple(sorted(names))


@dataclass(slots=True)
class Clusters:
    clusters: list[Cluster]
    owner_of: dict[str, CharacterId]


def cluster_forms(
    forms: Iterable[NameForm],
    *,
    evidence: Mapping[str, Counter],
    known: tuple[KnownCharacter, ...] = (),
) -> Clusters:
    """Group name forms into characters; drop forms with no evidence of being a person."""
    counts = Counter(forms)
    clusters: list[Cluster] = []
    owner: dict[str, Cluster] = {}

    def new_cluster(known_character: KnownCharacter | None = None) -> Cluster:
        cluster = Cluster(id=CharacterId(f"c{len(clusters)}"), known=known_character)
        clusters.append(cluster)
        return cluster

    def attach(form: NameForm, cluster: Cluster) -> None:
        cluster.forms[form] = counts[form]
        cluster.evidence.update(evidence.get(form.key, Counter()))
        owner[form.key] = cluster

    known_keys = _known_name_keys(known, new_cluster)
    families = _family_forms(counts)
    # Surname → genders of the titles it takes ("Mr. Palmer", "Mrs. Palmer") among the forms
    # the text treats as people: a passing "Mr. Oduya" does not make the Oduyas a family.
    title_genders: dict[str, set[str]] = {}
    for form in counts:
        stats = evidence.get(form.key, Counter())
        if form.gender and len(form.words) == 1 and _acts_as_person(stats):
            title_genders.setdefault(form.words[0], set()).add(form.gender)
    bare_counts = Counter(
        {f.words: n for f, n in counts.items() if not f.honorific and not f.the_form}
    )
    # "the Denham" beside a commoner "Denham" is the name with an article, not a title.
    plain = {f for f in counts if f.the_form and bare_counts[f.words] > counts[f]}
    ordered = sorted(
        counts, key=lambda f: (3 if f in plain else _clustering_order(f), -counts[f], f.key)
    )

    for form in ordered:
        cluster = known_keys.get(form.key)
        if cluster is not None:
            attach(form, cluster)
    remaining = [
        f
        for f in ordered
        if f.key not in owner and f not in families and not _two_names(f, counts, bare_counts)
    ]

    for form in remaining:
        if form.the_form and form not in plain:
            target = _match_title(form, clusters)
        elif len(form.words) >= 2:
            target = _match_full_name(form, clusters)
        elif form.honorific:
            target = _match_honorific_name(form, clusters, title_genders)
        else:
            target = _match_single_word(form, clusters)
        if target is None:
            if known and not _strong_enough_with_known_cast(evidence.get(form.key, Counter())):
                continue
            target = new_cluster()
        attach(form, target)

    kept = [c for c in clusters if c.known is not None or _is_person(c)]
    renumbered: list[Cluster] = []
    for index, cluster in enumerate(kept):
        cluster.id = CharacterId(f"c{index}")
        renumbered.append(cluster)
    owner_of = {
        key: cluster.id for key, cluster in owner.items() if any(cluster is c for c in kept)
    }
    return Clusters(renumbered, owner_of)


def _family_forms(forms: Iterable[NameForm]) -> set[NameForm]:
    """Forms that name a family or a group of sisters, not one person.

    "the Emersons" (with "Emerson" a name) and then "Emersons"; "Miss Dashwoods" beside
    "Miss Dashwood". "Mr. Williams" beside "William" is a surname: no "Mr. William" exists.
    """
    forms = tuple(forms)
    name_words = {w for f in forms for w in f.words}
    keys = {(f.honorific, f.words) for f in forms}
    titled_plurals: set[NameForm] = set()
    family_words: set[str] = set()
    for form in forms:
        word = form.words[-1]
        if not (form.the_form or form.honorific) or not word.endswith("s"):
            continue
        stems = [word[:-1], word[:-2]] if word.endswith("es") else [word[:-1]]
        if form.the_form and any(stem in name_words for stem in stems):
            family_words.add(word)
        elif any((form.honorific, (*form.words[:-1], stem)) in keys for stem in stems):
            titled_plurals.add(form)
    return (
        titled_plurals
        | {f for f in forms if not f.honorific and len(f.words) == 1 and f.words[0] in family_words}
        | {f for f in forms if f.the_form and f.words[-1] in family_words}
    )


def _two_names(form: NameForm, counts: Counter, bare_counts: Counter) -> bool:
    """ "Brenda John" (in "with Brenda John came first"): two names side by side, not one.

    A rare pair of words that are each, alone, a much commoner name is not a full name;
    "Tony Last" stays one because "Last" alone is rare.
    """
    if form.honorific or form.the_form or len(form.words) != 2:
        return False
    rarest_alone = min(bare_counts[(word,)] for word in form.words)
    return rarest_alone >= NAMES_APART_RATIO * counts[form]


def _clustering_order(form: NameForm) -> int:
    """Full names first, then "Mr. X", then "the X", then bare words, which are ambiguous."""
    if len(form.words) >= 2 and not form.the_form:
        return 0
    if form.honorific:
        return 1
    return 2 if form.the_form else 3


def _known_name_keys(known: tuple[KnownCharacter, ...], new_cluster) -> dict[str, Cluster]:
    """Every name and alias of the given cast, plus first/last words no one else shares."""
    keys: dict[str, Cluster] = {}
    word_owners: dict[str, set[int]] = {}
    made: list[Cluster] = []
    for position, character in enumerate(known):
        cluster = new_cluster(character)
        made.append(cluster)
        for name in (character.name, *character.aliases):
            keys.setdefault(normalise_name(name), cluster)
            for word in _name_words(name):
                word_owners.setdefault(word, set()).add(position)
    for position, character in enumerate(known):
        words = _name_words(character.name)
        for word in (words[:1] + words[-1:]) if words else []:
            if word_owners.get(word) == {position}:
                keys.setdefault(word, made[position])
    return keys


def _name_words(name: str) -> list[str]:
    titles = {normalise_name(h) for h in honorifics()}
    return [w for w in normalise_name(name).split() if w not in titles and w != "the"]


def _strong_enough_with_known_cast(stats: Counter) -> bool:
    return stats["speaker"] >= MIN_SPEAKER_EVIDENCE_WITH_KNOWN_CAST


def _acts_as_person(stats: Counter) -> bool:
    return stats["speaker"] + stats["subject"] + stats["vocative"] + stats["possessor"] >= 1


def _is_person(cluster: Cluster) -> bool:
    stats = cluster.evidence
    if any(f.honorific for f in cluster.forms):
        return _acts_as_person(stats)
    if stats["mid"] == 0 and stats["speaker"] == 0:
        return False  # only ever a sentence's first word: "Hullo, ..." / "Heyday!"
    if stats["speaker"] >= MIN_SPEAKER_EVIDENCE or stats["vocative"] >= 1:
        return stats["place"] <= stats["speaker"] + stats["subject"] + stats["vocative"]
    return stats["subject"] >= MIN_SUBJECT_EVIDENCE and stats["subject"] > stats["place"]


def _compatible(form: NameForm, cluster: Cluster) -> bool:
    gender = form.gender
    other = cluster.likely_gender
    if gender and other and gender != other:
        return False
    # "Mrs. Bennet" is not "Miss Bennet": different honorifics of one gender are two people.
    honorifics_seen = {f.honorific for f in cluster.forms if f.honorific}
    if form.honorific and honorifics_seen and form.honorific not in honorifics_seen:
        return _same_title_family(form.honorific, honorifics_seen)
    return True


def _same_title_family(honorific: str, seen: set[str]) -> bool:
    """Titles that one person can carry at once ("Mr." and "Dr.", "Colonel" and "Mr.")."""
    return not (honorific in EXCLUSIVE_TITLES and seen & EXCLUSIVE_TITLES)


def _match_full_name(form: NameForm, clusters: list[Cluster]) -> Cluster | None:
    # "Mrs. John Dashwood" is John Dashwood's wife, never John Dashwood.
    wife = form.honorific == "Mrs."
    for cluster in clusters:
        if any(
            f.first == form.first and f.last == form.last and (f.honorific == "Mrs.") == wife
            for f in cluster.forms
        ) and _compatible(form, cluster):
            return cluster
    # "Billie Oduya" and "Wilhelmina Oduya": one person when one first name is the other's nickname.
    short_forms = nicknames()
    for cluster in clusters:
        if form.last in cluster.lasts and _compatible(form, cluster):
            for first in cluster.firsts:
                if first in short_forms.get(form.first or "", ()) or (
                    form.first in short_forms.get(first, ())
                ):
                    return cluster
    if clusters and any(c.known for c in clusters):
        # With a known cast, a full name matches the character whose name words it shares.
        candidates = [
            c
            for c in clusters
            if c.known is not None
            and form.first in c.firsts | _known_words(c)
            and form.last in c.lasts | _known_words(c)
            and _compatible(form, c)
        ]
        if len(candidates) == 1:
            return candidates[0]
    return None


def _known_words(cluster: Cluster) -> set[str]:
    if cluster.known is None:
        return set()
    words: set[str] = set()
    for name in (cluster.known.name, *cluster.known.aliases):
        words.update(w for w in name.split() if w[:1].isupper())
    return words


def _match_honorific_name(
    form: NameForm, clusters: list[Cluster], title_genders: Mapping[str, set[str]]
) -> Cluster | None:
    """ "Mrs. Carrow" joins the one cluster with her surname ("Edith Carrow").

    When a "Mr. Carrow" also acts in the text, the surname no longer decides: she joins only a
    cluster whose pronouns say "she".
    """
    word = form.words[0]
    family = len(title_genders.get(word, ())) > 1
    same_key = [c for c in clusters if any(f.key == form.key for f in c.forms)]
    if same_key:
        return same_key[0]
    by_surname = [c for c in clusters if word in _known_words(c) or word in c.lasts]
    compatible = [
        c
        for c in by_surname
        if _compatible(form, c)
        and (not family or form.gender is None or c.likely_gender == form.gender)
    ]
    if len(compatible) == 1 and len(by_surname) == 1:
        return compatible[0]
    if form.honorific in FIRST_NAME_HONORIFICS:
        by_first = [c for c in clusters if word in c.firsts and _compatible(form, c)]
        if len(by_first) == 1:
            return by_first[0]
    return None


def _match_single_word(form: NameForm, clusters: list[Cluster]) -> Cluster | None:
    word = form.words[0]
    # Each cluster's name words, worked out once: this runs for every bare word of a novel.
    given = {id(c): c.given_names for c in clusters}
    firsts = {id(c): given[id(c)] | c.titled_words for c in clusters}
    surnames = {id(c): c.lasts for c in clusters}
    by_first = [c for c in clusters if word in given[id(c)]]
    if len(by_first) == 1:
        return by_first[0]
    if len(by_first) > 1:
        # Two Roberts: a bare "Robert" is the one the story names far more often.
        most, second = sorted(by_first, key=lambda c: -c.count)[:2]
        if most.count >= SHARED_FIRST_NAME_DOMINANCE * max(second.count, 1):
            return most
    # "Bingley" beside "Miss Bingley" and "Mr. Bingley" is a surname: the title decides.
    by_first = by_first or [c for c in clusters if word in firsts[id(c)]]
    if len(by_first) == 1 and not any(word in surnames[id(c)] for c in clusters):
        return by_first[0]
    full_names = nicknames().get(word, frozenset())
    by_nickname = [c for c in clusters if firsts[id(c)] & full_names]
    if len(by_nickname) == 1 and not by_first:
        return by_nickname[0]
    if not by_first and not by_nickname and len(word) >= MIN_CLIPPED_LENGTH:
        # A clipped first name ("Anse" for Ansel, "Cath" for Catherine).
        by_prefix = [
            c
            for c in clusters
            if any(first != word and first.startswith(word) for first in firsts[id(c)])
        ]
        if len(by_prefix) == 1:
            return by_prefix[0]
    by_last = [c for c in clusters if word in surnames[id(c)] or word in _known_words(c)]
    if len(by_last) == 1:
        return by_last[0]
    if len(by_last) > 1:
        # A bare surname usually means the man of the family: "Darcy" is Mr. Darcy.
        male = [c for c in by_last if c.likely_gender == "he"]
        if len(male) == 1:
            return male[0]
    return None


def _match_title(form: NameForm, clusters: list[Cluster]) -> Cluster | None:
    """ "the Hare" joins "the March Hare"; "the King" a known "The King of Hearts"."""
    head = form.words[-1]
    for cluster in clusters:
        for other in cluster.forms:
            if other.the_form and other.words[-1] == head:
                return cluster
        if cluster.known is not None and head in _known_words(cluster):
            keys = {normalise_name(n) for n in (cluster.known.name, *cluster.known.aliases)}
            if any(key.endswith(normalise_name(head)) or form.key in key for key in keys):
                return cluster
    return None
