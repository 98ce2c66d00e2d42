"""Both sides' official finance on the strategy desk (issue 17, part 3): the debt stock owed
to China and the yearly US net aid flow, side by side, never added.

The toy baseline is worked out by hand; the real-store tests compare with
values read here with SQL of their own from the store's ``us_aid`` and
``wdi`` tables, never with figures typed in from a source.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from conftest import EXAMPLES
from typer.testing import CliRunner

from nonaligned.cli import app
from nonaligned.strategy import offers
from nonaligned.strategy.exposure_change import Baseline, baseline, debt_exposure
from nonaligned.strategy.scenario import scenario

runner = CliRunner()
KENYA = str(EXAMPLES / "offers" / "kenya_port.toml")
LOAN = {
    "kind": "loan",
    "interest_rate": 0.02,
    "maturity_years": 10,
    "grace_years": 2,
    "repayment": "annuity",
}
# GDP 1000 today (2023); a stock of 50 owed to China in 2017, over that year's GDP of 500;
# US net aid of -5 in 2022 (repayments exceeded disbursements), over that year's GDP of 800.
TOY = Baseline(2023, 1000.0, 2017, 50.0, 2017, 500.0, 2022, -5.0, 2022, 800.0)


def _document() -> offers.OffersDocument:
    return offers.parse(
        {
            "country": "KEN",
            "project": "toy",
            "offers": [
                {"id": "chn", "partner": "CHN", "amount_usd": 100, **LOAN},
                {"id": "usa", "partner": "USA", "amount_usd": 10, "kind": "grant"},
                {"id": "eu", "partner": "EU", "amount_usd": 20, **LOAN},
            ],
        },
        lambda code: True,
    )


def test_each_partner_row_carries_its_own_measure_by_hand():
    table = debt_exposure(_document(), TOY).set_index("offer_id")
    china, usa, eu = table.loc["chn"], table.loc["usa"], table.loc["eu"]
    # China: stock 50 / 500 = 10 %, the loan 100 / 1000 = 10 % more; no net aid known
    assert (china.exposure_before, china.exposure_after) == pytest.approx((10.0, 20.0))
    assert math.isnan(china.net_aid_usd) and math.isnan(china.net_aid_pct_gdp)
    assert china.net_aid_year is pd.NA and china.net_aid_gdp_year is pd.NA
    # US: no stock known; its net aid -5 / 800 = -0.625 % of the 2022 GDP, negative as given
    assert math.isnan(usa.exposure_before) and usa.debt_year is pd.NA
    assert (usa.net_aid_usd, usa.net_aid_pct_gdp) == pytest.approx((-5.0, -0.625))
    assert (usa.net_aid_year, usa.net_aid_gdp_year) == (2022, 2022)
    assert usa.new_debt_usd == 0.0  # a grant adds no debt, and the flow is not added to it
    # EU: neither measure known: missing, never zero
    assert math.isnan(eu.net_aid_usd) and math.isnan(eu.exposure_before)


def test_existing_columns_keep_their_order_and_the_new_ones_follow():
    columns = list(debt_exposure(_document(), TOY).columns)
    assert columns == [
        "offer_id", "partner", "new_debt_usd", "debt_before_usd", "debt_after_usd",
        "new_debt_pct_gdp", "gdp_year", "exposure_before", "exposure_after", "debt_year",
        "debt_gdp_year", "net_aid_usd", "net_aid_pct_gdp", "net_aid_year", "net_aid_gdp_year",
    ]  # fmt: skip


def _last_aid(store, iso3: str) -> tuple[int, float, float]:
    """The latest US net aid of a country and the WDI GDP of the same year, by SQL."""
    return store.fetchone(
        """SELECT a.year, a.us_net_aid_usd, w.gdp_usd FROM us_aid a
           JOIN wdi w USING (iso3, year)
           WHERE a.iso3 = ? AND a.us_net_aid_usd IS NOT NULL AND w.gdp_usd > 0
           ORDER BY a.year DESC LIMIT 1""",
        [iso3],
    )


def test_baseline_reads_the_latest_us_net_aid_with_its_own_years_gdp(store):
    year, aid, gdp = _last_aid(store, "AGO")
    (last,) = store.fetchone("SELECT max(year) FROM us_aid WHERE iso3 = 'AGO'")
    assert year == last  # the store has a GDP for the aid's last year
    base = baseline(store, "AGO")
    assert (base.aid_year, base.aid_gdp_year) == (year, year)
    assert base.us_net_aid_usd == pytest.approx(aid)
    assert base.aid_pct_gdp == pytest.approx(100 * aid / gdp)


@pytest.mark.parametrize(
    ("action", "tariff", "exposed"),
    [("finance_stop", None, True), ("sanctions", None, True), ("tariff", 0.1, False)],
)
def test_scenario_exposes_us_net_aid_where_the_action_cuts_finance(store, action, tariff, exposed):
    year, aid, gdp = _last_aid(store, "AGO")
    row = scenario(store, "AGO", "USA", action, tariff).iloc[0]
    assert (row.net_aid_year, row.net_aid_gdp_year) == (year, year)
    assert row.net_aid_from_pole_usd == pytest.approx(aid)
    assert row.net_aid_from_pole_pct_gdp == pytest.approx(100 * aid / gdp)
    assert row.net_aid_exposed_pct_gdp == pytest.approx(100 * aid / gdp if exposed else 0.0)
    # the debt owed to the US is still unknown: the flow does not stand in for a stock
    assert np.isnan(row.debt_to_pole_usd) and np.isnan(row.debt_exposed_pct_gdp)


def test_scenario_against_china_keeps_the_stock_and_has_no_flow(store):
    row = scenario(store, "AGO", "CHN", "finance_stop").iloc[0]
    assert row.debt_exposed_pct_gdp > 0
    assert np.isnan(row.net_aid_from_pole_usd) and np.isnan(row.net_aid_exposed_pct_gdp)
    assert row.net_aid_year is pd.NA


def test_a_country_without_us_aid_data_has_it_missing_not_zero(store):
    assert store.fetchone("SELECT count(*) FROM us_aid WHERE iso3 = 'CHE'") == (0,)
    row = scenario(store, "CHE", "USA", "sanctions").iloc[0]
    assert np.isnan(row.net_aid_from_pole_usd) and np.isnan(row.net_aid_exposed_pct_gdp)
    assert row.net_aid_year is pd.NA


def test_cli_says_what_each_measure_is_and_json_carries_the_flow(store_path, store):
    table = runner.invoke(app, ["offers", "exposure", KENYA, "--db", str(store_path)])
    assert table.exit_code == 0, table.output
    words = " ".join(table.output.split())
    assert "debt_* is the stock owed to China" in words
    assert "net_aid_* is the United States' net aid flow" in words
    result = runner.invoke(
        app, ["offers", "exposure", KENYA, "--db", str(store_path), "--format", "json"]
    )
    records = {r["partner"]: r for r in json.loads(result.output)}
    year, aid, gdp = _last_aid(store, "KEN")
    assert records["USA"]["net_aid_year"] == year
    assert records["USA"]["net_aid_pct_gdp"] == pytest.approx(100 * aid / gdp)
    assert records["CHN"]["net_aid_usd"] is None and records["CHN"]["debt_before_usd"] > 0
