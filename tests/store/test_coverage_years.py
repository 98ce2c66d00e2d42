"""``data_through``: how far each component of the store reaches (issue 17, part 2).

A toy store built here by hand (two tables missing, one empty) and the
session store against its own tables.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

import nonaligned
from nonaligned.coverage_years import COMPONENTS, data_through, through_line


def test_a_toy_store_by_hand(tmp_path):
    path = tmp_path / "toy.duckdb"
    toy = duckdb.connect(str(path))
    toy.execute("CREATE TABLE roll_calls (date DATE, year INTEGER)")
    toy.execute("INSERT INTO roll_calls VALUES ('2001-03-02', 2001), ('1999-12-01', 1999)")
    toy.execute("CREATE TABLE trade_flows (year INTEGER)")
    toy.execute("INSERT INTO trade_flows VALUES (1990), (1995)")
    toy.execute("CREATE TABLE debt_to_china (year INTEGER)")  # empty: no last year
    toy.execute("CREATE TABLE us_travels (end_date DATE)")
    toy.execute("INSERT INTO us_travels VALUES ('2020-01-31')")
    toy.close()
    # gcdf_yearly_flows and us_aid are missing, as in a store built before they existed
    with nonaligned.open(path) as store:
        table = data_through(store).set_index("component")
    assert list(table.index) == [c[0] for c in COMPONENTS]
    assert (table.loc["votes", "last_year"], table.loc["votes", "last_date"]) == (
        2001,
        "2001-03-02",
    )
    assert table.loc["trade", "last_year"] == 1995 and pd.isna(table.loc["trade", "last_date"])
    for missing in ("china_debt", "china_commitments", "us_aid"):
        assert pd.isna(table.loc[missing, "last_year"]), missing
    assert table.loc["us_travels", "last_date"] == "2020-01-31"
    line = through_line(table.reset_index())
    assert line.startswith("Data through: UN General Assembly recorded votes 2001-03-02 · ")
    assert "goods trade with each partner 1995 · " in line
    assert "US net bilateral aid (flow) no data · " in line
    assert line.endswith("US President and Secretary of State trips 2020-01-31.")


def test_the_session_store(store):
    table = data_through(store).set_index("component")
    years = {
        "trade": "SELECT max(year) FROM trade_flows",
        "china_debt": "SELECT max(year) FROM debt_to_china",
        "china_commitments": "SELECT max(year) FROM gcdf_yearly_flows",
        "us_aid": "SELECT max(year) FROM us_aid",
    }
    for component, sql in years.items():
        assert table.loc[component, "last_year"] == store.fetchone(sql)[0], component
    (last_vote,) = store.fetchone("SELECT max(date) FROM roll_calls")
    (last_trip,) = store.fetchone("SELECT max(end_date) FROM us_travels")
    assert table.loc["votes", "last_date"] == last_vote.isoformat()
    assert table.loc["us_travels", "last_date"] == last_trip.isoformat()
    assert isinstance(last_trip, dt.date) and table.loc["us_travels", "last_year"] == last_trip.year
    assert table.last_year.notna().all()
