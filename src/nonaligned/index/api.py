"""The index from the store: one call for the map, the country profile and the ranking.

Stable public signatures (the web app and the strategy desk call them):
:func:`country_index`, :func:`country_profile`, :func:`rank`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

import pandas as pd

from nonaligned import alignment, query
from nonaligned.errors import QueryError
from nonaligned.index.assemble import COLUMNS, Economy, economy_of, year_index
from nonaligned.index.axes import AXES
from nonaligned.index.classes import Thresholds
from nonaligned.index.diplomatic import vote_years
from nonaligned.index.institutional import GROUPINGS, institutional_counts
from nonaligned.index.store_inputs import Inputs, load
from nonaligned.measures.trade import IMPORTER_FACTOR
from nonaligned.measures.votes import Selection
from nonaligned.query import check_country

if TYPE_CHECKING:
    from nonaligned.session import Store

DEFAULT_BOOT = 200
RANKABLE: tuple[str, ...] = (
    "balance",
    "activity",
    "lean",
    "lean_diplomatic",
    "lean_economic",
    "lean_institutional",
    "class_probability",
)
IdealPoints = pd.DataFrame | Callable[[], pd.DataFrame] | None
"""Ideal points (``iso3, year, ideal_point``), a call that returns them, or None (none)."""


def fitted_ideal_points(store: Store, selection: Selection | None) -> Callable[[], pd.DataFrame]:
    """A call returning the store's dynamic ideal points on ``selection`` (point estimates).

    :func:`nonaligned.alignment.ideal_points` with ``n_boot=0``: the index's
    own bootstrap over roll calls gives the uncertainty, so the model's
    parametric bootstrap is not needed here. The whole-record fit is cached on
    disk beside the store (not cached when that cannot be written, e.g. a
    read-only folder or an in-memory store: it is then refitted per call).
    Deferred so that a selection without votes in the years asked costs no fit.
    """
    return lambda: alignment.ideal_points(store, selection, n_boot=0)


def compute(
    inputs: Inputs,
    *,
    selection: Selection | None = None,
    thresholds: Thresholds | None = None,
    n_boot: int = DEFAULT_BOOT,
    seed: int = 0,
    groupings: Mapping[str, tuple[str, tuple[str, ...]]] = GROUPINGS,
    ideal_points: IdealPoints = None,
) -> pd.DataFrame:
    """The index for every year in ``inputs`` (the pure part of :func:`country_index`).

    ``ideal_points`` is called only when some year has selected votes.
    """
    t = thresholds or Thresholds()
    by_year = vote_years(
        inputs.votes, inputs.roll_calls, inputs.memberships, selection, n_boot, seed, inputs.engine
    )
    if not by_year:
        return pd.DataFrame(columns=list(COLUMNS))
    years = sorted(by_year)
    institutions = institutional_counts(inputs.memberships, years, groupings)
    trade = dict(tuple(inputs.trade.groupby("year")))
    inst = dict(tuple(institutions.groupby("year")))
    no_inst = institutions.iloc[:0].set_index("iso3")
    ideal = ideal_points() if callable(ideal_points) else ideal_points
    theta = (
        {}
        if ideal is None
        else {
            int(year): group.set_index("iso3")["ideal_point"]
            for year, group in ideal[ideal["year"].isin(years)].groupby("year")
        }
    )
    economies: dict[int | None, Economy] = {}
    roll_calls = inputs.roll_calls.groupby("year").size()

    def economy(year: int) -> Economy:
        at = inputs.economic_year(year)
        at = at if at in trade else None
        if at not in economies:
            flows = trade.get(at, inputs.trade.iloc[:0])
            members = inputs.side_members(year if at is None else at)
            economies[at] = economy_of(at, flows, members, n_boot, seed)
        return economies[at]

    parts = [
        year_index(
            year,
            by_year[year],
            economy(year),
            inst[year].set_index("iso3") if year in inst else no_inst,
            t,
            theta.get(year),
            inputs.eu_states(year),
            roll_calls.get(year, 0),
        )
        for year in years
    ]
    return pd.concat(parts, ignore_index=True)


def _check(store: Store, year: int | None, axis: str | None) -> None:
    if axis is not None and axis not in AXES:
        raise QueryError(f"unknown axis {axis!r}: use one of {', '.join(AXES)}")
    if year is not None and not query.has_roll_calls(store, year):
        first, last = query.year_span(store, "roll_calls")
        raise QueryError(
            f"no UN roll calls in {year} (votes cover {first}-{last}, none in 1964): "
            "the index needs votes"
        )


def country_index(
    store: Store,
    year: int | None = None,
    iso3: str | None = None,
    axis: str | None = None,
    *,
    selection: Selection | None = None,
    thresholds: Thresholds | None = None,
    n_boot: int = DEFAULT_BOOT,
    seed: int = 0,
    ideal_points: pd.DataFrame | bool = True,
) -> pd.DataFrame:
    """The active-nonalignment index per country, year and axis.

    One row per UN member state with votes in a year, per axis
    (``west-china``, ``west-russia``). Leans run from +1 (with the West) to
    -1 (with the other pole), 0 where the median member stands; ``lean`` is
    the political lean (votes and commitments) the class rests on;
    ``balance`` and ``activity`` (engagement with both sides) lie in [0, 1];
    ``class`` is one of :data:`~nonaligned.index.axes.CLASSES` (missing in
    provisional years, ``provisional``) and
    ``p_<class>`` its bootstrap probabilities (``n_boot`` replicates over roll
    calls and reporters; ``n_boot=0`` skips the bootstrap and leaves them
    missing). ``year``/``iso3``/``axis`` filter (None: all). All countries
    of a year are always computed, because ranks and expectations need them;
    results are kept in the store's memory per options
    (:attr:`nonaligned.session.Store.memo`), so repeated calls are fast.
    The diplomatic lean is the mean of two readings of the votes, both
    reported: ``lean_vote_agreement`` (disagreement with the poles) and
    ``lean_ideal_point`` (distance on the dynamic ideal-point line, fitted on
    the same ``selection`` by :func:`fitted_ideal_points`; the first call on a
    store fits the whole record, tens of seconds, then it is read from the
    disk cache). ``ideal_points=False`` gives the agreement-only reading; a
    DataFrame (``iso3, year, ideal_point``) supplies other ideal points (such
    calls are not cached in memory). docs/methodology.md documents every column.
    """
    _check(store, year, axis)
    code = check_country(store, iso3) if iso3 is not None else None
    years = None if year is None else [year]
    # defaults spelled out, so that the CLI's explicit defaults share cache entries with None
    options = {
        "selection": selection or Selection(),
        "thresholds": thresholds or Thresholds(),
        "n_boot": n_boot,
        "seed": seed,
    }

    def make(source: IdealPoints) -> pd.DataFrame:
        return compute(load(store, years, IMPORTER_FACTOR), ideal_points=source, **options)

    if isinstance(ideal_points, pd.DataFrame):
        frame = make(ideal_points)
    else:
        source = fitted_ideal_points(store, options["selection"]) if ideal_points else None
        key = ("index", year, bool(ideal_points), *options.values())
        frame = store.remembered(key, lambda: make(source)).copy()
    if code is not None:
        frame = frame[frame["iso3"] == code]
        if frame.empty:
            raise QueryError(f"{code} has no UN votes in the years asked: no index")
    if axis is not None:
        frame = frame[frame["axis"] == axis]
    return frame.reset_index(drop=True)


def country_profile(
    store: Store,
    iso3: str,
    axis: str | None = None,
    **options,
) -> pd.DataFrame:
    """Every year of one country's index (both axes unless ``axis``), oldest first."""
    frame = country_index(store, iso3=iso3, axis=axis, **options)
    return frame.sort_values(["axis", "year"], ignore_index=True)


def rank(
    store: Store,
    year: int,
    by: str = "balance",
    axis: str = "west-china",
    *,
    ascending: bool = False,
    **options,
) -> pd.DataFrame:
    """Countries of one year and axis ranked by ``by`` (highest first unless ``ascending``).

    Adds a ``rank`` column (1 = first; ties share the lowest rank); rows
    where ``by`` is missing come last, unranked.
    """
    if by not in RANKABLE:
        raise QueryError(f"cannot rank by {by!r}: use one of {', '.join(RANKABLE)}")
    frame = country_index(store, year=year, axis=axis, **options)
    frame = frame.sort_values([by, "iso3"], ascending=[ascending, True], na_position="last")
    ranks = frame[by].rank(method="min", ascending=ascending)
    frame.insert(0, "rank", ranks.astype("Int64"))
    return frame.reset_index(drop=True)
