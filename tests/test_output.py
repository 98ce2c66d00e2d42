"""Rendering: the table rounds numbers for reading; JSON and CSV keep every digit."""

from __future__ import annotations

import io
import json

import numpy as np
import pandas as pd
import pytest
from rich.console import Console

from nonaligned.output import Format, cell, records, render


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (-0.19971640623641318, "-0.1997"),
        (0.339, "0.339"),
        (1.0, "1"),
        (-0.00001, "-1.00e-05"),
        (-0.00004, "-4.00e-05"),
        (0.0, "0"),
        (-0.00000000, "0"),
        (20550000000.0, "20,550,000,000"),
        (np.float64(1234.5), "1,234"),
        (np.nan, ""),
        (None, ""),
        (pd.NA, ""),
        (2020, "2020"),
        ("IND", "IND"),
        (True, "True"),
    ],
)
def test_cell(value, text):
    assert cell(value) == text


def test_table_rounds_but_json_and_csv_keep_every_digit():
    frame = pd.DataFrame({"iso3": ["IND"], "ideal_point": [-0.19971640623641318]})
    outputs = {}
    for fmt in Format:
        console = Console(file=io.StringIO(), width=120)
        render(frame, fmt, console)
        outputs[fmt] = console.file.getvalue()
    assert "-0.1997" in outputs[Format.table] and "-0.19971" not in outputs[Format.table]
    assert json.loads(outputs[Format.json])[0]["ideal_point"] == -0.19971640623641318
    assert "-0.19971640623641318" in outputs[Format.csv]


def test_json_records_are_plain_and_complete():
    frame = pd.DataFrame(
        {
            "n": pd.array([1, None], dtype="Int64"),
            "x": [np.inf, 0.1 + 0.2],
            "day": pd.to_datetime(["2022-03-02", None]),
            "at": pd.to_datetime(["2022-03-02 10:11:12.5", None]),
            "flag": [True, False],
        }
    )
    rows = json.loads(json.dumps(records(frame), allow_nan=False))
    assert rows == [
        {"n": 1, "x": None, "day": "2022-03-02", "at": "2022-03-02T10:11:12", "flag": True},
        {"n": None, "x": 0.30000000000000004, "day": None, "at": None, "flag": False},
    ]


def test_table_shows_whole_days_as_dates():
    """A trip's dates read 2024-12-02 in every format, not 2024-12-02 00:00:00 in the table."""
    frame = pd.DataFrame({"start_date": pd.to_datetime(["2024-12-02"])})
    for fmt in Format:
        console = Console(file=io.StringIO(), width=120)
        render(frame, fmt, console)
        assert "2024-12-02" in console.file.getvalue()
        assert "00:00" not in console.file.getvalue()


def test_table_shows_brackets_as_text_never_as_markup():
    """A title (the claims file's name) or cell with rich markup is data: "[/]" raised."""
    frame = pd.DataFrame({"[b]name": ["[/]", "[bold]x[/bold]"]})
    console = Console(file=io.StringIO(), width=120)
    render(frame, Format.table, console, title="[/]claims.toml")
    text = console.file.getvalue()
    for shown in ("[/]claims.toml", "[b]name", "[/]", "[bold]x[/bold]"):
        assert shown in text
