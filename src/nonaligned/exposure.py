"""Economic exposure questions to the store: trade with the poles, concentration, growth,
official finance from China and the United States. Each answer is a tidy DataFrame.

These functions read only the rows a question needs from the store's
``trade_flows``, ``memberships``, ``debt_to_china``, ``wdi``,
``gcdf_country_commitments`` and ``us_aid`` tables and pass them to the pure measures in
:mod:`nonaligned.measures.trade` and :mod:`nonaligned.measures.finance`; the
CLI only formats what is returned here. docs/trade.md documents the methods.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from nonaligned import query
from nonaligned.errors import QueryError
from nonaligned.measures import finance as finance_measures
from nonaligned.measures import trade as trade_measures
from nonaligned.query import check_country

if TYPE_CHECKING:
    from nonaligned.session import Store

__all__ = [
    "GCDF_PERIOD",
    "concentration",
    "finance",
    "official_finance",
    "trade",
    "trade_coverage",
    "trade_growth",
]

GCDF_PERIOD = "2000-2021"


def trade_coverage(store: Store) -> tuple[int, int]:
    """First and last year of the trade data in the store."""
    first, last = query.year_span(store, "trade_flows")
    if first is None:
        raise QueryError("the store has no trade data: rebuild it with `nonaligned build`")
    return int(first), int(last)


def _check_year(store: Store, year: int | None, what: str = "year") -> None:
    if year is None:
        return
    first, last = trade_coverage(store)
    if not first <= year <= last:
        raise QueryError(
            f"{what} {year} is outside the trade data's coverage, {first}-{last} "
            "(IMF DOTS 2022 snapshot); outside it trade is missing, not zero"
        )


def trade(
    store: Store,
    iso3: str,
    year: int | None = None,
    include_hk_macao: bool = False,
) -> pd.DataFrame:
    """A country's goods trade with each pole and the world, per year (all years if none).

    Columns: ``iso3, year, partner`` (USA, CHN, RUS, EU, WLD), ``exports_usd,
    imports_usd, total_usd`` (US dollars), ``share`` (of total trade with the
    world), ``exports_share, imports_share``, ``mirrored`` (taken from
    partners' reports because the country reported nothing that year),
    ``estimated`` (an IMF estimate is among the components),
    ``importer_replaced`` (always false: these are the reporter's figures,
    without the importer check of
    :func:`nonaligned.measures.trade.partner_flows`). Amounts with no data are
    missing, never zero. CHN is mainland China unless ``include_hk_macao``.
    """
    code = check_country(store, iso3)
    _check_year(store, year)
    flows = query.trade_flows(store, None if year is None else [year], [code])
    table = trade_measures.pole_trade(
        flows, query.memberships(store), include_hk_macao=include_hk_macao, engine=store.engine
    )
    table = table[table.iso3 == code].reset_index(drop=True)
    if table.empty:
        when = f" in {year}" if year is not None else ""
        raise QueryError(f"no trade data for {code}{when}, neither reported nor mirrored")
    return table


def trade_growth(
    store: Store,
    partner: str,
    from_year: int,
    to_year: int,
    region: str | None = None,
    iso3: str | None = None,
    flow: str = "total",
    include_hk_macao: bool = False,
) -> pd.DataFrame:
    """Growth multiple of trade with ``partner`` between two years, for a region or a country.

    ``partner`` is a pole (USA, CHN, RUS, EU), WLD or any ISO3 code; give
    exactly one of ``region`` (UN M49 region or sub-region, e.g. "Latin
    America and the Caribbean") and ``iso3``. A region sums its members with
    a value in both years. Columns: ``region`` (or ``iso3``), ``partner, flow,
    from_year, to_year, value_from_usd, value_to_usd, multiple, n_countries``.
    """
    if (region is None) == (iso3 is None):
        raise QueryError("give exactly one of a region and a country (iso3)")
    if flow not in ("exports", "imports", "total"):
        raise QueryError(f"unknown flow {flow!r}: use exports, imports or total")
    if from_year > to_year:
        raise QueryError(f"the start year {from_year} is after the end year {to_year}")
    partner = partner.strip().upper()
    if partner not in (*trade_measures.POLES, trade_measures.WORLD):
        partner = check_country(store, partner)
    _check_year(store, from_year, "from year")
    _check_year(store, to_year, "to year")
    if iso3 is not None:
        iso3 = check_country(store, iso3)
        members = [iso3]
    else:
        try:
            members = sorted(trade_measures.region_members(region))
        except ValueError as exc:
            raise QueryError(str(exc)) from None
    flows = query.trade_flows(store, sorted({from_year, to_year}), members)
    table = trade_measures.growth(
        flows,
        query.memberships(store),
        partner=partner,
        from_year=from_year,
        to_year=to_year,
        iso3=iso3,
        region=region,
        flow=flow,  # type: ignore[arg-type]
        include_hk_macao=include_hk_macao,
    )
    return table.rename(columns={"area": "region" if region is not None else "iso3"})


def concentration(store: Store, year: int | None = None) -> pd.DataFrame:
    """Hirschman-Herfindahl index of each country's trade partners: ``iso3, year,
    hhi_exports, hhi_imports, hhi_total`` (one year, or all years if none)."""
    _check_year(store, year)
    flows = query.trade_flows(store, None if year is None else [year])
    return trade_measures.concentration(flows, engine=store.engine).rename_axis(columns=None)


def finance(store: Store, iso3: str) -> pd.DataFrame:
    """Official finance from China for one country.

    One row per year of the Horn-Reinhart-Trebesch debt stock (2000-2017):
    ``iso3, year, debt_to_china_usd, gdp_usd`` (WDI), ``debt_to_china_pct_gdp``
    (percent of WDI GDP), ``debt_to_china_pct_gdp_hrt`` (the authors' ratio).
    AidData GCDF 3.0 only gives a 2000-2021 *total* of commitments per
    country, which belongs to no single year: it is repeated on every row in
    ``gcdf_commitments_usd`` (constant 2021 US$) and
    ``gcdf_weighted_interest_rate``, with ``gcdf_period`` = "2000-2021"
    saying so; never add it up over years. A country with GCDF commitments
    but no HRT debt gets a single row with a missing year. Missing where
    unknown, never zero.
    """
    code = check_country(store, iso3)
    debt = query.debt_to_china(store, code)
    wdi = query.wdi(store, code)
    gcdf = query.gcdf_commitments(store, code)
    if debt.empty and gcdf.empty:
        raise QueryError(
            f"no official finance data for {code}: neither Horn-Reinhart-Trebesch (2000-2017) "
            "nor AidData GCDF 3.0 covers it"
        )
    table = finance_measures.china_debt(
        debt.astype({"year": "int64"}), wdi.astype({"year": "int64"})
    )
    if table.empty:
        table = pd.DataFrame({"iso3": [code], "year": [pd.NA]}).reindex(columns=table.columns)
    table["year"] = table.year.astype("Int64")
    known = not gcdf.empty
    table["gcdf_commitments_usd"] = gcdf.commitments_usd.iloc[0] if known else np.nan
    table["gcdf_weighted_interest_rate"] = gcdf.weighted_interest_rate.iloc[0] if known else np.nan
    table["gcdf_period"] = GCDF_PERIOD if known else None
    return table


def official_finance(store: Store, iso3: str) -> pd.DataFrame:
    """Official finance from both poles for one country, each row saying what it measures.

    US net aid per year (WDI, 2001-2023), beside the debt owed to China per
    year (Horn-Reinhart-Trebesch, 2000-2017) and AidData's 2000-2021
    commitments total, in US$ and percent of the same year's WDI GDP: see
    :func:`nonaligned.measures.finance.official_finance` for the columns and
    :data:`nonaligned.measures.finance.MEASURES_NOTE` for what each measures.
    A year outside a source's coverage has no row for it, never a zero.
    """
    code = check_country(store, iso3)
    debt, aid = query.debt_to_china(store, code), query.us_aid(store, code)
    gcdf, wdi = query.gcdf_commitments(store, code), query.wdi(store, code)
    if debt.empty and aid.empty and gcdf.empty:
        raise QueryError(
            f"no official finance data for {code}: neither US net aid (WDI, 2001-2023), "
            "Horn-Reinhart-Trebesch (2000-2017) nor AidData GCDF 3.0 covers it"
        )
    return finance_measures.official_finance(
        debt.astype({"year": "int64"}),
        aid.astype({"year": "int64"}),
        gcdf,
        wdi.astype({"year": "int64"}),
    )
