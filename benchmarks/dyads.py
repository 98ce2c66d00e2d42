"""Wall time of all four similarity measures for every dyad-year, 1946-latest.

Prints the size of the result and, as the last line, ``wall_seconds=`` (the
median of several runs; loading the votes is not timed).
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

RUNS = 3


def main() -> None:
    votes, roll_calls, source = load()
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        result = dyad_similarity(votes, roll_calls)
        times.append(time.perf_counter() - start)
    print(f"source={source}")
    print(f"dyad_years={len(result)}")
    print(f"years={result['year'].min()}-{result['year'].max()}")
    print(f"wall_seconds={statistics.median(times):.3f}")


if __name__ == "__main__":
    main()
