"""Commands of the strategy desk: evaluate competing offers, their leverage, and scenarios."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

import nonaligned
from nonaligned.cli._app import DbOption, FormatOption, app, handle_errors, input_file, out
from nonaligned.constants import (
    CONVENTIONS,
    DEFAULT_CONCESSIONAL_THRESHOLD,
    DEFAULT_CONVENTION,
    DEFAULT_DISCOUNT_RATE,
    DEFAULT_VALUE_SHARE,
    Format,
)
from nonaligned.errors import QueryError

offers_app = typer.Typer(
    help="Evaluate competing offers for one project (an offers TOML file).",
    no_args_is_help=True,
)
app.add_typer(offers_app, name="offers")

OffersFile = Annotated[
    Path,
    typer.Argument(
        help="Offers file (TOML; see examples/offers/ and docs/strategy.md).", callback=input_file
    ),
]
DiscountOption = Annotated[
    float,
    typer.Option(
        help="Annual discount rate of the grant element, in [0, 1) (IMF/World Bank: 0.05)."
    ),
]
Convention = StrEnum("Convention", [(name.replace("-", "_"), name) for name in CONVENTIONS])
DEFAULT_CONVENTION_CHOICE = Convention(DEFAULT_CONVENTION)
ConventionOption = Annotated[
    Convention,
    typer.Option(
        help="Discount per period: oecd-dac (1+d)^(1/m)-1, or nominal d/m (docs/strategy.md)."
    ),
]


@offers_app.command("evaluate")
def evaluate(
    path: OffersFile,
    discount_rate: DiscountOption = DEFAULT_DISCOUNT_RATE,
    threshold: Annotated[
        float, typer.Option(help="Grant element at or above which an offer is concessional.")
    ] = DEFAULT_CONCESSIONAL_THRESHOLD,
    schedule: Annotated[
        bool, typer.Option("--schedule", help="Print every loan's debt-service schedule instead.")
    ] = False,
    convention: ConventionOption = DEFAULT_CONVENTION_CHOICE,
    db: DbOption = None,
    format: FormatOption = Format.table,
) -> None:
    """Each offer on its own terms: grant element, present value, debt service, exposure."""
    from nonaligned.output import render
    from nonaligned.strategy import evaluate as desk

    with handle_errors():
        store = nonaligned.open(db)
        if schedule:
            render(desk.schedules(store, path), format, out)
        else:
            table = desk.evaluate(store, path, discount_rate, threshold, convention.value)
            render(table, format, out)


@offers_app.command("exposure")
def exposure(path: OffersFile, db: DbOption = None, format: FormatOption = Format.table) -> None:
    """Debt owed to each offer's partner before and after, its net aid flow, the trade context.

    Debt is the stock owed to China (the only one known), net aid the US flow of one year (the
    only one known): a stock and a flow, side by side, never added.
    """
    from nonaligned.output import render
    from nonaligned.strategy import evaluate as desk
    from nonaligned.strategy.exposure_change import FINANCE_NOTE

    with handle_errors():
        render(desk.exposure(nonaligned.open(db), path), format, out, title=FINANCE_NOTE)


@offers_app.command("compete")
def compete(
    path: OffersFile,
    pivotality: Annotated[
        float | None,
        typer.Option(help="How pivotal the country is, in [0, 1] (default: from the index)."),
    ] = None,
    year: Annotated[
        int | None, typer.Option(help="Year of the default pivotality (default: last trade year).")
    ] = None,
    value_share: Annotated[
        float,
        typer.Option(help="Project value to a partner, as a share of its amount, where not given."),
    ] = DEFAULT_VALUE_SHARE,
    discount_rate: DiscountOption = DEFAULT_DISCOUNT_RATE,
    convention: ConventionOption = DEFAULT_CONVENTION_CHOICE,
    db: DbOption = None,
    format: FormatOption = Format.table,
) -> None:
    """Committed versus competitive terms per partner under a stylised bargaining model.

    Figures come from the model and the value_to_partner_usd inputs, rounded to two
    significant figures (docs/strategy.md, Leverage); a losing partner gains nothing.
    """
    from nonaligned.output import render
    from nonaligned.strategy import evaluate as desk

    with handle_errors():
        table = desk.compete(
            nonaligned.open(db),
            path,
            pivotality,
            year,
            discount_rate,
            value_share,
            convention.value,
        )
        render(table, format, out)


@app.command()
def scenario(
    country: Annotated[str, typer.Argument(help="ISO3 code, e.g. AGO.")],
    pole: Annotated[str, typer.Option(help="The pole that acts: USA, CHN, RUS or EU.")],
    tariff: Annotated[
        float | None, typer.Option(help="Tariff on the country's exports, e.g. 0.25 for 25%.")
    ] = None,
    sanctions: Annotated[bool, typer.Option("--sanctions", help="The pole sanctions it.")] = False,
    finance_stop: Annotated[
        bool, typer.Option("--finance-stop", help="The pole stops new finance.")
    ] = False,
    year: Annotated[int | None, typer.Option(help="Trade year (default: latest).")] = None,
    db: DbOption = None,
    format: FormatOption = Format.table,
) -> None:
    """What a pole's tariff, sanctions or finance stop exposes, and how concentrated the rest is.

    Official finance: the debt stock owed to China and the yearly US net aid flow, each known
    for its pole only, in percent of the GDP of its own year (docs/strategy.md, Scenarios).
    """
    from nonaligned.output import render
    from nonaligned.strategy import scenario as scenarios
    from nonaligned.strategy.exposure_change import FINANCE_NOTE

    with handle_errors():
        chosen = [
            name
            for name, on in (
                ("tariff", tariff is not None),
                ("sanctions", sanctions),
                ("finance_stop", finance_stop),
            )
            if on
        ]
        if len(chosen) != 1:
            raise QueryError("choose exactly one of --tariff X, --sanctions and --finance-stop")
        table = scenarios.scenario(nonaligned.open(db), country, pole, chosen[0], tariff, year)
        render(table, format, out, title=FINANCE_NOTE)
