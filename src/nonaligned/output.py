"""Render a DataFrame as a rich table, JSON records or CSV, the same way for every command.

JSON is a list of flat records with snake_case keys; dates are ISO 8601
strings and missing values are ``null``, so that any client can read it.
"""

from __future__ import annotations

import enum
import io
import json

import pandas as pd
from rich.console import Console
from rich.table import Table


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


def records(frame: pd.DataFrame) -> list[dict]:
    """JSON-ready records: ISO dates, None for missing values, plain Python scalars."""
    return json.loads(
        _plain_dates(frame).to_json(orient="records", date_format="iso", date_unit="s")
    )


def render(frame: pd.DataFrame, fmt: Format, console: Console, title: str | None = None) -> None:
    if fmt is Format.json:
        console.file.write(json.dumps(records(frame), ensure_ascii=False, indent=1) + "\n")
    elif fmt is Format.csv:
        buffer = io.StringIO()
        _plain_dates(frame).to_csv(buffer, index=False)
        console.file.write(buffer.getvalue())
    else:
        table = Table(title=title)
        for column in frame.columns:
            table.add_column(str(column))
        for row in frame.itertuples(index=False):
            table.add_row(*("" if pd.isna(v) else str(v) for v in row))
        console.print(table)
