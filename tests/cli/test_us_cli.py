"""`nonaligned finance` (both poles) and `nonaligned engagement` on the mirror-built store."""

from __future__ import annotations

import csv
import io
import json

import pytest
from _trade_data import MIRROR
from typer.testing import CliRunner

from nonaligned.cli import app
from nonaligned.measures import finance
from nonaligned.sources import us_aid, us_travels

runner = CliRunner()


def _run(store_path, *args: str):
    return runner.invoke(app, [*args, "--db", str(store_path)])


def _json(store_path, *args: str) -> list[dict]:
    result = _run(store_path, *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_build_stores_both_sources_with_provenance(store):
    us_tables = ("us_aid", "us_travels")
    counts = [store.fetchone(f"SELECT count(*) FROM {t}")[0] for t in us_tables]
    assert counts == [3174, 4270]
    files = dict(
        store.fetchall(
            "SELECT source, count(*) FROM provenance WHERE source LIKE 'us_%' GROUP BY source"
        )
    )
    assert files == {"us_aid": 1, "us_travels": len(us_travels.SOURCE.files)}
    citations = {s for (s,) in store.fetchall("SELECT DISTINCT citation FROM provenance")}
    assert us_aid.SOURCE.citation in citations and us_travels.SOURCE.citation in citations


def test_exclusions_list_the_trip_that_is_not_to_a_state(store_path):
    rows = [r for r in _json(store_path, "coverage", "--exclusions") if r["source"] == "us_travels"]
    assert [(r["rule"], r["file"]) for r in rows] == [
        ("us_travels_not_a_state", "secretary-travels/kerry-john-forbes.xml")
    ]


def test_finance_angola_shows_us_aid_beside_debt_to_china(store_path, store):
    rows = _json(store_path, "finance", "AGO")
    us = {r["year"]: r for r in rows if r["pole"] == "USA"}
    china = {r["year"]: r for r in rows if r["measure"] == finance.DEBT_STOCK}
    assert sorted(us) == list(range(2001, 2024))
    assert sorted(china) == list(range(2000, 2018))
    assert {r["measure"] for r in us.values()} == {finance.NET_AID}
    with (MIRROR / us_aid.SOURCE.files[0].relpath).open(newline="") as handle:
        published = {
            int(r["year"]): float(r["aid_usd"])
            for r in csv.DictReader(handle)
            if r["country_iso"] == "AGO"
        }
    assert {year: r["value_usd"] for year, r in us.items()} == published
    # percent of the same year's GDP, and the GDP's year named
    assert all(r["gdp_year"] == year and r["pct_gdp"] > 0 for year, r in us.items())
    gdp = store.fetchone("SELECT gdp_usd FROM wdi WHERE iso3 = 'AGO' AND year = 2023")[0]
    assert us[2023]["pct_gdp"] == pytest.approx(100 * published[2023] / gdp)
    (total,) = [r for r in rows if r["measure"] == finance.COMMITMENTS]
    assert total["year"] is None and total["pct_gdp"] is None
    assert total["dollars"] == "constant 2021"


def test_finance_table_says_what_each_measure_is(store_path):
    result = _run(store_path, "finance", "AGO")
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "never to be added" in text and "flow" in text and "stock" in text
    assert "promises" in text


def test_finance_of_a_country_china_does_not_cover(store_path, store):
    (code,) = store.fetchone(
        """SELECT iso3 FROM us_aid
           WHERE iso3 NOT IN (SELECT iso3 FROM debt_to_china)
             AND iso3 NOT IN (SELECT iso3 FROM gcdf_country_commitments)
           ORDER BY iso3 LIMIT 1"""
    )
    rows = _json(store_path, "finance", code)
    assert rows and {r["pole"] for r in rows} == {"USA"}


def test_finance_without_any_source_exits_2(store_path):
    result = _run(store_path, "finance", "DEU")
    assert result.exit_code == 2
    assert "no official finance data for DEU" in " ".join(result.output.split())


def test_engagement_angola_lists_the_presidential_visit_to_luanda(store_path):
    rows = _json(store_path, "engagement", "ago")
    visit = [r for r in rows if r["role"] == "president"]
    assert visit == [
        {
            "year": 2024,
            "role": "president",
            "traveller": "Joseph R. Biden",
            "start_date": "2024-12-02",
            "end_date": "2024-12-04",
            "country_name": "Angola",
            "locale": "Luanda",
            "remarks": "Met with President João Lourenço.",
        }
    ]
    assert len(rows) == 8 and [r["year"] for r in rows] == sorted(r["year"] for r in rows)


def test_engagement_formats_agree(store_path):
    rows = _json(store_path, "engagement", "CHN", "--role", "president")
    assert rows and {r["role"] for r in rows} == {"president"}
    assert rows[0]["start_date"] == "1972-02-21"  # Nixon in Peking
    table = _run(store_path, "engagement", "CHN", "--role", "president", "--format", "csv")
    assert list(csv.DictReader(io.StringIO(table.stdout))) == [
        {k: "" if v is None else str(v) for k, v in r.items()} for r in rows
    ]
    shown = _run(store_path, "engagement", "AGO")
    text = " ".join(shown.output.split())
    assert "US engagement only" in text and "Luanda" in text and "00:00" not in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["engagement", "XXX"], "unknown country code"),
        (["engagement", "AGO", "--role", "pope"], "unknown role 'pope'"),
    ],
)
def test_engagement_bad_input_exits_2(store_path, args, message):
    result = _run(store_path, *args)
    assert result.exit_code == 2 and message in result.output


def test_engagement_with_no_recorded_trip_is_empty_not_an_error(store_path):
    assert _json(store_path, "engagement", "TUV") == []
