"""Turn bytes or a file into a ``SourceText``: plain text, HTML, Markdown or EPUB.

Plain text must stay faithful to the source, so reading only finds the encoding, removes a
byte-order mark, turns CRLF / lone CR into LF and repairs mojibake, noting what it changed
(``decoding.py``); quote marks and everything else are left for later stages. HTML (an archive's
download or any page), Markdown and EPUB are reduced to plain paragraphs, with the work's
metadata and chapters beside them. The format is told by the file's extension and, for HTML and
EPUB, by its content too, unless the caller names it (``input_format``): stdin has no extension.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path, PurePath
from typing import Literal, get_args

from fabula.errors import ConfigError, InputError
from fabula.model import Chapter, SourceText, Work
from fabula.reading.decoding import decode, repair_mojibake
from fabula.reading.epub import read_epub
from fabula.reading.html import ExtractedWork, extract_html, looks_like_html
from fabula.reading.markdown import markdown_to_text
from fabula.reading.webpage import read_web_page

__all__ = ["INPUT_FORMATS", "InputFormat", "read_bytes", "read_path"]

InputFormat = Literal["auto", "text", "markdown", "html", "epub"]
INPUT_FORMATS: tuple[str, ...] = get_args(InputFormat)

# Signatures of common binary formats: a user who passes one of these gave fabula the wrong file.
_BINARY_MAGIC = (
    b"\x89PNG",
    b"PK\x03\x04",  # zip, and so epub, docx, odt
    b"%PDF",
    b"\x7fELF",
    b"GIF87a",
    b"GIF89a",
    b"\xff\xd8\xff",  # jpeg
    b"\x1f\x8b",  # gzip
    b"BZh",
    b"\xfd7zXZ\x00",
    b"7z\xbc\xaf\x27\x1c",
    b"Rar!",
    b"MZ",  # windows executables
    b"\xcf\xfa\xed\xfe",  # mach-o
    b"\xd0\xcf\x11\xe0",  # old MS Office
    b"SQLite format 3\x00",
)
_SNIFF_CHARS = 8192
_ZIP_MAGIC = b"PK\x03\x04"
_EPUB_MIMETYPE = b"application/epub+zip"
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
PARAGRAPH_SEPARATOR = "\n\n"


def read_path(path: str | Path, *, input_format: InputFormat = "auto") -> SourceText:
    """Read and decode a story file (see ``read_bytes`` for ``input_format``).

    Raises ``InputError`` with a one-line message when the path is missing, a directory,
    unreadable, empty or binary. ``"-"`` is not special here: the CLI reads stdin itself.
    """
    _check_input_format(input_format)
    path = Path(path)
    name = _one_line(str(path))
    if path.is_dir():
        raise InputError(f"cannot read {name}: it is a directory")
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"cannot read {name}: no such file") from None
    except PermissionError:
        raise InputError(f"cannot read {name}: permission denied") from None
    except OSError as error:
        reason = _one_line(error.strerror or type(error).__name__).lower()
        raise InputError(f"cannot read {name}: {reason}") from None
    return read_bytes(data, name=name, input_format=input_format)


def read_bytes(
    data: bytes, *, name: str = "<input>", input_format: InputFormat = "auto"
) -> SourceText:
    """Decode story bytes and reduce markup to plain paragraphs.

    ``input_format`` "auto" tells the format from ``name``'s extension and the content (a zip
    with an EPUB's mimetype, markup that looks like HTML); "text", "markdown", "html" and "epub"
    say it outright, e.g. for Markdown on stdin. Decoding is recorded in ``notes``:
    ``b"Zo\\xeb"`` → ``"Zoë"`` with "decoded as cp1252: the file is not valid UTF-8".
    """
    _check_input_format(input_format)
    name = _one_line(name)
    if not data.strip():
        raise InputError(f"{name} is empty")
    suffix = PurePath(name).suffix.lower()
    if input_format == "epub" or (
        input_format == "auto"
        and data.startswith(_ZIP_MAGIC)
        and (suffix == ".epub" or _EPUB_MIMETYPE in data[:_SNIFF_CHARS])
    ):
        return _from_epub(data, name)
    if data.startswith(_BINARY_MAGIC):
        raise InputError(f"{name} looks like a binary file, not text")
    decoded = decode(data, name)
    text, encoding, notes = decoded.text, decoded.encoding, decoded.notes
    if not text.strip():
        raise InputError(f"{name} is empty")
    if input_format == "auto":
        input_format = _sniff_format(text, suffix)
    if input_format == "markdown":
        return _from_markup(markdown_to_text(text), name, encoding, notes)
    if input_format == "html":
        return _from_markup(read_web_page(text), name, encoding, notes)
    return SourceText(text=text, encoding=encoding, notes=notes)


def _check_input_format(input_format: str) -> None:
    """Raise ``ConfigError`` unless ``input_format`` is one of ``INPUT_FORMATS``."""
    if input_format not in INPUT_FORMATS:
        raise ConfigError(
            f"unknown input format {input_format!r}: use one of {', '.join(INPUT_FORMATS)}"
        )


def _sniff_format(text: str, suffix: str) -> InputFormat:
    if suffix in MARKDOWN_SUFFIXES:
        return "markdown"
    if suffix in HTML_SUFFIXES or looks_like_html(text):
        return "html"
    return "text"


def _from_markup(
    extracted: ExtractedWork, name: str, encoding: str, notes: tuple[str, ...]
) -> SourceText:
    if not extracted.text.strip():
        raise InputError(f"{name} has no story text")
    return SourceText(
        extracted.text, encoding=encoding, notes=notes + extracted.notes, work=extracted.work
    )


def _from_epub(data: bytes, name: str) -> SourceText:
    """Each spine document's text, one after another; each becomes at least one chapter."""
    book = read_epub(data, name=name)
    parts: list[str] = []
    chapters: list[Chapter] = []
    notes: list[str] = []
    tagged = Work()
    offset = 0
    for document in book.documents:
        markup, repaired = repair_mojibake(document.markup)
        if repaired:
            notes.append(f"{document.href}: {repaired}")
        extracted = extract_html(markup)
        if not extracted.text.strip():
            continue
        if parts:
            offset += len(PARAGRAPH_SEPARATOR)
        chapters.extend(
            replace(c, char_start=c.char_start + offset, char_end=c.char_end + offset)
            for c in extracted.work.chapters
        )
        if not tagged.characters and extracted.work.characters:
            tagged = extracted.work  # an archive's e-book carries its tags on a preface page
        parts.append(extracted.text)
        offset += len(extracted.text)
    if not parts:
        raise InputError(f"{name} has no story text")
    metadata = book.metadata
    work = replace(
        tagged,
        title=metadata.title or tagged.title,
        authors=metadata.authors or tagged.authors,
        language=metadata.language or tagged.language,
        additional_tags=tagged.additional_tags or metadata.subjects,
        chapters=tuple(chapters),
    )
    return SourceText(PARAGRAPH_SEPARATOR.join(parts), notes=tuple(notes), work=work)


def _one_line(message: str) -> str:
    return " ".join(message.split()) or "<input>"
