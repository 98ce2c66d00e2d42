"""The diplomatic lean from ideal points, the second reading of the votes beside agreement.

Ideal points (Bailey, Strezhnev and Voeten 2017; in this project
``nonaligned.alignment.ideal_points``) place every state on one dimension per
year. On that line a state's position between the poles is the same
:func:`~nonaligned.index.formulas.position_lean` as for vote disagreement,
with ``d = |θ_a - θ_b|``. The West is, as everywhere in the index, the
nearer of the US and the EU, the EU's ideal point being the mean of its
member states' that year (for a member state, the mean of the *other*
members, so that it is not compared with itself). The ideal points come from
:func:`nonaligned.index.api.fitted_ideal_points` (the whole-record fit,
cached beside the store) unless the caller supplies others; with
``ideal_points=False`` the index uses vote agreement only.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from nonaligned.index import formulas


def ideal_point_lean(theta: pd.Series, eu_members: frozenset[str], other: str) -> pd.Series:
    """Position (+1 West, -1 ``other``) of each state in ``theta`` (ideal points by iso3, a year).

    The distance between the poles uses the whole EU's mean; a member's own
    distance to the EU uses the other members' mean. Missing for every state
    when the US, ``other`` and all EU members lack an ideal point that year.
    """
    theta = theta.dropna()
    in_eu = theta.index.isin(list(eu_members))
    eu = theta[in_eu]
    n, total = len(eu), eu.sum()
    values = theta.to_numpy(float)
    bloc = total / n if n else np.nan
    with np.errstate(divide="ignore", invalid="ignore"):
        theta_eu = np.where(in_eu, (total - values) / (n - 1), bloc)
    theta_usa = theta.get("USA", np.nan)
    theta_other = theta.get(other, np.nan)
    d_west = np.fmin(np.abs(values - theta_usa), np.abs(values - theta_eu))
    d_other = np.abs(values - theta_other)
    d_poles = np.fmin(abs(theta_usa - theta_other), abs(bloc - theta_other))
    return pd.Series(formulas.position_lean(d_west, d_other, d_poles), index=theta.index)
