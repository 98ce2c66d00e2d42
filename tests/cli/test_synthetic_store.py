"""The library and the CLI on the tiny synthetic store: the fast layer's end-to-end tests.

Expected values are counted here from the synthetic frames themselves
(:mod:`_synthetic`), independently of the measures' code.
"""

from __future__ import annotations

import pandas as pd
import pytest
from _synthetic import STATES, YEARS, tables
from conftest import run_csv, run_json


@pytest.fixture(scope="module")
def frames() -> dict[str, pd.DataFrame]:
    return tables()


def plain_agreement(frames: dict[str, pd.DataFrame], a: str, b: str, year: int) -> float:
    """Voeten's agreement over the year's roll calls both voted on, by hand: 1 for the same
    vote, 1/2 for a yes or no against an abstention, 0 for yes against no."""
    votes = frames["votes"].merge(frames["roll_calls"][["roll_call_id", "year"]])
    votes = votes[votes.year == year]
    wide = votes.pivot(index="roll_call_id", columns="iso3", values="vote")[[a, b]].dropna()
    code = {"yes": 1, "abstain": 2, "no": 3}
    return float((1 - (wide[a].map(code) - wide[b].map(code)).abs() / 2).mean())


def test_vote_lists_every_state(synthetic_store, runner, frames):
    rows = run_json(runner, "vote", "a/res/73/50", "--db", str(synthetic_store))
    (rc,) = frames["roll_calls"].loc[frames["roll_calls"].symbol == "A/RES/73/50", "roll_call_id"]
    expected = frames["votes"][frames["votes"].roll_call_id == rc].set_index("iso3").vote
    assert {r["iso3"]: r["vote"] for r in rows} == expected.to_dict()


@pytest.mark.parametrize("year", [YEARS[0], YEARS[-1]])
def test_dyads_agreement_is_the_share_of_alike_votes(synthetic_store, runner, frames, year):
    table = run_csv(runner, "dyads", "--year", str(year), "--db", str(synthetic_store))
    n = len(STATES)
    assert len(table) == n * (n - 1) // 2
    for a, b in [("BRA", "IND"), ("CHN", "USA"), ("DEU", "FRA")]:
        row = table[(table.iso3_a == a) & (table.iso3_b == b)].iloc[0]
        assert row.agreement == pytest.approx(plain_agreement(frames, a, b, year), abs=1e-12)


def test_blocs_agree_more_within_than_across(synthetic_store, runner):
    table = run_csv(runner, "alignment", "FRA", "--db", str(synthetic_store))
    usa = table[table.pole == "USA"].agreement.mean()
    china = table[table.pole == "CHN"].agreement.mean()
    assert usa > 0.8 > 0.5 > china
    assert set(table.year) == set(YEARS)


def test_export_and_data_give_the_same_dyads(synthetic_store, runner, tmp_path):
    from nonaligned.cli import app

    folder = tmp_path / "export"
    assert runner.invoke(app, ["export", str(folder), "--db", str(synthetic_store)]).exit_code == 0
    args = ("dyads", "--year", str(YEARS[2]))
    from_store = run_csv(runner, *args, "--db", str(synthetic_store))
    pd.testing.assert_frame_equal(from_store, run_csv(runner, *args, "--data", str(folder)))


def test_unknown_country_is_exit_2(synthetic_store, runner):
    from nonaligned.cli import app

    result = runner.invoke(app, ["alignment", "XXX", "--db", str(synthetic_store)])
    assert result.exit_code == 2 and "unknown country code 'XXX'" in result.output


def test_incomplete_export_is_a_clear_error(runner, tmp_path):
    from nonaligned.cli import app

    (tmp_path / "votes").mkdir()  # an export cut short: votes but no roll calls
    result = runner.invoke(app, ["dyads", "--year", "2018", "--data", str(tmp_path)])
    assert result.exit_code == 2
    assert f"cannot read the exported table {tmp_path}/roll_calls" in result.output


def test_trade_shares_are_pole_trade_over_world_trade(synthetic_store, runner, frames):
    table = run_csv(runner, "trade", "BRA", "--year", "2018", "--db", str(synthetic_store))
    flows = frames["trade_flows"]
    flows = flows[(flows.reporter_iso3 == "BRA") & (flows.year == 2018)]
    total = flows.groupby("partner_code").value_usd.sum()
    by_pole = table.set_index("partner").share
    assert by_pole["USA"] == pytest.approx(total["USA"] / total["WLD"], rel=1e-12)
    assert by_pole["EU"] == pytest.approx((total["FRA"] + total["DEU"]) / total["WLD"], rel=1e-12)
    assert by_pole["WLD"] == 1.0
