"""Encodings and mojibake: charset detection beyond cp1252, repairs recorded in the notes.

Every sample is ours. KOI8-R has no «» or em dash, so its dialogue uses straight quotes.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from epub_factory import make_epub

from fabula.errors import InputError
from fabula.reading import read_bytes, read_path

RUSSIAN = (
    'Вечером Аня вышла на пристань и долго смотрела на воду. "Ты опять опоздал", - сказала она '
    "брату. Он только пожал плечами и сел рядом на холодные доски.\n\n"
    '"Лодка придёт завтра", - ответил он наконец.\n'
)
JAPANESE = (
    "夕方、アンナは桟橋に出て、長いあいだ水を見ていた。「また遅れたのね」と彼女は弟に言った。"
    "弟は肩をすくめて、冷たい板の上に座った。\n\n「船は明日来るよ」と、やがて彼は答えた。\n"
)
WESTERN = (
    "“A naïve garçon,” said Renée, “is still a garçon. À bientôt, maître.” She smiled at "
    "the niño, and the niño — who was nine — smiled back. It’s a café, not a château.\n"
)
NOT_UTF8 = "the file is not valid UTF-8"


def _garbled(text: str) -> str:
    """UTF-8 read as Windows-1252 (undefined bytes kept, as browsers do): "don’t" → "donâ€™t"."""
    return "".join(_windows_1252(byte) for byte in text.encode("utf-8"))


def _windows_1252(byte: int) -> str:
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(byte)


def _written(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("codec", "text", "expected_name"),
    [
        ("koi8_r", RUSSIAN, "koi8-r"),
        ("cp1251", RUSSIAN, "cp1251"),
        ("shift_jis", JAPANESE, "cp932"),  # Windows' superset of Shift-JIS, as browsers read it
        ("euc_jp", JAPANESE, None),
    ],
)
def test_non_western_encodings_are_detected(
    tmp_path: Path, codec: str, text: str, expected_name: str | None
) -> None:
    source = read_path(_written(tmp_path, f"{codec}.txt", text.encode(codec)))
    assert source.text == text
    if expected_name is not None:
        assert source.encoding == expected_name
    assert source.notes == (f"decoded as {source.encoding}: {NOT_UTF8}",)


def test_cp1252_file_is_read_as_cp1252_not_a_look_alike(tmp_path: Path) -> None:
    """cp1250 reads the same bytes with "ï" as "ď": a detector's tie must go to cp1252."""
    source = read_path(_written(tmp_path, "renee.txt", WESTERN.encode("cp1252")))
    assert source.text == WESTERN
    assert source.encoding == "cp1252"
    assert source.notes == (f"decoded as cp1252: {NOT_UTF8}",)


@pytest.mark.parametrize(
    "data",
    [
        b"She said \x93hi\x94 to Zo\xeb.",
        b"It\x92s late, he thought. " * 20,
    ],
)
def test_short_and_mostly_ascii_cp1252_stays_cp1252(data: bytes) -> None:
    source = read_bytes(data)
    assert source.encoding == "cp1252"
    assert source.text == data.decode("cp1252")


def test_mojibake_is_repaired_and_noted(tmp_path: Path) -> None:
    story = "I don’t know, said Mara. “It’s a café.”\n\nTheo laughed — “Neither do I.”\n"
    garbled = _garbled(story)
    assert "donâ€™t" in garbled
    source = read_path(_written(tmp_path, "pasted.txt", garbled.encode("utf-8")))
    assert source.text == story
    assert source.encoding == "utf-8"
    assert len(source.notes) == 1
    assert source.notes[0].startswith("repaired mojibake on 2 lines")
    assert "“donâ€™t” → “don’t”" in source.notes[0]


def test_mojibake_in_part_of_a_file_is_repaired_there_only() -> None:
    text = "Zoë’s line is fine.\n\nBut this one isnâ€™t.\n"
    source = read_bytes(text.encode("utf-8"))
    assert source.text == "Zoë’s line is fine.\n\nBut this one isn’t.\n"
    assert source.notes[0].startswith("repaired mojibake on 1 line,")


def test_mojibake_in_an_epub_chapter_is_repaired_and_noted() -> None:
    source = read_bytes(make_epub([("One", ["Ada didnâ€™t row."])]), name="ferry.epub")
    assert "Ada didn’t row." in source.text
    assert source.notes == (
        "OEBPS/chapter1.xhtml: repaired mojibake on 1 line, e.g. “didnâ€™t” → “didn’t”",
    )


@pytest.mark.parametrize(
    "text",
    [
        "Crème brûlée, à la carte: Ånne’s “façade” — naïve, Ça va?\n",
        "\"Straight,\" she said, 'and ‘curly’ too.' Ellipsis… and ﬁ ligature, ＡＢＣ wide.\n",
        "Müller said «Grüß Gott» and Ólafur said “Góðan daginn”.\n",
        "Ça coûte 5 € — «c’est la vie», dit Zoé. Æsir, Øre, ß, ñ, ÿ.\n",
    ],
)
def test_good_text_is_not_repaired(text: str) -> None:
    source = read_bytes(text.encode("utf-8"))
    assert source.text == text
    assert source.notes == ()


def test_a_cp1252_file_with_mojibake_is_decoded_then_repaired() -> None:
    text = "Theo didnâ€™t wait. Café at noon."
    source = read_bytes(text.encode("cp1252"))
    assert source.text == "Theo didn’t wait. Café at noon."
    assert source.encoding == "cp1252"
    assert source.notes[0] == f"decoded as cp1252: {NOT_UTF8}"
    assert source.notes[1].startswith("repaired mojibake on 1 line")


@pytest.mark.parametrize(
    "data",
    [
        bytes(range(256)) * 4,
        bytes(range(1, 32)) * 40,
        b"\x00\x01\x02\x03story" * 100,
        __import__("random").Random(3).randbytes(5000),
    ],
)
def test_binary_files_get_one_clear_line(tmp_path: Path, data: bytes) -> None:
    with pytest.raises(InputError) as caught:
        read_path(_written(tmp_path, "photo.txt", data))
    assert str(caught.value).endswith("photo.txt looks like a binary file, not text")
