"""BookNLP-compatible files: BookNLP's columns, token ids that point at the right words, speakers
that keep their character, and ``fabula analyze --format booknlp``."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from fabula import pipeline
from fabula.cli import main
from fabula.errors import ConfigError
from fabula.language.analyse import parse_text
from fabula.language.tokens import compact_tokens
from fabula.model import KnownCharacter, Parse, Sentence, Story, Token
from fabula.outputs.booknlp import write_booknlp
from fabula.pipeline import analyze
from fabula.settings import DEFAULT_SETTINGS, Settings

# Written for these tests: three characters, tagged lines, a line split by its tag, a line
# whose speaker is named only in the beat after it, and one with a pronoun tag.
STORY = """\
The tide was out when Wren reached the boathouse. Tomas was already there, mending a net.

"You're late," he said.

"The road was flooded," said Wren. She set her lantern on the bench. "Is the boat ready?"

"Nearly." Tomas tied off the last knot and looked at her. "Ilse took the oars this morning."

"Then we row with our hands," Wren said.

Ilse came in with the oars on her shoulder. "Nobody rows with their hands," she said.

"Good," said Tomas.
"""
CAST = (
    KnownCharacter("Wren", gender="she"),
    KnownCharacter("Tomas", gender="he"),
    KnownCharacter("Ilse", gender="she"),
)
TSV = {"delimiter": "\t", "quoting": csv.QUOTE_NONE}


KEEP_TOKENS = Settings(keep_tokens=True)


@pytest.fixture(scope="module")
def story() -> Story:
    return analyze(STORY, cast=CAST, settings=KEEP_TOKENS)


def with_tokens(story: Story) -> Story:
    """A hand-built story with the token table the pipeline would have kept."""
    parse = parse_text(story.text, story.paragraphs, (), settings=DEFAULT_SETTINGS)
    return replace(story, tokens=compact_tokens(parse))


def export(story: Story) -> dict[str, str]:
    """The four files' text by suffix, written to memory."""
    files: dict[str, str] = {}

    def keep(suffix: str, write) -> str:
        buffer = io.StringIO()
        write(buffer)
        files[suffix] = buffer.getvalue()
        return suffix

    assert write_booknlp(story, keep) == ["tokens", "entities", "quotes", "book"]
    return files


def read_rows(tsv: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(tsv, newline=""), **TSV))


def coref(story: Story, name: str) -> str:
    """The COREF a character's rows carry: its position in ``story.characters``."""
    return str([c.name for c in story.characters].index(name))


def test_token_ids_cover_a_span_of_text() -> None:
    spans = [(0, 1), (1, 4), (4, 5), (6, 10)]  # '"Ann," said' -> '"' 'Ann' ',' 'said'
    parse = Parse(
        tuple(Token(i, a, b, "x", "X", "X", "dep", i, 0, None) for i, (a, b) in enumerate(spans)),
        (Sentence(0, 0, len(spans), 0),),
        (0,),
    )
    tokens = compact_tokens(parse)
    assert tokens.covering(0, 5) == (0, 2)
    assert tokens.covering(2, 7) == (1, 3)  # partly covered tokens count
    assert tokens.covering(5, 6) is None  # only the space between
    assert tokens.covering(10, 12) is None  # past the last token


@pytest.mark.model
def test_headers_are_booknlp_columns(story: Story) -> None:
    files = export(story)
    headers = {suffix: text.split("\n", 1)[0] for suffix, text in files.items() if suffix != "book"}
    assert headers == {
        "tokens": "paragraph_ID\tsentence_ID\ttoken_ID_within_sentence\ttoken_ID_within_document"
        "\tword\tlemma\tbyte_onset\tbyte_offset\tPOS_tag\tfine_POS_tag\tdependency_relation"
        "\tsyntactic_head_ID\tevent",
        "entities": "COREF\tstart_token\tend_token\tprop\tcat\ttext",
        "quotes": "quote_start\tquote_end\tmention_start\tmention_end\tmention_phrase\tchar_id"
        "\tquote",
    }


@pytest.mark.model
def test_one_token_row_per_parsed_token_with_document_ids(story: Story) -> None:
    parse = parse_text(story.text, story.paragraphs, (), settings=DEFAULT_SETTINGS)
    rows = read_rows(export(story)["tokens"])
    assert len(rows) == len(parse.tokens)
    assert [int(r["token_ID_within_document"]) for r in rows] == list(range(len(rows)))
    assert [int(r["syntactic_head_ID"]) for r in rows] == [t.head for t in parse.tokens]
    assert [int(r["sentence_ID"]) for r in rows] == [t.sentence for t in parse.tokens]
    assert {int(r["paragraph_ID"]) for r in rows} == set(range(len(story.paragraphs)))
    firsts = [r for r in rows if r["token_ID_within_sentence"] == "0"]
    assert len(firsts) == len(parse.sentences)
    assert [(r["POS_tag"], r["fine_POS_tag"], r["dependency_relation"]) for r in rows] == [
        (t.pos, t.tag, t.dep) for t in parse.tokens
    ]


@pytest.mark.model
def test_tokens_read_back_with_csv_give_the_words_of_the_text_in_order(story: Story) -> None:
    rows = read_rows(export(story)["tokens"])
    words = [r["word"] for r in rows]
    assert "".join(words) == "".join(STORY.split())
    assert words[:6] == ["The", "tide", "was", "out", "when", "Wren"]
    # Character offsets, as BookNLP's byte_onset/byte_offset are despite their names.
    assert all(STORY[int(r["byte_onset"]) : int(r["byte_offset"])] == r["word"] for r in rows)
    lemmas = {r["word"]: r["lemma"] for r in rows}
    assert (lemmas["was"], lemmas["reached"], lemmas["tied"]) == ("be", "reach", "tie")
    events = [r["word"] for r in rows if r["event"] == "EVENT"]
    assert {r["event"] for r in rows} <= {"EVENT", "O"}
    assert events == [story.text[e.char_start : e.char_end] for e in story.events]
    assert events  # "reached", "tied", ...


@pytest.mark.model
def test_entities_are_the_character_mentions_and_their_tokens_cover_their_text(
    story: Story,
) -> None:
    files = export(story)
    words = [r["word"] for r in read_rows(files["tokens"])]
    entities = read_rows(files["entities"])
    assert len(entities) == sum(1 for m in story.mentions if m.character is not None)
    for row in entities:
        covered = "".join(words[int(row["start_token"]) : int(row["end_token"]) + 1])
        assert covered == row["text"].replace(" ", ""), row
    wren = [(r["prop"], r["text"]) for r in entities if r["COREF"] == coref(story, "Wren")]
    assert wren.count(("PROP", "Wren")) == 3
    assert ("PRON", "She") in wren
    assert {r["cat"] for r in entities} == {"PER"}


@pytest.mark.model
def test_quotes_carry_their_speakers_coref(story: Story) -> None:
    files = export(story)
    words = [r["word"] for r in read_rows(files["tokens"])]
    quotes = {r["quote"]: r for r in read_rows(files["quotes"])}
    flooded = quotes["The road was flooded,"]
    assert flooded["char_id"] == coref(story, "Wren")
    assert (flooded["mention_phrase"], words[int(flooded["mention_start"])]) == ("Wren", "Wren")
    assert quotes["Nobody rows with their hands,"]["char_id"] == coref(story, "Ilse")
    assert quotes["Nearly."]["char_id"] == coref(story, "Tomas")
    assert quotes["Nearly."]["mention_phrase"] == "Tomas"  # named only in the beat after it
    for row in quotes.values():
        assert words[int(row["quote_start"])] == '"' == words[int(row["quote_end"])]
    speakers = {
        " ".join(story.text[q.char_start + 1 : q.char_end - 1].split()): q.speaker
        for q in story.quotes
    }
    assert {text: story.characters[int(r["char_id"])].id for text, r in quotes.items()} == {
        text: speaker for text, speaker in speakers.items() if speaker is not None
    }


@pytest.mark.model
def test_book_lists_each_character_with_mentions_and_gender(story: Story) -> None:
    book = json.loads(export(story)["book"])
    characters = {story.characters[c["id"]].name: c for c in book["characters"]}
    assert set(characters) == {"Wren", "Tomas", "Ilse"}
    wren = characters["Wren"]
    wren_id = next(c.id for c in story.characters if c.name == "Wren")
    assert wren["count"] == sum(1 for m in story.mentions if m.character == wren_id)
    assert wren["mentions"]["proper"] == [{"c": 3, "n": "Wren"}]
    assert {"c": 1, "n": "She"} in wren["mentions"]["pronoun"]
    assert wren["mentions"]["common"] == []
    assert wren["g"]["argmax"] == "she/her"
    assert characters["Tomas"]["g"]["inference"] == {
        "he/him/his": 1.0,
        "she/her": 0.0,
        "they/them/their": 0.0,
    }
    # "Wren reached the boathouse", "set her lantern": profile words, each pointing at a token.
    assert {"w": "reach", "i": 5} in wren["agent"]
    assert any(entry["w"] == "lantern" for entry in wren["poss"])
    counts = [c["count"] for c in book["characters"]]
    assert counts == sorted(counts, reverse=True)


@pytest.mark.model
def test_windows_of_a_long_text_give_the_same_tokens(story: Story) -> None:
    windowed = analyze(STORY, cast=CAST, settings=Settings(keep_tokens=True, window_chars=150))
    assert export(windowed)["tokens"] == export(story)["tokens"]


def test_a_story_without_its_tokens_is_refused(sample_story: Story) -> None:
    with pytest.raises(ConfigError, match="keep_tokens"):
        export(sample_story)


@pytest.mark.model
def test_the_export_never_parses_the_text_again(monkeypatch, tmp_path: Path) -> None:
    parses: list[int] = []
    real_parse = pipeline.parse_text

    def counting(*args, **kwargs):
        parses.append(1)
        return real_parse(*args, **kwargs)

    monkeypatch.setattr(pipeline, "parse_text", counting)
    story_file = tmp_path / "boathouse.txt"
    story_file.write_text(STORY, encoding="utf-8")
    result = CliRunner().invoke(
        main, ["analyze", str(story_file), "-o", str(tmp_path), "--format", "booknlp"]
    )
    assert result.exit_code == 0, result.output
    assert len(parses) == 1


@pytest.mark.model
def test_mention_kinds_and_characters_without_gender(sample_story: Story) -> None:
    files = export(with_tokens(sample_story))
    entities = read_rows(files["entities"])
    assert [(r["prop"], r["text"]) for r in entities if r["COREF"] == "2"] == [
        ("NOM", "The ferryman"),
        ("PROP", "Bastien"),
        ("PRON", "he"),
    ]
    assert len(entities) == 10  # "her regards" refers to no one, so it has no row
    characters = json.loads(files["book"])["characters"]
    assert [c["id"] for c in characters] == [1, 2, 0, 3]  # most mentioned first
    book = {c["id"]: c for c in characters}
    assert book[2]["mentions"]["common"] == [{"c": 1, "n": "The ferryman"}]
    assert book[3]["g"] is None  # Zoë's pronouns are unknown, as BookNLP leaves them
    assert book[3]["mentions"]["proper"] == [{"c": 1, "n": "Zoë"}]
    quotes = read_rows(files["quotes"])
    assert [(r["quote"], r["char_id"], r["mention_phrase"]) for r in quotes] == [
        ("Is the lamp lit?", "0", "Wren"),
        ("Not yet,", "1", "she"),
        ("but the oil is coming.", "1", "she"),
        ("Then we wait,", "0", "Wren"),
        ("Zoë sends her regards,", "2", "he"),
    ]


@pytest.mark.model
def test_a_speaker_not_named_near_the_quotation_has_no_mention(sample_story: Story) -> None:
    asked = sample_story.text.index("asked Wren") + len("asked ")
    mentions = tuple(m for m in sample_story.mentions if m.char_start != asked)
    first = read_rows(export(with_tokens(replace(sample_story, mentions=mentions)))["quotes"])[0]
    assert (first["quote"], first["char_id"]) == ("Is the lamp lit?", "0")
    mention = (first["mention_start"], first["mention_end"], first["mention_phrase"])
    assert mention == ("-1", "-1", "")


@pytest.mark.model
def test_cli_format_booknlp_writes_the_four_files_and_no_json(tmp_path: Path) -> None:
    story_file = tmp_path / "boathouse.txt"
    story_file.write_text(STORY, encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["analyze", str(story_file), "-o", str(out), "--format", "booknlp", "--html"]
    )
    assert result.exit_code == 0, result.output
    suffixes = (".tokens", ".entities", ".quotes", ".book", ".html")
    assert sorted(p.name for p in out.iterdir()) == sorted(f"boathouse{s}" for s in suffixes)
    written = ", ".join(str(out / f"boathouse{s}") for s in suffixes)
    assert f"{story_file} -> {written}" in result.stdout
    assert read_rows((out / "boathouse.tokens").read_text(encoding="utf-8"))[0]["word"] == "The"
    assert json.loads((out / "boathouse.book").read_text(encoding="utf-8"))["characters"]
