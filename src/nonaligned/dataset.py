"""An exported store read by the measures' engine, so the large tables never pass the driver.

``nonaligned export DIR`` writes the store as Parquet datasets
(:mod:`nonaligned.export`). A :class:`Dataset` opens such a folder on the
chosen engine (``--engine spark --data DIR``): the vote table becomes a
table *on the engine* (Spark reads it from wherever it lives: a local
folder, ``hdfs://``, ``s3a://``), and the measures' Ibis expressions run on
it there (:func:`nonaligned.measures.votes.coded_relation`). Only the small
tables (roll calls, memberships, countries: a few thousand rows) are
collected into this process, as the measures need them in pandas.
"""

from __future__ import annotations

from pathlib import Path

import ibis.expr.types as ir
import pandas as pd

from nonaligned import engines
from nonaligned.errors import QueryError, UsageError
from nonaligned.query import unknown_country


class Dataset:
    """The Parquet export at ``location``, read by ``engine`` (see :func:`engines.engine_name`)."""

    def __init__(self, location: str | Path, engine: str | None = None) -> None:
        self.location = str(location).rstrip("/")
        self.engine = engines.engine_name(engine)
        if "://" not in self.location and not (Path(self.location) / "votes").is_dir():
            raise UsageError(
                f"no exported store at {self.location} (no votes/ folder in it): "
                "write one with `nonaligned export DIR`"
            )

    def table(self, name: str) -> ir.Table:
        """Table ``name`` on the engine, partition columns (``year``) included."""
        backend = engines.backend(self.engine)
        path = f"{self.location}/{name}"
        try:
            if self.engine == "duckdb":
                return backend.read_parquet(f"{path}/**/*.parquet", hive_partitioning=True)
            return backend.read_parquet(path)
        except Exception as exc:  # each engine has its own errors (DuckDB's, Spark's, the JVM's)
            first_line = (
                str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            )
            raise UsageError(f"cannot read the exported table {path}: {first_line}") from exc

    def frame(self, name: str) -> pd.DataFrame:
        """A small table collected into pandas."""
        return engines.execute(self.table(name), self.engine)

    def check_country(self, iso3: str) -> str:
        """The ISO3 code upper-cased, or the same QueryError as :func:`query.check_country`."""
        code = iso3.strip().upper()
        countries = self.table("countries")
        if engines.execute(countries.filter(countries.iso3 == code).limit(1), self.engine).empty:
            raise unknown_country(iso3)
        return code

    def vote_tables(self, year: int | None) -> tuple[ir.Table, pd.DataFrame]:
        """The votes (on the engine) and roll calls (in pandas) of ``year`` (None: all years)."""
        roll_calls = self.frame("roll_calls")
        votes = self.table("votes")
        if year is not None:
            roll_calls = roll_calls[roll_calls["year"] == year].reset_index(drop=True)
            votes = votes.filter(votes.year == year)  # a partition filter: one folder is read
        if roll_calls.empty:
            raise QueryError(f"no roll calls in {year}")
        return votes.select("roll_call_id", "iso3", "vote"), roll_calls
