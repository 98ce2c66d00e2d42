"""Rendering: the table rounds numbers for reading; JSON and CSV keep every digit."""

from __future__ import annotations

import io
import json

import numpy as np
import pandas as pd
import pytest
from rich.console import Console

from nonaligned import output
from nonaligned.errors import UsageError
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
    for fmt in (Format.table, Format.json, Format.csv):
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
    for fmt in (Format.table, Format.json, Format.csv):
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


def binary_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "iso3": ["BRA", None],
            "year": [2022, 2023],
            "share": [0.12345678901234567, float("nan")],
            "flag": [True, False],
            "day": pd.to_datetime(["2022-03-02", "2023-01-01"]),
        }
    )


def test_parquet_keeps_every_digit_and_the_provenance():
    import pyarrow.parquet as pq

    provenance = {"built": "2026-11-30T10:00:00+00:00", "sources": {"unvotes": "0.3.0"}}
    table = pq.read_table(io.BytesIO(output.parquet_bytes(binary_frame(), provenance)))
    assert json.loads(table.schema.metadata[b"nonaligned"]) == provenance
    back = table.to_pandas()
    assert back["share"][0] == 0.12345678901234567 and pd.isna(back["share"][1])
    assert back["iso3"].tolist()[0] == "BRA" and pd.isna(back["iso3"][1])


def test_stata_118_reads_back_with_its_label():
    provenance = {"built": "2026-11-30T10:00:00+00:00", "sources": {"unvotes": "0.3.0", "cow": "x"}}
    data = output.stata_bytes(binary_frame(), provenance)
    with pd.io.stata.StataReader(io.BytesIO(data)) as reader:
        assert reader.data_label == "nonaligned; built 2026-11-30; sources: unvotes, cow"
        back = reader.read()
    assert back["share"][0] == 0.12345678901234567 and pd.isna(back["share"][1])
    assert back["flag"].tolist() == [1, 0] and back["iso3"].tolist() == ["BRA", ""]
    assert back["day"].tolist() == ["2022-03-02", "2023-01-01"]
    long = {"built": "2026", "sources": {f"source_{i}": "v" for i in range(20)}}
    with pd.io.stata.StataReader(io.BytesIO(output.stata_bytes(binary_frame(), long))) as reader:
        assert len(reader.data_label) == output.STATA_LABEL_CHARS


def test_binary_output_refused_on_a_terminal():
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    with pytest.raises(UsageError, match="redirect it to a file"):
        output.render(binary_frame(), output.Format.parquet, Console(file=Terminal()))


@pytest.mark.parametrize("fmt", ["parquet", "dta"])
def test_cli_binary_output_carries_the_store_provenance(synthetic_store, runner, fmt):
    import pyarrow.parquet as pq

    from nonaligned.cli import app

    result = runner.invoke(app, ["alignment", "FRA", "--db", str(synthetic_store), "-f", fmt])
    assert result.exit_code == 0, result.output
    as_csv = runner.invoke(app, ["alignment", "FRA", "--db", str(synthetic_store), "-f", "csv"])
    expected = pd.read_csv(io.StringIO(as_csv.stdout))
    if fmt == "parquet":
        table = pq.read_table(io.BytesIO(result.stdout_bytes))
        assert json.loads(table.schema.metadata[b"nonaligned"])["sources"] == {"synthetic": "1"}
        got = table.to_pandas()
    else:
        with pd.io.stata.StataReader(io.BytesIO(result.stdout_bytes)) as reader:
            assert reader.data_label.endswith("sources: synthetic")
            got = reader.read()
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)
