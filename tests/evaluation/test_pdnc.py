"""Reading PDNC-format folders, and the oracle check on the real corpus."""

from __future__ import annotations

from pathlib import Path

import pytest
from pdnc_oracle import FIXTURE_CORPUS, build_oracle

from fabula.errors import InputError
from fabula.evaluation.pdnc import gold_cast, gold_quote_spans, list_novels, read_novel
from fabula.evaluation.scoring import score_story
from fabula.model import KnownCharacter, QuoteType
from fabula.segmentation.paragraphs import find_paragraphs


def test_reads_the_fixture_novel() -> None:
    novel = read_novel(FIXTURE_CORPUS, "TinyTale")
    assert [q.id for q in novel.quotes] == ["Q0", "Q1", "Q2", "Q3", "Q4"]
    interrupted = novel.quotes[1]
    assert [novel.text[s:e] for s, e in interrupted.spans] == [
        "The wind blew the door shut,",
        "I had to wait for Old Fen to open it.",
    ]
    assert interrupted.type is QuoteType.ANAPHORIC
    assert interrupted.addressees == ("1",)  # "Tobias " with PDNC's stray space
    assert novel.quotes[2].speaker == "1"  # "tobias": matched ignoring case
    assert novel.quotes[2].referring_expression == ""  # pandas' "nan"
    assert novel.quotes[4].addressees == ("0", "1")  # "Gulls" is nobody
    assert novel.unmapped_names == 1
    assert novel.first_person is False


def test_gold_quote_spans_take_in_the_marks_and_chain_interrupted_parts() -> None:
    novel = read_novel(FIXTURE_CORPUS, "TinyTale")
    spans = gold_quote_spans(novel, find_paragraphs(novel.text))
    texts = [novel.text[s.char_start : s.char_end] for s in spans]
    assert texts[1:3] == [
        '"The wind blew the door shut,"',
        '"I had to wait for Old Fen to open it."',
    ]
    assert [s.continues for s in spans[:4]] == [None, None, 1, None]
    assert [s.paragraph_index for s in spans] == sorted(s.paragraph_index for s in spans)
    first_paragraph = find_paragraphs(novel.text)[spans[0].paragraph_index]
    assert first_paragraph.char_start <= spans[0].char_start < first_paragraph.char_end


def test_gold_cast_gives_known_characters() -> None:
    cast = gold_cast(read_novel(FIXTURE_CORPUS, "TinyTale"))
    assert cast[0] == KnownCharacter("Mara Quill", ("Mara", "Miss Quill"), "she")
    assert cast[3].gender is None  # PDNC's "X": not annotated


def test_missing_folders_are_input_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        list_novels(tmp_path)
    with pytest.raises(InputError):
        read_novel(FIXTURE_CORPUS, "NoSuchNovel")


@pytest.mark.pdnc
def test_real_novel_reads_with_every_speaker_resolved(pdnc_dir: Path) -> None:
    novel = read_novel(pdnc_dir, "DaisyMiller")
    assert len(novel.quotes) > 500
    assert all(q.speaker is not None for q in novel.quotes)
    assert novel.first_person is True


# Where the root conftest's ``pdnc_dir`` looks: listed at collection time, to parametrize.
_PDNC_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "pdnc"


def _pdnc_novels() -> list[str]:
    # Collected even without PDNC, so the skip reason is shown rather than an empty set.
    return list(list_novels(_PDNC_DIR)) if (_PDNC_DIR / "data").is_dir() else ["DaisyMiller"]


@pytest.mark.pdnc
@pytest.mark.parametrize("name", _pdnc_novels())
def test_oracle_scores_perfectly(pdnc_dir: Path, name: str) -> None:
    novel = read_novel(pdnc_dir, name)
    rates = score_story(build_oracle(novel), novel).metrics.rates()
    assert rates["speaker"] == 1.0
    assert rates["quote_recall"] == rates["quote_precision"] == 1.0
    assert rates["addressee_f1"] == rates["addressee_exact"] == 1.0
    for kind in ("explicit", "anaphoric", "implicit"):
        assert rates[f"speaker_{kind}"] in (1.0, None)
