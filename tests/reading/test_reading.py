"""Reading: decoding, line endings and one-line errors for bad input."""

from __future__ import annotations

import pytest

from fabula.errors import InputError
from fabula.reading import read_bytes, read_path


def test_plain_utf8_is_kept_as_is() -> None:
    source = read_bytes("Mira’s kite said “up”.\n".encode())
    assert source.text == "Mira’s kite said “up”.\n"
    assert source.encoding == "utf-8"
    assert source.notes == ()


def test_utf8_bom_is_dropped() -> None:
    source = read_bytes(b"\xef\xbb\xbfThe lamp hummed.")
    assert source.text == "The lamp hummed."
    assert source.encoding == "utf-8-sig"


def test_utf16_with_bom() -> None:
    source = read_bytes("Otto counted “nine” gulls.\r\n".encode("utf-16"))
    assert source.text == "Otto counted “nine” gulls.\n"
    assert source.encoding == "utf-16"


def test_crlf_and_lone_cr_become_lf() -> None:
    assert read_bytes(b"one\r\ntwo\rthree\n").text == "one\ntwo\nthree\n"


def test_cp1252_fallback_is_noted() -> None:
    source = read_bytes(b"She said \x93hi\x94 to Zo\xeb.")
    assert source.text == "She said “hi” to Zoë."
    assert source.encoding == "cp1252"
    assert source.notes == ("decoded as cp1252: the file is not valid UTF-8",)


def test_latin1_when_cp1252_cannot_decode() -> None:
    source = read_bytes(b"Caf\xe9 \x81 corner")
    assert source.encoding == "latin-1"
    assert source.text.startswith("Café")


def test_quote_marks_are_not_normalised() -> None:
    text = "\"Straight,\" she said, 'and ‘curly’ too.'"
    assert read_bytes(text.encode()).text == text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "story.txt is empty"),
        (b"  \n\t\r\n ", "story.txt is empty"),
        (b"Once upon\x00a time\x00\x00", "story.txt looks like a binary file, not text"),
        (b"\x89PNG\r\n\x1a\nrest", "story.txt looks like a binary file, not text"),
        (b"%PDF-1.7 text", "story.txt looks like a binary file, not text"),
        (bytes(range(1, 32)) * 20, "story.txt looks like a binary file, not text"),
    ],
)
def test_bad_bytes_raise_one_line_input_error(data: bytes, message: str) -> None:
    with pytest.raises(InputError) as caught:
        read_bytes(data, name="story.txt")
    assert str(caught.value) == message
    assert "\n" not in str(caught.value)


def test_read_path(tmp_path) -> None:
    path = tmp_path / "tale.txt"
    path.write_bytes(b"A fox.\r\n\r\nA hen.")
    assert read_path(path).text == "A fox.\n\nA hen."
    assert read_path(str(path)).text == "A fox.\n\nA hen."


def test_missing_file(tmp_path) -> None:
    path = tmp_path / "nowhere.txt"
    with pytest.raises(InputError, match=r"^cannot read .*nowhere\.txt: no such file$"):
        read_path(path)


def test_directory(tmp_path) -> None:
    with pytest.raises(InputError, match=r"^cannot read .*: it is a directory$"):
        read_path(tmp_path)


def test_empty_file_names_the_path(tmp_path) -> None:
    path = tmp_path / "blank.txt"
    path.write_bytes(b"\n\n")
    with pytest.raises(InputError, match=r"blank\.txt is empty$"):
        read_path(path)
