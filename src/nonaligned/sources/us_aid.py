"""Net bilateral aid from the United States by recipient, 2001-2023 (WDI DC.DAC.USAL.CD).

The Western side of official finance, set beside Chinese official finance
(:mod:`nonaligned.sources.hrt`, :mod:`nonaligned.sources.aiddata`). It is a
*flow* measured the OECD-DAC way: grants and concessional loans disbursed in
the year less repayments received, so a value can be negative (160 rows of
the known version are). It is neither a debt stock (HRT) nor a promise
(AidData commitments), and the three must not be added up.

The World Bank API (:data:`API_URL`) is where the series is published; the
known version is a third-party copy of one download from it, kept with its
checksum so that a build is reproducible. Its amounts carry the
single-precision artefacts of that API (Afghanistan 2001 is 7699999.80926514,
not 7.7 million): they are kept as published, an error of about one part in
ten million. A recipient-year the API leaves empty is absent from the copy,
and stays missing here, never zero.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from nonaligned.sources._columns import known_iso3, numeric, unique_keys, years
from nonaligned.sources._read import parser, read_csv
from nonaligned.sources.base import RemoteFile, Source

__all__ = ["API_URL", "COLUMNS", "INDICATOR", "SOURCE", "parse"]

INDICATOR = "DC.DAC.USAL.CD"
API_URL = (
    f"https://api.worldbank.org/v2/country/all/indicator/{INDICATOR}?format=json&per_page=20000"
)
COPY_COMMIT = "73709f9036b24fc7322391188995862e549e5ca1"

SOURCE = Source(
    name="us_aid",
    title="World Bank WDI: net bilateral aid flows from the United States (current US$)",
    version=f"WDI {INDICATOR} 2001-2023 as downloaded from the World Bank API, "
    f"copy in Satya-20023/us-foreign-aid-viz@{COPY_COMMIT[:7]}; published at {API_URL}",
    files=(
        RemoteFile(
            relpath="finance/us_aid/us_bilateral_aid.csv",
            url="https://raw.githubusercontent.com/Satya-20023/us-foreign-aid-viz/"
            f"{COPY_COMMIT}/data/us_bilateral_aid.csv",
            sha256="84e5bd4893e93b0175ced6b69a3a2c040dedd52c3a0747c02774cd10c563eda6",
            size=118291,
        ),
    ),
    citation="World Bank, World Development Indicators: Net bilateral aid flows from DAC donors, "
    f"United States (current US$), {INDICATOR}; OECD Development Assistance Committee data.",
    bibtex="@misc{worldbank_wdi_us_aid,\n  author = {{World Bank} and {OECD DAC}},\n"
    "  title = {World Development Indicators: Net bilateral aid flows from DAC donors, "
    f"United States (current US\\$), {INDICATOR}}},\n"
    f"  howpublished = {{\\url{{{API_URL}}}}}\n}}",
    terms="World Bank data under CC BY 4.0 (cite the World Bank, WDI, and OECD DAC).",
    coverage="162 recipient countries x 2001-2023, net bilateral aid from the US, current US$ "
    "(flows; negative where repayments exceed disbursements)",
)

RAW_COLUMNS = ["year", "country", "country_iso", "aid_usd"]
COLUMNS = ["iso3", "year", "us_net_aid_usd"]


@parser
def parse(path: Path) -> pd.DataFrame:
    """One row per recipient-year that the World Bank publishes.

    Columns: ``iso3`` (str), ``year`` (int64), ``us_net_aid_usd`` (float64,
    current US dollars, negative where repayments exceeded disbursements).
    Unique on (iso3, year). A code the countries module does not know, a
    value that is not a number and a repeated recipient-year are errors
    naming the file, line and field.
    """
    raw = read_csv(path, RAW_COLUMNS)
    table = pd.DataFrame(
        {
            "iso3": known_iso3(raw, "country_iso", path),
            "year": years(raw, "year", path),
            "us_net_aid_usd": numeric(raw, "aid_usd", path),
        }
    )
    unique_keys(table, ["iso3", "year"], path)
    return table.sort_values(["iso3", "year"], ignore_index=True)
