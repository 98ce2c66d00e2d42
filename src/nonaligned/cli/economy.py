"""Commands on trade and official finance with the poles."""

from __future__ import annotations

from typing import Annotated

import typer

import nonaligned
from nonaligned.cli._app import DbOption, FormatOption, app, handle_errors, out
from nonaligned.constants import Format


@app.command()
def trade(
    country: Annotated[str, typer.Argument(help="ISO3 code, e.g. CHL.")],
    year: Annotated[int | None, typer.Option(help="One year (default: all years).")] = None,
    include_hk_macao: Annotated[
        bool, typer.Option(help="Count Hong Kong and Macao in the CHN pole.")
    ] = False,
    db: DbOption = None,
    format: FormatOption = Format.table,
) -> None:
    """Goods trade with each pole (USA, CHN, RUS, EU) and the world, in US dollars and shares."""
    from nonaligned import exposure
    from nonaligned.output import render

    with handle_errors():
        render(exposure.trade(nonaligned.open(db), country, year, include_hk_macao), format, out)


@app.command("trade-growth")
def trade_growth(
    partner: Annotated[str, typer.Option(help="Pole (USA, CHN, RUS, EU), WLD or an ISO3 code.")],
    from_year: Annotated[int, typer.Option("--from", help="Start year.")],
    to_year: Annotated[int, typer.Option("--to", help="End year.")],
    region: Annotated[
        str | None,
        typer.Option(help='UN M49 region or sub-region, e.g. "Latin America and the Caribbean".'),
    ] = None,
    country: Annotated[
        str | None, typer.Option("--country", help="ISO3 code, instead of a region.")
    ] = None,
    db: DbOption = None,
    format: FormatOption = Format.table,
) -> None:
    """Growth multiple of a region's (or country's) trade with a partner between two years."""
    from nonaligned import exposure
    from nonaligned.output import render

    with handle_errors():
        render(
            exposure.trade_growth(
                nonaligned.open(db), partner, from_year, to_year, region, country
            ),
            format,
            out,
        )


@app.command()
def concentration(
    year: Annotated[int | None, typer.Option(help="One year (default: all years).")] = None,
    db: DbOption = None,
    format: FormatOption = Format.table,
) -> None:
    """Hirschman-Herfindahl concentration of each country's trade partners."""
    from nonaligned import exposure
    from nonaligned.output import render

    with handle_errors():
        render(exposure.concentration(nonaligned.open(db), year), format, out)


@app.command()
def finance(
    country: Annotated[str, typer.Argument(help="ISO3 code, e.g. AGO.")],
    db: DbOption = None,
    format: FormatOption = Format.table,
) -> None:
    """Official finance from both poles per year: US net aid beside debt owed to China.

    US net aid (a flow), debt owed to China (a stock) and AidData's Chinese
    commitments (promises, 2000-2021 total), in US$ and percent of the same
    year's GDP; the ``measure`` column says which is which. They do not add up.
    """
    from nonaligned import exposure
    from nonaligned.measures import finance as finance_measures
    from nonaligned.output import render

    with handle_errors():
        table = exposure.official_finance(nonaligned.open(db), country)
        render(table, format, out, title=finance_measures.MEASURES_NOTE)
