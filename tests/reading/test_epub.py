"""EPUB reading: spine order, metadata, paths, and one-line refusals of hostile archives."""

from __future__ import annotations

import io
import random
import struct
import time
import tracemalloc
import zipfile

import pytest
from epub_factory import CONTAINER_PATH, make_epub

from fabula.errors import InputError
from fabula.reading import epub
from fabula.reading.epub import EpubMetadata, read_epub

NAME = "lantern ferry.epub"
CHAPTER_1 = (
    "The Crossing",
    [
        "Ada held the lantern over the black water.",
        "“Row slower,” she said. “The river listens.”",
        "“Rivers don’t listen,” Bea answered, but she slowed.",
    ],
)
CHAPTER_2 = (
    "The Far Bank",
    [
        "A heron lifted out of the reeds.",
        "“There,” Bea whispered. “Someone left the light on for us.”",
        "Ada smiled. “Someone always does.”",
    ],
)
BOMB_BYTES = 300 * 1024 * 1024


def refusal(data: bytes) -> str:
    """The message of the InputError this archive must raise: one line, led by the name."""
    with pytest.raises(InputError) as caught:
        read_epub(data, name=NAME)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(NAME)
    return message


def with_member(book: bytes, path: str, data: bytes) -> bytes:
    buffer = io.BytesIO(book)
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(path, data)
    return buffer.getvalue()


def patch_central_entry(book: bytes, path: str, offset: int, fmt: str, value: int) -> bytes:
    """Overwrite one field of a member's central directory record, as a forger would."""
    record = book.rindex(b"PK\x01\x02", 0, book.rindex(path.encode()))
    patched = bytearray(book)
    struct.pack_into(fmt, patched, record + offset, value)
    return bytes(patched)


@pytest.fixture(scope="module")
def bomb_epub() -> bytes:
    """A book whose first chapter inflates to 300 MB of zeros, written in chunks to stay light."""
    buffer = io.BytesIO(make_epub([CHAPTER_1, CHAPTER_2], omit=["OEBPS/chapter1.xhtml"]))
    zeros = bytes(1024 * 1024)
    with (
        zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive,
        archive.open("OEBPS/chapter1.xhtml", "w") as member,
    ):
        for _ in range(BOMB_BYTES // len(zeros)):
            member.write(zeros)
    return buffer.getvalue()


def refused_quickly_in_little_memory(data: bytes) -> str:
    tracemalloc.start()
    started = time.perf_counter()
    try:
        message = refusal(data)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert time.perf_counter() - started < 5
    assert peak < 50 * 1024 * 1024
    return message


def test_valid_book_reads_in_spine_order_with_metadata() -> None:
    book = read_epub(make_epub([CHAPTER_1, CHAPTER_2]), name=NAME)
    assert [document.href for document in book.documents] == [
        "OEBPS/chapter1.xhtml",
        "OEBPS/chapter2.xhtml",
    ]
    assert "“Row slower,” she said." in book.documents[0].markup
    assert book.documents[0].markup.count("<!DOCTYPE html>") == 1
    assert "Someone always does." in book.documents[1].markup
    assert book.metadata == EpubMetadata(
        title="The Lantern Ferry",
        authors=("Wren Adair",),
        subjects=("Fiction",),
        language="en",
        description="Two sisters row a lantern across the night river.",
    )


def test_spine_order_wins_over_manifest_order() -> None:
    book = read_epub(make_epub([CHAPTER_1, CHAPTER_2], spine_order=[1, 0]), name=NAME)
    assert [document.href for document in book.documents] == [
        "OEBPS/chapter2.xhtml",
        "OEBPS/chapter1.xhtml",
    ]
    assert "The Far Bank" in book.documents[0].markup


def test_navigation_marked_non_linear_and_images_are_skipped() -> None:
    book = read_epub(make_epub([CHAPTER_1]), name=NAME)
    assert [document.href for document in book.documents] == ["OEBPS/chapter1.xhtml"]


def test_subfolder_and_percent_encoded_hrefs_resolve() -> None:
    data = make_epub(
        [CHAPTER_1, CHAPTER_2],
        chapter_folder="Text",
        file_names=["ch 1.xhtml", "café #2.xhtml"],
    )
    book = read_epub(data, name=NAME)
    assert [document.href for document in book.documents] == [
        "OEBPS/Text/ch 1.xhtml",
        "OEBPS/Text/café #2.xhtml",
    ]


def test_opf_at_archive_root_and_several_authors() -> None:
    data = make_epub([CHAPTER_1], opf_path="content.opf", authors=["Wren Adair", "Tam Oduya"])
    book = read_epub(data, name=NAME)
    assert book.documents[0].href == "chapter1.xhtml"
    assert book.metadata.authors == ("Wren Adair", "Tam Oduya")


def test_declared_encoding_is_honoured() -> None:
    chapter = '<?xml version="1.0" encoding="ISO-8859-1"?><html><p>Zoë rowed.</p></html>'
    data = make_epub(
        [CHAPTER_1],
        omit=["OEBPS/chapter1.xhtml"],
        extra_files={"OEBPS/chapter1.xhtml": chapter.encode("latin-1")},
    )
    assert "Zoë rowed." in read_epub(data, name=NAME).documents[0].markup


def test_zip_bomb_is_refused_quickly_in_little_memory(bomb_epub: bytes) -> None:
    message = refused_quickly_in_little_memory(bomb_epub)
    assert "would unpack to 300 MB (limit 200 MB)" in message


def test_member_over_its_own_cap_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(epub, "MAX_MEMBER_BYTES", 100)
    assert "META-INF/container.xml unpacks to more than 100 bytes" in refusal(
        make_epub([CHAPTER_1])
    )


def test_member_lying_about_its_size_is_still_capped(bomb_epub: bytes) -> None:
    lying = patch_central_entry(bomb_epub, "OEBPS/chapter1.xhtml", 24, "<I", 4096)
    message = refused_quickly_in_little_memory(lying)
    assert "OEBPS/chapter1.xhtml is damaged" in message


def test_high_compression_ratio_is_refused() -> None:
    data = make_epub(
        [CHAPTER_1],
        omit=["OEBPS/chapter1.xhtml"],
        extra_files={"OEBPS/chapter1.xhtml": b" " * (2 * 1024 * 1024)},
    )
    assert "compressed more than 100 to 1" in refusal(data)


def test_total_unpacked_size_is_capped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(epub, "MAX_TOTAL_BYTES", 1000)
    assert "would unpack to" in refusal(make_epub([CHAPTER_1, CHAPTER_2]))


def test_too_many_entries_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(epub, "MAX_ENTRIES", 3)
    assert "limit 3" in refusal(make_epub([CHAPTER_1, CHAPTER_2]))


@pytest.mark.parametrize("href", ["../../etc/passwd", "/etc/passwd", "file:///etc/passwd"])
def test_href_leaving_the_archive_is_refused(href: str) -> None:
    opf = make_opf_with_href(href)
    assert "outside the book" in refusal(make_epub([CHAPTER_1], opf=opf))


def make_opf_with_href(href: str) -> str:
    return (
        '<package xmlns="http://www.idpf.org/2007/opf" version="3.0"><metadata/>'
        f'<manifest><item id="a" href="{href}" media-type="application/xhtml+xml"/></manifest>'
        '<spine><itemref idref="a"/></spine></package>'
    )


def test_container_pointing_outside_the_archive_is_refused() -> None:
    data = make_epub([CHAPTER_1], container=container_text("../content.opf"))
    assert "outside the book" in refusal(data)


def container_text(full_path: str) -> str:
    return (
        '<container xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
        f'<rootfile full-path="{full_path}" media-type="application/oebps-package+xml"/>'
        "</rootfiles></container>"
    )


def test_external_entity_in_opf_is_refused() -> None:
    opf = (
        '<?xml version="1.0"?>\n<!DOCTYPE package [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
        '<package xmlns="http://www.idpf.org/2007/opf"><metadata>'
        '<dc:title xmlns:dc="http://purl.org/dc/elements/1.1/">&x;</dc:title></metadata>'
        "<manifest/><spine/></package>"
    )
    message = refusal(make_epub([CHAPTER_1], opf=opf))
    assert "contains XML entity declarations, which fabula does not expand" in message


def test_billion_laughs_is_refused() -> None:
    entities = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{level} "{f"&lol{level - 1};" * 10}">' for level in range(1, 10)
    )
    opf = f"<!DOCTYPE package [{entities}]><package><metadata><title>&lol9;</title></metadata>"
    message = refusal(make_epub([CHAPTER_1], opf=opf))
    assert "contains XML entity declarations" in message


def test_doctype_with_external_reference_in_container_is_refused() -> None:
    container = '<!DOCTYPE container SYSTEM "http://example.invalid/c.dtd">' + container_text(
        "OEBPS/content.opf"
    )
    assert "has a DOCTYPE" in refusal(make_epub([CHAPTER_1], container=container))


def test_entity_declaration_in_a_chapter_is_refused() -> None:
    chapter = '<!DOCTYPE html [<!ENTITY boat "ferry">]><html><p>&boat;</p></html>'
    data = make_epub(
        [CHAPTER_1], omit=["OEBPS/chapter1.xhtml"], extra_files={"OEBPS/chapter1.xhtml": chapter}
    )
    assert "contains XML entity declarations" in refusal(data)


def test_not_a_zip_is_refused() -> None:
    assert "is not a valid EPUB" in refusal(b"Ada held the lantern over the water.\n" * 20)


def test_truncated_zip_is_refused() -> None:
    data = make_epub([CHAPTER_1, CHAPTER_2])
    assert "is not a valid EPUB" in refusal(data[: len(data) // 2])


def test_missing_container_is_refused() -> None:
    data = make_epub([CHAPTER_1], omit=[CONTAINER_PATH])
    assert "META-INF/container.xml is missing" in refusal(data)


def test_container_pointing_to_a_missing_opf_is_refused() -> None:
    data = make_epub([CHAPTER_1], container=container_text("OEBPS/missing.opf"))
    assert "OEBPS/missing.opf is missing" in refusal(data)


def test_spine_item_missing_from_archive_is_refused() -> None:
    data = make_epub([CHAPTER_1, CHAPTER_2], omit=["OEBPS/chapter2.xhtml"])
    assert "OEBPS/chapter2.xhtml, which is missing" in refusal(data)


def test_encrypted_member_is_refused() -> None:
    data = patch_central_entry(make_epub([CHAPTER_1]), "OEBPS/chapter1.xhtml", 8, "<H", 0x1)
    assert "OEBPS/chapter1.xhtml is encrypted" in refusal(data)


def test_malformed_opf_is_refused() -> None:
    assert "not well-formed XML" in refusal(make_epub([CHAPTER_1], opf="<package><spine>"))


def test_damaged_archives_only_ever_raise_input_error() -> None:
    """Random byte damage must end in a clean refusal or a book, never another exception."""
    original = make_epub([CHAPTER_1, CHAPTER_2])
    rng = random.Random(7)
    for _ in range(300):
        damaged = bytearray(original)
        for _ in range(rng.randint(1, 8)):
            damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        try:
            read_epub(bytes(damaged), name=NAME)
        except InputError as error:
            assert "\n" not in str(error)
            assert str(error).startswith(NAME)


def test_markup_merely_mentioned_in_comments_is_not_refused() -> None:
    """A real XML parser (defusedxml) tells a declaration from a comment that names one."""
    chapter = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n'
        "<!-- converted by a tool that never writes <!ENTITY declarations -->\n"
        '<html xmlns="http://www.w3.org/1999/xhtml"><body><p>Ada rowed.</p></body></html>'
    )
    data = make_epub(
        [CHAPTER_1], omit=["OEBPS/chapter1.xhtml"], extra_files={"OEBPS/chapter1.xhtml": chapter}
    )
    assert "Ada rowed." in read_epub(data, name=NAME).documents[0].markup


def test_package_file_comment_naming_a_doctype_is_not_refused() -> None:
    container = "<!-- no <!DOCTYPE here, and no <!ENTITY either -->" + container_text(
        "OEBPS/content.opf"
    )
    book = read_epub(make_epub([CHAPTER_1], container=container), name=NAME)
    assert [document.href for document in book.documents] == ["OEBPS/chapter1.xhtml"]


@pytest.mark.parametrize(
    "doctype",
    [
        '<!DOCTYPE html [<!ENTITY % remote SYSTEM "http://example.invalid/x.dtd"> %remote;]>',
        '<!DOCTYPE html [<!ENTITY secret SYSTEM "file:///etc/hostname">]>',
        '<!DOCTYPE html [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>',
    ],
)
def test_entities_in_a_chapter_are_refused_whatever_their_kind(doctype: str) -> None:
    chapter = f'{doctype}<html xmlns="http://www.w3.org/1999/xhtml"><p>&b;</p></html>'
    data = make_epub(
        [CHAPTER_1], omit=["OEBPS/chapter1.xhtml"], extra_files={"OEBPS/chapter1.xhtml": chapter}
    )
    assert "contains XML entity declarations" in refusal(data)


def test_a_loose_xhtml_chapter_is_still_read() -> None:
    """``&nbsp;`` and unclosed tags are not well-formed XML; the HTML reader forgives them."""
    chapter = "<html><body><p>Ada&nbsp;rowed.<p>Bea <b>slept</body></html>"
    data = make_epub(
        [CHAPTER_1], omit=["OEBPS/chapter1.xhtml"], extra_files={"OEBPS/chapter1.xhtml": chapter}
    )
    assert read_epub(data, name=NAME).documents[0].markup == chapter
