"""The optional extras: which packages each holds, and the check a command makes before it
imports them.

``pip install fabula`` is enough to analyse stories into JSON and BookNLP files. The report,
the corpus commands and the LitBank coreference evaluation need more packages, installed with
an extra (``pip install 'fabula[report]'``). The modules of those commands are imported only
when the command runs, after ``require`` has said in one line which extra is missing, so a
missing package is never a traceback.
"""

from __future__ import annotations

from importlib.util import find_spec

from fabula.errors import MissingExtraError

# Import names, as pyproject.toml's [project.optional-dependencies] installs them.
EXTRAS: dict[str, tuple[str, ...]] = {
    "corpus": ("pyarrow", "duckdb", "dask", "distributed"),
    "report": ("jinja2", "markupsafe", "matplotlib", "networkx"),
    "eval": ("scorch",),
}


def missing_packages(extra: str) -> list[str]:
    """The packages of ``extra`` that cannot be imported here (without importing them)."""
    return [name for name in EXTRAS[extra] if not _installed(name)]


def require(extra: str, command: str) -> None:
    """Raise ``MissingExtraError`` unless every package of ``extra`` is installed."""
    missing = missing_packages(extra)
    if missing:
        raise MissingExtraError(extra, command, missing)


def _installed(name: str) -> bool:
    try:
        return find_spec(name) is not None
    except (ImportError, ValueError):  # a parent package is missing, or a broken stand-in
        return False
