"""Strategy desk timings: evaluate, compete (given and derived pivotality), scenario.

Prints ``name=value`` lines (seconds, median of several runs; the first
derived-pivotality call is timed on its own, since the index caches its
results) on the store at
``NONALIGNED_DB`` (build one with ``nonaligned build``) and the example offers.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

import nonaligned
from nonaligned.strategy import evaluate as desk
from nonaligned.strategy.scenario import scenario

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "offers"
RUNS = 5


def median_seconds(call, runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    store = nonaligned.open()
    kenya = EXAMPLES / "kenya_port.toml"
    print(f"offers_evaluate_s={median_seconds(lambda: desk.evaluate(store, kenya)):.4f}")
    print(f"offers_schedules_s={median_seconds(lambda: desk.schedules(store, kenya)):.4f}")
    given = median_seconds(lambda: desk.compete(store, kenya, pivotality=0.5))
    print(f"offers_compete_given_pivotality_s={given:.4f}")
    first = median_seconds(lambda: desk.compete(store, kenya), runs=1)
    print(f"offers_compete_derived_pivotality_first_call_s={first:.4f}")
    derived = median_seconds(lambda: desk.compete(store, kenya), runs=3)
    print(f"offers_compete_derived_pivotality_s={derived:.4f}")
    tariff = median_seconds(lambda: scenario(store, "CHL", "USA", "tariff", 0.25))
    print(f"scenario_tariff_s={tariff:.4f}")
    sanctions = median_seconds(lambda: scenario(store, "KEN", "EU", "sanctions"))
    print(f"scenario_eu_sanctions_s={sanctions:.4f}")


if __name__ == "__main__":
    main()
