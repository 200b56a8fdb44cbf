"""Writing a trained model: its weights with how they were made, in one JSON file.

``ship()`` adds a ``training`` record to the model's JSON: the script, its hyperparameters,
the folds it was cross-validated on, a SHA-256 of the training data and the git commit of the
code that computed the features. Anyone can then see and rerun how a model was made, and
``fabula.models`` can refuse a model trained on other folds than ``folds.json``.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from fabula.training.folds import Folds

RECORD_KEY = "training"
UNKNOWN_COMMIT = "unknown"
DIRTY_SUFFIX = "+uncommitted"


@dataclass(frozen=True, slots=True)
class TrainingRecord:
    """How a model was made (stored under ``training`` in its weights file)."""

    script: str
    hyperparameters: Mapping[str, object]
    folds: Folds | None
    data_sha256: str
    commit: str

    def to_json(self) -> dict:
        return {
            "script": self.script,
            "hyperparameters": dict(self.hyperparameters),
            "folds": self.folds.to_json() if self.folds is not None else None,
            "data_sha256": self.data_sha256,
            "commit": self.commit,
        }


def ship(
    path: Path,
    model: Mapping[str, object],
    *,
    script: str,
    hyperparameters: Mapping[str, object],
    folds: Folds | None,
    corpus: Path,
    data: Iterable[Path],
    indent: int | None = 1,
) -> TrainingRecord:
    """Write ``model`` (the weights' JSON form) to ``path`` with its training record: ``data``
    are the corpus files it learnt from. A compact file when ``indent`` is None."""
    record = TrainingRecord(
        script=script,
        hyperparameters=hyperparameters,
        folds=folds,
        data_sha256=data_sha256(corpus, data),
        commit=git_commit(path.parent),
    )
    shipped = dict(model) | {RECORD_KEY: record.to_json()}
    separators = (",", ":") if indent is None else None
    path.write_text(json.dumps(shipped, indent=indent, separators=separators) + "\n")
    return record


def recorded_folds(shipped: Mapping[str, object]) -> dict | None:
    """The folds a loaded weights file records (None for one shipped without)."""
    record = shipped.get(RECORD_KEY)
    return record.get("folds") if isinstance(record, dict) else None


def data_sha256(corpus: Path, files: Iterable[Path]) -> str:
    """One hash of the training files: each one's path inside ``corpus`` and its bytes, in
    path order, so the same corpus in another folder gives the same hash."""
    digest = hashlib.sha256()
    for name in sorted(path.relative_to(corpus).as_posix() for path in files):
        content = (corpus / name).read_bytes()
        digest.update(f"{name}\0{len(content)}\0".encode())
        digest.update(content)
    return digest.hexdigest()


def git_commit(folder: Path) -> str:
    """The commit checked out at ``folder``, marked when the tree has uncommitted changes
    (``unknown`` outside a git checkout)."""
    try:
        commit = _git(folder, "rev-parse", "HEAD")
        dirty = _git(folder, "status", "--porcelain", "--untracked-files=no")
    except (OSError, subprocess.CalledProcessError):
        return UNKNOWN_COMMIT
    return commit + (DIRTY_SUFFIX if dirty else "")


def _git(folder: Path, *arguments: str) -> str:
    result = subprocess.run(
        ["git", "-C", str(folder), *arguments], capture_output=True, text=True, check=True
    )
    return result.stdout.strip()
