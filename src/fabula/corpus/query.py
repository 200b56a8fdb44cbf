"""SQL over a corpus's tables with DuckDB: each table is a view over its Parquet files.

The tables are those of ``corpus/names.py``; a table with no files yet is an empty view with
the documented columns, so a query never fails because, say, no work has failed. Two views
answer what users ask first (docs/corpus-tables.md): ``lines``, one row per line of dialogue as
``fabula analyze`` counts them (the parts of a quotation broken by a tag are one line), and
``character_names``, every name and alias a character goes by.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pyarrow as pa

from fabula.corpus.names import ERRORS_TABLE, WORK_TABLES
from fabula.corpus.run import ERRORS_DIR, WORKS_DIR
from fabula.corpus.tables import SCHEMAS
from fabula.errors import ConfigError, InputError

__all__ = ["connect", "has_statement", "run_query"]

CHARACTER_NAMES_VIEW = """
CREATE VIEW character_names AS
SELECT work_id, character_id, name AS character, name FROM characters
UNION
SELECT work_id, character_id, name AS character, unnest(aliases) AS name FROM characters
"""
# A line starts at each quotation part that continues none; its parts follow it in the text.
# Who speaks, to whom, how and where are the first part's; the text joins the parts.
LINES_VIEW = """
CREATE VIEW lines AS
WITH parts AS (
    SELECT *, sum(CASE WHEN continues IS NULL THEN 1 ELSE 0 END) OVER (
        PARTITION BY work_id ORDER BY start ROWS UNBOUNDED PRECEDING) AS line_number
    FROM quotes
), joined AS (
    SELECT
        work_id,
        first(quote_id ORDER BY start) AS line_id,
        count(*)::INTEGER AS parts,
        min(start) AS start,
        max("end") AS "end",
        string_agg(text, ' … ' ORDER BY start) AS text,
        first(speaker_id ORDER BY start) AS speaker_id,
        first(speaker ORDER BY start) AS speaker,
        first(addressee_ids ORDER BY start) AS addressee_ids,
        first(addressees ORDER BY start) AS addressees,
        first(type ORDER BY start) AS type,
        first(confidence ORDER BY start) AS confidence,
        avg(sentiment) AS sentiment,
        first(scene_id ORDER BY start) AS scene_id
    FROM parts
    GROUP BY work_id, line_number
)
SELECT
    joined.*,
    coalesce((
        SELECT list(n.name ORDER BY n.name) FROM character_names n
        WHERE n.work_id = joined.work_id AND n.character_id = joined.speaker_id
    ), []::VARCHAR[]) AS speaker_names,
    coalesce((
        SELECT list(DISTINCT n.name ORDER BY n.name) FROM character_names n
        WHERE n.work_id = joined.work_id AND list_contains(joined.addressee_ids, n.character_id)
    ), []::VARCHAR[]) AS addressee_names
FROM joined
"""

# How often the waiting thread looks up from a running query (Ctrl-C is seen at once anyway).
WAIT_SECONDS = 0.1
NO_STATEMENT = "the SQL holds no statement (only spaces or comments)"


def connect(outdir: Path):
    """An in-memory DuckDB connection with one view per table of the corpus at ``outdir``."""
    import duckdb

    if not (outdir / WORKS_DIR).is_dir():
        raise InputError(f"{outdir}: not a corpus folder (no {WORKS_DIR}/); run fabula corpus")
    # DuckDB's progress bar would go to stdout, among the results.
    connection = duckdb.connect()
    connection.execute("SET enable_progress_bar = false")
    globs = {name: outdir / WORKS_DIR / "*" / f"{name}.parquet" for name in WORK_TABLES}
    globs[ERRORS_TABLE] = outdir / ERRORS_DIR / "*.parquet"
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
    connection.execute(CHARACTER_NAMES_VIEW)
    connection.execute(LINES_VIEW)
    return connection


def run_query(outdir: Path, sql: str) -> tuple[list[str], list[tuple]]:
    """Column names and rows of ``sql`` over the corpus, or a one-line ``ConfigError``."""
    import duckdb

    connection = connect(outdir)
    try:
        return _run_stoppably(connection, sql)
    except duckdb.Error as error:
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else "failed"
        raise ConfigError(f"query failed: {first_line}") from error
    finally:
        connection.close()


def _run_stoppably(connection, sql: str) -> tuple[list[str], list[tuple]]:
    """Run ``sql`` on a helper thread while this one waits, so that Ctrl-C reaches Python at
    once and interrupts the query (DuckDB's own check for it, on this thread, loses some)."""
    outcome: dict[str, Any] = {}
    # An Event, not Thread.join: a join that Ctrl-C interrupts may return early next time.
    finished = threading.Event()

    def run() -> None:
        try:
            cursor = connection.execute(sql)
            if cursor is None:
                raise ConfigError(NO_STATEMENT)
            columns = [d[0] for d in cursor.description or ()]
            outcome["result"] = columns, cursor.fetchall()
        except BaseException as error:  # handed to the waiting thread
            outcome["error"] = error
        finally:
            finished.set()

    threading.Thread(target=run, name="fabula-query", daemon=True).start()
    try:
        while not finished.wait(WAIT_SECONDS):
            pass
    except KeyboardInterrupt:
        connection.interrupt()
        finished.wait()
        raise
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]


def has_statement(sql: str) -> bool:
    """Whether ``sql`` holds anything to run; SQL DuckDB cannot parse counts (running it
    reports the error)."""
    import duckdb

    try:
        return bool(duckdb.extract_statements(sql))
    except duckdb.Error:
        return True
