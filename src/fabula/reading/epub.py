"""Read an EPUB in memory: its content documents in reading order and its metadata.

An EPUB is untrusted input, so nothing is extracted to disk, every member is read in chunks
under size and compression-ratio caps (zip bombs), and paths must stay inside the archive. XML
goes through defusedxml, the maintained guard for Python's XML parsers: the package files may
have no DOCTYPE at all, and no member may declare entities or refer to external ones (XXE,
billion laughs). Every failure is an ``InputError`` with a one-line message that starts with
the name.
"""

from __future__ import annotations

import io
import lzma
import posixpath
import re
import struct
import xml.etree.ElementTree as ET
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import fromstring as parse_xml

from fabula.errors import InputError

__all__ = [
    "MAX_COMPRESSION_RATIO",
    "MAX_ENTRIES",
    "MAX_MEMBER_BYTES",
    "MAX_TOTAL_BYTES",
    "RATIO_CHECK_MIN_BYTES",
    "EpubBook",
    "EpubDocument",
    "EpubMetadata",
    "read_epub",
]

MAX_ENTRIES = 10_000
MAX_MEMBER_BYTES = 50 * 1024 * 1024
MAX_TOTAL_BYTES = 200 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
# Small members compress wildly (a blank page of spaces), so the ratio only matters above this.
RATIO_CHECK_MIN_BYTES = 1024 * 1024
_CHUNK_BYTES = 64 * 1024

_CONTAINER = "META-INF/container.xml"
_CONTENT_TYPES = frozenset({"application/xhtml+xml", "text/html"})
_ENCRYPTED_FLAG = 0x1
# What zipfile and its decompressors raise on a damaged archive; none of it should escape.
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    OSError,
    EOFError,
    ValueError,
    NotImplementedError,
    RuntimeError,
    struct.error,
    zlib.error,
    lzma.LZMAError,
)
_XML_DECLARED_ENCODING = re.compile(rb"""^<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


@dataclass(frozen=True)
class EpubDocument:
    """One content document of the spine, as markup for an HTML reader to turn into text."""

    href: str
    markup: str


@dataclass(frozen=True)
class EpubMetadata:
    """What the package file says about the book; absent fields are ``None`` or empty."""

    title: str | None = None
    authors: tuple[str, ...] = ()
    subjects: tuple[str, ...] = ()
    language: str | None = None
    description: str | None = None


@dataclass(frozen=True)
class EpubBook:
    """The readable documents in spine (reading) order, and the book's metadata."""

    documents: tuple[EpubDocument, ...]
    metadata: EpubMetadata


def read_epub(data: bytes, *, name: str = "<input>") -> EpubBook:
    """Read an EPUB from bytes without touching the disk.

    Follows ``META-INF/container.xml`` to the package (OPF) file, then its spine; spine items
    that are not XHTML, and a navigation document marked ``linear="no"``, are skipped.
    """
    name = _one_line(name)
    archive = _Archive(data, name)
    container = archive.read_xml(_CONTAINER)
    opf_path = _rootfile_path(container, archive)
    package = archive.read_xml(opf_path)
    documents = tuple(
        EpubDocument(href=path, markup=archive.read_document(path))
        for path in _spine_paths(package, opf_path, archive)
    )
    if not documents:
        raise InputError(f"{name} is not a valid EPUB: its spine lists no readable chapters")
    return EpubBook(documents=documents, metadata=_metadata(package))


class _Archive:
    """A zip opened in memory whose every read is checked against the bomb and path limits."""

    def __init__(self, data: bytes, name: str) -> None:
        self.name = name
        self._bytes_read = 0
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
            entries = self._zip.infolist()
        except _ZIP_ERRORS as error:
            raise self.error(
                f"not a valid EPUB: it is not a zip archive, or it is cut short or damaged "
                f"({_reason(error)})"
            ) from None
        if len(entries) > MAX_ENTRIES:
            raise self.error(f"not a valid EPUB: it has {len(entries)} files (limit {MAX_ENTRIES})")
        claimed_total = sum(entry.file_size for entry in entries)
        if claimed_total > MAX_TOTAL_BYTES:
            raise self.error(
                f"not a valid EPUB: it would unpack to {_size(claimed_total)} "
                f"(limit {_size(MAX_TOTAL_BYTES)})"
            )
        self._entries = {entry.filename: entry for entry in entries}

    def error(self, problem: str) -> InputError:
        return InputError(_one_line(f"{self.name} is {problem}"))

    def contains(self, path: str) -> bool:
        return path in self._entries

    def read(self, path: str) -> bytes:
        """The member's bytes, counted as they are inflated: header sizes can lie."""
        entry = self._entries.get(path)
        if entry is None:
            raise self.error(f"not a valid EPUB: {path} is missing")
        if entry.flag_bits & _ENCRYPTED_FLAG:
            raise self.error(f"not a valid EPUB: {path} is encrypted")
        self._check_claimed_size(entry)
        chunks: list[bytes] = []
        size = 0
        try:
            with self._zip.open(entry) as member:
                while chunk := member.read(_CHUNK_BYTES):
                    size += len(chunk)
                    self._bytes_read += len(chunk)
                    self._check_inflated_size(entry, size)
                    chunks.append(chunk)
        except _ZIP_ERRORS as error:
            raise self.error(f"not a valid EPUB: {path} is damaged ({_reason(error)})") from None
        return b"".join(chunks)

    def read_xml(self, path: str) -> ET.Element:
        """Parse a package file (container, OPF): no DOCTYPE, no entities, well-formed."""
        text = self.read_text(path)
        try:
            return parse_xml(text, forbid_dtd=True)
        except DTDForbidden:
            self._refuse_entities(text, path)  # the more telling reason, when it applies
            raise self.error(
                f"not a valid EPUB: {path} has a DOCTYPE, which fabula does not load"
            ) from None
        except ET.ParseError as error:
            raise self.error(f"not a valid EPUB: {path} is not well-formed XML ({error})") from None

    def read_document(self, path: str) -> str:
        """A content document's markup, for the HTML reader: it may be loose XHTML (which the
        HTML reader forgives), but it may not declare entities or refer to external ones."""
        text = self.read_text(path)
        self._refuse_entities(text, path)
        return text

    def read_text(self, path: str) -> str:
        return self._decode(self.read(path), path)

    def _refuse_entities(self, text: str, path: str) -> None:
        """Refuse entity declarations and external references; other XML faults are not
        this check's business (an XHTML chapter with ``&nbsp;`` is not well-formed XML)."""
        try:
            parse_xml(text, forbid_dtd=False, forbid_entities=True, forbid_external=True)
        except (EntitiesForbidden, ExternalReferenceForbidden):
            raise self.error(
                f"not a valid EPUB: {path} contains XML entity declarations, "
                "which fabula does not expand"
            ) from None
        except ET.ParseError:
            pass

    def _decode(self, raw: bytes, path: str) -> str:
        encoding = _declared_encoding(raw)
        try:
            return raw.decode(encoding)
        except LookupError:
            problem = f"{path} declares an unknown encoding, {encoding}"
        except UnicodeDecodeError:
            problem = f"{path} is not valid {encoding}"
        raise self.error(f"not a valid EPUB: {problem}")

    def _check_claimed_size(self, entry: zipfile.ZipInfo) -> None:
        self._check_inflated_size(entry, entry.file_size, claimed=True)

    def _check_inflated_size(
        self, entry: zipfile.ZipInfo, size: int, claimed: bool = False
    ) -> None:
        path = entry.filename
        if size > MAX_MEMBER_BYTES:
            raise self.error(
                f"not a valid EPUB: {path} unpacks to more than {_size(MAX_MEMBER_BYTES)}"
            )
        if not claimed and self._bytes_read > MAX_TOTAL_BYTES:
            raise self.error(f"not a valid EPUB: it unpacks to more than {_size(MAX_TOTAL_BYTES)}")
        if size > RATIO_CHECK_MIN_BYTES and size > MAX_COMPRESSION_RATIO * entry.compress_size:
            raise self.error(
                f"not a valid EPUB: {path} is compressed more than "
                f"{MAX_COMPRESSION_RATIO} to 1, like a zip bomb"
            )


def _rootfile_path(container: ET.Element, archive: _Archive) -> str:
    for element in _named(container.iter(), "rootfile"):
        full_path = element.get("full-path")
        if full_path and element.get("media-type", "").startswith("application/oebps-package"):
            return _inside_archive(full_path, "", archive)
    raise archive.error(f"not a valid EPUB: {_CONTAINER} names no package file")


def _spine_paths(package: ET.Element, opf_path: str, archive: _Archive) -> list[str]:
    """Archive paths of the readable spine items, in reading order."""
    opf_folder = posixpath.dirname(opf_path)
    manifest = {item.get("id"): item for item in _named(package.iter(), "item")}
    paths = []
    for itemref in _named(package.iter(), "itemref"):
        idref = itemref.get("idref")
        item = manifest.get(idref)
        if item is None:
            raise archive.error(
                f"not a valid EPUB: its spine lists {idref!r}, which its manifest does not"
            )
        if item.get("media-type") not in _CONTENT_TYPES:
            continue
        is_nav = "nav" in item.get("properties", "").split()
        if is_nav and itemref.get("linear") == "no":
            continue
        path = _inside_archive(item.get("href", ""), opf_folder, archive)
        if not archive.contains(path):
            raise archive.error(f"not a valid EPUB: its spine lists {path}, which is missing")
        paths.append(path)
    return paths


def _inside_archive(href: str, folder: str, archive: _Archive) -> str:
    """Resolve a (percent-encoded, relative) href to a member path, refusing any way out."""
    parts = urlsplit(href)
    relative = unquote(parts.path)
    path = posixpath.normpath(posixpath.join(folder, relative))
    leaves = path == ".." or path.startswith(("../", "/")) or not relative
    if parts.scheme or parts.netloc or leaves:
        raise archive.error(f"not a valid EPUB: it refers to {href!r}, outside the book")
    return path


def _metadata(package: ET.Element) -> EpubMetadata:
    metadata = next(_named(package.iter(), "metadata"), None)
    if metadata is None:
        return EpubMetadata()

    def texts(field: str) -> tuple[str, ...]:
        found = (" ".join("".join(e.itertext()).split()) for e in _named(metadata.iter(), field))
        return tuple(text for text in found if text)

    def first(field: str) -> str | None:
        return next(iter(texts(field)), None)

    return EpubMetadata(
        title=first("title"),
        authors=texts("creator"),
        subjects=texts("subject"),
        language=first("language"),
        description=first("description"),
    )


def _named(elements: Iterable[ET.Element], local_name: str) -> Iterable[ET.Element]:
    """Elements with this local name, whatever namespace (or none) the book gave them."""
    return (
        e for e in elements if isinstance(e.tag, str) and e.tag.rpartition("}")[2] == local_name
    )


def _declared_encoding(raw: bytes) -> str:
    for bom, codec in _BOMS:
        if raw.startswith(bom):
            return codec
    declared = _XML_DECLARED_ENCODING.match(raw)
    return declared.group(1).decode("ascii") if declared else "utf-8"


def _reason(error: Exception) -> str:
    return str(error) or type(error).__name__


def _size(size: int) -> str:
    megabyte = 1024 * 1024
    return f"{size / megabyte:.0f} MB" if size >= megabyte else f"{size} bytes"


def _one_line(message: str) -> str:
    return " ".join(message.split()) or "<input>"
