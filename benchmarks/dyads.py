"""Wall time of all four similarity measures for every dyad-year, 1946-latest.

Prints the size of the result, ``cpu_seconds=`` (this process's CPU time per
run, user + system, all threads) and, as the last line, ``wall_seconds=``
(medians of several runs; loading the votes is not timed). On a shared
machine the CPU time says whether a slow wall time was the code or the load.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # see benchmarks/idealpoints.py

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from unvotes_frames import load

from nonaligned.measures.similarity import dyad_similarity

RUNS = int(os.environ.get("DYADS_RUNS", "5"))


def main() -> None:
    votes, roll_calls, source = load()
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
    print(f"cpu_seconds={statistics.median(cpu):.3f}")
    print(f"wall_seconds={statistics.median(times):.3f}")


if __name__ == "__main__":
    main()
