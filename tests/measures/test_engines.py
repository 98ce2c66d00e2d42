"""The DuckDB engine under threads: the web app runs the relational measures from a pool."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import ibis
import numpy as np
import pandas as pd

from nonaligned import engines


def _sum_of_squares(n: int) -> float:
    frame = pd.DataFrame({"x": np.arange(n, dtype="float64")})
    table = ibis.memtable(frame)
    return float(engines.execute(table.aggregate(total=(table.x * table.x).sum()))["total"][0])


def test_measures_run_in_parallel_threads_without_a_busy_connection():
    # one shared DuckDB connection refused the second of two concurrent calls
    # ("connection is busy with another call"): the web app answered 500
    sizes = [200_000 + k for k in range(24)]
    with ThreadPoolExecutor(max_workers=6) as pool:
        totals = list(pool.map(_sum_of_squares, sizes))
    assert totals == [float(sum(i * i for i in range(n))) for n in sizes]


def test_each_thread_has_its_own_duckdb_connection():
    here = engines.backend("duckdb")
    assert engines.backend("duckdb") is here
    with ThreadPoolExecutor(max_workers=1) as pool:
        there = pool.submit(engines.backend, "duckdb").result()
    assert there is not here
