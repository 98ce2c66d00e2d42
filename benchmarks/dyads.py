"""Wall time of all four similarity measures for every dyad-year, 1946-latest.

Prints the size of the result, where the time goes (``coding_seconds=``:
roll-call selection and vote coding in pandas; ``compile_seconds=``: building
the Ibis expression and compiling it to DuckDB SQL; the rest of the wall time
is DuckDB and the conversion of its Arrow result), ``cpu_seconds=`` (this
process's CPU time per run, user + system, all threads) and, as the last
line, ``wall_seconds=`` (medians of several runs; loading the votes is not
timed). On a shared machine the CPU time says whether a slow wall time was
the code or the load.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import ibis
from unvotes_frames import load

from nonaligned.measures import relational
from nonaligned.measures.similarity import dyad_similarity
from nonaligned.measures.votes import coded_votes

RUNS = int(os.environ.get("DYADS_RUNS", "5"))


def median_seconds(step, runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    votes, roll_calls, source = load()
    coded = coded_votes(votes, roll_calls)
    coding = median_seconds(lambda: coded_votes(votes, roll_calls))
    compiling = median_seconds(
        lambda: ibis.to_sql(relational.dyad_measures(ibis.memtable(coded)), dialect="duckdb")
    )
    times, cpu = [], []
    for _ in range(RUNS):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = dyad_similarity(votes, roll_calls)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    print(f"source={source}")
    print(f"dyad_years={len(result)}")
    print(f"years={result['year'].min()}-{result['year'].max()}")
    print(f"runs={RUNS}")
    print(f"coding_seconds={coding:.3f}")
    print(f"compile_seconds={compiling:.3f}")
    print(f"cpu_seconds={statistics.median(cpu):.3f}")
    print(f"wall_seconds={statistics.median(times):.3f}")


if __name__ == "__main__":
    main()
