"""Score fabula's character coreference on LitBank's person entities (CoNLL MUC, B³, CEAF-e).

Each LitBank excerpt is laid out as text (``litbank.LitbankText``) and analysed by the whole
pipeline; every mention fabula links to a character becomes a response mention, grouped by
character. The key is LitBank's PER entities (names, descriptions and pronouns), singletons
included. Scores come from ``scorch`` (the CoNLL-2012 reference metrics in Python) over all
excerpts together, mentions keyed by excerpt, so the numbers are micro-averaged.

Not like for like with BookNLP's 76.4 / 79.0: those cover all six entity types with gold-trained
mention detection; this covers people only, and fabula's mentions are only what it links to a
character or that it marks as a person's (unlinked pronouns, nominals) stand alone.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from fabula.errors import InputError
from fabula.evaluation.litbank import LitbankText
from fabula.model import Story

MentionKey = tuple[str, int, int, int]  # (excerpt, sentence, first word, last word)
PERSON = "PER"


@dataclass(frozen=True, slots=True)
class CorefExcerpt:
    excerpt: LitbankText
    clusters: tuple[frozenset[MentionKey], ...]  # gold PER entities


@dataclass(frozen=True, slots=True)
class CorefScores:
    muc: tuple[float, float, float]  # recall, precision, F1
    b_cubed: tuple[float, float, float]
    ceaf_e: tuple[float, float, float]
    gold_mentions: int
    response_mentions: int
    exact_mentions: int  # response mentions whose span is a gold PER mention

    @property
    def conll(self) -> float:
        return (self.muc[2] + self.b_cubed[2] + self.ceaf_e[2]) / 3


def read_coref_excerpts(corpus_dir: Path) -> list[CorefExcerpt]:
    """LitBank's coref excerpts (``coref/tsv/*.ann`` + ``.txt``) with their PER entities."""
    folder = corpus_dir / "coref" / "tsv"
    annotations = sorted(folder.glob("*.ann"))
    if not annotations:
        raise InputError(f"{folder}: no LitBank coreference files (*.ann) there")
    return [_read_excerpt(path) for path in annotations]


def _read_excerpt(ann_path: Path) -> CorefExcerpt:
    name = ann_path.stem
    lines = ann_path.with_suffix(".txt").read_text(encoding="utf-8").splitlines()
    excerpt = LitbankText.of(name, [line.split(" ") for line in lines])
    mentions: dict[str, tuple[MentionKey, str]] = {}
    entity_of: dict[str, str] = {}
    for line in ann_path.read_text(encoding="utf-8").splitlines():
        fields = line.split("\t")
        if fields[0] == "MENTION":
            _, mention_id, sentence, first, _, last, _text, category, *_ = fields
            key = (name, int(sentence), int(first), int(last))
            mentions[mention_id] = (key, category)
        elif fields[0] == "COREF":
            entity_of[fields[1]] = fields[2]
    clusters: dict[str, set[MentionKey]] = defaultdict(set)
    for mention_id, (key, category) in mentions.items():
        if category == PERSON:
            clusters[entity_of.get(mention_id, mention_id)].add(key)
    return CorefExcerpt(excerpt, tuple(frozenset(c) for c in clusters.values()))


def response_clusters(story: Story, excerpt: LitbankText) -> list[frozenset[MentionKey]]:
    """fabula's mentions as LitBank word spans: each character's in one cluster, each mention
    linked to no one a cluster of its own (a response singleton, as LitBank keeps singletons)."""
    starts = [
        (span[0], sentence, word)
        for sentence, spans in enumerate(excerpt.word_spans)
        for word, span in enumerate(spans)
    ]
    offsets = [start for start, _, _ in starts]
    clusters: dict[str, set[MentionKey]] = defaultdict(set)
    singletons: list[frozenset[MentionKey]] = []
    for mention in story.mentions:
        _, sentence, first = starts[bisect_right(offsets, mention.char_start) - 1]
        _, last_sentence, last = starts[bisect_right(offsets, mention.char_end - 1) - 1]
        if last_sentence != sentence:
            continue  # a span across sentences is no LitBank mention
        key = (excerpt.name, sentence, first, last)
        if mention.character is None:
            singletons.append(frozenset({key}))
        else:
            clusters[mention.character].add(key)
    linked = {key for cluster in clusters.values() for key in cluster}
    return [frozenset(c) for c in clusters.values()] + [
        single for single in set(singletons) if not single & linked
    ]


def score_clusters(
    key: list[frozenset[MentionKey]], response: list[frozenset[MentionKey]]
) -> CorefScores:
    from scorch import scores

    gold = {m for cluster in key for m in cluster}
    predicted = {m for cluster in response for m in cluster}
    return CorefScores(
        muc=tuple(scores.muc(key, response)),
        b_cubed=tuple(scores.b_cubed(key, response)),
        ceaf_e=tuple(scores.ceaf_e(key, response)),
        gold_mentions=len(gold),
        response_mentions=len(predicted),
        exact_mentions=len(gold & predicted),
    )
