"""The strategy desk on the real store: evaluate, compete and scenario, library and CLI.

Expectations are relations between numbers read from the store, never
figures typed in from a source.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nonaligned import exposure
from nonaligned.cli import app
from nonaligned.query import QueryError
from nonaligned.strategy import evaluate as desk
from nonaligned.strategy.scenario import scenario

runner = CliRunner()
EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "offers"
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


def test_exposure_before_and_after_from_the_store(con):
    table = desk.evaluate(con, ANGOLA).set_index("offer_id")
    debt = exposure.finance(con, "AGO").dropna(subset=["debt_to_china_usd"]).iloc[-1]
    gdp = con.execute(
        "SELECT gdp_usd FROM wdi WHERE iso3 = 'AGO' AND gdp_usd > 0 ORDER BY year DESC LIMIT 1"
    ).fetchone()[0]
    china = table.loc["chn-oil-backed"]
    assert china.exposure_before == pytest.approx(100 * debt.debt_to_china_usd / gdp)
    assert china.exposure_after == pytest.approx(100 * (debt.debt_to_china_usd + 1e9) / gdp)
    # the debt owed to the US and the EU is not in the store: unknown, not zero
    assert table.loc[["usa-dfc", "eu-gateway"], "exposure_before"].isna().all()
    assert table.new_debt_pct_gdp.tolist() == pytest.approx([100 * 1e9 / gdp] * 3)


def test_evaluate_accepts_a_toml_string_and_a_mapping(con):
    text = KENYA.read_text()
    from_text = desk.evaluate(con, text)
    import tomllib

    from_mapping = desk.evaluate(con, tomllib.loads(text))
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


def test_compete_json(store_path):
    records = run(store_path, "offers", "compete", str(KENYA), "--pivotality", "0.5")
    assert [r["partner"] for r in records] == ["CHN", "USA", "EU"]
    assert sum(r["winner"] for r in records) == 1
    assert all(r["leverage_gain_usd"] >= 0 for r in records)
    assert all(r["pivotality_source"] == "given" for r in records)
    none = run(store_path, "offers", "compete", str(KENYA), "--pivotality", "0")
    assert all(r["leverage_gain_usd"] == 0 for r in none)


def test_compete_derives_pivotality_by_default(con):
    table = desk.compete(con, ANGOLA)
    assert table.pivotality.nunique() == 1
    assert 0.0 <= table.pivotality.iloc[0] <= 1.0
    assert table.pivotality_source.iloc[0].split(":")[0] in ("index", "alignment")


def test_scenario_finance_stop(store_path, con):
    (row,) = run(store_path, "scenario", "AGO", "--pole", "CHN", "--finance-stop")
    debt = exposure.finance(con, "AGO").dropna(subset=["debt_to_china_usd"]).iloc[-1]
    assert row["debt_to_pole_usd"] == debt.debt_to_china_usd
    assert row["debt_year"] == debt.year
    assert row["debt_exposed_pct_gdp"] == row["debt_to_pole_pct_gdp"] > 0
    assert row["exports_exposed_share"] == row["imports_exposed_share"] == 0.0
    assert row["hhi_exports_after"] == row["hhi_exports_before"]


def test_scenario_tariff(store_path, con):
    (row,) = run(store_path, "scenario", "CHL", "--pole", "USA", "--tariff", "0.25")
    year = row["trade_year"]
    trade = exposure.trade(con, "CHL", year).set_index("partner")
    assert row["exports_exposed_share"] == pytest.approx(trade.exports_share["USA"])
    assert row["tariff_cost_usd"] == pytest.approx(0.25 * trade.exports_usd["USA"])
    assert row["imports_exposed_share"] == 0.0
    assert row["debt_to_pole_usd"] is None  # unknown for the US, not zero
    # Chile reports its own exports: the remaining partners' HHI straight from the table
    shares = (
        con.execute(
            """SELECT value_usd FROM trade_flows
           WHERE reporter_iso3 = 'CHL' AND year = ? AND flow = 'exports'
             AND NOT partner_is_aggregate AND partner_code <> 'USA' AND value_usd > 0""",
            [year],
        )
        .df()
        .value_usd
    )
    assert row["hhi_exports_after"] == pytest.approx(((shares / shares.sum()) ** 2).sum())
    assert row["hhi_imports_after"] == row["hhi_imports_before"]


def test_scenario_sanctions_expose_both_flows(con):
    row = scenario(con, "AGO", "CHN", "sanctions").iloc[0]
    trade = exposure.trade(con, "AGO", int(row.trade_year)).set_index("partner")
    assert row.exports_exposed_share == pytest.approx(trade.exports_share["CHN"])
    assert row.imports_exposed_share == pytest.approx(trade.imports_share["CHN"])
    assert row.debt_exposed_pct_gdp > 0
    assert (
        row.export_partners_after
        < scenario(con, "AGO", "CHN", "finance_stop").iloc[0].export_partners_after
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["KEN", "--pole", "IND", "--sanctions"], "unknown pole"),
        (["KEN", "--pole", "USA"], "exactly one"),
        (["KEN", "--pole", "USA", "--sanctions", "--finance-stop"], "exactly one"),
        (["FRA", "--pole", "EU", "--sanctions"], "part of the pole"),
        (["KEN", "--pole", "USA", "--tariff", "-1"], "positive fraction"),
    ],
)
def test_scenario_refuses_bad_input(store_path, args, message):
    result = runner.invoke(app, ["scenario", *args, "--db", str(store_path)])
    assert result.exit_code == 2
    assert message in result.output


def test_scenario_library_refuses_tariff_without_rate(con):
    with pytest.raises(QueryError, match="tariff rate"):
        scenario(con, "KEN", "USA", "tariff")


def test_offers_exposure_command(store_path, con):
    records = run(store_path, "offers", "exposure", str(KENYA))
    assert [r["offer_id"] for r in records] == [
        "chn-policy-bank",
        "usa-dfc",
        "eu-gateway-grant",
        "eu-gateway-loan",
    ]
    china = records[0]
    trade = exposure.trade(con, "KEN", china["trade_year"]).set_index("partner")
    assert china["trade_share"] == pytest.approx(trade.share["CHN"])
    assert china["exposure_after"] > china["exposure_before"]
    grant = records[2]
    assert grant["new_debt_usd"] == 0.0
    assert len({r["trade_hhi"] for r in records}) == 1  # one country, one concentration
