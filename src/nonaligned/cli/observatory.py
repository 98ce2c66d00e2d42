"""Commands of the observatory: the active-nonalignment index, a country's profile, rankings."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Annotated

import typer

import nonaligned
from nonaligned.cli._app import (
    DbOption,
    FormatOption,
    ImportantOption,
    NoMiddleEastOption,
    app,
    checked_selection,
    handle_errors,
    out,
)
from nonaligned.constants import ACTIVITY_THRESHOLD, LEAN_THRESHOLD, MIN_ROLL_CALLS, Format
from nonaligned.errors import UsageError

if TYPE_CHECKING:
    from nonaligned.session import Store

MAX_BOOT = 1000  # about a second a year: bounds `country` over all years to minutes
AxisOption = Annotated[str | None, typer.Option(help="west-china or west-russia (default: both).")]
BootOption = Annotated[
    int,
    typer.Option(
        "--boot",
        min=0,
        max=MAX_BOOT,
        help=f"Bootstrap replicates for class probabilities (0: none, at most {MAX_BOOT}).",
    ),
]
LeanOption = Annotated[float, typer.Option(help="Lean threshold: beyond it a lean is clear.")]
ActivityOption = Annotated[float, typer.Option(help="Activity threshold: engaged at or above.")]
ProvisionalOption = Annotated[
    bool,
    typer.Option(
        help="Class provisional years too (fewer roll calls than "
        f"{MIN_ROLL_CALLS}, e.g. a session still in progress)."
    ),
]
IdealOption = Annotated[
    bool,
    typer.Option(
        "--ideal-points/--no-ideal-points",
        help="Diplomatic lean from vote agreement and ideal points (the first run on a store "
        "fits the ideal points, tens of seconds, then cached); --no-ideal-points: agreement only.",
    ),
]

BRIEF_COLUMNS = [
    "iso3",
    "year",
    "axis",
    "lean_diplomatic",
    "lean_economic",
    "lean_institutional",
    "lean",
    "balance",
    "activity",
    "class",
    "class_probability",
    "provisional",
]


PROFILE_COLUMNS = BRIEF_COLUMNS[1:]


def _show(frame, format: Format, title: str | None = None) -> None:
    """Render; tables round to three decimals so that a profile fits a terminal."""
    from nonaligned.output import render

    render(frame.round(3) if format is Format.table else frame, format, out, title=title)


def _options(
    store: Store,
    year: int | None,
    important: bool,
    no_middle_east: bool,
    lean: float,
    activity: float,
    boot: int,
    ideal: bool,
    provisional: bool = False,
) -> dict:
    from nonaligned import index as nonalignment

    try:
        thresholds = nonalignment.Thresholds(lean=lean, activity=activity)
    except ValueError as exc:  # NaN, infinite or out of range: the user's option, so exit 2
        raise UsageError(f"--lean/--activity: {exc}") from None
    if provisional:
        thresholds = replace(thresholds, min_roll_calls=0)
    return {
        "selection": checked_selection(store, year, None, important, no_middle_east),
        "thresholds": thresholds,
        "n_boot": boot,
        "ideal_points": ideal,
    }


@app.command("index")
def index_command(
    year: Annotated[int, typer.Option(min=1946, max=2100, help="Year of the votes.")],
    axis: AxisOption = None,
    all_columns: Annotated[bool, typer.Option(help="Every component column.")] = False,
    important: ImportantOption = False,
    no_middle_east: NoMiddleEastOption = False,
    lean: LeanOption = LEAN_THRESHOLD,
    activity: ActivityOption = ACTIVITY_THRESHOLD,
    boot: BootOption = 200,
    ideal_points: IdealOption = True,
    provisional: ProvisionalOption = False,
    db: DbOption = None,
    format: FormatOption = Format.table,
) -> None:
    """Lean, balance, activity and class of every UN member in one year."""
    from nonaligned import index as nonalignment

    with handle_errors():
        store = nonaligned.open(db)
        options = _options(
            store, year, important, no_middle_east, lean, activity, boot, ideal_points, provisional
        )
        frame = nonalignment.country_index(store, year=year, axis=axis, **options)
        _show(frame if all_columns else frame[BRIEF_COLUMNS], format)


@app.command("country")
def country_command(
    country: Annotated[str, typer.Argument(help="ISO3 code, e.g. IND.")],
    axis: AxisOption = None,
    important: ImportantOption = False,
    no_middle_east: NoMiddleEastOption = False,
    lean: LeanOption = LEAN_THRESHOLD,
    activity: ActivityOption = ACTIVITY_THRESHOLD,
    boot: BootOption = 50,
    ideal_points: IdealOption = True,
    provisional: ProvisionalOption = False,
    db: DbOption = None,
    format: FormatOption = Format.table,
) -> None:
    """A country's profile: the index over time, class by year (json/csv: every column).

    Over all years the bootstrap costs tens of seconds: the default draws 50
    replicates; --boot 200 for the precision of `index`, --boot 0 for speed.
    """
    from nonaligned import index as nonalignment

    with handle_errors():
        store = nonaligned.open(db)
        options = _options(
            store, None, important, no_middle_east, lean, activity, boot, ideal_points, provisional
        )
        frame = nonalignment.country_profile(store, country, axis, **options)
        if format is Format.table:
            frame = frame[PROFILE_COLUMNS]
        _show(frame, format, title=f"{country.strip().upper()}: active-nonalignment index")


@app.command("rank")
def rank_command(
    year: Annotated[int, typer.Option(min=1946, max=2100)],
    by: Annotated[str, typer.Option(help="Column to rank by, e.g. balance, activity, lean.")] = (
        "balance"
    ),
    axis: Annotated[str, typer.Option(help="west-china or west-russia.")] = "west-china",
    ascending: Annotated[bool, typer.Option(help="Lowest first.")] = False,
    important: ImportantOption = False,
    no_middle_east: NoMiddleEastOption = False,
    boot: BootOption = 200,
    ideal_points: IdealOption = True,
    db: DbOption = None,
    format: FormatOption = Format.table,
) -> None:
    """Countries of one year ranked by a measure of the index."""
    from nonaligned import index as nonalignment

    with handle_errors():
        store = nonaligned.open(db)
        options = _options(
            store,
            year,
            important,
            no_middle_east,
            nonalignment.Thresholds.lean,
            nonalignment.Thresholds.activity,
            boot,
            ideal_points,
        )
        frame = nonalignment.rank(store, year, by=by, axis=axis, ascending=ascending, **options)
        _show(frame[["rank", *BRIEF_COLUMNS]], format)


@app.command("sensitivity")
def sensitivity_command(
    year: Annotated[int, typer.Option(min=1946, max=2100)],
    axis: Annotated[str, typer.Option(help="west-china or west-russia.")] = "west-china",
    db: DbOption = None,
    format: FormatOption = Format.table,
) -> None:
    """How the class counts move with the vote subset, the thresholds and the memberships."""
    from nonaligned.index.sensitivity import sensitivity

    with handle_errors():
        _show(sensitivity(nonaligned.open(db), year, axis), format)
