"""Render a DataFrame as a rich table, JSON, CSV, Parquet or Stata, the same way for every command.

JSON is a list of flat records with snake_case keys; dates are ISO 8601
strings and missing values are ``null``, so that any client can read it.
JSON and CSV carry every digit; the table is for reading, so its numbers are
rounded (see :func:`cell`). Parquet and Stata (format 118) are for
researchers' own tools: binary, written to standard output (redirect it to a
file), each carrying the store's build date and its sources: Parquet every
source's version in its schema metadata (key ``nonaligned``, as in
``nonaligned export``), Stata as much as its 80-character dataset label holds
(the build date and the source names).
"""

from __future__ import annotations

import io
import json
import math
import warnings
from contextvars import ContextVar
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from pandas.io.stata import InvalidColumnName
from rich.console import Console
from rich.table import Table
from rich.text import Text

from nonaligned.constants import Format
from nonaligned.errors import UsageError

BINARY = (Format.parquet, Format.dta)
STATA_LABEL_CHARS = 80  # Stata's limit on a dataset label


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


def parquet_bytes(frame: pd.DataFrame, provenance: dict[str, object]) -> bytes:
    """``frame`` as one Parquet file with ``provenance`` in its schema metadata."""
    from nonaligned.export import with_provenance

    table = with_provenance(pa.Table.from_pandas(frame, preserve_index=False), provenance)
    buffer = pa.BufferOutputStream()
    pq.write_table(table, buffer)
    return buffer.getvalue().to_pybytes()


def stata_bytes(frame: pd.DataFrame, provenance: dict[str, object]) -> bytes:
    """``frame`` as a Stata 118 file labelled with the build date and the sources' names.

    Stata has no boolean or nullable integer type: booleans become 0/1 and
    missing values Stata's own missing; text stays text.
    """
    frame = _plain_dates(frame)
    for column in frame.columns:
        values = frame[column]
        if pd.api.types.is_bool_dtype(values) or values.dropna().map(type).eq(bool).all():
            frame[column] = (
                values.astype("float64") if values.isna().any() else values.astype("int8")
            )
        elif pd.api.types.is_string_dtype(values) or values.dtype == object:
            frame[column] = values.astype(object).where(values.notna(), "").astype(str)
        elif pd.api.types.is_integer_dtype(values) and values.isna().any():
            frame[column] = values.astype("float64")
    label = f"nonaligned; built {str(provenance.get('built', '?'))[:10]}; "
    label += "sources: " + ", ".join(provenance.get("sources") or {})
    buffer = io.BytesIO()
    with warnings.catch_warnings():  # Stata's reserved words (class...) get a leading _
        warnings.simplefilter("ignore", InvalidColumnName)
        frame.to_stata(buffer, write_index=False, version=118, data_label=label[:STATA_LABEL_CHARS])
    return buffer.getvalue()


command_store: ContextVar[Path | None] = ContextVar("command_store", default=None)
"""The store the running command reads: set by the CLI's ``--db`` option, so that
binary output records that store's provenance without every command passing it."""


def _command_store_provenance() -> dict[str, object]:
    """The provenance of the store the running command reads, if it has one."""
    from nonaligned.export import provenance

    path = command_store.get()
    return provenance(path) if path is not None and path.is_file() else {}


def render(frame: pd.DataFrame, fmt: Format, console: Console, title: str | None = None) -> None:
    """Print ``frame`` in ``fmt``; binary formats go to the console's file as bytes.

    Binary formats record the provenance of the store the command reads
    (:data:`command_store`); on a terminal they are refused (UsageError):
    their bytes are for a file.
    """
    if fmt in BINARY:
        provenance = _command_store_provenance()
        stream = console.file
        if stream.isatty():
            raise UsageError(f"{fmt} output is binary: redirect it to a file (> result.{fmt})")
        write = parquet_bytes if fmt is Format.parquet else stata_bytes
        stream.flush()
        stream.buffer.write(write(frame, provenance))
        stream.buffer.flush()
    elif fmt is Format.json:
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
