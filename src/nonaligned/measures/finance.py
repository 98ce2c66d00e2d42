"""Official finance from China, normalised by GDP.

Two different quantities, kept apart on purpose: the Horn-Reinhart-Trebesch
*stock* of debt owed to China per country-year (what a country owes), and
AidData's *commitments* (what China promised), which the mirror only has as
2000-2021 country totals and world yearly flows. A commitment total cannot be
placed in a single year, so it is not joined to the country-year table.

Shares of GDP use WDI GDP in current US dollars (the same dollars as the HRT
stock); a missing GDP or debt value gives a missing share, never zero.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["china_commitments", "china_debt"]


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
    table = hrt[["iso3", "year", "debt_to_china_usd", "debt_to_china_pct_gdp_hrt"]].merge(
        wdi[["iso3", "year", "gdp_usd"]], on=["iso3", "year"], how="left"
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        table["debt_to_china_pct_gdp"] = np.where(
            table.gdp_usd > 0, 100.0 * table.debt_to_china_usd / table.gdp_usd, np.nan
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
    with np.errstate(divide="ignore", invalid="ignore"):
        table["commitments_per_capita_usd"] = np.where(
            table.population > 0, table.commitments_usd / table.population, np.nan
        )
    return table.drop(columns="population").sort_values("iso3", ignore_index=True)
