"""The store's general readers (:mod:`nonaligned.query`) on the synthetic store.

Expected rows come from :mod:`_synthetic`'s frames, filtered here with pandas;
the finance and travel tables, empty in the synthetic store, get a few rows
of their own in a second store written the same way.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from _synthetic import STATES, YEARS, tables

import nonaligned
from nonaligned import query
from nonaligned.store import SCHEMA, write_store

FLOW_COLUMNS = [c.strip() for c in query.TRADE_FLOW_COLUMNS.split(",")]


@pytest.fixture(scope="module")
def frames() -> dict[str, pd.DataFrame]:
    return tables()


@pytest.fixture()
def store(synthetic_store):
    with nonaligned.open(synthetic_store) as opened:
        yield opened


def rows(frame: pd.DataFrame, columns: list[str]) -> list[tuple]:
    """The rows as plain tuples, in order, missing as None (the store's dtypes differ from
    pandas' own)."""
    plain = frame[columns].astype(object)
    return [tuple(r) for r in plain.where(plain.notna(), None).itertuples(index=False)]


def test_roll_calls_of_some_years_in_stored_order(store, frames):
    expected = frames["roll_calls"]
    assert list(query.roll_calls(store).roll_call_id) == list(expected.roll_call_id)
    chosen = query.roll_calls(store, [2017, 2019])
    assert list(chosen.columns) == list(expected.columns)
    assert list(chosen.roll_call_id) == list(
        expected[expected.year.isin([2017, 2019])].roll_call_id
    )
    assert query.roll_calls(store, []).empty


def test_votes_by_year_and_country(store, frames):
    votes, calls = frames["votes"], frames["roll_calls"]
    columns = ["roll_call_id", "iso3", "vote"]
    assert rows(query.votes(store), columns) == rows(votes, columns)
    ids = set(calls[calls.year == 2018].roll_call_id)
    expected = votes[votes.roll_call_id.isin(ids) & votes.iso3.isin(["IND", "USA"])]
    got = query.votes(store, years=[2018], countries=["IND", "USA"])
    assert list(got.columns) == columns
    assert rows(got, columns) == rows(expected, columns)
    assert len(got) == 2 * 20


def test_memberships_years_are_floats(store, frames):
    table = query.memberships(store)
    assert list(table.columns) == list(frames["memberships"].columns)
    assert table.joined_year.dtype == "float64" and table.left_year.dtype == "float64"
    assert sorted(table.iso3) == ["DEU", "FRA"] and set(table.joined_year) == {1958.0}
    assert table.left_year.isna().all()


def test_trade_flows_reported_by_or_about_countries(store, frames):
    flows = frames["trade_flows"]
    got = query.trade_flows(store, years=[2020], countries=["BRA"])
    assert list(got.columns) == FLOW_COLUMNS and got.year.dtype == "int64"
    about = (flows.reporter_iso3 == "BRA") | (flows.partner_code == "BRA")
    expected = flows[about & (flows.year == 2020)]
    assert rows(got, FLOW_COLUMNS) == rows(expected, FLOW_COLUMNS)
    assert len(query.trade_flows(store)) == len(flows)
    assert len(query.trade_flows(store, years=[2016, 2017])) == flows.year.isin([2016, 2017]).sum()


def test_spans_and_latest(store, frames):
    assert query.year_span(store, "roll_calls") == (min(YEARS), max(YEARS))
    assert query.year_span(store, "trade_flows") == (min(YEARS), max(YEARS))
    assert query.year_span(store, "us_aid") == (None, None)  # empty in the synthetic store
    assert query.latest(store, "roll_calls", "date") == frames["roll_calls"].date.max().date()
    assert query.latest(store, "debt_to_china", "year") is None
    assert query.latest_full_year(store) == max(YEARS)
    assert query.vote_years(store) == (min(YEARS), max(YEARS))
    with pytest.raises(ValueError, match=r"roll_calls\.title"):
        query.year_span(store, "roll_calls", "title")
    with pytest.raises(ValueError, match="countries"):
        query.latest(store, "countries", "year")


def test_roll_call_facts(store, frames):
    assert query.has_roll_calls(store, 2016) and not query.has_roll_calls(store, 2015)
    assert query.roll_call_source(store, 1) == "synthetic"
    assert query.roll_call_source(store, 10_000) is None
    assert query.flag_years(store) == (None, None)  # no flag, no issue code


def test_countries_tables_and_provenance(store, frames):
    assert query.country_codes(store) == set(STATES)
    assert query.provenance_versions(store) == {"synthetic": "1"}
    assert query.table_names(store) == set(SCHEMA)
    assert query.table_columns(store, "wdi") == {"iso3", "year", "gdp_usd", "population"}
    assert query.table_columns(store, "no_such_table") == set()
    assert query.geo_outline(store, "countries-110m") is None


def test_table_arrow(store, frames):
    votes = query.table_arrow(store, "votes", with_year=True)
    assert votes.column_names == ["roll_call_id", "iso3", "vote", "year"]
    year_of = dict(zip(frames["roll_calls"].roll_call_id, frames["roll_calls"].year, strict=True))
    expected = sorted(
        (rc, iso3, year_of[rc]) for rc, iso3 in frames["votes"][["roll_call_id", "iso3"]].values
    )
    got = votes.to_pandas()
    assert sorted(zip(got.roll_call_id, got.iso3, got.year, strict=True)) == expected
    assert query.table_arrow(store, "countries").num_rows == len(STATES)
    with pytest.raises(ValueError, match="no store table"):
        query.table_arrow(store, "countries; DROP TABLE votes")
    with pytest.raises(ValueError, match="only the votes"):
        query.table_arrow(store, "roll_calls", with_year=True)


@pytest.fixture(scope="module")
def finance(tmp_path_factory) -> dict[str, pd.DataFrame]:
    """Rows for the tables the synthetic store leaves empty."""
    return {
        "wdi": pd.DataFrame(
            {
                "iso3": ["BRA", "BRA", "ZAF"],
                "year": [2019, 2020, 2020],
                "gdp_usd": [1.8e12, 1.4e12, None],
                "population": [2.1e8, 2.1e8, 5.9e7],
            }
        ),
        "us_aid": pd.DataFrame(
            {
                "iso3": ["ZAF", "BRA", "ZAF"],
                "year": [2018, 2019, 2019],
                "us_net_aid_usd": [3.0, -1.5, 4.0],
            }
        ),
        "debt_to_china": pd.DataFrame(
            {
                "iso3": ["ZAF", "BRA"],
                "year": [2016, 2017],
                "debt_to_china_usd": [2e9, None],
                "debt_to_china_pct_gdp_hrt": [0.7, None],
            }
        ),
        "gcdf_country_commitments": pd.DataFrame(
            {
                "iso3": ["BRA", "ZAF"],
                "commitments_usd": [5e9, None],
                "weighted_interest_rate": [0.04, None],
            }
        ),
        "us_travels": pd.DataFrame(
            {
                "trip_id": [1, 2, 3],
                "role": ["secretary", "president", "president"],
                "traveller": ["S", "P", "P"],
                "start_date": pd.to_datetime(["2019-05-02", "2019-07-01", "2017-01-03"]),
                "end_date": pd.to_datetime(["2019-05-03", "2019-07-02", "2017-01-04"]),
                "year": [2019, 2019, 2017],
                "iso3": ["IND", "IND", "IND"],
                "country_slug": "india",
                "country_name": "India",
            }
        ),
    }


@pytest.fixture(scope="module")
def fuller(finance, tmp_path_factory):
    """The synthetic store with :func:`finance`'s rows in its empty tables."""
    frames = tables()
    for name, rows_ in finance.items():
        frames[name] = rows_.reindex(columns=frames[name].columns)
    path = tmp_path_factory.mktemp("fuller") / "nonaligned.duckdb"
    write_store(path, frames)
    with nonaligned.open(path) as opened:
        yield opened


@pytest.mark.parametrize(
    "reader, table", [(query.debt_to_china, "debt_to_china"), (query.us_aid, "us_aid"),
                      (query.gcdf_commitments, "gcdf_country_commitments")],
)  # fmt: skip
def test_finance_readers_one_country_or_all(fuller, finance, reader, table):
    expected = finance[table]
    columns = list(expected.columns)
    every = reader(fuller)
    assert list(every.columns) == columns
    assert rows(every, columns) == rows(expected, columns)
    zaf = reader(fuller, "ZAF")
    assert rows(zaf, columns) == rows(expected[expected.iso3 == "ZAF"], columns)
    assert reader(fuller, "USA").empty


def test_wdi_of_one_country(fuller, finance):
    table = query.wdi(fuller, "BRA")
    assert list(table.columns) == ["iso3", "year", "gdp_usd", "population"]
    assert list(table.year) == [2019, 2020] and list(table.gdp_usd) == [1.8e12, 1.4e12]
    assert pd.isna(query.wdi(fuller, "ZAF").gdp_usd.iloc[0])


def test_us_trips_and_their_span(fuller):
    trips = query.us_trips(fuller, "IND", ["president", "secretary"])
    assert list(trips.columns) == [c.strip() for c in query.TRIP_COLUMNS.split(",")]
    # by year, then the president before the secretary, then start date
    assert list(zip(trips.year, trips.role, strict=True)) == [
        (2017, "president"), (2019, "president"), (2019, "secretary"),
    ]  # fmt: skip
    assert len(query.us_trips(fuller, "IND", ["secretary"])) == 1
    assert query.us_trips(fuller, "BRA", ["president"]).empty
    first, last = query.year_span(fuller, "us_travels", "start_date", "end_date")
    assert (first, last) == (dt.date(2017, 1, 3), dt.date(2019, 7, 2))
