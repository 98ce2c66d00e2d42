"""Time of the full dynamic ordinal ideal-point fit (1946-latest, no bootstrap).

Runs as a user would: the fit itself keeps BLAS on one thread (see
``idealpoints._ideal_points``), so no environment variable is set. Prints,
per run and as medians: ``wall_seconds`` (elapsed) and ``cpu_seconds``
(process time, less sensitive to other load on a shared machine); the cost
of one bootstrap replicate warm-started at the estimates (``BOOT_RUNS``
replicates, default 2); and ``vote_pass_ms``, the median time of one E-step
pass over all votes (15 passes; the pass is most of each EM step). The last
line is ``wall_seconds=``. Loading the votes is not timed.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from unvotes_frames import load

from nonaligned.measures import idealpoints as ip
from nonaligned.measures.idealpoints import Settings, dynamic_ideal_points

RUNS = int(os.environ.get("BENCH_RUNS", "3"))
BOOT_RUNS = int(os.environ.get("BOOT_RUNS", "2"))


def timed(settings: Settings, votes, roll_calls) -> tuple[float, float, int]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = dynamic_ideal_points(votes, roll_calls, settings=settings)
    return time.perf_counter() - wall, time.process_time() - cpu, len(result)


def vote_pass_ms(votes, roll_calls) -> float:
    """Median time of one E-step pass, at the point reached after five EM steps."""
    settings = Settings(n_boot=0)
    data, rank, _, anchors = ip._prepare(votes, roll_calls, None, True, True, ip.ANCHORS)
    problem = ip._Problem.of(data, rank, settings)
    x = ip._start(data, rank, anchors)
    for _ in range(5):
        x, _ = ip._em(x, problem, settings)
    times = []
    for _ in range(15):
        start = time.perf_counter()
        problem.vote_pass(x)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e3


def main() -> None:
    votes, roll_calls, source = load()
    print(f"source={source}")
    walls, cpus = [], []
    for run in range(RUNS):
        wall, cpu, n = timed(Settings(n_boot=0), votes, roll_calls)
        walls.append(wall)
        cpus.append(cpu)
        print(f"run_{run}_wall_seconds={wall:.3f}")
        print(f"run_{run}_cpu_seconds={cpu:.3f}")
    print(f"state_years={n}")
    if BOOT_RUNS > 1:
        wall, cpu, _ = timed(replace(Settings(), n_boot=BOOT_RUNS), votes, roll_calls)
        print(f"boot_replicate_wall_seconds={(wall - statistics.median(walls)) / BOOT_RUNS:.3f}")
        print(f"boot_replicate_cpu_seconds={(cpu - statistics.median(cpus)) / BOOT_RUNS:.3f}")
    print(f"vote_pass_ms={vote_pass_ms(votes, roll_calls):.1f}")
    print(f"runs={RUNS}")
    print(f"cpu_seconds={statistics.median(cpus):.3f}")
    print(f"wall_seconds={statistics.median(walls):.3f}")


if __name__ == "__main__":
    main()
