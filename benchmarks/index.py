"""Wall time of the active-nonalignment index on a built store.

Needs a store: ``NONALIGNED_DB`` (or the default path), built with
``nonaligned build``. Each figure is the median of ``BENCH_RUNS`` runs, each
on a newly opened store session (its in-memory cache empty), so it measures
computation, not the cache. The ideal points the index reads by default come from the
disk cache beside the store (filled by the first call), so these figures
exclude the fit; ``ideal_point_fit_seconds`` is that fit alone. Prints
``name=value`` lines:

* ``one_year_no_boot_seconds``: every UN member, both axes, 2020, no bootstrap
  (what a map page needs);
* ``one_year_no_boot_agreement_only_seconds``: the same with ``ideal_points=False``;
* ``ideal_point_fit_seconds``: one whole-record fit with ``n_boot=0``, uncached
  (what a first call on a new store adds; one run);
* ``one_year_boot200_seconds``: the same with 200 bootstrap replicates;
* ``all_years_no_boot_seconds`` / ``all_years_boot200_seconds``: 1946-latest;
* ``cached_one_year_seconds``: a repeated call served from the cache;
* ``classified_2020_west_china``: states with a class on the US-China axis.
"""

from __future__ import annotations

import os
import statistics
import time

import nonaligned
from nonaligned import alignment
from nonaligned.index import country_index

RUNS = int(os.environ.get("BENCH_RUNS", "3"))
YEAR = 2020


def _median_seconds(call, runs: int = RUNS) -> tuple[float, object]:
    """Median seconds of ``call(store)`` over ``runs`` runs, each on a new session."""
    times, result = [], None
    for _ in range(runs):
        with nonaligned.open() as store:
            start = time.perf_counter()
            result = call(store)
            times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    store = nonaligned.open()
    country_index(store, year=YEAR, n_boot=0)  # fills the ideal-point disk cache if empty
    one, frame = _median_seconds(lambda s: country_index(s, year=YEAR, n_boot=0))
    agreement, _ = _median_seconds(
        lambda s: country_index(s, year=YEAR, n_boot=0, ideal_points=False)
    )
    fit, _ = _median_seconds(lambda s: alignment.ideal_points(s, n_boot=0, cache=False), runs=1)
    boot, frame = _median_seconds(lambda s: country_index(s, year=YEAR, n_boot=200))
    every, _ = _median_seconds(lambda s: country_index(s, n_boot=0))
    every_boot, _ = _median_seconds(lambda s: country_index(s, n_boot=200), runs=1)
    country_index(store, year=YEAR, n_boot=200)
    start = time.perf_counter()
    country_index(store, year=YEAR, n_boot=200)
    cached_seconds = time.perf_counter() - start
    china = frame[frame["axis"] == "west-china"].dropna(subset=["class"])
    print(f"runs={RUNS}")
    print(f"one_year_no_boot_seconds={one:.3f}")
    print(f"one_year_no_boot_agreement_only_seconds={agreement:.3f}")
    print(f"ideal_point_fit_seconds={fit:.3f}")
    print(f"one_year_boot200_seconds={boot:.3f}")
    print(f"all_years_no_boot_seconds={every:.3f}")
    print(f"all_years_boot200_seconds={every_boot:.3f}")
    print(f"cached_one_year_seconds={cached_seconds:.4f}")
    print(f"classified_2020_west_china={len(china)}")
    for name, count in china["class"].value_counts().sort_index().items():
        print(f"classified_2020_west_china_{name}={count}")


if __name__ == "__main__":
    main()
