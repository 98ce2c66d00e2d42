"""High-level engagement questions to the store: US Presidents' and Secretaries' trips.

The store's ``us_travels`` table (Office of the Historian) records every
foreign trip of the US President and of the Secretary of State. It is
one-sided evidence: the mirror holds no comparable record of Chinese or
Russian leaders' trips, so a count of US visits says how much Washington
courted a country, not how the country stands between the poles, and it
does not enter the index (docs/engagement.md). Every answer here says so.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from nonaligned import query
from nonaligned.errors import QueryError
from nonaligned.query import check_country

if TYPE_CHECKING:
    from nonaligned.session import Store

__all__ = ["ONE_SIDED", "ROLES", "coverage", "us_trips"]

ROLES = ("president", "secretary")
ONE_SIDED = (
    "US engagement only: no comparable record of Chinese or Russian leaders' trips exists "
    "in the data, so this is not a measure of alignment"
)


def coverage(store: Store) -> str:
    """The span of the trip record, e.g. "1866-01-09 to 2025-02-19", for titles and notes."""
    first, last = query.year_span(store, "us_travels", "start_date", "end_date")
    if first is None:
        raise QueryError("the store has no US travel data: rebuild it with `nonaligned build`")
    return f"{first:%Y-%m-%d} to {last:%Y-%m-%d}"


def us_trips(store: Store, iso3: str, role: str | None = None) -> pd.DataFrame:
    """Every recorded trip of a US President or Secretary of State to one country.

    One row per trip (a tour of several countries is one trip per country),
    by year, then role (president first), then start date. Columns:
    ``year, role, traveller, start_date, end_date, country_name`` (as the
    Office printed it at the time, e.g. "U.S.S.R." for RUS), ``locale``
    (the places, missing where the Office gives none) and ``remarks`` (whom
    they met, which summit). ``role`` keeps one of :data:`ROLES`. No row is
    no recorded trip within :func:`coverage`, not missing data.
    """
    code = check_country(store, iso3)
    if role is not None and role not in ROLES:
        raise QueryError(f"unknown role {role!r}: use {' or '.join(ROLES)}")
    roles = [role] if role else list(ROLES)
    return query.us_trips(store, code, roles)
