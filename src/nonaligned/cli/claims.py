"""The ``check`` command: claims from a TOML file, checked against the store."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

import nonaligned
from nonaligned.cli._app import DbOption, FormatOption, app, handle_errors, input_file, out
from nonaligned.constants import Format

TABLE_COLUMNS = ["claim_id", "claimed", "value", "year", "year_used", "verdict", "explanation"]


@app.command("check")
def check_command(
    file: Annotated[
        Path, typer.Argument(help="Claims file (TOML), see docs/claims.md.", callback=input_file)
    ],
    db: DbOption = None,
    format: FormatOption = Format.table,
) -> None:
    """Check each claim of FILE against the store: value, year used, verdict, tolerance, sources.

    The whole file is validated first; any problem stops the check (exit code 2).
    """
    from nonaligned import claims
    from nonaligned.output import render

    with handle_errors():
        store = nonaligned.open(db)
        table = claims.check(store, claims.load(file, store))
        if format is Format.table:  # the full record is for json and csv; a screen needs less
            table = table[TABLE_COLUMNS]
        render(table, format, out, title=str(file))
