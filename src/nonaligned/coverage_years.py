"""How far each component of the store reaches: the "data through" line of briefs and pages.

The seed questions are about the latest years, and the components end in
different years (votes in the current session, trade where the last trade
source ends, debt owed to China in 2017, US aid in 2023, the US travel record in
early 2025). A reader must see that next to every figure, so one function
answers it for the country brief and the web footer alike, read from the
store (never typed in), so that a rebuild or a refresh moves it.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import pandas as pd

from nonaligned import query

if TYPE_CHECKING:
    from nonaligned.session import Store

__all__ = ["COMPONENTS", "data_through", "through_line"]

# (component, what it measures, table, column of its last day or year)
COMPONENTS: tuple[tuple[str, str, str, str], ...] = (
    ("votes", "UN General Assembly recorded votes", "roll_calls", "date"),
    ("trade", "goods trade with each partner", "trade_flows", "year"),
    ("china_debt", "Chinese finance: debt stock owed to China", "debt_to_china", "year"),
    (
        "china_commitments",
        "Chinese finance: official commitments (AidData)",
        "gcdf_yearly_flows",
        "year",
    ),
    ("us_aid", "US net bilateral aid (flow)", "us_aid", "year"),
    ("us_travels", "US President and Secretary of State trips", "us_travels", "end_date"),
)


def data_through(store: Store) -> pd.DataFrame:
    """The last year (and, where the source is dated by day, the last date) of each component.

    One row per :data:`COMPONENTS` entry, in that order: ``component,
    label, last_year`` (nullable integer) and ``last_date`` (ISO date text
    for votes and travels, else missing). A component whose table is
    missing (a store built before the source existed) or empty has no
    last year: missing, so that a page says "no data" rather than fail.
    """
    rows = []
    for component, label, table, column in COMPONENTS:
        last = query.latest(store, table, column)
        dated = isinstance(last, date)
        rows.append(
            {
                "component": component,
                "label": label,
                "last_year": last.year if dated else last,
                "last_date": last.isoformat() if dated else None,
            }
        )
    return pd.DataFrame(rows).astype({"last_year": "Int64"})


def through_line(frame: pd.DataFrame) -> str:
    """One sentence from :func:`data_through`, e.g. "Data through: ... trade 2020 · ...", the
    day where the source has one, "no data" where the component is missing."""
    parts = []
    for row in frame.itertuples(index=False):
        if pd.notna(row.last_date):
            when = row.last_date
        elif pd.notna(row.last_year):
            when = str(row.last_year)
        else:
            when = "no data"
        parts.append(f"{row.label} {when}")
    return "Data through: " + " · ".join(parts) + "."
