"""Render a DataFrame as a rich table, JSON records or CSV, the same way for every command.

JSON is a list of flat records with snake_case keys; dates are ISO 8601
strings and missing values are ``null``, so that any client can read it.
JSON and CSV carry every digit; the table is for reading, so its numbers are
rounded (see :func:`cell`).
"""

from __future__ import annotations

import enum
import io
import json
import math

import numpy as np
import pandas as pd
from rich.console import Console
from rich.table import Table
from rich.text import Text


class Format(enum.StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


def _plain_dates(frame: pd.DataFrame) -> pd.DataFrame:
    """Datetime columns that hold whole days become ``YYYY-MM-DD`` text."""
    frame = frame.copy()
    for column in frame.columns:
        values = frame[column]
        if (
            pd.api.types.is_datetime64_any_dtype(values)
            and (values.dropna().dt.normalize() == values.dropna()).all()
        ):
            frame[column] = values.dt.strftime("%Y-%m-%d")
    return frame


def _json_value(value: object) -> object:
    """A plain Python value for JSON: None for missing or infinite, every float digit kept."""
    if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.isoformat(timespec="seconds")
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def records(frame: pd.DataFrame) -> list[dict]:
    """JSON-ready records: ISO dates, None for missing values, plain Python scalars.

    Floats keep all their digits (pandas' own JSON writer keeps ten decimals),
    so JSON agrees with CSV and with the store.
    """
    rows = _plain_dates(frame).to_dict(orient="records")
    return [{str(k): _json_value(v) for k, v in row.items()} for row in rows]


def cell(value: object) -> str:
    """A table cell: blank when missing; a float to four decimals, without
    trailing zeros, grouped in thousands from 1,000 up, and in scientific
    notation below 0.001 (so a small share is not shown as 0)."""
    if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)):
        return ""
    if not isinstance(value, float):
        return str(value)
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    if 0 < abs(value) < 0.001:
        return f"{value:.2e}"
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def render(frame: pd.DataFrame, fmt: Format, console: Console, title: str | None = None) -> None:
    if fmt is Format.json:
        console.file.write(json.dumps(records(frame), ensure_ascii=False, indent=1) + "\n")
    elif fmt is Format.csv:
        buffer = io.StringIO()
        _plain_dates(frame).to_csv(buffer, index=False)
        console.file.write(buffer.getvalue())
    else:  # Text, not str: a title or cell with brackets is data, never rich markup
        table = Table(title=Text(title) if title is not None else None)
        for column in frame.columns:
            table.add_column(Text(str(column)))
        for row in _plain_dates(frame).itertuples(index=False):
            table.add_row(*(Text(cell(v)) for v in row))
        console.print(table)
