"""Horn-Reinhart-Trebesch China Debt Stock Database: debt owed to China, 2000-2017.

The only published country-year estimate of the *stock* of debt owed to
Chinese official lenders (disbursed loans less repayments), from Horn,
Reinhart and Trebesch (2021). It is what "how much does X owe Beijing"
means; AidData's commitments (:mod:`nonaligned.sources.aiddata`) measure new
promises instead, and the two must not be mixed.

The file writes amounts with thousands commas and carries about nineteen
empty trailing columns; only the first eight are read. Its GDP column is
rounded to whole billions, so the project normalises by WDI GDP instead and
keeps the authors' own percentage only as ``debt_to_china_pct_gdp_hrt`` for
checks. Romania is coded ``ROM`` (its pre-2002 code) and is mapped to ``ROU``
by an explicit rule; any other unknown code is an error.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from nonaligned.sources._columns import known_iso3, numeric, unique_keys, years
from nonaligned.sources._read import parser, read_csv
from nonaligned.sources.base import RemoteFile, Source

__all__ = ["COLUMNS", "SOURCE", "parse"]

SOURCE = Source(
    name="hrt",
    title="Horn, Reinhart and Trebesch: China Debt Stock Database",
    version="2021 (J. Int. Econ. 133), re-posted in frisbiesa/china_upr_v2@73a29b2",
    files=(
        RemoteFile(
            relpath="finance/HRT_ChinaDebtStockDatabase.csv",
            url="https://raw.githubusercontent.com/frisbiesa/china_upr_v2/"
            "73a29b2b82480786e012a1958ba30ada34a2c0e6/HRT_ChinaDebtStockDatabase.csv",
            sha256="51aa9f3e0c2e2f36b27796e627107beb41ac1ea26ef71b07821d643fe8c048bf",
            size=118698,
        ),
    ),
    citation="Horn, S., Reinhart, C. M. and Trebesch, C. (2021). China's Overseas Lending. "
    "Journal of International Economics 133, 103539.",
    bibtex="@article{horn2021china,\n  author = {Horn, Sebastian and Reinhart, Carmen M. and "
    "Trebesch, Christoph},\n  title = {China's Overseas Lending},\n"
    "  journal = {Journal of International Economics},\n  volume = {133},\n"
    "  pages = {103539},\n  year = {2021}\n}",
    terms="No explicit licence from the authors; cite the paper.",
    coverage="107 borrower countries x 2000-2017, stock of debt owed to China, current US$",
)

# Codes in the file that are not ISO 3166-1: Romania under its pre-2002 UN/IMF code.
LEGACY_CODES = {"ROM": "ROU"}

RAW_COLUMNS = ["Country", "ISO", "Year", "ChinaDebt_USD", "ChinaDebt_GDP"]
COLUMNS = ["iso3", "year", "debt_to_china_usd", "debt_to_china_pct_gdp_hrt"]


@parser
def parse(path: Path) -> pd.DataFrame:
    """One row per country-year.

    Columns: ``iso3`` (str), ``year`` (int64), ``debt_to_china_usd`` (float64,
    current US dollars; a published zero stays zero), ``debt_to_china_pct_gdp_hrt``
    (float64, the authors' percentage of GDP). Unique on (iso3, year).
    """
    raw = read_csv(path, RAW_COLUMNS, encoding="utf-8-sig")
    raw["ISO"] = raw["ISO"].str.strip().replace(LEGACY_CODES)
    table = pd.DataFrame(
        {
            "iso3": known_iso3(raw, "ISO", path),
            "year": years(raw, "Year", path),
            "debt_to_china_usd": numeric(raw, "ChinaDebt_USD", path, thousands=True),
            "debt_to_china_pct_gdp_hrt": numeric(raw, "ChinaDebt_GDP", path, thousands=True),
        }
    )
    unique_keys(table, ["iso3", "year"], path)
    return table.sort_values(["iso3", "year"], ignore_index=True)
