"""Every tunable default, written once."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Settings:
    # Parsing: paragraphs go through spaCy in batches; more than this many characters of text
    # are parsed in two processes (the model loads once per process, so small texts stay in one).
    parse_batch_size: int = 256
    parallel_parse_min_chars: int = 400_000
    parse_processes: int = 2
    # A longer text is analysed in windows of about this many characters, one after another,
    # so memory stays bounded (a long novel is about 1.5 million characters).
    window_chars: int = 2_000_000
    # A quotation below this confidence is flagged as uncertain in reports.
    low_confidence: float = 0.5
    # Which trained speaker ranker to use from fabula/data/speaker_ranker.json ("all" is
    # trained on every PDNC novel; "foldN" leaves some out, for honest evaluation); None
    # keeps the rules' decisions.
    speaker_ranker: str | None = "all"
    # Likewise the addressee model from fabula/data/addressee_model.json (the same folds);
    # None keeps the rule: a vocative, else the previous other speaker, else the next one.
    addressee_model: str | None = "all"
    # A JSON file of an entity tagger to use instead of the shipped one (for held-out LitBank
    # scores: the shipped tagger was trained on all of LitBank); None uses the shipped one.
    entity_tagger: str | None = None
    # Map the speaker stage's raw confidence through the shipped calibration (PDNC-fit), so a
    # threshold means a precision; off only to fit that calibration.
    calibrate_confidence: bool = True
    # Keep a compact table of every token on the Story (``Story.tokens``), for exports that
    # index the text by token (BookNLP's files); off by default, as it costs memory.
    keep_tokens: bool = False


DEFAULT_SETTINGS = Settings()
