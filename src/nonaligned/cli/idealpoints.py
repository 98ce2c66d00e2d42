"""The ``idealpoints`` command: dynamic (or per-year) ideal points from UN votes."""

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
from nonaligned.constants import Format
from nonaligned.errors import QueryError

MAX_BOOT = 200  # each replicate refits the whole record (about 2 s): at most minutes


@app.command("idealpoints")
def idealpoints_command(
    year: Annotated[int | None, typer.Option(min=1946, max=2100, help="Only this year.")] = None,
    country: Annotated[str | None, typer.Option(help="Only this country (ISO3).")] = None,
    boot: Annotated[
        int,
        typer.Option(
            min=0,
            max=MAX_BOOT,
            help=f"Bootstrap replicates for the standard errors (0: none, at most {MAX_BOOT}).",
        ),
    ] = 20,
    static: Annotated[bool, typer.Option(help="Fit each year separately instead.")] = False,
    issue: IssueOption = None,
    important: ImportantOption = False,
    no_middle_east: NoMiddleEastOption = False,
    resolutions_only: ResolutionsOption = False,
    db: DbOption = None,
    format: FormatOption = Format.table,
) -> None:
    """Ideal point of each state-year (Western pole high), with bootstrap standard errors.

    The whole record is fitted at once and memoised beside the store, so the
    first call takes a while and later ones are fast.
    """
    from nonaligned import alignment
    from nonaligned.output import render
    from nonaligned.query import check_country

    with handle_errors():
        store = nonaligned.open(db)
        chosen = checked_selection(store, year, issue, important, no_middle_east, resolutions_only)
        result = alignment.ideal_points(store, chosen, n_boot=boot, static=static)
        if country is not None:
            result = result[result["iso3"] == check_country(store, country)]
        if year is not None:
            result = result[result["year"] == year]
            if result.empty:
                raise QueryError(f"no ideal points in {year}")
        render(result.reset_index(drop=True), format, out)
