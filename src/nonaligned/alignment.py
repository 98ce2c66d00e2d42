"""Diplomatic alignment from the store: similarity, agreement with the poles, ideal points.

Reads the store's vote tables for the years asked and hands them to the pure
measures in :mod:`nonaligned.measures`; the CLI and web app call these.
"""

from __future__ import annotations

from dataclasses import asdict

import duckdb
import pandas as pd

from nonaligned.errors import QueryError
from nonaligned.frame_cache import cached
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


def _vote_tables(
    con: duckdb.DuckDBPyConnection, year: int | None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    roll_calls = con.execute(
        "SELECT * FROM roll_calls WHERE ? IS NULL OR year = ?", [year, year]
    ).df()
    if roll_calls.empty:
        raise QueryError(f"no roll calls in {year}")
    votes = con.execute(
        """SELECT v.* FROM votes v JOIN roll_calls r USING (roll_call_id)
                           WHERE ? IS NULL OR r.year = ?""",
        [year, year],
    ).df()
    return votes, roll_calls


def alignment(
    con: duckdb.DuckDBPyConnection, iso3: str, chosen: Selection | None = None
) -> pd.DataFrame:
    """Agreement, κ, π and S of one country with USA, CHN, RUS and the EU, per year."""
    code = check_country(con, iso3)
    votes, roll_calls = _vote_tables(con, None)
    memberships = con.execute("SELECT * FROM memberships").df()
    result = pole_alignment(votes, roll_calls, memberships, selection=chosen)
    return result[result.iso3 == code].reset_index(drop=True)


def dyads(
    con: duckdb.DuckDBPyConnection, year: int, chosen: Selection | None = None
) -> pd.DataFrame:
    """Every dyad's agreement, κ, π and S in one year."""
    votes, roll_calls = _vote_tables(con, year)
    return dyad_similarity(votes, roll_calls, selection=chosen)


def ideal_points(
    con: duckdb.DuckDBPyConnection,
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
    :mod:`nonaligned.frame_cache`), keyed by the store's identity, the
    selection and the settings, so repeated calls are fast.
    """
    chosen = chosen or Selection()
    settings = Settings(n_boot=n_boot)
    fit = static_ideal_points if static else dynamic_ideal_points

    def compute() -> pd.DataFrame:
        votes, roll_calls = _vote_tables(con, None)
        return fit(votes, roll_calls, selection=chosen, settings=settings)

    if not cache:
        return compute()
    key = {"selection": asdict(chosen), "settings": asdict(settings), "static": static}
    key["model"] = MODEL_VERSION
    return cached(con, "idealpoints", key, compute)
