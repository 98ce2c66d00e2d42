"""``nonaligned export``: the whole store as Parquet datasets for Spark, R and Arrow tools."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Annotated

import typer

from nonaligned.cli._app import DbOption, app, handle_errors, out


class DatasetFormat(enum.StrEnum):
    parquet = "parquet"


@app.command()
def export(
    directory: Annotated[Path, typer.Argument(help="New folder for the datasets.")],
    format: Annotated[
        DatasetFormat, typer.Option("--format", "-f", help="Dataset format.")
    ] = DatasetFormat.parquet,
    force: Annotated[bool, typer.Option(help="Replace an existing folder.")] = False,
    db: DbOption = None,
) -> None:
    """Write every store table to DIRECTORY/<table>/ as Parquet (votes and trade by year).

    Read with `--engine spark --data DIRECTORY`, with Spark or DuckDB directly,
    or in R with arrow::open_dataset (docs/scaling.md).
    """
    from nonaligned.export import export_parquet
    from nonaligned.store import default_db_path

    with handle_errors():
        counts = export_parquet(db or default_db_path(), directory, force=force)
        done = f"exported {len(counts)} tables ({sum(counts.values()):,} rows) to {directory}"
        out.print(done, markup=False, highlight=False)  # a path is text, never rich markup
