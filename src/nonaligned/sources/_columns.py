"""Column checks shared by the finance and WDI parsers, each failure naming file, line and field.

Tables read as text keep their physical line numbers (header = line 1, first
data row = line 2, the default ``first_line``), so a bad value is reported
where a person can find it; R data frames pass ``first_line=1`` (row numbers).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from nonaligned.countries import country_table
from nonaligned.errors import DataError, UnknownCountryError


def line_of(frame: pd.DataFrame, mask: pd.Series, first_line: int = 2) -> int:
    """Line of the first row flagged in ``mask`` (frame read with a default index)."""
    return int(frame.index[mask.to_numpy().argmax()]) + first_line


def numeric(
    frame: pd.DataFrame,
    field: str,
    path: Path,
    *,
    thousands: bool = False,
    required: bool = True,
    first_line: int = 2,
) -> pd.Series:
    """``frame[field]`` as float64; blanks stay missing unless ``required``, text is an error."""
    text = frame[field]
    if text.dtype.kind != "f":
        text = text.astype("string").str.strip()
        if thousands:
            text = text.str.replace(",", "", regex=False)
    values = pd.to_numeric(text, errors="coerce").astype("float64")
    bad = values.isna() & (frame[field].notna() if not required else True)
    if bool(bad.any()):
        raise DataError(
            f"not a number: {frame[field][bad].iloc[0]!r}",
            path=path,
            line=line_of(frame, bad, first_line),
            field=field,
        )
    return values


def years(frame: pd.DataFrame, field: str, path: Path, first_line: int = 2) -> pd.Series:
    """``frame[field]`` as int64 years; anything else is an error."""
    values = numeric(frame, field, path, first_line=first_line)
    bad = (values % 1 != 0) | (values < 1900) | (values > 2100)
    if bool(bad.any()):
        raise DataError(
            f"not a year: {frame[field][bad].iloc[0]!r}",
            path=path,
            line=line_of(frame, bad, first_line),
            field=field,
        )
    return values.astype("int64")


def known_iso3(frame: pd.DataFrame, field: str, path: Path, first_line: int = 2) -> pd.Series:
    """``frame[field]`` checked against the countries module's ISO3 codes."""
    codes = frame[field].astype("string").str.strip().str.upper()
    bad = ~codes.isin(set(country_table().ISO3.dropna()))
    if bool(bad.any()):
        raise UnknownCountryError(
            f"unknown ISO3 code {frame[field][bad].iloc[0]!r}",
            path=path,
            line=line_of(frame, bad, first_line),
            field=field,
        )
    return codes.astype("str")


def unique_keys(frame: pd.DataFrame, keys: list[str], path: Path, first_line: int = 2) -> None:
    """Fail on the first repeated key, since a tidy table has one row per key."""
    repeated = frame.duplicated(keys)
    if bool(repeated.any()):
        first = frame[repeated].iloc[0]
        raise DataError(
            "repeated key " + ", ".join(f"{k}={first[k]!r}" for k in keys),
            path=path,
            line=line_of(frame, repeated, first_line),
            field=keys[0],
        )
