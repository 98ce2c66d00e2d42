"""AidData Global Chinese Development Finance 3.0: commitments, 2000-2021.

The full project-level GCDF 3.0 file is too large for the mirror; what ships
are the two summary tables of the aiddataviz R package: total commitments
per recipient country over 2000-2021, and world commitments per year and
flow class (ODA-like, OOF-like, vague). There is no country-year panel, so
nothing here can be joined to a single year. Amounts are constant 2021 US
dollars (unlike HRT and WDI, which are current dollars). The package's GDP
and population columns come from IMF WEO and are not re-exported: WDI is the
project's one source for normalisation.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from nonaligned.sources._columns import known_iso3, numeric, unique_keys, years
from nonaligned.sources._read import parser, read_rda, require_columns
from nonaligned.sources.base import RemoteFile, Source

__all__ = [
    "COUNTRY_COLUMNS",
    "FIRST_YEAR",
    "LAST_YEAR",
    "SOURCE",
    "YEARLY_COLUMNS",
    "parse_country_commitments",
    "parse_yearly_flows",
]

COMMIT = "263376f6ef15e0f1728b47230cb4f2e2ea8fa0d7"
RAW_URL = f"https://raw.githubusercontent.com/Teal-Insights/aiddataviz/{COMMIT}/data"
BILLION = 1_000_000_000.0
FIRST_YEAR, LAST_YEAR = 2000, 2021  # commitment years summed in the country table

SOURCE = Source(
    name="aiddata_gcdf3",
    title="AidData Global Chinese Development Finance Dataset 3.0 (aiddataviz summaries)",
    version=f"3.0 (Teal-Insights/aiddataviz@{COMMIT[:7]})",
    files=(
        RemoteFile(
            relpath="finance/gcdf3_country_commitments.rda",
            url=f"{RAW_URL}/gcdf_country_commitments.rda",
            sha256="88192ac05f56781f30d5cc67a63f12de5b2fffc058b18f6d528c52661e86bb4d",
            size=6077,
        ),
        RemoteFile(
            relpath="finance/gcdf3_yearly_flows.rda",
            url=f"{RAW_URL}/gcdf_yearly_flows.rda",
            sha256="71c418da55373eefc385d4ab884c450c92198ac2c73624646fe853e9bcbbae56",
            size=1084,
        ),
    ),
    citation="Custer, S., Dreher, A., Elston, T.-B., Escobar, B., Fedorochko, R., Fuchs, A., "
    "Ghose, S., Lin, J., Malik, A., Parks, B. C., Solomon, K., Strange, A., Tierney, M. J., "
    "Vlasceanu, L., Walsh, K., Zhang, S. (2023). Tracking Chinese Development Finance: An "
    "Application of AidData's TUFF 3.0 Methodology. Williamsburg, VA: AidData at William & "
    "Mary. Global Chinese Development Finance Dataset, Version 3.0; summaries from the "
    "aiddataviz R package.",
    bibtex="@techreport{custer2023gcdf3,\n  author = {Custer, Samantha and others},\n"
    "  title = {Tracking Chinese Development Finance: An Application of AidData's TUFF 3.0 "
    "Methodology},\n  institution = {AidData at William \\& Mary},\n  year = {2023}\n}",
    terms="AidData requires attribution; check its terms before redistributing. "
    "aiddataviz is MIT-licensed.",
    coverage="145 recipient countries (totals 2000-2021); world yearly flows 2000-2021 by flow "
    "class; constant 2021 US$; records recommended for aggregates only",
)

COUNTRY_COLUMNS = ["iso3", "commitments_usd", "weighted_interest_rate"]
YEARLY_COLUMNS = ["year", "flow_class", "commitments_usd"]


@parser
def parse_country_commitments(path: Path) -> pd.DataFrame:
    """Total commitments per recipient over :data:`FIRST_YEAR`-:data:`LAST_YEAR`.

    Columns: ``iso3`` (str), ``commitments_usd`` (float64, constant 2021 US
    dollars), ``weighted_interest_rate`` (float64, percent, missing where
    AidData has none). Unique on iso3.
    """
    raw = read_rda(path, "gcdf_country_commitments")
    require_columns(raw, ["iso3c", "total_commitments_bn", "weighted_interest_rate"], path)
    raw = raw.reset_index(drop=True)
    table = pd.DataFrame(
        {
            "iso3": known_iso3(raw, "iso3c", path, first_line=1),
            "commitments_usd": numeric(raw, "total_commitments_bn", path, first_line=1) * BILLION,
            "weighted_interest_rate": numeric(
                raw, "weighted_interest_rate", path, required=False, first_line=1
            ),
        }
    )
    unique_keys(table, ["iso3"], path, first_line=1)
    return table.sort_values("iso3", ignore_index=True)


@parser
def parse_yearly_flows(path: Path) -> pd.DataFrame:
    """World commitments per year and flow class (no country breakdown exists).

    Columns: ``year`` (int64), ``flow_class`` (str), ``commitments_usd``
    (float64, constant 2021 US dollars). Unique on (year, flow_class).
    """
    raw = read_rda(path, "gcdf_yearly_flows")
    require_columns(raw, ["commitment_year", "flow_class", "commitments_bn"], path)
    raw = raw.reset_index(drop=True)
    table = pd.DataFrame(
        {
            "year": years(raw, "commitment_year", path, first_line=1),
            "flow_class": raw["flow_class"].astype("str"),
            "commitments_usd": numeric(raw, "commitments_bn", path, first_line=1) * BILLION,
        }
    )
    unique_keys(table, ["year", "flow_class"], path, first_line=1)
    return table.sort_values(["year", "flow_class"], ignore_index=True)
