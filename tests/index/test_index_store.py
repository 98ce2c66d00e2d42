"""The index on the real store: acceptance figures, API and CLI contracts."""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

import nonaligned
from nonaligned.cli import app
from nonaligned.errors import QueryError
from nonaligned.index import CLASSES, country_index, rank

runner = CliRunner()
INTERFACE = {
    "iso3",
    "year",
    "axis",
    "lean_diplomatic",
    "lean_economic",
    "balance",
    "activity",
    "class",
    "class_probability",
}


def _json(*args: str):
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def index_2020(store_path):
    with nonaligned.open(store_path) as store:
        return country_index(store, year=2020, n_boot=100)


def test_at_least_150_states_classified_in_2020_on_the_us_china_axis(index_2020):
    china = index_2020[index_2020.axis == "west-china"]
    classified = china.dropna(subset=["class"])
    assert len(classified) >= 150
    assert set(classified["class"]) <= set(CLASSES) - {"aligned_russia"}
    probabilities = classified[[f"p_{name}" for name in CLASSES]].to_numpy()
    assert np.all((probabilities >= 0) & (probabilities <= 1))
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, atol=1e-12)
    assert (classified["p_aligned_russia"] == 0).all()
    # the probability reported is that of the class assigned
    for row in classified.itertuples():
        assert row.class_probability == getattr(row, f"p_{row._10}")


def test_components_lie_on_their_scales(index_2020):
    for column in ("lean_diplomatic", "lean_economic", "lean_institutional", "lean"):
        values = index_2020[column].dropna()
        assert values.between(-1, 1).all(), column
    for column in ("balance", "activity", "participation"):
        assert index_2020[column].dropna().between(0, 1).all(), column


def test_the_poles_lean_to_themselves(index_2020):
    rows = index_2020.set_index(["iso3", "axis"])
    # on the segment between the poles each pole sits at its end
    assert rows.loc[("CHN", "west-china"), "lean_position"] == -1
    assert rows.loc[("RUS", "west-russia"), "lean_position"] == -1
    assert rows.loc[("USA", "west-china"), "lean_position"] == 1
    # read from the median member, each pole still leans clearly to itself
    for iso3, axis, label in (
        ("CHN", "west-china", "aligned_china"),
        ("RUS", "west-russia", "aligned_russia"),
        ("USA", "west-china", "aligned_west"),
        ("USA", "west-russia", "aligned_west"),
    ):
        assert rows.loc[(iso3, axis), "class"] == label


def test_raw_shares_are_reported_beside_the_intensity(index_2020):
    row = index_2020.set_index(["iso3", "axis"]).loc[("CHL", "west-china")]
    assert 0 < row["share_other"] < 1 and row["intensity_other"] > 0
    # Chile trades with China far beyond China's weight in world trade
    assert row["intensity_other"] > row["intensity_west"]


def test_index_command_json_records(store_path):
    records = _json(
        "index", "--year", "2020", "--boot", "20", "--db", str(store_path), "--format", "json"
    )
    assert set(records[0]) >= INTERFACE
    assert {r["axis"] for r in records} == {"west-china", "west-russia"}
    assert {r["year"] for r in records} == {2020}


def test_country_command_profile_over_time(store_path):
    records = _json(
        "country",
        "IND",
        "--axis",
        "west-china",
        "--boot",
        "0",
        "--db",
        str(store_path),
        "--format",
        "json",
    )
    years = [r["year"] for r in records]
    assert years == sorted(years) and min(years) < 1960 and max(years) >= 2020
    assert {r["iso3"] for r in records} == {"IND"}
    table = runner.invoke(
        app, ["country", "IND", "--boot", "0", "--db", str(store_path), "--format", "table"]
    )
    assert table.exit_code == 0 and "IND" in table.stdout


def test_rank_command_orders_by_the_measure(store_path):
    records = _json(
        "rank",
        "--year",
        "2020",
        "--by",
        "balance",
        "--boot",
        "0",
        "--db",
        str(store_path),
        "--format",
        "json",
    )
    values = [r["balance"] for r in records if r["balance"] is not None]
    assert values == sorted(values, reverse=True)
    assert records[0]["rank"] == 1


@pytest.mark.parametrize(
    "args",
    [
        ["index", "--year", "1964"],  # no roll call that year
        ["index", "--year", "2020", "--axis", "west-india"],
        ["rank", "--year", "2020", "--by", "gdp"],
        ["country", "XXX"],
    ],
)
def test_bad_requests_exit_2(store_path, args):
    result = runner.invoke(app, [*args, "--boot", "0", "--db", str(store_path)])
    assert result.exit_code == 2, result.output


def test_rank_api_refuses_unknown_measure(store):
    with pytest.raises(QueryError, match="cannot rank"):
        rank(store, 2020, by="gdp", n_boot=0)


def test_sensitivity_report_counts_add_up(store):
    from nonaligned.index.sensitivity import sensitivity

    # agreement only: with ideal points each vote subset needs its own whole-record fit
    # (test_index_ideal checks the default on a small store)
    report = sensitivity(store, 2017, "west-russia", ideal_points=False)
    assert {"baseline", "votes", "lean threshold", "activity threshold"} <= set(report.variant)
    counts = report[[f"n_{name}" for name in CLASSES]].sum(axis=1)
    assert (counts == report["n_classified"]).all()
    assert report.loc[report.variant == "baseline", "same_class_share"].item() == 1.0
    # 2017 still has the important-vote flag: the subset classifies countries
    important = report[(report.variant == "votes") & (report.setting == "important")]
    assert important["n_classified"].item() > 150
    assert report["same_class_share"].between(0, 1).all()


def test_ideal_points_enter_the_diplomatic_lean_when_given(store):
    import pandas as pd

    from nonaligned.measures.poles import eu_members

    base = country_index(store, year=2020, axis="west-china", n_boot=0)
    eu = set(eu_members(store.frame("SELECT * FROM memberships"), [2020])["iso3"])
    # a hand-made line: the West (US, EU members) at 1, China at -1, the rest at 0
    theta = pd.DataFrame({"iso3": base["iso3"], "year": 2020, "ideal_point": 0.0})
    theta.loc[theta.iso3.isin(eu | {"USA"}), "ideal_point"] = 1.0
    theta.loc[theta.iso3 == "CHN", "ideal_point"] = -1.0
    with_ideal = country_index(store, year=2020, axis="west-china", n_boot=0, ideal_points=theta)
    row = with_ideal.set_index("iso3").loc["BRA"]
    assert row["lean_ideal_point"] == pytest.approx(0.0)
    assert row["lean_diplomatic"] == pytest.approx(row["lean_vote_agreement"] / 2)
    assert base.set_index("iso3").loc["BRA", "lean_ideal_point"] != row["lean_ideal_point"]


def test_basis_names_the_components_behind_each_row(store):
    rows = country_index(store, iso3="BRA", axis="west-china", n_boot=0).set_index("year")
    assert rows.loc[2020, "basis"] == "votes+trade+memberships"
    assert rows.loc[2020, "economic_year"] == 2020
    # trade ends in 2020: later years carry its economic component forward, and say so
    last = int(store.fetchone("SELECT max(year) FROM trade_flows")[0])
    assert rows.loc[last + 2, "economic_year"] == last
    assert rows.loc[last + 2, "lean_economic"] == rows.loc[last, "lean_economic"]


def test_well_known_cases_of_2022(store):
    """What the field knows (docs/validation.md has the full record and its sources)."""
    china = country_index(store, year=2022, axis="west-china", n_boot=0).set_index("iso3")["class"]
    for ally in ("JPN", "KOR", "AUS", "NZL"):  # US treaty allies whose trade leans to China
        assert china[ally] == "aligned_west", ally
    for hedger in ("IND", "BRA", "ZAF", "IDN", "SAU", "ARE"):  # the swing states
        assert china[hedger] not in ("aligned_west", "aligned_china"), hedger
    for partner in ("RUS", "BLR", "PRK", "NIC", "SYR"):
        assert china[partner] == "aligned_china", partner
    # most of the G77 votes with China on most roll calls: that is the baseline, not alignment
    assert (china == "aligned_china").sum() < 40
    russia = country_index(store, year=2022, axis="west-russia", n_boot=0).set_index("iso3")
    no = store.frame(
        """SELECT v.iso3 FROM votes v JOIN roll_calls r USING (roll_call_id)
           WHERE r.symbol = 'A/RES/ES-11/1' AND v.vote = 'no'"""
    )["iso3"]
    assert len(no) == 5 and (russia.loc[no, "class"] == "aligned_russia").all()


def test_no_cliff_where_trade_ends(store):
    last = int(store.fetchone("SELECT max(year) FROM trade_flows")[0])
    counts = [
        (
            country_index(store, year=y, axis="west-china", n_boot=0)["class"] == "aligned_china"
        ).sum()
        for y in (last, last + 1)
    ]
    assert abs(counts[1] - counts[0]) <= 15


def test_a_partial_session_is_provisional(store):
    (year, n) = store.fetchone(
        "SELECT year, count(*) FROM roll_calls GROUP BY year ORDER BY year DESC LIMIT 1"
    )
    frame = country_index(store, year=year, n_boot=0)
    if n < 20:
        assert frame["provisional"].all() and frame["class"].isna().all()
    else:
        assert not frame["provisional"].any()
