"""Dyadic similarity of UN voting: Voeten agreement, Cohen's κ, Scott's π, S.

Why four measures: the raw agreement share is what most of the literature
reports, but two states that both vote "yes" on almost everything agree
highly by construction. Häge (2011) showed that chance-corrected measures
(Cohen's κ, Scott's π) separate choice from circumstance; the Signorino and
Ritter (1999) S score is the other standard in IR. All four are functions of
one 3 x 3 contingency table per dyad and period (yes / abstain / no for each
state, over the roll calls on which both voted), so they are computed
together from those tables.

With votes coded 1 (yes), 2 (abstain), 3 (no) and ``p[k, l]`` the share of
common roll calls on which state a voted k and state b voted l:

* agreement (Voeten) ``= 1 - Σ p[k,l] |k - l| / 2``, in [0, 1].
* S (Signorino–Ritter, one dimension, absolute distance, d_max = 3 - 1 = 2)
  ``= 1 - 2 Σ p[k,l] |k - l| / d_max``, in [-1, 1]. With this coding S is an
  affine transform of agreement (S = 2·agreement - 1); both are reported
  because users expect both names.
* κ and π (Häge 2011) ``= 1 - D_o / D_e`` with observed disagreement
  ``D_o = Σ p[k,l] d(k,l)`` and chance disagreement ``D_e`` computed from
  each state's own marginals (κ) or from their pooled marginals (π). The
  default distance is nominal, d(k,l) = 1 if k != l (the classic
  (p_o - p_e) / (1 - p_e) forms); "absolute" and "squared" give Häge's
  distance-weighted variants. When D_e = 0 (both states cast one and the
  same kind of vote throughout) κ and π are undefined and returned as NaN,
  never 0.

The measures are defined once, as Ibis expressions, in
:mod:`nonaligned.measures.relational`; this module prepares the votes and
runs that definition on the chosen engine (:mod:`nonaligned.engines`).
"""

from __future__ import annotations

from typing import Literal

import ibis
import ibis.expr.types as ir
import numpy as np
import pandas as pd

from nonaligned.engines import execute
from nonaligned.measures import relational
from nonaligned.measures.relational import CELL_COLUMNS, D_MAX, MEASURES
from nonaligned.measures.votes import Selection, coded_relation

Metric = Literal["nominal", "absolute", "squared"]
__all__ = ["D_MAX", "MEASURES", "contingency_tables", "dyad_similarity", "measures_from_tables"]


def _matrix_votes(matrix: np.ndarray, prefix: str) -> pd.DataFrame:
    """A code matrix as coded votes of voters ``{prefix}{row:07d}`` in one period."""
    rows, cols = np.nonzero(matrix)
    return pd.DataFrame(
        {
            "roll_call_id": cols.astype(np.int64),
            "iso3": pd.Series([f"{prefix}{row:07d}" for row in rows], dtype=object),
            "period": np.zeros(len(rows), dtype=np.int64),
            "code": matrix[rows, cols].astype(np.int8),
        }
    )


def contingency_tables(
    left: np.ndarray, right: np.ndarray, *, engine: str | None = None
) -> np.ndarray:
    """Vote-by-vote counts for every pair of rows of two code matrices.

    ``left`` (m x r) and ``right`` (n x r) hold codes 1..3 over the same r
    roll calls, 0 where a state did not vote. Returns an (m, n, 3, 3) array:
    ``tables[i, j, k, l]`` counts roll calls where left row i voted k+1 and
    right row j voted l+1. A matrix front end to
    :func:`~nonaligned.measures.relational.contingency`, run on ``engine``
    (see :func:`nonaligned.engines.engine_name`).
    """
    left, right = np.asarray(left), np.asarray(right)
    tables = np.zeros((left.shape[0], right.shape[0], 3, 3))
    coded = pd.concat([_matrix_votes(left, "a"), _matrix_votes(right, "b")], ignore_index=True)
    if coded.empty:
        return tables
    masks = relational.vote_masks(ibis.memtable(coded))
    left, right = (masks.filter(masks.iso3.substr(0, 1) == side) for side in "ab")
    pairs = relational.contingency(left, right, upper=False)
    counts = execute(pairs, engine)
    i = counts["iso3_a"].str[1:].astype(int).to_numpy()
    j = counts["iso3_b"].str[1:].astype(int).to_numpy()
    tables[i, j] = counts[list(CELL_COLUMNS)].to_numpy(dtype=float).reshape(-1, 3, 3)
    return tables


def measures_from_tables(
    tables: np.ndarray, metric: Metric = "nominal", *, engine: str | None = None
) -> dict[str, np.ndarray]:
    """The four measures and ``n_votes`` from (..., 3, 3) contingency tables.

    Tables with no common votes give NaN for every measure; κ and π are NaN
    also where chance disagreement is zero (see the module docstring). Runs
    :func:`~nonaligned.measures.relational.with_measures` on ``engine``.
    """
    tables = np.asarray(tables, dtype=np.int64)
    shape = tables.shape[:-2]
    frame = pd.DataFrame(tables.reshape(-1, 9), columns=list(CELL_COLUMNS))
    frame["row"] = np.arange(len(frame), dtype=np.int64)
    expr = relational.with_measures(ibis.memtable(frame), metric).order_by("row")
    values = execute(expr, engine)
    result = {name: values[name].to_numpy(dtype=float).reshape(shape) for name in MEASURES}
    result["n_votes"] = values["n_votes"].to_numpy(dtype=np.int64).reshape(shape)
    return result


def dyad_similarity(
    votes: pd.DataFrame | ir.Table,
    roll_calls: pd.DataFrame,
    *,
    by: Literal["year", "session"] = "year",
    selection: Selection | None = None,
    metric: Metric = "nominal",
    engine: str | None = None,
) -> pd.DataFrame:
    """Similarity of every dyad in every year (or session).

    Non-directed: one row per dyad with ``iso3_a < iso3_b``, for dyads with at
    least one roll call on which both voted. Columns: ``iso3_a, iso3_b, year``
    (or ``session``), ``agreement, kappa, pi, s_score, n_votes``; sorted by
    period and dyad. ``engine``: see :func:`nonaligned.engines.engine_name`;
    ``votes`` may be a table on that engine (see :func:`coded_relation`).
    """
    columns = ["iso3_a", "iso3_b", by, *MEASURES, "n_votes"]
    coded = coded_relation(votes, roll_calls, by=by, selection=selection)
    if coded is None:
        return pd.DataFrame(columns=columns)
    expr = relational.dyad_measures(coded, metric)
    result = execute(expr.order_by("period", "iso3_a", "iso3_b"), engine)
    return tidy(result.rename(columns={"period": by}), by, columns)


def tidy(result: pd.DataFrame, by: str, columns: list[str]) -> pd.DataFrame:
    """Engine output in the library's shape: plain NumPy dtypes, NaN where undefined."""
    result = result.reset_index(drop=True)[columns]
    for name in MEASURES:
        result[name] = result[name].astype("float64")
    for name in (by, "n_votes"):
        result[name] = result[name].astype("int64")
    return result
