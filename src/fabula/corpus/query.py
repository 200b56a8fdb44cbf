"""SQL over a corpus's tables with DuckDB: each table is a view over its Parquet files.

``works``, ``characters``, ``quotes``, ``mentions``, ``scenes``, ``interactions`` and
``errors``; a table with no files yet is an empty view with the documented columns, so a query
never fails because, say, no work has failed.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa

from fabula.corpus.run import ERRORS_DIR, WORKS_DIR
from fabula.corpus.tables import SCHEMAS, WORK_TABLES
from fabula.errors import ConfigError, InputError

__all__ = ["connect", "has_statement", "run_query"]

NO_STATEMENT = "the SQL holds no statement (only spaces or comments)"


def connect(outdir: Path):
    """An in-memory DuckDB connection with one view per table of the corpus at ``outdir``."""
    import duckdb

    if not (outdir / WORKS_DIR).is_dir():
        raise InputError(f"{outdir}: not a corpus folder (no {WORKS_DIR}/); run fabula corpus")
    connection = duckdb.connect()
    globs = {name: outdir / WORKS_DIR / "*" / f"{name}.parquet" for name in WORK_TABLES}
    globs["errors"] = outdir / ERRORS_DIR / "*.parquet"
    for name, pattern in globs.items():
        if any(pattern.parent.parent.glob(f"{pattern.parent.name}/{pattern.name}")):
            quoted = str(pattern).replace("'", "''")
            connection.execute(
                f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{quoted}', union_by_name=true)"
            )
        else:
            empty = pa.Table.from_pylist([], schema=SCHEMAS[name])
            connection.register(f"_{name}_empty", empty)
            connection.execute(f"CREATE VIEW {name} AS SELECT * FROM _{name}_empty")
    return connection


def run_query(outdir: Path, sql: str) -> tuple[list[str], list[tuple]]:
    """Column names and rows of ``sql`` over the corpus, or a one-line ``ConfigError``."""
    import duckdb

    connection = connect(outdir)
    try:
        cursor = connection.execute(sql)
        if cursor is None:
            raise ConfigError(NO_STATEMENT)
        columns = [d[0] for d in cursor.description or ()]
        return columns, cursor.fetchall()
    except duckdb.Error as error:
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else "failed"
        raise ConfigError(f"query failed: {first_line}") from error
    finally:
        connection.close()


def has_statement(sql: str) -> bool:
    """Whether ``sql`` holds anything to run; SQL DuckDB cannot parse counts (running it
    reports the error)."""
    import duckdb

    try:
        return bool(duckdb.extract_statements(sql))
    except duckdb.Error:
        return True
