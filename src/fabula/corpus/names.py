"""The names of the corpus tables and views, apart from their pyarrow schemas, so that
``fabula query --help`` lists them without loading pyarrow."""

from __future__ import annotations

# One Parquet file of each per work, in works/<work_id>/.
WORK_TABLES = (
    "works",
    "characters",
    "quotes",
    "mentions",
    "scenes",
    "interactions",
    "profile_words",
    "entities",
    "events",
)
# One Parquet file per failed work, in errors/.
ERRORS_TABLE = "errors"
# Views fabula query defines over the tables (SQL in corpus/query.py).
VIEWS = ("lines", "character_names")
