"""What the index reads from the store, for a set of years, in one place."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from nonaligned import query
from nonaligned.index.economic import side_trade
from nonaligned.measures.poles import eu_members
from nonaligned.measures.trade import pole_trade

if TYPE_CHECKING:
    from nonaligned.session import Store


@dataclass(frozen=True)
class Inputs:
    """Votes, roll calls, memberships and side trade for the years asked.

    ``trade`` also holds the store's last trade year when a year asked lies
    beyond it: the index carries that year's economic component forward
    (:meth:`economic_year`).
    """

    votes: pd.DataFrame
    roll_calls: pd.DataFrame
    memberships: pd.DataFrame
    trade: pd.DataFrame  # side_trade(): iso3, year, west, USA, EU, CHN, RUS, world
    last_trade_year: int | None
    eu: dict[int, frozenset[str]]  # EU member states by year, for every year read
    engine: str | None = None  # where the relational parts run: the store session's engine

    def economic_year(self, year: int) -> int | None:
        """The trade year the economic component of ``year`` rests on.

        ``year`` itself up to the store's last trade year, that last year
        after it (carried forward, so that classes do not jump where the
        source ends); None before trade begins.
        """
        if self.last_trade_year is None:
            return None
        return min(year, self.last_trade_year)

    def eu_states(self, year: int) -> frozenset[str]:
        """EU member states in ``year`` (a year of the votes or trade read)."""
        return self.eu.get(year, frozenset())

    def side_members(self, year: int) -> dict[str, set[str]]:
        """Reporters that belong to each side in ``year`` (left out of its expectation)."""
        return {"west": {"USA", *self.eu_states(year)}, "CHN": {"CHN"}, "RUS": {"RUS"}}


def load(store: Store, years: list[int] | None, importer_factor: float | None) -> Inputs:
    """Read the store's rows for ``years`` (all years if None).

    ``importer_factor``: the mirror check of
    :func:`nonaligned.measures.trade.pole_trade` (None: reporter figures).
    """
    roll_calls = query.roll_calls(store, years)
    votes = query.votes(store, years)
    memberships = query.memberships(store)
    last = query.latest(store, "trade_flows", "year")
    trade_years = None if years is None or last is None else sorted({min(y, last) for y in years})
    settings = {"years": trade_years, "importer_factor": importer_factor, "version": 1}
    trade = store.cached(
        "index-side-trade",
        settings,
        lambda: _side_trade(store, trade_years, memberships, importer_factor),
    )
    years_read = np.union1d(roll_calls["year"].unique(), trade["year"].unique()).astype(int)
    eu = eu_members(memberships, years_read).groupby("year")["iso3"].agg(frozenset)
    return Inputs(
        engine=store.engine,
        votes=votes,
        roll_calls=roll_calls,
        memberships=memberships,
        trade=trade.astype({"year": "int64"}),
        last_trade_year=None if last is None else int(last),
        eu={int(year): members for year, members in eu.items()},
    )


def _side_trade(
    store: Store,
    years: list[int] | None,
    memberships: pd.DataFrame,
    importer_factor: float | None,
) -> pd.DataFrame:
    """:func:`~nonaligned.index.economic.side_trade` of the store's flows in ``years``.

    Seconds over the whole record (the importer check pairs 2.2 million
    cells), so :func:`load` keeps it in the store's disk cache.
    """
    flows = query.trade_flows(store, years)
    if flows.empty:
        return pd.DataFrame(columns=["iso3", "year", "west", "USA", "EU", "CHN", "RUS", "world"])
    table = pole_trade(
        flows,
        memberships,
        importer_factor=importer_factor,
        engine=store.engine,
    )
    return side_trade(table)
