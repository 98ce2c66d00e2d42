"""Alignment of every country with the poles: USA, China, Russia and the EU.

The active-nonalignment index (BRIEF section 5) needs each state's distance
to each pole, not all dyads, so this module computes the same four measures
as :mod:`nonaligned.measures.similarity` between every country and four
pseudo-voters.

USA, CHN and RUS vote as themselves (the USSR's seat is ``RUS``; ``CHN``
votes only from the PRC's seating in October 1971 on). The EU does not vote
in the General Assembly, so its position on a roll call is constructed:

* members are the states with ``grouping == "EU"`` and ``status ==
  "member"`` in the memberships table, in the calendar year of the roll call
  (``joined_year <= year`` and ``left_year`` empty or ``year < left_year``;
  so the UK counts until 2019, and the 1952 ECSC founders from 1952). The
  table has years, not dates, so an accession year counts in full.
* the EU position is the plurality among the members who voted (yes,
  abstain or no; absences are not votes);
* a tie between the leading positions means the EU had no position: the roll
  call is skipped for the EU pole (it still counts for the other poles).
  Splits are rare because EU members coordinate their votes.

Member states are compared with the EU position they helped form; that is
what the measure means ("how close to the bloc"), so they are kept.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from nonaligned.measures.similarity import (
    MEASURES,
    Metric,
    contingency_tables,
    measures_from_tables,
)
from nonaligned.measures.votes import Selection, coded_votes, vote_matrix

POLES: tuple[str, ...] = ("USA", "CHN", "RUS", "EU")
EU = "EU"


def eu_members(memberships: pd.DataFrame, years: np.ndarray) -> pd.DataFrame:
    """``iso3, year`` for every EU member state in each of ``years``."""
    eu = memberships[(memberships["grouping"] == EU) & (memberships["status"] == "member")]
    # float, so that an open membership (no left_year) can be infinity
    joined = pd.to_numeric(eu["joined_year"]).astype("float64").to_numpy()
    left = pd.to_numeric(eu["left_year"]).astype("float64").fillna(np.inf).to_numpy()
    years = np.asarray(years)
    member = (joined[:, None] <= years[None, :]) & (years[None, :] < left[:, None])
    rows, cols = np.nonzero(member)
    return pd.DataFrame({"iso3": eu["iso3"].to_numpy()[rows], "year": years[cols]})


def eu_positions(
    coded: pd.DataFrame, roll_calls: pd.DataFrame, memberships: pd.DataFrame
) -> pd.DataFrame:
    """The EU's position on each roll call as ``roll_call_id, code``.

    ``coded`` is :func:`~nonaligned.measures.votes.coded_votes` output. The
    plurality vote of the member states voting that year; roll calls where
    no member voted, or where the leading positions tie, are left out.
    """
    years = roll_calls[["roll_call_id", "year"]]
    with_year = coded.merge(years, on="roll_call_id", how="inner")
    members = eu_members(memberships, np.unique(with_year["year"]))
    member_votes = with_year.merge(members, on=["iso3", "year"], how="inner")
    counts = pd.crosstab(member_votes["roll_call_id"], member_votes["code"])
    counts = counts.reindex(columns=[1, 2, 3], fill_value=0).to_numpy()
    top = counts.max(axis=1)
    unique_top = (counts == top[:, None]).sum(axis=1) == 1
    roll_call_ids = np.unique(member_votes["roll_call_id"])
    return pd.DataFrame(
        {
            "roll_call_id": roll_call_ids[unique_top],
            "code": (counts.argmax(axis=1)[unique_top] + 1).astype(np.int8),
        }
    )


def pole_alignment(
    votes: pd.DataFrame,
    roll_calls: pd.DataFrame,
    memberships: pd.DataFrame,
    *,
    by: Literal["year", "session"] = "year",
    selection: Selection | None = None,
    metric: Metric = "nominal",
    poles: tuple[str, ...] = POLES,
) -> pd.DataFrame:
    """Similarity of every country with each pole, per year (or session).

    Columns: ``iso3, year`` (or ``session``), ``pole, agreement, kappa, pi,
    s_score, n_votes``; one row per country, period and pole with at least
    one common roll call. A pole is not compared with itself.
    """
    coded = coded_votes(votes, roll_calls, by=by, selection=selection)
    if EU in poles:
        periods = coded[["roll_call_id", "period"]].drop_duplicates()
        eu = eu_positions(coded, roll_calls, memberships).merge(periods, on="roll_call_id")
        coded = pd.concat([coded, eu.assign(iso3=EU)], ignore_index=True)
    parts = []
    for period, group in coded.groupby("period", sort=True):
        matrix, names, _ = vote_matrix(group, sorted(set(group["iso3"]) | set(poles)))
        is_state = names != EU
        states = names[is_state]
        pole_rows = matrix[pd.Index(names).get_indexer(poles)]
        tables = contingency_tables(matrix[is_state], pole_rows)
        values = measures_from_tables(tables, metric)
        state_idx, pole_idx = np.nonzero(values["n_votes"] > 0)
        part = {"iso3": states[state_idx], by: np.full(len(state_idx), period, dtype=np.int64)}
        part["pole"] = np.asarray(poles)[pole_idx]
        part.update({name: values[name][state_idx, pole_idx] for name in (*MEASURES, "n_votes")})
        parts.append(pd.DataFrame(part))
    columns = ["iso3", by, "pole", *MEASURES, "n_votes"]
    if not parts:
        return pd.DataFrame(columns=columns)
    result = pd.concat(parts, ignore_index=True)[columns]
    return result[result["iso3"] != result["pole"]].reset_index(drop=True)
