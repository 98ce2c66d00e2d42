"""Wall time of the full dynamic ordinal ideal-point fit (1946-latest, no bootstrap).

BLAS is limited to one thread before NumPy is imported: the solver works on
many small (about 200 x 200) matrices, where OpenBLAS threads only add
synchronisation cost, and on a loaded 2-core machine they slow it down by an
order of magnitude. Prints the median of several runs as the last line,
``wall_seconds=`` (loading the votes is not timed).
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from unvotes_frames import load

from nonaligned.measures.idealpoints import Settings, dynamic_ideal_points

RUNS = int(os.environ.get("BENCH_RUNS", "3"))


def main() -> None:
    votes, roll_calls, source = load()
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        result = dynamic_ideal_points(votes, roll_calls, settings=Settings(n_boot=0))
        times.append(time.perf_counter() - start)
    print(f"source={source}")
    print(f"state_years={len(result)}")
    print(f"runs={RUNS}")
    print(f"wall_seconds={statistics.median(times):.3f}")


if __name__ == "__main__":
    main()
