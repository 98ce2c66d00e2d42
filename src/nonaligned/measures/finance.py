"""Official finance from China and from the United States, normalised by GDP.

Three different quantities, kept apart on purpose (docs/finance.md):

* the Horn-Reinhart-Trebesch **stock** of debt owed to China per
  country-year (what a country owes at the end of the year);
* AidData's **commitments** (what China promised), which the mirror only
  has as 2000-2021 country totals and world yearly flows. A commitment total
  cannot be placed in a single year, so it is not joined to any year;
* the World Bank's **net aid flow** from the United States per country-year
  (disbursed in the year less repaid, so possibly negative).

A flow, a stock and a promise do not add up, and no total across them is
offered. Shares of GDP use the WDI GDP of the same year in current US dollars
(the dollars of the HRT stock and of US aid); a missing GDP or value gives a
missing share, never zero.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = [
    "COMMITMENTS",
    "DEBT_STOCK",
    "MEASURES_NOTE",
    "NET_AID",
    "china_commitments",
    "china_debt",
    "official_finance",
    "us_net_aid",
]

# What each row of :func:`official_finance` measures, said plainly.
NET_AID = "net aid flow (disbursed less repaid in the year)"
DEBT_STOCK = "debt stock (owed at the end of the year)"
COMMITMENTS = "commitments (promised, 2000-2021 total, no single year)"
MEASURES_NOTE = (
    "Three different measures, never to be added: US net aid is a flow (grants and "
    "concessional loans disbursed in the year less repayments, negative where repayments "
    "exceed them); debt owed to China is a stock (what is owed at the end of the year); "
    "Chinese commitments are promises summed over 2000-2021 in constant 2021 US$. "
    "Percent of GDP divides by the WDI GDP of the same year (gdp_year)."
)
OFFICIAL_COLUMNS = [
    "iso3",
    "year",
    "pole",
    "measure",
    "value_usd",
    "dollars",
    "gdp_year",
    "pct_gdp",
    "source",
]


def _ratio(numerator: pd.Series, denominator: pd.Series, scale: float = 1.0) -> np.ndarray:
    """``scale * numerator / denominator``, missing where the denominator is missing or not
    positive: a ratio over no GDP or population is unknown, never zero or infinite."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(denominator > 0, scale * numerator / denominator, np.nan)


def _with_gdp(table: pd.DataFrame, wdi: pd.DataFrame, value: str, pct: str) -> pd.DataFrame:
    """``table`` with the WDI GDP of each row's own year and ``value`` in percent of it."""
    table = table.merge(wdi[["iso3", "year", "gdp_usd"]], on=["iso3", "year"], how="left")
    table[pct] = _ratio(table[value], table.gdp_usd, 100.0)
    return table


def china_debt(hrt: pd.DataFrame, wdi: pd.DataFrame) -> pd.DataFrame:
    """Debt owed to China per country-year, level and percent of GDP.

    ``hrt`` is :func:`nonaligned.sources.hrt.parse`, ``wdi`` is
    :func:`nonaligned.sources.wdi.parse`. Rows are HRT's country-years only
    (2000-2017): outside them the debt is unknown, so there is no row.
    Columns: ``iso3, year, debt_to_china_usd, gdp_usd, debt_to_china_pct_gdp``
    (WDI GDP) and ``debt_to_china_pct_gdp_hrt`` (the authors' own ratio, on
    their GDP figures). The two mostly agree (median ratio about 1) but differ
    where WDI has since revised GDP, e.g. Angola after its 2016 rebasing.
    """
    table = _with_gdp(
        hrt[["iso3", "year", "debt_to_china_usd", "debt_to_china_pct_gdp_hrt"]],
        wdi,
        "debt_to_china_usd",
        "debt_to_china_pct_gdp",
    )
    columns = [
        "iso3",
        "year",
        "debt_to_china_usd",
        "gdp_usd",
        "debt_to_china_pct_gdp",
        "debt_to_china_pct_gdp_hrt",
    ]
    return table[columns].sort_values(["iso3", "year"], ignore_index=True)


def china_commitments(gcdf: pd.DataFrame, wdi: pd.DataFrame) -> pd.DataFrame:
    """AidData commitments 2000-2021 per recipient, with the period's population and GDP.

    ``gcdf`` is :func:`nonaligned.sources.aiddata.parse_country_commitments`.
    Columns: ``iso3, commitments_usd`` (constant 2021 US$),
    ``weighted_interest_rate``, ``commitments_per_capita_usd`` (over the
    population of the last commitment year, missing where WDI has none).
    No GDP share is offered: the commitments are in constant 2021 dollars and
    summed over 22 years, and no single GDP figure matches that without a
    deflator the project does not have.
    """
    from nonaligned.sources.aiddata import LAST_YEAR

    population = wdi.loc[wdi.year == LAST_YEAR, ["iso3", "population"]]
    table = gcdf.merge(population, on="iso3", how="left")
    table["commitments_per_capita_usd"] = _ratio(table.commitments_usd, table.population)
    return table.drop(columns="population").sort_values("iso3", ignore_index=True)


def us_net_aid(aid: pd.DataFrame, wdi: pd.DataFrame) -> pd.DataFrame:
    """US net bilateral aid per country-year, level and percent of the same year's GDP.

    ``aid`` is :func:`nonaligned.sources.us_aid.parse`. Rows are the
    published recipient-years only (2001-2023). Columns: ``iso3, year,
    us_net_aid_usd`` (current US$, negative where repayments exceeded
    disbursements), ``gdp_usd`` (WDI, same year) and ``us_net_aid_pct_gdp``.
    """
    table = _with_gdp(
        aid[["iso3", "year", "us_net_aid_usd"]], wdi, "us_net_aid_usd", "us_net_aid_pct_gdp"
    )
    return table.sort_values(["iso3", "year"], ignore_index=True)


def official_finance(
    debt: pd.DataFrame, aid: pd.DataFrame, gcdf: pd.DataFrame, wdi: pd.DataFrame
) -> pd.DataFrame:
    """Both poles' official finance, one row per measure and year, each saying what it measures.

    ``debt`` is HRT (:func:`nonaligned.sources.hrt.parse`), ``aid`` US net aid
    (:func:`nonaligned.sources.us_aid.parse`), ``gcdf`` AidData's country
    totals (:func:`nonaligned.sources.aiddata.parse_country_commitments`),
    ``wdi`` GDP. Columns: ``iso3, year`` (missing for the commitments total),
    ``pole`` (USA, CHN), ``measure`` (:data:`NET_AID`, :data:`DEBT_STOCK`,
    :data:`COMMITMENTS`), ``value_usd``, ``dollars`` (current, or constant
    2021 for AidData), ``gdp_year`` (the year of the GDP divided by, the
    row's own; missing where WDI has none), ``pct_gdp`` (missing where
    there is no same-year GDP, and for the commitments total) and
    ``source``. Sorted by year, the undated total last.
    """
    china = china_debt(debt, wdi)
    us = us_net_aid(aid, wdi)
    parts = [
        _measure_rows(us, "USA", NET_AID, "us_net_aid_usd", "us_net_aid_pct_gdp", "us_aid"),
        _measure_rows(
            china, "CHN", DEBT_STOCK, "debt_to_china_usd", "debt_to_china_pct_gdp", "hrt"
        ),
        pd.DataFrame(
            {
                "iso3": gcdf.iso3,
                "year": pd.NA,
                "pole": "CHN",
                "measure": COMMITMENTS,
                "value_usd": gcdf.commitments_usd,
                "dollars": "constant 2021",
                "gdp_year": pd.NA,
                "pct_gdp": np.nan,
                "source": "aiddata_gcdf3",
            }
        ),
    ]
    table = pd.concat([p for p in parts if not p.empty], ignore_index=True)
    table = table.reindex(columns=OFFICIAL_COLUMNS)
    table = table.astype({"year": "Int64", "gdp_year": "Int64", "pct_gdp": "float64"})
    return table.sort_values(["iso3", "year", "pole"], na_position="last", ignore_index=True)


def _measure_rows(
    table: pd.DataFrame, pole: str, measure: str, value: str, pct: str, source: str
) -> pd.DataFrame:
    """Rows of :func:`official_finance` from one country-year measure with its GDP share."""
    return pd.DataFrame(
        {
            "iso3": table.iso3,
            "year": table.year,
            "pole": pole,
            "measure": measure,
            "value_usd": table[value],
            "dollars": "current",
            "gdp_year": table.year.where(table.gdp_usd > 0),
            "pct_gdp": table[pct],
            "source": source,
        }
    )
