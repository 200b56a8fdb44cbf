"""The same corpus on a local Dask cluster gives the same tables as the local run."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest
from story_generator import generate_corpus

from fabula.corpus.inputs import list_works
from fabula.corpus.run import run_corpus
from fabula.corpus.tables import WORK_TABLES

pytestmark = [pytest.mark.model, pytest.mark.slow]
distributed = pytest.importorskip("distributed")

# Timing columns differ from run to run by nature.
TIMING = {"seconds"}


def _tables(outdir: Path) -> dict[str, list[dict]]:
    tables = {}
    for name in WORK_TABLES:
        rows = []
        for path in sorted((outdir / "works").glob(f"*/{name}.parquet")):
            rows += [
                {k: v for k, v in row.items() if k not in TIMING}
                for row in pq.read_table(path).to_pylist()
            ]
        tables[name] = rows
    return tables


def test_a_local_dask_cluster_gives_the_local_runs_tables(tmp_path: Path) -> None:
    generate_corpus(tmp_path / "in", 5)
    local = run_corpus(list_works(tmp_path / "in"), tmp_path / "local", workers=2)
    # Any free dashboard port: another test run or the user's own cluster may hold 8787.
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
    ) as cluster:
        on_dask = run_corpus(
            list_works(tmp_path / "in"),
            tmp_path / "dask",
            workers=2,
            dask_address=cluster.scheduler_address,
        )
    assert (local.done, on_dask.done, on_dask.failed) == (5, 5, 0)
    expected, got = _tables(tmp_path / "local"), _tables(tmp_path / "dask")
    assert got == expected
    assert len(got["quotes"]) > 20 and len(got["interactions"]) > 5
