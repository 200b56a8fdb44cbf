"""Build small EPUBs in memory, so every reader test shows exactly the archive it reads."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping, Sequence
from html import escape
from urllib.parse import quote

CONTAINER_PATH = "META-INF/container.xml"


def container_xml(opf_path: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">\n'
        f'  <rootfiles><rootfile full-path="{opf_path}"'
        ' media-type="application/oebps-package+xml"/></rootfiles>\n'
        "</container>\n"
    )


def chapter_xhtml(title: str, paragraphs: Sequence[str]) -> str:
    body = "\n".join(f"    <p>{escape(paragraph)}</p>" for paragraph in paragraphs)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n'
        '<html xmlns="http://www.w3.org/1999/xhtml"><head>'
        f"<title>{escape(title)}</title></head>\n"
        f"  <body>\n    <h1>{escape(title)}</h1>\n{body}\n  </body>\n</html>\n"
    )


def make_epub(
    chapters: Sequence[tuple[str, Sequence[str]]],
    *,
    opf_path: str = "OEBPS/content.opf",
    chapter_folder: str = "",
    file_names: Sequence[str] | None = None,
    spine_order: Sequence[int] | None = None,
    title: str = "The Lantern Ferry",
    authors: Sequence[str] = ("Wren Adair",),
    subjects: Sequence[str] = ("Fiction",),
    language: str = "en",
    description: str = "Two sisters row a lantern across the night river.",
    opf: str | None = None,
    container: str | None = None,
    extra_files: Mapping[str, bytes | str] | None = None,
    omit: Sequence[str] = (),
) -> bytes:
    """A valid EPUB 3 of these (title, paragraphs) chapters; each keyword bends one part of it.

    ``chapter_folder`` is relative to the OPF; ``file_names`` are written to the archive as given
    and percent-encoded in the manifest; ``spine_order`` lists chapter indices in reading order;
    ``opf`` / ``container`` replace those files' text; ``omit`` drops archive paths, then
    ``extra_files`` adds its own.
    """
    names = list(file_names or [f"chapter{number}.xhtml" for number in range(1, len(chapters) + 1)])
    opf_folder = opf_path.rpartition("/")[0]
    hrefs = [f"{chapter_folder}/{n}" if chapter_folder else n for n in names]
    files: dict[str, bytes | str] = {
        "mimetype": "application/epub+zip",
        CONTAINER_PATH: container if container is not None else container_xml(opf_path),
    }
    for href, (chapter_title, paragraphs) in zip(hrefs, chapters, strict=True):
        files[f"{opf_folder}/{href}" if opf_folder else href] = chapter_xhtml(
            chapter_title, paragraphs
        )
    files[f"{opf_folder}/nav.xhtml" if opf_folder else "nav.xhtml"] = chapter_xhtml("Contents", [])
    if opf is None:
        opf = package_opf(
            hrefs,
            spine_order or range(len(chapters)),
            title=title,
            authors=authors,
            subjects=subjects,
            language=language,
            description=description,
        )
    files[opf_path] = opf
    kept = {path: data for path, data in files.items() if path not in omit}
    return zip_bytes({**kept, **(extra_files or {})})


def package_opf(
    hrefs: Sequence[str],
    spine_order: Sequence[int],
    *,
    title: str,
    authors: Sequence[str],
    subjects: Sequence[str],
    language: str,
    description: str,
) -> str:
    """The OPF with a nav document (linear="no") first, then the chapters in spine order."""
    manifest = "\n".join(
        f'    <item id="ch{index}" href="{quote(href)}" media-type="application/xhtml+xml"/>'
        for index, href in enumerate(hrefs)
    )
    spine = "\n".join(f'    <itemref idref="ch{index}"/>' for index in spine_order)
    dc = "\n".join(
        [f"    <dc:title>{escape(title)}</dc:title>"]
        + [f"    <dc:creator>{escape(author)}</dc:creator>" for author in authors]
        + [f"    <dc:subject>{escape(subject)}</dc:subject>" for subject in subjects]
        + [f"    <dc:language>{language}</dc:language>"]
        + [f"    <dc:description>{escape(description)}</dc:description>"]
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id">\n'
        '  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">\n'
        f'    <dc:identifier id="id">urn:uuid:0000</dc:identifier>\n{dc}\n  </metadata>\n'
        "  <manifest>\n"
        '    <item id="nav" href="nav.xhtml" media-type="application/xhtml+xml"'
        ' properties="nav"/>\n'
        '    <item id="cover" href="cover.jpg" media-type="image/jpeg"/>\n'
        f"{manifest}\n  </manifest>\n"
        f'  <spine>\n    <itemref idref="nav" linear="no"/>\n'
        f'    <itemref idref="cover"/>\n{spine}\n  </spine>\n'
        "</package>\n"
    )


def zip_bytes(files: Mapping[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, data in files.items():
            archive.writestr(path, data)
    return buffer.getvalue()
