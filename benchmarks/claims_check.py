"""Wall time of checking the example claims file against a built store, per claim kind.

Prints ``name=value`` lines: the median over ``--runs`` runs of the whole
check (validation included) and of each kind's claims.

    python benchmarks/claims_check.py --db /path/to/store.duckdb [--runs 3]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections import defaultdict
from pathlib import Path

import nonaligned
from nonaligned import claims

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "claims.toml"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--file", type=Path, default=EXAMPLE)
    args = parser.parse_args()
    store = nonaligned.open(args.db)
    totals, by_kind = [], defaultdict(list)
    for _ in range(args.runs):
        start = time.perf_counter()
        loaded = claims.load(args.file, store)
        kinds: dict[str, float] = defaultdict(float)
        for claim in loaded:
            begin = time.perf_counter()
            claims.check(store, [claim])
            kinds[claim.kind] += time.perf_counter() - begin
        totals.append(time.perf_counter() - start)
        for kind, seconds in kinds.items():
            by_kind[kind].append(seconds)
    print(f"claims={len(loaded)}")
    print(f"check_seconds={statistics.median(totals):.3f}")
    for kind, seconds in sorted(by_kind.items()):
        print(f"{kind}_seconds={statistics.median(seconds):.3f}")


if __name__ == "__main__":
    main()
