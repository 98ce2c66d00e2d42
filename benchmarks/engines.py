"""Wall time of the dyadic similarity measures on the full vote record: DuckDB vs Spark.

The same Ibis definition (nonaligned.measures.relational) runs on both
engines. Prints ``dyad_years=``, ``spark_startup_seconds=`` (the first Spark
query: JVM and session start, paid once per process) and, as medians of
several runs, ``duckdb_wall_seconds=`` and ``spark_wall_seconds=``. Loading
the votes from the store is not timed; preparing the coded votes is.
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

from nonaligned.measures.similarity import dyad_similarity

RUNS = int(os.environ.get("ENGINE_RUNS", "3"))


def timed(engine: str, votes, roll_calls) -> tuple[float, int]:
    start = time.perf_counter()
    result = dyad_similarity(votes, roll_calls, engine=engine)
    return time.perf_counter() - start, len(result)


def main() -> None:
    votes, roll_calls, source = load()
    print(f"source={source}")
    print(f"runs={RUNS}")
    duck = [timed("duckdb", votes, roll_calls) for _ in range(RUNS)]
    print(f"dyad_years={duck[0][1]}")
    print(f"duckdb_wall_seconds={statistics.median(t for t, _ in duck):.3f}")
    startup, rows = timed("spark", votes, roll_calls)
    assert rows == duck[0][1], (rows, duck[0][1])
    print(f"spark_startup_seconds={startup:.3f}")
    spark = [timed("spark", votes, roll_calls)[0] for _ in range(RUNS)]
    print(f"spark_wall_seconds={statistics.median(spark):.3f}")


if __name__ == "__main__":
    main()
