"""Economic exposure on the real store: the library queries and the CLI's JSON contracts.

Every expectation is a relation between numbers from the store (Chile trades
more with China than with the US; Latin America's trade with China grew), never
a figure typed in from a source file.
"""

from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from nonaligned import exposure
from nonaligned.cli import app
from nonaligned.errors import QueryError

runner = CliRunner()
LAC = "Latin America and the Caribbean"

TRADE_KEYS = {
    "iso3",
    "year",
    "partner",
    "exports_usd",
    "imports_usd",
    "total_usd",
    "share",
    "mirrored",
    "estimated",
}
GROWTH_KEYS = {
    "region",
    "partner",
    "from_year",
    "to_year",
    "value_from_usd",
    "value_to_usd",
    "multiple",
}
CONCENTRATION_KEYS = ["iso3", "year", "hhi_exports", "hhi_imports", "hhi_total"]
FINANCE_KEYS = {
    "iso3",
    "year",
    "debt_to_china_usd",
    "debt_to_china_pct_gdp",
    "gcdf_commitments_usd",
}


def _json(store_path, *args: str) -> list[dict]:
    result = runner.invoke(app, [*args, "--db", str(store_path), "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_store_has_the_exposure_tables(store):
    for table in (
        "trade_flows",
        "debt_to_china",
        "wdi",
        "gcdf_country_commitments",
        "gcdf_yearly_flows",
    ):
        assert store.fetchone(f"SELECT count(*) FROM {table}")[0] > 0, table
    sources = {s for (s,) in store.fetchall("SELECT DISTINCT source FROM provenance")}
    assert {"imf_dots", "hrt", "aiddata_gcdf3", "wdi"} <= sources
    # no reporter-partner-year-flow twice (the primary key also enforces it)
    dupes = store.fetchone(
        "SELECT count(*) FROM (SELECT 1 FROM trade_flows "
        "GROUP BY reporter_iso3, partner_code, year, flow HAVING count(*) > 1)"
    )[0]
    assert dupes == 0


def test_trade_json_contract_chile_2020(store_path):
    records = _json(store_path, "trade", "CHL", "--year", "2020")
    assert records and all(set(r) >= TRADE_KEYS for r in records)
    assert [r["partner"] for r in records] == ["USA", "CHN", "RUS", "EU", "WLD"]
    assert {(r["iso3"], r["year"]) for r in records} == {("CHL", 2020)}
    by_partner = {r["partner"]: r for r in records}
    assert by_partner["CHN"]["share"] > by_partner["USA"]["share"]
    assert max(("USA", "CHN", "RUS", "EU"), key=lambda p: by_partner[p]["total_usd"]) == "CHN"
    world = by_partner["WLD"]
    assert world["share"] == pytest.approx(1.0)
    assert world["total_usd"] == pytest.approx(world["exports_usd"] + world["imports_usd"])
    # amounts in dollars, not millions: Chile's trade with the world is in the billions
    assert world["total_usd"] > 1e9


def test_trade_hong_kong_and_macao_option_only_adds_to_china(store):
    mainland = exposure.trade(store, "CHL", 2020).set_index("partner")
    greater = exposure.trade(store, "CHL", 2020, include_hk_macao=True).set_index("partner")
    assert greater.total_usd["CHN"] >= mainland.total_usd["CHN"]
    for pole in ("USA", "RUS", "EU", "WLD"):
        assert greater.total_usd[pole] == pytest.approx(mainland.total_usd[pole])


def test_trade_all_years_covers_the_source_and_no_more(store):
    table = exposure.trade(store, "CHL")
    first, last = exposure.trade_coverage(store)
    assert table.year.min() >= first and table.year.max() == last


def test_trade_growth_json_contract_lac_china(store_path):
    records = _json(
        store_path,
        "trade-growth",
        "--region",
        LAC,
        "--partner",
        "CHN",
        "--from",
        "2000",
        "--to",
        "2020",
    )
    assert len(records) == 1
    (record,) = records
    assert set(record) >= GROWTH_KEYS and "area" not in record
    assert (record["region"], record["partner"]) == (LAC, "CHN")
    assert (record["from_year"], record["to_year"]) == (2000, 2020)
    assert record["multiple"] > 1
    assert record["multiple"] == pytest.approx(record["value_to_usd"] / record["value_from_usd"])


def test_trade_growth_for_one_country(store):
    table = exposure.trade_growth(store, "CHN", 2000, 2020, iso3="CHL")
    assert list(table.iso3) == ["CHL"]
    chile = exposure.trade(store, "CHL").set_index(["partner", "year"]).total_usd
    assert table.value_from_usd.iloc[0] == pytest.approx(chile[("CHN", 2000)])
    assert table.value_to_usd.iloc[0] == pytest.approx(chile[("CHN", 2020)])


def test_concentration_csv_contract(store_path):
    result = runner.invoke(
        app, ["concentration", "--year", "2020", "--db", str(store_path), "--format", "csv"]
    )
    assert result.exit_code == 0, result.output
    reader = csv.DictReader(io.StringIO(result.stdout))
    rows = list(reader)
    assert reader.fieldnames == CONCENTRATION_KEYS
    assert rows and {r["year"] for r in rows} == {"2020"}
    values = [float(r["hhi_total"]) for r in rows if r["hhi_total"]]
    assert values and all(0 < v <= 1 for v in values)


def test_concentration_json_contract(store_path):
    records = _json(store_path, "concentration", "--year", "2020")
    assert records and set(records[0]) == set(CONCENTRATION_KEYS)
    assert "CHL" in {r["iso3"] for r in records}


def test_china_finance_contract_angola(store):
    """The China-only table the strategy desk and the brief read (the CLI shows both poles)."""
    table = exposure.finance(store, "AGO")
    records = table.to_dict("records")
    assert records and set(table.columns) >= FINANCE_KEYS
    assert {r["iso3"] for r in records} == {"AGO"}
    assert any(r["debt_to_china_usd"] for r in records)
    assert table.debt_to_china_pct_gdp.notna().any()
    # the AidData total is a 2000-2021 total, labelled as such, identical on every row
    assert len({r["gcdf_commitments_usd"] for r in records}) == 1
    assert records[0]["gcdf_commitments_usd"] > 0
    assert {r["gcdf_period"] for r in records} == {exposure.GCDF_PERIOD}


def test_finance_has_no_rows_outside_coverage(store):
    years = exposure.finance(store, "AGO").year
    assert years.min() >= 2000  # debt before 2000 is unknown: no row, not a zero


def test_trade_outside_coverage_is_an_error_not_zero(store):
    first, last = exposure.trade_coverage(store)
    with pytest.raises(QueryError, match=f"{first}-{last}"):
        exposure.trade(store, "CHL", last + 1)


@pytest.mark.parametrize(
    "args",
    [
        ["trade", "XXX"],
        ["trade", "CHL", "--year", "2021"],
        ["trade", "CHL", "--year", "1900"],
        [
            "trade-growth",
            "--region",
            "Narnia",
            "--partner",
            "CHN",
            "--from",
            "2000",
            "--to",
            "2020",
        ],
        ["trade-growth", "--region", LAC, "--partner", "ZZZ", "--from", "2000", "--to", "2020"],
        ["trade-growth", "--region", LAC, "--partner", "CHN", "--from", "2000", "--to", "2030"],
        [
            "trade-growth",
            "--region",
            LAC,
            "--country",
            "CHL",
            "--partner",
            "CHN",
            "--from",
            "2000",
            "--to",
            "2020",
        ],
        ["concentration", "--year", "2021"],
        ["finance", "XXX"],
    ],
)
def test_bad_input_exits_2(store_path, args):
    result = runner.invoke(app, [*args, "--db", str(store_path)])
    assert result.exit_code == 2, result.output
    assert "error" in result.output
