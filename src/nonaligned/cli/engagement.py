"""Commands on high-level engagement: US Presidents' and Secretaries of State's trips."""

from __future__ import annotations

from typing import Annotated

import typer

import nonaligned
from nonaligned.cli._app import DbOption, FormatOption, app, handle_errors, out
from nonaligned.constants import Format


@app.command()
def engagement(
    country: Annotated[str, typer.Argument(help="ISO3 code, e.g. AGO.")],
    role: Annotated[
        str | None, typer.Option(help="Only one role: president or secretary (of State).")
    ] = None,
    db: DbOption = None,
    format: FormatOption = Format.table,
) -> None:
    """Trips of US Presidents and Secretaries of State to a country, by year and role.

    US engagement only (Office of the Historian): there is no comparable
    record of Chinese or Russian leaders' trips, so it is not in the index.
    """
    from nonaligned import engagement as engagement_queries
    from nonaligned.output import render

    with handle_errors():
        store = nonaligned.open(db)
        trips = engagement_queries.us_trips(store, country, role)
        title = (
            f"US trips to {country.strip().upper()}, {engagement_queries.coverage(store)}. "
            f"{engagement_queries.ONE_SIDED}."
        )
        render(trips, format, out, title=title)
