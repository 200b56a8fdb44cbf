"""Where the training corpora live, and which of their files a model learns from.

The corpora sit beside the repository in ``../shared/data`` (never copied into it); set
``FABULA_DATA`` to another folder holding ``pdnc/`` and ``litbank/``, or give a script the
corpus folder itself.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TypeVar

from fabula.errors import InputError

DATA_ENVIRONMENT = "FABULA_DATA"
REPOSITORY = Path(__file__).resolve().parents[3]
SHIPPED_DIR = Path(__file__).resolve().parents[1] / "data"
PDNC_NOVEL_FILES = ("novel_text.txt", "character_info.csv", "quotation_info.csv")
PDNC_INDEX = "PDNC-Novel-Index.csv"
T = TypeVar("T")


def data_dir() -> Path:
    """The folder holding the corpora: ``$FABULA_DATA``, else ``../shared/data``."""
    override = os.environ.get(DATA_ENVIRONMENT)
    return Path(override) if override else REPOSITORY.parent / "shared" / "data"


def pdnc_dir() -> Path:
    return data_dir() / "pdnc"


def litbank_dir() -> Path:
    return data_dir() / "litbank"


def require_dir(folder: Path, what: str) -> Path:
    """The folder, or a clear error naming it (a missing corpus would otherwise train on
    nothing)."""
    if not folder.is_dir():
        raise InputError(
            f"{what} not found at {folder} (set {DATA_ENVIRONMENT} or pass the folder)"
        )
    return folder


def pdnc_files(corpus: Path, novels: Iterable[str]) -> list[Path]:
    """The PDNC files the attribution models learn from: the index and each novel's three."""
    files = [corpus / PDNC_INDEX] if (corpus / PDNC_INDEX).is_file() else []
    return files + [corpus / "data" / novel / name for novel in novels for name in PDNC_NOVEL_FILES]


def litbank_files(corpus: Path, layer: str, suffix: str, names: Iterable[str]) -> list[Path]:
    """One LitBank layer's files (``entities/tsv/NAME.tsv``, ``coref/tsv/NAME.ann``...)."""
    return [corpus / layer / "tsv" / f"{name}{suffix}" for name in names]


def map_documents(
    work: Callable[[Path, str], T], corpus: Path, documents: Sequence[str], jobs: int
) -> dict[str, T]:
    """``work(corpus, document)`` for every document, ``jobs`` at a time in worker processes
    ("spawn": a forked worker would inherit the parent's threads and loaded models)."""
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(jobs, mp_context=context) as pool:
        results = pool.map(work, [corpus] * len(documents), documents)
        return dict(zip(documents, results, strict=True))
