"""The strategy desk on the real store: evaluate, compete and scenario, library and CLI.

Expectations are relations between numbers read from the store, never
figures typed in from a source.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from conftest import EXAMPLES
from typer.testing import CliRunner

from nonaligned import exposure
from nonaligned.cli import app
from nonaligned.errors import QueryError
from nonaligned.strategy import evaluate as desk
from nonaligned.strategy.leverage import MODEL
from nonaligned.strategy.scenario import scenario

runner = CliRunner()
EXAMPLES = EXAMPLES / "offers"
KENYA = EXAMPLES / "kenya_port.toml"
ANGOLA = EXAMPLES / "angola_railway.toml"
EVALUATE_KEYS = {
    "offer_id",
    "partner",
    "grant_element",
    "pv_usd",
    "concessional",
    "total_debt_service_usd",
    "exposure_before",
    "exposure_after",
}


def run(store_path: Path, *args: str) -> list[dict]:
    result = runner.invoke(app, [*args, "--db", str(store_path), "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_evaluate_json_contract(store_path):
    records = run(store_path, "offers", "evaluate", str(KENYA))
    assert [r["offer_id"] for r in records] == [
        "chn-policy-bank",
        "usa-dfc",
        "eu-gateway-grant",
        "eu-gateway-loan",
    ]
    assert all(set(r) >= EVALUATE_KEYS for r in records)
    grant = records[2]
    assert grant["grant_element"] == 1.0 and grant["concessional"] is True
    assert grant["total_debt_service_usd"] == 0.0


def _gdp(store, iso3: str, year: int | None = None) -> tuple[int, float]:
    """WDI GDP of a year, or the latest."""
    where = "AND year = ?" if year is not None else ""
    return store.fetchone(
        f"SELECT year, gdp_usd FROM wdi WHERE iso3 = ? AND gdp_usd > 0 {where} "
        "ORDER BY year DESC LIMIT 1",
        [iso3] + ([year] if year is not None else []),
    )


def _last_debt(store, iso3: str) -> tuple[int, float]:
    return store.fetchone(
        "SELECT year, debt_to_china_usd FROM debt_to_china WHERE iso3 = ? "
        "AND debt_to_china_usd IS NOT NULL ORDER BY year DESC LIMIT 1",
        [iso3],
    )


def test_exposure_divides_same_year_values_and_names_each_year(store):
    table = desk.evaluate(store, ANGOLA).set_index("offer_id")
    debt_year, debt = _last_debt(store, "AGO")
    _, debt_gdp = _gdp(store, "AGO", debt_year)  # the stock over its own year's GDP
    latest_year, gdp = _gdp(store, "AGO")  # the new principal over the latest GDP
    assert debt_year < latest_year  # 2017 against a later GDP: the case of issue 15
    china = table.loc["chn-oil-backed"]
    assert (china.debt_year, china.debt_gdp_year, china.gdp_year) == (
        debt_year,
        debt_year,
        latest_year,
    )
    assert china.exposure_before == pytest.approx(100 * debt / debt_gdp)
    assert china.exposure_after == pytest.approx(100 * debt / debt_gdp + 100 * 1e9 / gdp)
    # the debt owed to the US and the EU is not in the store: unknown, not zero, no year
    unknown = table.loc[["usa-dfc", "eu-gateway"]]
    assert unknown.exposure_before.isna().all() and unknown.debt_year.isna().all()
    assert table.new_debt_pct_gdp.tolist() == pytest.approx([100 * 1e9 / gdp] * 3)


def test_evaluate_accepts_a_toml_string_and_a_mapping(store):
    text = KENYA.read_text()
    from_text = desk.evaluate(store, text)
    import tomllib

    from_mapping = desk.evaluate(store, tomllib.loads(text))
    assert from_text.equals(from_mapping)


def test_discount_rate_and_threshold_options(store_path):
    default = run(store_path, "offers", "evaluate", str(ANGOLA))
    strict = run(
        store_path,
        "offers",
        "evaluate",
        str(ANGOLA),
        "--discount-rate",
        "0.10",
        "--threshold",
        "0.6",
    )
    for low, high in zip(default, strict, strict=True):
        assert high["grant_element"] > low["grant_element"]  # higher discount, bigger gift
        assert high["concessional"] == (high["grant_element"] >= 0.6)


def test_schedule_option_lists_every_loan(store_path):
    rows = run(store_path, "offers", "evaluate", str(KENYA), "--schedule")
    assert {r["offer_id"] for r in rows} == {"chn-policy-bank", "usa-dfc", "eu-gateway-loan"}
    by_offer: dict[str, float] = {}
    for r in rows:
        by_offer[r["offer_id"]] = by_offer.get(r["offer_id"], 0.0) + r["principal_usd"]
    assert by_offer["usa-dfc"] == pytest.approx(500_000_000)


def test_a_bad_offers_file_exits_2_naming_offer_and_field(store_path, tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text(KENYA.read_text().replace("grace_years = 3", "grace_years = 15"))
    result = runner.invoke(app, ["offers", "evaluate", str(path), "--db", str(store_path)])
    assert result.exit_code == 2
    assert "offer 'usa-dfc', field 'grace_years'" in result.output
    assert str(path) in result.output


def _significant_figures(value: float) -> int:
    return len(f"{abs(value):.15e}".split("e")[0].replace(".", "").rstrip("0"))


def test_compete_json(store_path):
    records = run(store_path, "offers", "compete", str(KENYA), "--pivotality", "0.5")
    assert [r["partner"] for r in records] == ["CHN", "USA", "EU"]
    assert sum(r["winner"] for r in records) == 1
    assert all(r["model"] == MODEL for r in records)
    for r in records:  # a losing partner gains nothing; the winner never loses
        assert (r["leverage_gain_usd"] >= 0) if r["winner"] else r["leverage_gain_usd"] is None
        assert all(
            _significant_figures(r[k]) <= 2
            for k in r
            if k.endswith("_usd") and r[k] and k not in ("amount_usd", "value_to_partner_usd")
        )
        assert round(r["competitive_grant_element"], 2) == r["competitive_grant_element"]
    assert all(r["pivotality_source"] == "given" for r in records)
    none = run(store_path, "offers", "compete", str(KENYA), "--pivotality", "0")
    assert [r["leverage_gain_usd"] for r in none if r["winner"]] == [0]


def test_compete_derives_pivotality_by_default(store):
    table = desk.compete(store, ANGOLA)
    assert table.pivotality.nunique() == 1
    assert 0.0 <= table.pivotality.iloc[0] <= 1.0
    assert table.pivotality_source.iloc[0].split(":")[0] in ("index", "alignment")


def test_scenario_finance_stop(store_path, store):
    (row,) = run(store_path, "scenario", "AGO", "--pole", "CHN", "--finance-stop")
    year, debt = _last_debt(store, "AGO")
    assert row["debt_to_pole_usd"] == debt
    # issue 15: the 2017 stock over the 2017 GDP, both years named, not a later GDP
    assert row["debt_year"] == row["debt_gdp_year"] == year
    assert row["debt_to_pole_pct_gdp"] == pytest.approx(100 * debt / _gdp(store, "AGO", year)[1])
    assert row["debt_exposed_pct_gdp"] == row["debt_to_pole_pct_gdp"] > 0
    assert row["exports_exposed_share"] == row["imports_exposed_share"] == 0.0
    assert row["hhi_exports_after"] == row["hhi_exports_before"]


def test_scenario_tariff(store_path, store):
    (row,) = run(store_path, "scenario", "CHL", "--pole", "USA", "--tariff", "0.25")
    year = row["trade_year"]
    trade = exposure.trade(store, "CHL", year).set_index("partner")
    assert row["exports_exposed_share"] == pytest.approx(trade.exports_share["USA"])
    assert row["tariff_cost_usd"] == pytest.approx(0.25 * trade.exports_usd["USA"])
    assert row["imports_exposed_share"] == 0.0
    assert row["debt_to_pole_usd"] is None  # unknown for the US, not zero
    # Chile reports its own exports: the remaining partners' HHI straight from the table
    shares = store.frame(
        """SELECT value_usd FROM trade_flows
           WHERE reporter_iso3 = 'CHL' AND year = ? AND flow = 'exports'
             AND NOT partner_is_aggregate AND partner_code <> 'USA' AND value_usd > 0""",
        [year],
    ).value_usd
    assert row["hhi_exports_after"] == pytest.approx(((shares / shares.sum()) ** 2).sum())
    assert row["hhi_imports_after"] == row["hhi_imports_before"]


def test_scenario_sanctions_expose_both_flows(store):
    row = scenario(store, "AGO", "CHN", "sanctions").iloc[0]
    trade = exposure.trade(store, "AGO", int(row.trade_year)).set_index("partner")
    assert row.exports_exposed_share == pytest.approx(trade.exports_share["CHN"])
    assert row.imports_exposed_share == pytest.approx(trade.imports_share["CHN"])
    assert row.debt_exposed_pct_gdp > 0
    assert (
        row.export_partners_after
        < scenario(store, "AGO", "CHN", "finance_stop").iloc[0].export_partners_after
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["KEN", "--pole", "IND", "--sanctions"], "unknown pole"),
        (["KEN", "--pole", "USA"], "exactly one"),
        (["KEN", "--pole", "USA", "--sanctions", "--finance-stop"], "exactly one"),
        (["FRA", "--pole", "EU", "--sanctions"], "part of the pole"),
        (["KEN", "--pole", "USA", "--tariff", "-1"], "positive fraction"),
        (["KEN", "--pole", "USA", "--tariff", "nan"], "positive fraction"),
        # issue 15: a pole acting against itself was a KeyError traceback
        (["CHN", "--pole", "CHN", "--sanctions"], "cannot act against itself"),
        (["USA", "--pole", "USA", "--tariff", "0.25"], "cannot act against itself"),
        (["RUS", "--pole", "RUS", "--finance-stop"], "cannot act against itself"),
        # a dissolved state whose last trade year names no trade with the pole: was a KeyError
        (["YUG", "--pole", "RUS", "--finance-stop"], "neither reported nor mirrored"),
    ],
)
def test_scenario_refuses_bad_input(store_path, args, message):
    result = runner.invoke(app, ["scenario", *args, "--db", str(store_path)])
    assert result.exit_code == 2
    assert message in result.output


def test_scenario_library_refuses_tariff_without_rate(store):
    with pytest.raises(QueryError, match="tariff rate"):
        scenario(store, "KEN", "USA", "tariff")


def test_offers_exposure_command(store_path, store):
    records = run(store_path, "offers", "exposure", str(KENYA))
    assert [r["offer_id"] for r in records] == [
        "chn-policy-bank",
        "usa-dfc",
        "eu-gateway-grant",
        "eu-gateway-loan",
    ]
    china = records[0]
    trade = exposure.trade(store, "KEN", china["trade_year"]).set_index("partner")
    assert china["trade_share"] == pytest.approx(trade.share["CHN"])
    assert china["exposure_after"] > china["exposure_before"]
    grant = records[2]
    assert grant["new_debt_usd"] == 0.0
    assert len({r["trade_hhi"] for r in records}) == 1  # one country, one concentration


def test_scenario_debt_falls_back_to_the_nearest_gdp_year_and_says_so(store):
    """Venezuela has no WDI GDP after 2014: its 2017 stock is divided by the 2014 GDP."""
    row = scenario(store, "VEN", "CHN", "finance_stop").iloc[0]
    year, debt = _last_debt(store, "VEN")
    (gdp_year,) = store.fetchone(
        "SELECT max(year) FROM wdi WHERE iso3 = 'VEN' AND gdp_usd > 0 AND year <= ?", [year]
    )
    assert gdp_year < year and _gdp(store, "VEN", year) is None
    assert (row.debt_year, row.debt_gdp_year) == (year, gdp_year)
    assert row.debt_to_pole_pct_gdp == pytest.approx(100 * debt / _gdp(store, "VEN", gdp_year)[1])


def test_convention_option(store_path):
    """The US DFC loan of the Kenya example: 2.574% with d/m, 2.147% with OECD-DAC (issue 15)."""
    by_convention = {
        convention: {
            r["offer_id"]: r["grant_element"]
            for r in run(store_path, "offers", "evaluate", str(KENYA), "--convention", convention)
        }
        for convention in ("nominal", "oecd-dac")
    }
    assert by_convention["nominal"]["usa-dfc"] == pytest.approx(0.02574, abs=5e-6)
    assert by_convention["oecd-dac"]["usa-dfc"] == pytest.approx(0.02147, abs=5e-6)
    default = run(store_path, "offers", "evaluate", str(KENYA))
    assert {r["offer_id"]: r["grant_element"] for r in default} == by_convention["oecd-dac"]
    result = runner.invoke(
        app, ["offers", "compete", str(KENYA), "--convention", "simple", "--db", str(store_path)]
    )
    assert result.exit_code == 2


LOAN_FILE = """country = "KEN"
project = "p"
[[offers]]
id = "a"
partner = "CHN"
kind = "loan"
amount_usd = 1e8
interest_rate = 0.03
grace_years = 1
repayment = "annuity"
"""


@pytest.mark.parametrize(
    ("lines", "options", "message"),
    [  # issue 15's reproductions: MemoryError, 20 s of CPU, ZeroDivisionError
        ("maturity_years = 100000", [], "at most 100 years"),
        ("maturity_years = 20\npayments_per_year = 1000000000", [], "from 1 to 12"),
        ("maturity_years = 10000\npayments_per_year = 12", [], "at most 100 years"),
        (
            "maturity_years = 20\ndisbursement = [" + ", ".join(["0.001"] * 1000) + "]",
            ["--discount-rate", "0.99"],
            "at most 100",
        ),
        ("maturity_years = 20\ninterest_rate = 3", [], "at most 1 (100 percent a year"),
        ("maturity_years = 20", ["--discount-rate", "nan"], "discount rate"),
        ("maturity_years = 20", ["--discount-rate", "-0.5"], "discount rate"),
        ("maturity_years = 20", ["--discount-rate", "1"], "discount rate"),
    ],
)
def test_offers_beyond_the_limits_exit_2_quickly(store_path, tmp_path, lines, options, message):
    path = tmp_path / "offer.toml"
    text = (
        LOAN_FILE.replace("interest_rate = 0.03\n", "") if "interest_rate" in lines else LOAN_FILE
    )
    path.write_text(text + lines + "\n")
    for command in ("evaluate", "compete"):
        start = time.perf_counter()
        result = runner.invoke(
            app, ["offers", command, str(path), *options, "--db", str(store_path)]
        )
        assert time.perf_counter() - start < 10
        assert result.exit_code == 2, result.output
        assert message in " ".join(result.output.split())
