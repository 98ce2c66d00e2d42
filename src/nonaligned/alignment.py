"""Diplomatic alignment from the store: similarity, agreement with the poles, ideal points.

Reads the store's vote tables for the years asked and hands them to the pure
measures in :mod:`nonaligned.measures`; the CLI and web app call these.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING

import pandas as pd

from nonaligned import query
from nonaligned.dataset import Dataset
from nonaligned.errors import QueryError
from nonaligned.measures.idealpoints import (
    MODEL_VERSION,
    Settings,
    dynamic_ideal_points,
    static_ideal_points,
)
from nonaligned.measures.poles import pole_alignment
from nonaligned.measures.similarity import dyad_similarity
from nonaligned.measures.votes import ISSUES, Selection
from nonaligned.query import check_country

if TYPE_CHECKING:
    from nonaligned.session import Store


def selection(
    issue: str | None = None,
    important_only: bool = False,
    exclude_middle_east: bool = False,
    resolutions_only: bool = False,
) -> Selection:
    """A roll-call selection from user options, refusing unknown issue codes."""
    if issue is not None and issue not in ISSUES:
        raise QueryError(f"unknown issue code {issue!r}: use one of {', '.join(ISSUES)}")
    return Selection(
        issues=(issue,) if issue else None,
        important_only=important_only,
        exclude_middle_east=exclude_middle_east,
        resolutions_only=resolutions_only,
    )


def check_selection(store: Store, chosen: Selection, year: int | None) -> list[str]:
    """Refuse a selection that can keep no roll call in ``year``; warn of one that changes nothing.

    Why: past the last year of a flag, ``--important`` or ``--issue`` select
    nothing (an empty answer that looks like a finding) and
    ``--no-middle-east`` excludes nothing (a silent no-op). None: all years,
    where the flags apply to the years they cover.
    """
    if year is None:
        return []
    important, issues = query.flag_years(store)

    def past(last: int | None) -> bool:
        return last is None or year > last

    if chosen.important_only and past(important):
        raise QueryError(
            f"the important-vote flag ends in {important} in this store: "
            f"--important keeps no roll call in {year}"
        )
    codes_end = f"the issue codes end in {issues} in this store"
    if chosen.issues and past(issues):
        raise QueryError(f"{codes_end}: --issue keeps no roll call in {year}")
    if chosen.exclude_middle_east and past(issues):
        return [f"{codes_end}: --no-middle-east excludes nothing in {year}"]
    return []


class _StoreTables:
    """The store's vote tables in pandas: what a :class:`Dataset` gives on an engine."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.engine = store.engine

    def check_country(self, iso3: str) -> str:
        return check_country(self.store, iso3)

    def vote_tables(self, year: int | None) -> tuple[pd.DataFrame, pd.DataFrame]:
        years = None if year is None else [year]
        roll_calls = query.roll_calls(self.store, years)
        if roll_calls.empty:
            raise QueryError(f"no roll calls in {year}")
        return query.votes(self.store, years), roll_calls

    def frame(self, name: str) -> pd.DataFrame:
        if name != "memberships":  # the one small table the measures read beside the votes
            raise ValueError(f"no reader for the store table {name!r}")
        return query.memberships(self.store)


def _reader(store: Store) -> _StoreTables | Dataset:
    """Where the votes are read: the exported dataset on the engine (``--data``), else the store."""
    return store.dataset or _StoreTables(store)


def alignment(store: Store, iso3: str, chosen: Selection | None = None) -> pd.DataFrame:
    """Agreement, κ, π and S of one country with USA, CHN, RUS and the EU, per year."""
    reader = _reader(store)
    code = reader.check_country(iso3)
    votes, roll_calls = reader.vote_tables(None)
    memberships = reader.frame("memberships")
    result = pole_alignment(votes, roll_calls, memberships, selection=chosen, engine=reader.engine)
    return result[result.iso3 == code].reset_index(drop=True)


def dyads(store: Store, year: int, chosen: Selection | None = None) -> pd.DataFrame:
    """Every dyad's agreement, κ, π and S in one year."""
    reader = _reader(store)
    votes, roll_calls = reader.vote_tables(year)
    return dyad_similarity(votes, roll_calls, selection=chosen, engine=reader.engine)


def pair(store: Store, iso3_a: str, iso3_b: str, chosen: Selection | None = None) -> pd.DataFrame:
    """Agreement, κ, π and S of two countries per year: any dyad over its whole record.

    Reads only the two countries' votes (every dyad measure rests on the two
    vote vectors alone), so it costs a fraction of :func:`dyads` over all years.
    Columns as :func:`dyads`, with ``iso3_a`` the first country given.
    """
    a, b = check_country(store, iso3_a), check_country(store, iso3_b)
    if a == b:
        raise QueryError(f"choose two different countries, not {a} twice")
    roll_calls = query.roll_calls(store)
    votes = query.votes(store, countries=[a, b])
    table = dyad_similarity(votes, roll_calls, selection=chosen, engine=store.engine)
    return table.assign(iso3_a=a, iso3_b=b)


def ideal_points(
    store: Store,
    chosen: Selection | None = None,
    n_boot: int = 20,
    *,
    static: bool = False,
    cache: bool = True,
) -> pd.DataFrame:
    """Ideal points of every state-year: ``iso3, year, ideal_point, se, n_votes``.

    The dynamic model is fitted on the whole record at once (``static``: one
    fit per year instead); ``se`` comes from ``n_boot`` parametric-bootstrap
    replicates (NaN below 2). Results are memoised beside the store (see
    :meth:`nonaligned.session.Store.cached`), keyed by the store's identity, the
    selection and the settings, so repeated calls are fast.
    """
    chosen = chosen or Selection()
    settings = Settings(n_boot=n_boot)
    fit = static_ideal_points if static else dynamic_ideal_points

    def compute() -> pd.DataFrame:
        votes, roll_calls = _StoreTables(store).vote_tables(None)
        return fit(votes, roll_calls, selection=chosen, settings=settings)

    if not cache:
        return compute()
    key = {"selection": asdict(chosen), "settings": asdict(settings), "static": static}
    key["model"] = MODEL_VERSION
    return store.cached("idealpoints", key, compute)
