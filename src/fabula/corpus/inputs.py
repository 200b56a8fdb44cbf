"""The works of a corpus: every readable file in a folder (recursively), in a zip or tar
archive, or named by a list file (one path per line).

A file is a work when its extension is one fabula reads, or when it has none: such a file is
read as text (or as HTML or EPUB by its content), and one that is binary becomes a row of the
errors table. Other files are skipped, and the caller hears of each one (``on_skip``).

Works are read lazily, one at a time, so a corpus larger than memory streams through. Archive
members are never extracted to disk; a member larger than ``MAX_WORK_BYTES`` becomes an error
row rather than a memory spike.
"""

from __future__ import annotations

import re
import tarfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from fabula.errors import InputError

__all__ = ["WorkSource", "list_works"]

READABLE_SUFFIXES = frozenset({".txt", ".text", ".md", ".markdown", ".html", ".htm", ".epub"})
# What follows the last dot is an extension only when it looks like one: "Ch. 1 - The Storm"
# has none.
EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,8}")
ARCHIVE_SUFFIXES = (".zip", ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz")
LIST_SUFFIXES = frozenset({".lst", ".list", ".paths"})
# A bigger member of an archive is refused (as EPUB members are), not read into memory.
MAX_WORK_BYTES = 100 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class WorkSource:
    """One work to analyse: a name for people and the tables, and how to get its bytes."""

    name: str  # e.g. "fandom/work-123.html" or "dump.zip!work-123.html"
    read: Callable[[], bytes]
    size: int = 0  # bytes, as the folder or archive says: the longest works start first
    in_order: bool = False  # cheapest read in the listed order (a compressed tar's members)


Skip = Callable[[str], None]


def list_works(corpus: Path, on_skip: Skip | None = None) -> Iterator[WorkSource]:
    """The works of ``corpus``, in a stable order (sorted names), or one clear ``InputError``.

    Hidden files are left out, and files of other formats are skipped (a folder of downloads
    often holds images beside the stories): ``on_skip`` hears each one's name.
    """
    skip = on_skip or (lambda name: None)
    if corpus.is_dir():
        yield from _folder_works(corpus, skip)
    elif not corpus.exists():
        raise InputError(f"{corpus}: no such file or folder")
    elif corpus.name.lower().endswith(ARCHIVE_SUFFIXES):
        yield from _archive_works(corpus, skip)
    elif corpus.suffix.lower() in LIST_SUFFIXES:
        yield from _listed_works(corpus)
    else:
        raise InputError(
            f"{corpus}: a corpus is a folder, a zip or tar archive, or a list of paths"
            f" (.lst, .list); for one story use fabula analyze"
        )


def extension(name: str) -> str:
    """The file's extension in lower case, or "" when it has none."""
    suffix = PurePosixPath(name).suffix
    return suffix.lower() if EXTENSION.fullmatch(suffix) else ""


def _is_work(name: str, skip: Skip) -> bool:
    """Whether the file ``name`` is a work; a visible file that is not is passed to ``skip``."""
    if any(part.startswith(".") for part in PurePosixPath(name).parts):
        return False
    if extension(name) in READABLE_SUFFIXES or not extension(name):
        return True
    skip(name)
    return False


def _file_reader(path: Path) -> Callable[[], bytes]:
    def read() -> bytes:
        try:
            return path.read_bytes()
        except OSError as error:
            raise InputError(f"{path}: cannot read it: {error.strerror}") from error

    return read


def _folder_works(folder: Path, skip: Skip) -> Iterator[WorkSource]:
    files = sorted(path for path in folder.rglob("*") if path.is_file())
    paths = [path for path in files if _is_work(path.relative_to(folder).as_posix(), skip)]
    for path in paths:
        yield WorkSource(
            path.relative_to(folder).as_posix(), _file_reader(path), path.stat().st_size
        )


def _listed_works(list_file: Path) -> Iterator[WorkSource]:
    try:
        lines = list_file.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"{list_file}: cannot read the list of paths") from error
    for line in lines:
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        path = Path(line.strip())
        path = path if path.is_absolute() else list_file.parent / path
        size = path.stat().st_size if path.is_file() else 0
        yield WorkSource(line.strip(), _file_reader(path), size)


def _archive_works(archive: Path, skip: Skip) -> Iterator[WorkSource]:
    if zipfile.is_zipfile(archive):
        with zipfile.ZipFile(archive) as opened:
            sizes = {
                info.filename: info.file_size
                for info in sorted(opened.infolist(), key=lambda info: info.filename)
                if not info.is_dir() and _is_work(info.filename, skip)
            }
        for name in sorted(sizes):
            yield WorkSource(
                f"{archive.name}!{name}", _zip_member_reader(archive, name), sizes[name]
            )
        return
    try:
        with tarfile.open(archive) as opened:
            members = [(m.name, m.size) for m in opened.getmembers() if m.isfile()]
    except (tarfile.TarError, OSError) as error:
        raise InputError(f"{archive}: not a readable zip or tar archive") from error
    reader = _SequentialTar(archive)
    try:
        # Archive order: each member is then read in one pass over the file.
        for name, size in members:
            if _is_work(name, skip):
                read = lambda n=name: reader.read(n)  # noqa: E731
                yield WorkSource(f"{archive.name}!{name}", read, size, in_order=True)
    finally:
        reader.close()


def _zip_member_reader(archive: Path, name: str) -> Callable[[], bytes]:
    def read() -> bytes:
        with zipfile.ZipFile(archive) as opened:
            if opened.getinfo(name).file_size > MAX_WORK_BYTES:
                raise InputError(f"{name}: larger than {MAX_WORK_BYTES // 2**20} MB unpacked")
            with opened.open(name) as member:
                data = member.read(MAX_WORK_BYTES + 1)
        if len(data) > MAX_WORK_BYTES:  # the size in the directory lied
            raise InputError(f"{name}: larger than {MAX_WORK_BYTES // 2**20} MB unpacked")
        return data

    return read


class _SequentialTar:
    """Reads members in archive order from one open stream: a compressed tar is decompressed
    once, not once per member. A request for an earlier member starts a new pass."""

    def __init__(self, archive: Path) -> None:
        self.archive = archive
        self.opened: tarfile.TarFile | None = None

    def read(self, name: str) -> bytes:
        for attempt in range(2):
            if self.opened is None or attempt:
                self._reopen()
            assert self.opened is not None
            for member in self.opened:
                if member.name != name:
                    continue
                if member.size > MAX_WORK_BYTES:
                    raise InputError(f"{name}: larger than {MAX_WORK_BYTES // 2**20} MB unpacked")
                extracted = self.opened.extractfile(member)
                if extracted is None:
                    raise InputError(f"{name}: not a regular file in the archive")
                return extracted.read()
        raise InputError(f"{name}: no longer in {self.archive.name}")

    def close(self) -> None:
        if self.opened is not None:
            self.opened.close()
            self.opened = None

    def _reopen(self) -> None:
        self.close()
        # Stays open between reads, closed by the next pass or by close().
        self.opened = tarfile.open(self.archive, mode="r|*")  # noqa: SIM115
