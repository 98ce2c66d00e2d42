"""One definition, two engines: the relational measures on a real local Spark equal DuckDB's.

The slice is real votes, one year in each of three decades: DuckDB reads
them from the store, Spark from the store exported as Parquet (what a
cluster reads: the votes never pass through the driver),
and the trade of ten reporters in three years (kept small because every
Spark query pays for task scheduling). Spark runs
in local mode with two shuffle partitions; one session serves the module.
Java is required: a machine without it fails here with a clear message
instead of skipping, so CI cannot pass without having run Spark.
"""

from __future__ import annotations

import io
import shutil

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

import nonaligned
from nonaligned import engines
from nonaligned.cli import app
from nonaligned.dataset import Dataset
from nonaligned.errors import EngineError
from nonaligned.export import export_parquet
from nonaligned.measures.poles import pole_alignment
from nonaligned.measures.relational import TRADE_FLAGS
from nonaligned.measures.similarity import (
    MEASURES,
    contingency_tables,
    dyad_similarity,
    measures_from_tables,
)
from nonaligned.measures.trade import IMPORTER_FACTOR, concentration, pole_trade

YEARS = (1976, 1996, 2016)


@pytest.fixture(scope="module")
def spark() -> str:
    if shutil.which("java") is None:
        pytest.fail("the Spark equality tests need Java 17+ on PATH (e.g. openjdk-17-jre)")
    engines.backend("spark")  # start the session once, outside the timed comparisons
    return "spark"


@pytest.fixture(scope="module")
def vote_slice(store_path) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    from nonaligned.store import connect

    con = connect(store_path)
    try:
        years = list(YEARS)
        roll_calls = con.execute("SELECT * FROM roll_calls WHERE list_contains(?, year)", [years])
        roll_calls = roll_calls.df()
        votes = con.execute(
            """SELECT v.* FROM votes v JOIN roll_calls r USING (roll_call_id)
               WHERE list_contains(?, r.year)""",
            [years],
        ).df()
        memberships = con.execute("SELECT * FROM memberships").df()
    finally:
        con.close()
    return votes, roll_calls, memberships


def assert_same(duck: pd.DataFrame, spark: pd.DataFrame, keys: list[str]) -> None:
    assert len(duck) > 0
    pd.testing.assert_frame_equal(
        duck[[*keys, "n_votes"]].reset_index(drop=True),
        spark[[*keys, "n_votes"]].reset_index(drop=True),
        check_dtype=False,
    )
    for name in MEASURES:
        np.testing.assert_allclose(spark[name], duck[name], rtol=0, atol=1e-12, equal_nan=True)


@pytest.fixture(scope="module")
def parquet_votes(spark, store_path, tmp_path_factory) -> tuple[object, pd.DataFrame]:
    """The votes of YEARS as a Spark table read from the exported Parquet, and their roll calls."""
    folder = tmp_path_factory.mktemp("export") / "store"
    export_parquet(store_path, folder)
    data = Dataset(folder, spark)
    votes = data.table("votes")
    votes = votes.filter(votes.year.isin(YEARS)).select("roll_call_id", "iso3", "vote")
    roll_calls = data.frame("roll_calls")
    return votes, roll_calls[roll_calls["year"].isin(YEARS)].reset_index(drop=True)


def test_dyad_similarity_equal_on_spark(spark, vote_slice, parquet_votes):
    votes, roll_calls, _ = vote_slice
    duck = dyad_similarity(votes, roll_calls, engine="duckdb")
    assert set(duck.year) == set(YEARS)
    on_spark = dyad_similarity(*parquet_votes, engine=spark)
    assert_same(duck, on_spark, ["iso3_a", "iso3_b", "year"])


def test_pole_alignment_equal_on_spark(spark, vote_slice, parquet_votes):
    votes, roll_calls, memberships = vote_slice
    kwargs = {"by": "session", "metric": "squared"}
    duck = pole_alignment(votes, roll_calls, memberships, engine="duckdb", **kwargs)
    assert set(duck.pole) == {"USA", "CHN", "RUS", "EU"}
    on_spark = pole_alignment(*parquet_votes, memberships, engine=spark, **kwargs)
    assert_same(duck, on_spark, ["iso3", "session", "pole"])


def test_cli_dyads_from_parquet_on_spark(spark, store_path, tmp_path):
    """``--engine spark --data DIR``: the command reads the export on Spark, same CSV as DuckDB."""
    runner = CliRunner()
    folder = tmp_path / "export"
    assert runner.invoke(app, ["export", str(folder), "--db", str(store_path)]).exit_code == 0
    args = ["dyads", "--year", "1996", "--format", "csv"]
    duck = runner.invoke(app, [*args, "--db", str(store_path)])
    on_spark = runner.invoke(app, [*args, "--engine", "spark", "--data", str(folder)])
    assert duck.exit_code == 0 and on_spark.exit_code == 0, on_spark.output
    duck_rows = pd.read_csv(io.StringIO(duck.stdout))
    assert len(duck_rows) > 10_000
    assert_same(duck_rows, pd.read_csv(io.StringIO(on_spark.stdout)), ["iso3_a", "iso3_b", "year"])


@pytest.mark.slow  # starts Spark, which the fast layer does not
def test_matrix_front_end_equal_on_spark(spark):
    """``contingency_tables`` and ``measures_from_tables`` run on the engine they are given."""
    rng = np.random.default_rng(16)
    left = rng.integers(0, 4, size=(6, 130)).astype(np.int8)  # three 63-roll-call chunks
    right = rng.integers(0, 4, size=(4, 130)).astype(np.int8)
    left[5] = 0  # a voter with no vote: no common roll call, NaN measures
    left[4] = np.where(left[4] > 0, 1, 0)  # left 4 and right 3 always vote yes:
    right[3] = np.where(right[3] > 0, 1, 0)  # κ and π undefined for that pair
    duck = contingency_tables(left, right, engine="duckdb")
    naive = np.array(
        [
            [[[np.sum((a == k) & (b == v)) for v in (1, 2, 3)] for k in (1, 2, 3)] for b in right]
            for a in left
        ]
    )
    np.testing.assert_array_equal(duck, naive)
    np.testing.assert_array_equal(contingency_tables(left, right, engine=spark), duck)
    for metric in ("nominal", "squared"):
        expected = measures_from_tables(duck, metric, engine="duckdb")
        got = measures_from_tables(duck, metric, engine=spark)
        np.testing.assert_array_equal(got["n_votes"], expected["n_votes"])
        for name in MEASURES:
            np.testing.assert_allclose(
                got[name], expected[name], rtol=0, atol=1e-12, equal_nan=True
            )
        assert np.isnan(expected["agreement"][5]).all()
        assert np.isnan(expected["kappa"][4, 3]) and expected["agreement"][4, 3] == 1


REPORTERS = ("BRA", "CHN", "DEU", "IDN", "IND", "KEN", "MEX", "TUR", "USA", "ZAF")
TRADE_YEARS = (1990, 2005, 2020)


@pytest.fixture(scope="module")
def trade_slice(store_path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Ten reporters' flows in three years (the USSR's last, 2005, 2020), and the memberships.

    Three years, not all sixty, keep each Spark query to a few seconds; 1990
    still has the USSR (the RUS pole) and Belgium-Luxembourg (the EU pole).
    """
    from nonaligned.store import connect

    con = connect(store_path)
    try:
        flows = con.execute(
            """SELECT * FROM trade_flows
               WHERE list_contains(?, reporter_iso3) AND list_contains(?, year)""",
            [list(REPORTERS), list(TRADE_YEARS)],
        ).df()
        memberships = con.execute("SELECT * FROM memberships").df()
    finally:
        con.close()
    return flows.astype({"year": "int64"}), memberships


def test_trade_concentration_equal_on_spark(spark, trade_slice):
    flows, _ = trade_slice
    duck = concentration(flows, engine="duckdb")
    assert set(REPORTERS) <= set(duck.iso3)  # mirror flows add the partners' own rows
    on_spark = concentration(flows, engine=spark)
    pd.testing.assert_frame_equal(
        duck[["iso3", "year"]], on_spark[["iso3", "year"]], check_dtype=False
    )
    for name in ("hhi_exports", "hhi_imports", "hhi_total"):
        assert duck[name].notna().sum() > 0
        np.testing.assert_allclose(on_spark[name], duck[name], rtol=0, atol=1e-12, equal_nan=True)


@pytest.mark.parametrize("importer_factor", [None, IMPORTER_FACTOR])
def test_pole_trade_shares_equal_on_spark(spark, trade_slice, importer_factor):
    flows, memberships = trade_slice
    kwargs = {"include_hk_macao": True, "importer_factor": importer_factor}
    duck = pole_trade(flows, memberships, engine="duckdb", **kwargs)
    assert set(REPORTERS) <= set(duck.iso3)
    assert set(duck.partner) == {"USA", "CHN", "RUS", "EU", "WLD"}
    assert duck.mirrored.any() and not duck.mirrored.all()  # partners' rows are mirrored
    assert duck.importer_replaced.any() == (importer_factor is not None)
    on_spark = pole_trade(flows, memberships, engine=spark, **kwargs)
    keys = ["iso3", "year", "partner", *TRADE_FLAGS]
    pd.testing.assert_frame_equal(duck[keys], on_spark[keys])
    for name in ("share", "exports_share", "imports_share"):
        assert duck[name].notna().sum() > 0
        np.testing.assert_allclose(on_spark[name], duck[name], rtol=0, atol=1e-12, equal_nan=True)
    for name in ("exports_usd", "imports_usd", "total_usd"):  # dollars: equal to 1e-12 relative
        np.testing.assert_allclose(on_spark[name], duck[name], rtol=1e-12, equal_nan=True)


def test_engine_choice_order(store_path, monkeypatch):
    monkeypatch.delenv(engines.ENGINE_ENV, raising=False)
    assert engines.engine_name() == "duckdb"
    monkeypatch.setenv(engines.ENGINE_ENV, "Spark")
    assert engines.engine_name() == "spark"
    assert engines.engine_name("duckdb") == "duckdb"  # an explicit choice wins over the env
    assert nonaligned.open(store_path, engine="DuckDB").engine == "duckdb"
    assert nonaligned.open(store_path).engine == "spark"
    with pytest.raises(EngineError, match="unknown engine 'polars'"):
        engines.engine_name("polars")


def test_cli_engine_option(store_path, monkeypatch):
    monkeypatch.delenv(engines.ENGINE_ENV, raising=False)
    runner = CliRunner()
    args = ["dyads", "--year", "1996", "--db", str(store_path), "--format", "csv"]
    bad = runner.invoke(app, [*args, "--engine", "polars"])
    assert bad.exit_code == 2
    assert "unknown engine 'polars'" in bad.output
    good = runner.invoke(app, [*args, "--engine", "duckdb"])
    assert good.exit_code == 0, good.output
    assert good.stdout.splitlines()[0].startswith("iso3_a,iso3_b,year,agreement")
