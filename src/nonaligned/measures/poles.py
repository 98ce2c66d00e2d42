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

import ibis
import ibis.expr.types as ir
import numpy as np
import pandas as pd

from nonaligned.engines import execute
from nonaligned.measures import relational
from nonaligned.measures.similarity import MEASURES, Metric, tidy
from nonaligned.measures.votes import Selection, coded_relation

POLES: tuple[str, ...] = ("USA", "CHN", "RUS", "EU")
EU = "EU"


def eu_members(memberships: pd.DataFrame, years: np.ndarray) -> pd.DataFrame:
    """``iso3, year`` for every EU member state in each of ``years``."""
    eu = _eu_terms(memberships)
    years = np.asarray(years)
    member = (eu["joined_year"].to_numpy()[:, None] <= years[None, :]) & (
        years[None, :] < eu["left_year"].to_numpy()[:, None]
    )
    rows, cols = np.nonzero(member)
    return pd.DataFrame({"iso3": eu["iso3"].to_numpy()[rows], "year": years[cols]})


def _eu_terms(memberships: pd.DataFrame) -> pd.DataFrame:
    """``iso3, joined_year, left_year`` of EU members; an open membership ends at infinity."""
    eu = memberships[(memberships["grouping"] == EU) & (memberships["status"] == "member")]
    return pd.DataFrame(
        {
            "iso3": eu["iso3"].astype(str).to_numpy(),
            "joined_year": pd.to_numeric(eu["joined_year"]).astype("float64").to_numpy(),
            "left_year": pd.to_numeric(eu["left_year"]).astype("float64").fillna(np.inf).to_numpy(),
        }
    )


def _eu_position_expr(
    coded: ir.Table, roll_calls: pd.DataFrame, memberships: pd.DataFrame
) -> ir.Table:
    years = ibis.memtable(roll_calls[["roll_call_id", "year"]].astype("int64"))
    return relational.eu_positions(coded, years, ibis.memtable(_eu_terms(memberships)))


def eu_positions(
    coded: pd.DataFrame,
    roll_calls: pd.DataFrame,
    memberships: pd.DataFrame,
    *,
    engine: str | None = None,
) -> pd.DataFrame:
    """The EU's position on each roll call as ``roll_call_id, code``.

    ``coded`` is :func:`~nonaligned.measures.votes.coded_votes` output. The
    plurality vote of the member states voting that year; roll calls where
    no member voted, or where the leading positions tie, are left out.
    """
    expr = _eu_position_expr(ibis.memtable(coded), roll_calls, memberships)
    result = execute(expr.select("roll_call_id", "code"), engine)
    result = result.sort_values("roll_call_id").reset_index(drop=True)
    return result.astype({"roll_call_id": "int64", "code": "int8"})


def pole_alignment(
    votes: pd.DataFrame | ir.Table,
    roll_calls: pd.DataFrame,
    memberships: pd.DataFrame,
    *,
    by: Literal["year", "session"] = "year",
    selection: Selection | None = None,
    metric: Metric = "nominal",
    poles: tuple[str, ...] = POLES,
    engine: str | None = None,
) -> pd.DataFrame:
    """Similarity of every country with each pole, per year (or session).

    Columns: ``iso3, year`` (or ``session``), ``pole, agreement, kappa, pi,
    s_score, n_votes``; one row per country, period and pole with at least
    one common roll call, sorted by period, country and pole (in ``poles``
    order). A pole is not compared with itself. ``votes`` may be a table on
    the engine (see :func:`~nonaligned.measures.votes.coded_relation`).
    """
    columns = ["iso3", by, "pole", *MEASURES, "n_votes"]
    table = coded_relation(votes, roll_calls, by=by, selection=selection)
    if table is None:
        return pd.DataFrame(columns=columns)
    pole_votes = table.filter(table.iso3.isin([p for p in poles if p != EU]))
    if EU in poles:
        eu = _eu_position_expr(table, roll_calls, memberships).mutate(iso3=ibis.literal(EU))
        pole_votes = pole_votes.union(eu.select(*table.columns))
    result = execute(relational.pole_measures(table, pole_votes, metric), engine)
    result = result.rename(columns={"period": by})
    result["rank"] = result["pole"].map({pole: i for i, pole in enumerate(poles)})
    return tidy(result.sort_values([by, "iso3", "rank"]), by, columns)
