"""Commands on diplomatic alignment measured from UN votes."""

from __future__ import annotations

from typing import Annotated

import typer

import nonaligned
from nonaligned.cli._app import (
    DbOption,
    FormatOption,
    ImportantOption,
    IssueOption,
    NoMiddleEastOption,
    ResolutionsOption,
    app,
    checked_selection,
    handle_errors,
    out,
)
from nonaligned.constants import ENGINE_ENV, Format

EngineOption = Annotated[
    str | None,
    typer.Option(
        envvar=ENGINE_ENV,
        help="Where the measures run: duckdb (default) or spark (see docs/scaling.md).",
    ),
]
DataOption = Annotated[
    str | None,
    typer.Option(
        "--data",
        envvar="NONALIGNED_DATA",
        help="Read the votes from a `nonaligned export` folder (local, hdfs://, s3a://) "
        "on the engine instead of the store.",
    ),
]


@app.command("alignment")
def alignment_command(
    country: Annotated[str, typer.Argument(help="ISO3 code, e.g. BRA.")],
    issue: IssueOption = None,
    important: ImportantOption = False,
    no_middle_east: NoMiddleEastOption = False,
    resolutions_only: ResolutionsOption = False,
    engine: EngineOption = None,
    data: DataOption = None,
    db: DbOption = None,
    format: FormatOption = Format.table,
) -> None:
    """Agreement, kappa, pi and S score with USA, CHN, RUS and the EU, per year."""
    from nonaligned import alignment
    from nonaligned.output import render

    with handle_errors():
        chosen = alignment.selection(issue, important, no_middle_east, resolutions_only)
        store = nonaligned.open(db, engine=engine, data=data)
        render(alignment.alignment(store, country, chosen), format, out)


@app.command()
def dyads(
    year: Annotated[int, typer.Option(min=1946, max=2100)],
    issue: IssueOption = None,
    important: ImportantOption = False,
    no_middle_east: NoMiddleEastOption = False,
    resolutions_only: ResolutionsOption = False,
    engine: EngineOption = None,
    data: DataOption = None,
    db: DbOption = None,
    format: FormatOption = Format.table,
) -> None:
    """Every dyad's agreement, kappa, pi and S score in one year."""
    from nonaligned import alignment
    from nonaligned.output import render

    with handle_errors():
        store = nonaligned.open(db, engine=engine, data=data)
        if data:  # the flags' coverage is checked against the store's tables only
            chosen = alignment.selection(issue, important, no_middle_east, resolutions_only)
        else:
            chosen = checked_selection(
                store, year, issue, important, no_middle_east, resolutions_only
            )
        render(alignment.dyads(store, year, chosen), format, out)
