"""The index's formulas, as pure array functions (docs/methodology.md derives each).

Every lean is on the same scale: +1 fully with the West, -1 fully with the
other pole of the axis, 0 equidistant. Swapping the two poles mirrors it.
"""

from __future__ import annotations

import numpy as np


def position_lean(d_west: np.ndarray, d_other: np.ndarray, d_poles: np.ndarray) -> np.ndarray:
    """Where a country sits on the segment between two poles, from distances.

    ``(d_other - d_west) / d_poles``, clipped to [-1, 1]. With a metric
    distance (UN-vote disagreement is one) the triangle inequality keeps the
    ratio in [-1, 1] up to sampling noise; on a line it is exactly the
    position between the poles rescaled to [-1, 1]. A country at a pole
    (distance 0 to it) gets +/-1. Undefined (NaN) when the poles coincide.
    """
    d_west, d_other, d_poles = np.broadcast_arrays(
        np.asarray(d_west, float), np.asarray(d_other, float), np.asarray(d_poles, float)
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        lean = np.where(d_poles > 0, (d_other - d_west) / d_poles, np.nan)
    return np.clip(lean, -1.0, 1.0)


def ratio_lean(west: np.ndarray, other: np.ndarray) -> np.ndarray:
    """``(west - other) / (west + other)`` for non-negative quantities (shares, intensities).

    +1 when only the West counts, -1 when only the other pole does; NaN when
    both are zero or either is missing.
    """
    west, other = np.asarray(west, float), np.asarray(other, float)
    total = west + other
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(total > 0, (west - other) / total, np.nan)


def trade_intensity(share: np.ndarray, expected_share: np.ndarray) -> np.ndarray:
    """Trade intensity index: a country's share with a partner over the partner's share
    of the trade of the rest of the world. 1 = as much as the partner's size predicts."""
    share, expected_share = np.asarray(share, float), np.asarray(expected_share, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(expected_share > 0, share / expected_share, np.nan)


def weighted_mean(values: list[np.ndarray], weights: list[float]) -> np.ndarray:
    """Mean of ``values`` with ``weights``, over the values present (NaN if none is)."""
    stacked = np.stack(np.broadcast_arrays(*[np.asarray(v, float) for v in values]))
    w = np.asarray(weights, float).reshape((-1,) + (1,) * (stacked.ndim - 1))
    present = ~np.isnan(stacked)
    total = (present * w).sum(axis=0)
    weighted = (np.where(present, stacked, 0.0) * w).sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(total > 0, weighted / total, np.nan)


def balance(leans: list[np.ndarray], weights: list[float]) -> np.ndarray:
    """Closeness to equidistance: 1 - the weighted mean of the absolute leans.

    1 when equidistant on every component; 0 when fully with one pole on
    every component. Absolute values, so that a country leaning West in votes
    and to China in trade is *not* called balanced (that is the split class).
    """
    return 1.0 - weighted_mean([np.abs(np.asarray(v, float)) for v in leans], weights)


def membership_lean(west: np.ndarray, other: np.ndarray, nonaligned: np.ndarray) -> np.ndarray:
    """``(west - other) / (west + other + nonaligned)`` over counts of memberships.

    Memberships of the nonaligned tradition (NAM, G77, BRICS) pull towards 0;
    NaN when the country belongs to none of the groupings counted.
    """
    west, other, nonaligned = (np.asarray(v, float) for v in (west, other, nonaligned))
    total = west + other + nonaligned
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(total > 0, (west - other) / total, np.nan)
