"""The diplomatic lean from vote agreement *and* ideal points, by default, on real stores.

The session store (``store``) pays for one whole-record ideal-point fit the
first time; later calls read it from the disk cache beside the store. The
store that cannot keep a cache (a blocked cache folder) and the sensitivity
report's store are small two-year copies of the real store, so that refitting stays cheap.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import numpy as np
import pytest
from typer.testing import CliRunner

import nonaligned
from nonaligned.cli import app
from nonaligned.index import CLASSES, country_index, latest_full_year
from nonaligned.index.sensitivity import sensitivity

runner = CliRunner()
YEARS = (2019, 2020)


def _small_store(source: Path, path: Path) -> Path:
    """A store at ``path`` with the tables of ``source`` for ``YEARS`` (whole tables where
    they have no year)."""
    with duckdb.connect(str(path)) as target:
        _copy_years(target, source)
    return path


def _copy_years(target: duckdb.DuckDBPyConnection, source: Path) -> None:
    target.execute(f"ATTACH '{source}' AS src (READ_ONLY)")
    years = ", ".join(map(str, YEARS))
    for name in ("roll_calls", "trade_flows", "wdi"):
        target.execute(f"CREATE TABLE {name} AS SELECT * FROM src.{name} WHERE year IN ({years})")
    target.execute(
        "CREATE TABLE votes AS SELECT * FROM src.votes "
        "WHERE roll_call_id IN (SELECT roll_call_id FROM roll_calls)"
    )
    for name in ("memberships", "provenance", "countries"):
        target.execute(f"CREATE TABLE {name} AS SELECT * FROM src.{name}")
    target.execute("DETACH src")


def _check_both_readings(frame) -> None:
    """On West-China every state has an ideal-point reading and the diplomatic lean is the
    mean of the readings present (a state with too few votes has no agreement reading);
    West-Russia reads vote agreement only (axes.py says why)."""
    china = frame[frame.axis == "west-china"]
    assert len(china) > 150
    assert china["lean_ideal_point"].notna().all()
    assert china["lean_vote_agreement"].notna().mean() > 0.95
    np.testing.assert_allclose(
        china["lean_diplomatic"],
        china[["lean_vote_agreement", "lean_ideal_point"]].mean(axis=1),
        atol=1e-12,
    )
    assert china["lean_ideal_point"].between(-1, 1).all()
    russia = frame[frame.axis == "west-russia"]
    assert russia["lean_ideal_point"].isna().all()
    np.testing.assert_array_equal(russia["lean_diplomatic"], russia["lean_vote_agreement"])


def test_ideal_points_enter_the_diplomatic_lean_by_default(store):
    both = country_index(store, year=2020, n_boot=0)
    agreement = country_index(store, year=2020, n_boot=0, ideal_points=False)
    _check_both_readings(both)
    assert agreement["lean_ideal_point"].isna().all()
    np.testing.assert_array_equal(agreement["lean_diplomatic"], agreement["lean_vote_agreement"])
    # the agreement reading itself does not depend on the ideal points
    np.testing.assert_array_equal(both["lean_vote_agreement"], agreement["lean_vote_agreement"])
    # read from the median member, the poles lean clearly to themselves on both readings
    rows = both.set_index(["iso3", "axis"])
    for reading in ("lean_ideal_point", "lean_vote_agreement"):
        assert rows.loc[("CHN", "west-china"), reading] < -1 / 3
        assert rows.loc[("USA", "west-china"), reading] == 1


def test_ideal_points_are_held_fixed_across_bootstrap_replicates(store):
    """With ideal points the lean's bootstrap spread comes from the agreement half only."""
    both = country_index(store, year=2020, axis="west-china", n_boot=30)
    agreement = country_index(store, year=2020, axis="west-china", n_boot=30, ideal_points=False)
    # states that voted often enough to have an agreement reading in every replicate
    # (Somalia voted once in 2020: where a draw misses that vote, the ideal point is alone)
    voters = agreement["participation"] > 0.5
    assert voters.sum() > 150
    np.testing.assert_allclose(
        both.loc[voters, "lean_diplomatic_sd"],
        agreement.loc[voters, "lean_diplomatic_sd"] / 2,
        atol=1e-9,
    )
    probabilities = both[[f"p_{name}" for name in CLASSES]].dropna().to_numpy()
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, atol=1e-12)


def _json(*args: str, db: Path) -> list[dict]:
    result = runner.invoke(app, [*args, "--boot", "0", "--db", str(db), "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_no_ideal_points_option_on_every_command(store_path):
    with nonaligned.open(store_path) as store:
        agreement = country_index(store, year=2020, n_boot=0, ideal_points=False)
    want = agreement.set_index(["iso3", "axis"])["lean_vote_agreement"]
    records = _json("index", "--year", "2020", "--all-columns", "--no-ideal-points", db=store_path)
    assert all(r["lean_ideal_point"] is None for r in records)
    got = {(r["iso3"], r["axis"]): r["lean_diplomatic"] for r in records}
    missing = {key for key, value in got.items() if value is None}
    assert missing == set(want[want.isna()].index)  # states with too few votes
    assert {k: v for k, v in got.items() if k not in missing} == pytest.approx(
        want.dropna().to_dict()
    )
    ranked = _json("rank", "--year", "2020", "--no-ideal-points", db=store_path)
    got = {(r["iso3"], r["axis"]): r["lean_diplomatic"] for r in ranked}
    china = want.xs("west-china", level="axis", drop_level=False)
    assert {k: v for k, v in got.items() if v is not None} == pytest.approx(
        china.dropna().to_dict()
    )
    profile = _json("country", "IND", "--axis", "west-china", "--no-ideal-points", db=store_path)
    assert all(r["lean_ideal_point"] is None for r in profile)
    default = _json("country", "IND", "--axis", "west-china", db=store_path)
    assert all(r["lean_ideal_point"] is not None for r in default if r["year"] >= 1990)


def test_unwritable_cache_location_still_gives_the_index(store_path, tmp_path):
    """A file where the cache folder would go: the fit cannot be kept, the index still works."""
    small = _small_store(store_path, tmp_path / "small.duckdb")
    blocker = small.with_name(small.name + ".cache")
    blocker.write_text("not a folder")
    with nonaligned.open(small) as store:
        first = country_index(store, year=2020, n_boot=0)
        _check_both_readings(first)
    assert blocker.is_file() and blocker.read_text() == "not a folder"


def test_sensitivity_shows_the_agreement_only_reading(store_path, tmp_path):
    small = nonaligned.open(_small_store(store_path, tmp_path / "small.duckdb"))
    report = sensitivity(small, 2020, "west-china")
    row = report[report.variant == "diplomatic lean"]
    assert row["setting"].item() == "vote agreement only"
    agreement = country_index(small, year=2020, axis="west-china", n_boot=0, ideal_points=False)
    counts = agreement["class"].value_counts()
    for name in CLASSES:
        assert row[f"n_{name}"].item() == counts.get(name, 0)
    baseline = country_index(small, year=2020, axis="west-china", n_boot=0)
    base_row = report[report.variant == "baseline"]
    assert base_row["n_split"].item() == (baseline["class"] == "split").sum()
    small.close()


def test_latest_full_year_is_the_last_with_votes_and_trade(store):
    year = latest_full_year(store)
    (last_trade,) = store.fetchone("SELECT max(year) FROM trade_flows")
    assert year == last_trade
    rows = country_index(store, iso3="BRA", axis="west-china", n_boot=0)
    economic_year = rows.set_index("year")["economic_year"]
    assert economic_year[year] == year and economic_year[year + 1] == year
