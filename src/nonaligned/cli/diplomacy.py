"""Commands on diplomatic alignment measured from UN votes."""

from __future__ import annotations

from typing import Annotated

import typer

from nonaligned import alignment, engines
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
from nonaligned.output import Format, render
from nonaligned.store import connect

EngineOption = Annotated[
    str | None,
    typer.Option(
        envvar=engines.ENGINE_ENV,
        help="Where the measures run: duckdb (default) or spark (see docs/scaling.md).",
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
    db: DbOption = None,
    format: FormatOption = Format.table,
) -> None:
    """Agreement, kappa, pi and S score with USA, CHN, RUS and the EU, per year."""
    with handle_errors():
        engines.use(engine)
        chosen = alignment.selection(issue, important, no_middle_east, resolutions_only)
        render(alignment.alignment(connect(db), country, chosen), format, out)


@app.command()
def dyads(
    year: Annotated[int, typer.Option(min=1946, max=2100)],
    issue: IssueOption = None,
    important: ImportantOption = False,
    no_middle_east: NoMiddleEastOption = False,
    resolutions_only: ResolutionsOption = False,
    engine: EngineOption = None,
    db: DbOption = None,
    format: FormatOption = Format.table,
) -> None:
    """Every dyad's agreement, kappa, pi and S score in one year."""
    with handle_errors():
        engines.use(engine)
        con = connect(db)
        chosen = checked_selection(con, year, issue, important, no_middle_east, resolutions_only)
        render(alignment.dyads(con, year, chosen), format, out)
