"""How the costs grow with the size of the vote record: DuckDB and Spark on Parquet, ideal points.

Synthetic General Assembly records at 1x, 4x and 16x today's votes (scales
from ``SCALES``), with the real record's shape: every real roll call of a year
is copied ``k`` times and each copy's votes are perturbed (10% of the voters
draw another vote), so years, voters per year, the mix of yes / no /
abstain / absent and the blocs are the store's own. The records are written
as Parquet datasets partitioned by year, as ``nonaligned export`` writes
them, and the dyadic measures (all four, every dyad-year) run on each
engine reading that dataset and writing their result as Parquet, as a
cluster job would: DuckDB in process, and Spark in local mode with the
driver capped at ``spark.driver.memory=1g`` (``SCALE_DRIVER_MEMORY``). The
dynamic ideal-point fit runs at 1x and 10x (``IDEAL_SCALES``).

Prints ``name=value`` lines: sizes (``votes_k{k}=``, ``votes_arrow_mb_k{k}=``,
``votes_parquet_mb_k{k}=``), medians of ``SCALE_RUNS`` runs
(``duckdb_dyads_seconds_k{k}=``, ``idealpoints_seconds_k{k}=``), one Spark
run per scale (``spark_dyads_seconds_k{k}=``, the session already up), and
each cost's growth from the smallest scale (``*_growth_k{k}=``, time ratio).
Needs the built store (for the shape), Java 17 and about 3 GB of disk in
``SCALE_DIR`` (default: a temporary folder). Not part of the tests.
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.dataset as ds

import nonaligned
from nonaligned import engines, query
from nonaligned.dataset import Dataset
from nonaligned.measures import relational
from nonaligned.measures.idealpoints import Settings, dynamic_ideal_points
from nonaligned.measures.votes import coded_relation

SCALES = tuple(int(k) for k in os.environ.get("SCALES", "1,4,16").split(",") if k)
IDEAL_SCALES = tuple(int(k) for k in os.environ.get("IDEAL_SCALES", "1,10").split(",") if k)
RUNS = int(os.environ.get("SCALE_RUNS", "3"))
DRIVER_MEMORY = os.environ.get("SCALE_DRIVER_MEMORY", "1g")
FLIP = 0.1  # share of a copied roll call's voters who draw another vote
SEED = 20261130
CHOICES = np.array(["yes", "no", "abstain", "absent"])


def real_record() -> tuple[pd.DataFrame, pd.DataFrame]:
    with nonaligned.open() as store:
        roll_calls = query.roll_calls(store)[["roll_call_id", "session", "year"]]
        votes = query.votes(store)
    return votes, roll_calls


def scaled(votes: pd.DataFrame, roll_calls: pd.DataFrame, k: int) -> tuple[pa.Table, pd.DataFrame]:
    """The record with every roll call copied ``k`` times, copies' votes perturbed."""
    rng = np.random.default_rng(SEED + k)
    step = int(roll_calls["roll_call_id"].max()) + 1
    new_calls = pd.concat(
        [
            roll_calls.assign(roll_call_id=roll_calls["roll_call_id"] + copy * step)
            for copy in range(k)
        ],
        ignore_index=True,
    )
    year_of = roll_calls.set_index("roll_call_id")["year"]
    copies = np.repeat(np.arange(k), len(votes))
    ids = np.tile(votes["roll_call_id"].to_numpy(), k) + copies * step
    vote = np.tile(votes["vote"].to_numpy(dtype=object), k)
    flip = (copies > 0) & (rng.random(len(ids)) < FLIP)
    vote[flip] = rng.choice(CHOICES, size=int(flip.sum()))
    years = np.tile(year_of.reindex(votes["roll_call_id"]).to_numpy(), k)
    table = pa.table(
        {
            "roll_call_id": ids.astype(np.int64),
            "iso3": pa.array(np.tile(votes["iso3"].to_numpy(dtype=object), k), pa.string()),
            "vote": pa.array(vote, pa.string()),
            "year": years.astype(np.int32),
        }
    )
    return table, new_calls


def write_dataset(root: Path, votes: pa.Table, roll_calls: pd.DataFrame) -> None:
    """The record laid out as ``nonaligned export`` does (the two tables the measures read)."""
    ds.write_dataset(
        votes, root / "votes", format="parquet", partitioning=["year"], partitioning_flavor="hive"
    )
    (root / "roll_calls").mkdir(parents=True)
    roll_calls.to_parquet(root / "roll_calls" / "part-0.parquet", index=False)


def dyads_to_parquet(root: Path, engine: str, out: Path) -> float:
    """Seconds to compute every dyad-year's measures on ``engine`` into ``out`` (Parquet)."""
    shutil.rmtree(out, ignore_errors=True)
    start = time.perf_counter()
    data = Dataset(root, engine)
    votes = data.table("votes").select("roll_call_id", "iso3", "vote")
    coded = coded_relation(votes, data.frame("roll_calls"))
    engines.backend(engine).to_parquet(relational.dyad_measures(coded), str(out))
    return time.perf_counter() - start


def ideal_seconds(votes: pa.Table, roll_calls: pd.DataFrame) -> float:
    frame = votes.drop_columns(["year"]).to_pandas()
    start = time.perf_counter()
    dynamic_ideal_points(frame, roll_calls, settings=Settings(n_boot=0))
    return time.perf_counter() - start


def show(name: str, value: float) -> None:
    print(f"{name}={value:.3f}" if isinstance(value, float) else f"{name}={value}", flush=True)


def main() -> None:
    os.environ.setdefault(engines.DRIVER_MEMORY_ENV, DRIVER_MEMORY)
    work = Path(os.environ.get("SCALE_DIR") or tempfile.mkdtemp(prefix="nonaligned-scale-"))
    votes, roll_calls = real_record()
    show("spark_driver_memory", DRIVER_MEMORY)
    times: dict[str, dict[int, float]] = {"duckdb_dyads": {}, "spark_dyads": {}, "idealpoints": {}}
    for k in sorted(set(SCALES) | set(IDEAL_SCALES)):
        table, calls = scaled(votes, roll_calls, k)
        show(f"votes_k{k}", table.num_rows)
        show(f"votes_arrow_mb_k{k}", table.nbytes / 2**20)
        if k in IDEAL_SCALES:
            times["idealpoints"][k] = statistics.median(
                ideal_seconds(table, calls) for _ in range(RUNS)
            )
            show(f"idealpoints_seconds_k{k}", times["idealpoints"][k])
        if k not in SCALES:
            continue
        root = work / f"k{k}"
        shutil.rmtree(root, ignore_errors=True)
        write_dataset(root, table, calls)
        del table
        size = sum(p.stat().st_size for p in (root / "votes").rglob("*.parquet"))
        show(f"votes_parquet_mb_k{k}", size / 2**20)
        duck = [dyads_to_parquet(root, "duckdb", work / "out-duckdb") for _ in range(RUNS)]
        times["duckdb_dyads"][k] = statistics.median(duck)
        show(f"duckdb_dyads_seconds_k{k}", times["duckdb_dyads"][k])
        if k == min(SCALES):  # start the JVM and session outside the timed run
            Dataset(root, "spark").frame("roll_calls")
        times["spark_dyads"][k] = dyads_to_parquet(root, "spark", work / "out-spark")
        show(f"spark_dyads_seconds_k{k}", times["spark_dyads"][k])
        rows = ds.dataset(work / "out-spark").count_rows()
        show(f"dyad_years_k{k}", rows)
        shutil.rmtree(root)
    for name, by_scale in times.items():
        if by_scale:
            base = by_scale[min(by_scale)]
            for k, seconds in sorted(by_scale.items()):
                show(f"{name}_growth_k{k}", seconds / base)


if __name__ == "__main__":
    sys.exit(main())
