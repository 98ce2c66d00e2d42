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

Vectorised: one matrix product of one-hot vote matrices gives the tables of
all dyads of a period at once.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from nonaligned.measures.votes import Selection, coded_votes, vote_matrix

Metric = Literal["nominal", "absolute", "squared"]
MEASURES: tuple[str, ...] = ("agreement", "kappa", "pi", "s_score")
D_MAX = 2.0  # largest possible distance between two votes coded 1..3

_CATEGORIES = np.arange(1, 4)
_ABS = np.abs(_CATEGORIES[:, None] - _CATEGORIES[None, :]).astype(float)
_DISTANCES: dict[str, np.ndarray] = {
    "nominal": (_ABS > 0).astype(float),
    "absolute": _ABS,
    "squared": _ABS**2,
}


def contingency_tables(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Vote-by-vote counts for every pair of rows of two code matrices.

    ``left`` (m x r) and ``right`` (n x r) hold codes 1..3 over the same r
    roll calls, 0 where a state did not vote. Returns an (m, n, 3, 3) array:
    ``tables[i, j, k, l]`` counts roll calls where left row i voted k+1 and
    right row j voted l+1 (as float32 counts). One matrix product over
    one-hot encodings, so a whole period costs a single BLAS call.
    """
    m, n = left.shape[0], right.shape[0]
    one_left = np.concatenate([(left == c) for c in _CATEGORIES]).astype(np.float32)
    one_right = np.concatenate([(right == c) for c in _CATEGORIES]).astype(np.float32)
    counts = (one_left @ one_right.T).reshape(3, m, 3, n)  # exact: integers below 2**24
    return counts.transpose(1, 3, 0, 2)


def measures_from_tables(tables: np.ndarray, metric: Metric = "nominal") -> dict[str, np.ndarray]:
    """The four measures and ``n_votes`` from (..., 3, 3) contingency tables.

    Tables with no common votes give NaN for every measure; κ and π are NaN
    also where chance disagreement is zero (see the module docstring).
    """
    if metric not in _DISTANCES:
        raise ValueError(f"metric must be one of {tuple(_DISTANCES)}, not {metric!r}")
    distance = _DISTANCES[metric]
    tables = np.asarray(tables, dtype=np.float64)
    n = tables.sum(axis=(-2, -1))
    with np.errstate(invalid="ignore", divide="ignore"):
        p = tables / n[..., None, None]
        mean_abs = (p * _ABS).sum(axis=(-2, -1))
        row, col = p.sum(axis=-1), p.sum(axis=-2)
        pooled = (row + col) / 2
        observed = (p * distance).sum(axis=(-2, -1))
        chance_kappa = np.einsum("...k,...l,kl->...", row, col, distance)
        chance_pi = np.einsum("...k,...l,kl->...", pooled, pooled, distance)
        kappa = np.where(chance_kappa > 1e-12, 1 - observed / chance_kappa, np.nan)
        pi = np.where(chance_pi > 1e-12, 1 - observed / chance_pi, np.nan)
    return {
        "agreement": 1 - mean_abs / 2,
        "kappa": kappa,
        "pi": pi,
        "s_score": 1 - 2 * mean_abs / D_MAX,
        "n_votes": n.astype(np.int64),
    }


def dyad_similarity(
    votes: pd.DataFrame,
    roll_calls: pd.DataFrame,
    *,
    by: Literal["year", "session"] = "year",
    selection: Selection | None = None,
    metric: Metric = "nominal",
) -> pd.DataFrame:
    """Similarity of every dyad in every year (or session).

    Non-directed: one row per dyad with ``iso3_a < iso3_b``, for dyads with at
    least one roll call on which both voted. Columns: ``iso3_a, iso3_b, year``
    (or ``session``), ``agreement, kappa, pi, s_score, n_votes``.
    """
    coded = coded_votes(votes, roll_calls, by=by, selection=selection)
    parts = []
    for period, group in coded.groupby("period", sort=True):
        matrix, iso3, _ = vote_matrix(group)
        upper_a, upper_b = np.triu_indices(len(iso3), k=1)
        tables = contingency_tables(matrix, matrix)[upper_a, upper_b]
        values = measures_from_tables(tables, metric)
        shared = values["n_votes"] > 0
        part = {"iso3_a": iso3[upper_a[shared]], "iso3_b": iso3[upper_b[shared]]}
        part[by] = np.full(shared.sum(), period, dtype=np.int64)
        part.update({name: values[name][shared] for name in (*MEASURES, "n_votes")})
        parts.append(pd.DataFrame(part))
    columns = ["iso3_a", "iso3_b", by, *MEASURES, "n_votes"]
    if not parts:
        return pd.DataFrame(columns=columns)
    return pd.concat(parts, ignore_index=True)[columns]
