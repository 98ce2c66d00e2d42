"""Correlates of War state system codes (v2016): the key of Voeten's vote file."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from nonaligned.countries import cow_table
from nonaligned.errors import DataError
from nonaligned.sources._read import parser, read_csv
from nonaligned.sources.base import RemoteFile, Source

SOURCE = Source(
    name="cow",
    title="Correlates of War State System Membership List (country codes)",
    version="v2016",
    files=(
        RemoteFile(
            relpath="countries/COW-country-codes.csv",
            url="https://raw.githubusercontent.com/vhenley/quantIIIproject/"
            "428b4ba29c5aaa961195c3fe9f5c4eb7f4673f47/COW-country-codes.csv",
            sha256="04552fea8ac09e05e73fc9119dbf88d5003edb87dba80b6cbb265e0e36400bd3",
            size=5331,
        ),
    ),
    citation="Correlates of War Project. 2017. State System Membership List, v2016. "
    "Online, http://correlatesofwar.org.",
    bibtex="@misc{cow2017,\n  author = {{Correlates of War Project}},\n"
    "  title = {State System Membership List, v2016},\n  year = {2017},\n"
    "  howpublished = {\\url{http://correlatesofwar.org}}\n}",
    terms="Freely available for research use; cite the Correlates of War Project.",
    coverage="243 rows (217 distinct states), 1816-2016",
)


@parser
def parse(path: Path) -> pd.DataFrame:
    """COW numbers with their ISO3: columns ``cow_code, cow_abb, name, iso3``."""
    raw = read_csv(path, ["StateAbb", "CCode", "StateNme"])
    codes = pd.to_numeric(raw.CCode, errors="coerce")
    bad = codes.isna()
    if bad.any():
        row = int(bad.to_numpy().argmax()) + 2  # header is line 1
        raise DataError(
            f"not a COW number: {raw.CCode[bad].iloc[0]!r}", path=path, line=row, field="CCode"
        )
    raw = raw.assign(CCode=codes.astype("int64"))
    table = cow_table(raw)
    abbreviations = raw.drop_duplicates("CCode").set_index("CCode").StateAbb
    table["cow_abb"] = table.cow_code.map(abbreviations)
    return table[["cow_code", "cow_abb", "name", "iso3"]]
