"""World Bank WDI GDP (current US$) and population, for normalising trade and debt.

Both files are the Datahub "core" long-format copies of WDI indicators
NY.GDP.MKTP.CD and SP.POP.TOTL. They mix countries with regional and income
aggregates (WLD, SSF, EUU, ...); only codes the countries module knows as
countries are kept, and the dropped aggregate codes are logged with a count.
Missing country-years are simply absent upstream and stay missing here.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd

from nonaligned.countries import country_table
from nonaligned.sources._columns import numeric, unique_keys, years
from nonaligned.sources._read import parser, read_csv
from nonaligned.sources.base import RemoteFile, Source

__all__ = ["COLUMNS", "SOURCE", "parse"]

log = logging.getLogger(__name__)

SOURCE = Source(
    name="wdi",
    title="World Bank World Development Indicators: GDP (current US$) and population",
    version="Datahub core datasets, March 2026 (datasets/gdp@822019c, datasets/population@425fc44)",
    files=(
        RemoteFile(
            relpath="wdi/gdp_current_usd.csv",
            url="https://raw.githubusercontent.com/datasets/gdp/"
            "822019c80142c162e4ca4eb1a63699ae36075078/data/gdp.csv",
            sha256="f0a8408195646dbb1a9d7fc4424e2d302ee5380d0ec8834793f12ca25cbd7e2c",
            size=576746,
        ),
        RemoteFile(
            relpath="wdi/population.csv",
            url="https://raw.githubusercontent.com/datasets/population/"
            "425fc447a53a26c767a15a7de60c4cc2478a0595/data/population.csv",
            sha256="7d2dd6a17f5ed7916de1f89a9c116791e64d207f2e2f6ce47c57e1ab46f0088a",
            size=552112,
        ),
    ),
    citation="World Bank, World Development Indicators: GDP (current US$), NY.GDP.MKTP.CD, "
    "and Population, total, SP.POP.TOTL; via Datahub core datasets (2026).",
    bibtex="@misc{worldbank_wdi,\n  author = {{World Bank}},\n"
    "  title = {World Development Indicators: NY.GDP.MKTP.CD and SP.POP.TOTL},\n"
    "  year = {2026},\n  note = {Via Datahub core datasets datasets/gdp and "
    "datasets/population}\n}",
    terms="World Bank data under CC BY 4.0; Datahub packaging under ODC-PDDL-1.0.",
    coverage="GDP 1960-2023, population 1960-2024, countries and aggregates (aggregates dropped)",
)

RAW_COLUMNS = ["Country Name", "Country Code", "Year", "Value"]
COLUMNS = ["iso3", "year", "gdp_usd", "population"]


def _indicator(path: Path, name: str) -> pd.DataFrame:
    raw = read_csv(path, RAW_COLUMNS)
    codes = raw["Country Code"].str.strip().str.upper()
    is_country = codes.isin(set(country_table().ISO3.dropna()))
    dropped = sorted(set(codes[~is_country].dropna()))
    if dropped:
        log.info(
            "WDI %s: dropped %d aggregate code(s): %s", path.name, len(dropped), ", ".join(dropped)
        )
    kept = raw[is_country]
    table = pd.DataFrame(
        {
            "iso3": codes[is_country].astype("str"),
            "year": years(kept, "Year", path),
            name: numeric(kept, "Value", path),
        }
    )
    unique_keys(table, ["iso3", "year"], path)
    return table


@parser
def parse(gdp: Path, population: Path) -> pd.DataFrame:
    """GDP and population per country-year (outer join: either may be missing).

    Columns: ``iso3`` (str), ``year`` (int64), ``gdp_usd`` (float64, current US
    dollars), ``population`` (float64, persons). Unique on (iso3, year).
    """
    table = _indicator(gdp, "gdp_usd").merge(
        _indicator(population, "population"), on=["iso3", "year"], how="outer"
    )
    return table[COLUMNS].sort_values(["iso3", "year"], ignore_index=True)
