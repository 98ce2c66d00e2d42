"""What the index reads from the store, for a set of years, in one place."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd

from nonaligned.index.economic import side_trade
from nonaligned.measures.poles import eu_members
from nonaligned.measures.trade import pole_trade


@dataclass(frozen=True)
class Inputs:
    """Votes, roll calls, memberships, side trade and GDP for the years asked."""

    votes: pd.DataFrame
    roll_calls: pd.DataFrame
    memberships: pd.DataFrame
    trade: pd.DataFrame  # side_trade(): iso3, year, west, CHN, RUS, world
    gdp: pd.DataFrame  # iso3, year, gdp_usd

    def side_members(self, year: int) -> dict[str, set[str]]:
        """Reporters that belong to each side in ``year`` (left out of its expectation)."""
        eu = set(eu_members(self.memberships, np.array([year]))["iso3"])
        return {"west": {"USA", *eu}, "CHN": {"CHN"}, "RUS": {"RUS"}}


def load(con: duckdb.DuckDBPyConnection, years: list[int] | None) -> Inputs:
    """Read the store's rows for ``years`` (all years if None)."""
    where = "" if years is None else "WHERE year IN ?"
    params = [] if years is None else [years]
    roll_calls = con.execute(f"SELECT * FROM roll_calls {where}", params).df()
    votes = con.execute(
        f"""SELECT roll_call_id, iso3, vote FROM votes
            WHERE roll_call_id IN (SELECT roll_call_id FROM roll_calls {where})""",
        params,
    ).df()
    memberships = (
        con.execute("SELECT * FROM memberships")
        .df()
        .astype({"joined_year": "float64", "left_year": "float64"})
    )
    flows = con.execute(
        "SELECT reporter_iso3, partner_code, partner_is_aggregate, year, flow, value_usd, "
        f"estimated FROM trade_flows {where}",
        params,
    ).df()
    if flows.empty:
        trade = pd.DataFrame(columns=["iso3", "year", "west", "CHN", "RUS", "world"])
    else:
        trade = side_trade(pole_trade(flows.astype({"year": "int64"}), memberships))
    gdp = con.execute(f"SELECT iso3, year, gdp_usd FROM wdi {where}", params).df()
    return Inputs(
        votes=votes,
        roll_calls=roll_calls,
        memberships=memberships,
        trade=trade.astype({"year": "int64"}),
        gdp=gdp.astype({"year": "int64"}),
    )
