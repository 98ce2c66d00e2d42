"""Wall time of the relational measures on DuckDB vs Spark, on the full record.

The same Ibis definitions (nonaligned.measures.relational) run on both
engines. For the dyadic similarity measures over every dyad-year of the vote
record it prints ``dyad_years=``, ``spark_startup_seconds=`` (the first Spark
query: JVM and session start, paid once per process) and, as medians of
several runs, ``duckdb_wall_seconds=``, ``duckdb_cpu_seconds=`` (this
process's CPU time; Spark's JVM is another process) and ``spark_wall_seconds=``.
For the trade shares with the poles over every reporter-year of the trade
data it prints ``pole_trade_rows=``, ``pole_trade_duckdb_wall_seconds=`` and
``pole_trade_spark_wall_seconds=``. Loading from the store is not timed;
preparing the coded votes and the mirrored partner flows (pandas) is.
Spark runs in local mode on this machine's cores unless
NONALIGNED_SPARK_MASTER says otherwise (docs/scaling.md).
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from unvotes_frames import load

import nonaligned
from nonaligned import query
from nonaligned.measures.similarity import dyad_similarity
from nonaligned.measures.trade import pole_trade

RUNS = int(os.environ.get("ENGINE_RUNS", "3"))


def timed(measure, engine: str) -> tuple[float, float, int]:
    """(wall seconds, process CPU seconds, result rows) of one run on ``engine``."""
    start, start_cpu = time.perf_counter(), time.process_time()
    rows = len(measure(engine))
    return time.perf_counter() - start, time.process_time() - start_cpu, rows


def trade_inputs():
    """The store's trade flows and memberships, in exposure.py's shapes."""
    with nonaligned.open() as store:
        return query.trade_flows(store), query.memberships(store)


def main() -> None:
    votes, roll_calls, source = load()
    flows, memberships = trade_inputs()
    measures = {
        "dyads": lambda engine: dyad_similarity(votes, roll_calls, engine=engine),
        "pole_trade": lambda engine: pole_trade(flows, memberships, engine=engine),
    }
    print(f"source={source}")
    print(f"runs={RUNS}")
    duck = [timed(measures["dyads"], "duckdb") for _ in range(RUNS)]
    print(f"dyad_years={duck[0][2]}")
    print(f"duckdb_wall_seconds={statistics.median(t for t, _, _ in duck):.3f}")
    print(f"duckdb_cpu_seconds={statistics.median(c for _, c, _ in duck):.3f}")
    trade = [timed(measures["pole_trade"], "duckdb") for _ in range(RUNS)]
    print(f"pole_trade_rows={trade[0][2]}")
    print(f"pole_trade_duckdb_wall_seconds={statistics.median(t for t, _, _ in trade):.3f}")
    startup, _, rows = timed(measures["dyads"], "spark")
    assert rows == duck[0][2], (rows, duck[0][2])
    print(f"spark_startup_seconds={startup:.3f}")
    spark = [timed(measures["dyads"], "spark")[0] for _ in range(RUNS)]
    print(f"spark_wall_seconds={statistics.median(spark):.3f}")
    spark_trade = [timed(measures["pole_trade"], "spark") for _ in range(RUNS)]
    assert spark_trade[0][2] == trade[0][2], (spark_trade[0][2], trade[0][2])
    print(f"pole_trade_spark_wall_seconds={statistics.median(t for t, _, _ in spark_trade):.3f}")


if __name__ == "__main__":
    main()
