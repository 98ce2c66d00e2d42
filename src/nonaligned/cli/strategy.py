"""Commands of the strategy desk: evaluate competing offers, their leverage, and scenarios."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from nonaligned.cli._app import DbOption, FormatOption, app, handle_errors, out
from nonaligned.output import Format, render
from nonaligned.store import connect
from nonaligned.strategy import evaluate as desk
from nonaligned.strategy.terms import DEFAULT_CONCESSIONAL_THRESHOLD, DEFAULT_DISCOUNT_RATE

offers_app = typer.Typer(
    help="Evaluate competing offers for one project (an offers TOML file).",
    no_args_is_help=True,
)
app.add_typer(offers_app, name="offers")

OffersFile = Annotated[
    Path, typer.Argument(help="Offers file (TOML; see examples/offers/ and docs/strategy.md).")
]
DiscountOption = Annotated[
    float, typer.Option(help="Annual discount rate of the grant element (IMF/World Bank: 0.05).")
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
    db: DbOption = None,
    format: FormatOption = Format.table,
) -> None:
    """Each offer on its own terms: grant element, present value, debt service, exposure."""
    with handle_errors():
        con = connect(db)
        if schedule:
            render(desk.schedules(con, path), format, out)
        else:
            render(desk.evaluate(con, path, discount_rate, threshold), format, out)
