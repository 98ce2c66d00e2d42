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
    """``(west - other) / (west + other + nonaligned)`` over weighted memberships.

    Memberships of the nonaligned tradition (NAM, G77, BRICS) pull towards 0
    a state committed to a side; NaN when the country has no commitment to
    either side. G77 and NAM membership alone is the Global South's default,
    not evidence of a choice, just as voting like the median member is not.
    """
    west, other, nonaligned = (np.asarray(v, float) for v in (west, other, nonaligned))
    total = west + other + nonaligned
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(west + other > 0, (west - other) / total, np.nan)


def relative_lean(lean: np.ndarray, baseline: np.ndarray) -> np.ndarray:
    """A lean measured from the Assembly's baseline instead of from the midpoint.

    ``clip(lean - baseline, -1, 1)``: ``baseline`` is the position of the
    typical member (the median state), so voting like it is balanced (0)
    whatever the Assembly's North-South division does to the midpoint. The
    shift keeps the unit of the position lean (half the distance between the
    poles) on both sides: a rescaling to each pole's own distance from the
    baseline would turn a small step towards a pole that votes close to the
    median (China) into a large lean. Mirroring both arguments mirrors the
    result.
    """
    lean, baseline = np.broadcast_arrays(np.asarray(lean, float), np.asarray(baseline, float))
    return np.clip(lean - baseline, -1.0, 1.0)


def engagement(trade_intensity: np.ndarray, membership: np.ndarray) -> np.ndarray:
    """Engagement with one side in [0, 1]: the stronger of two kinds of evidence.

    ``trade_intensity`` is capped at 1 (trading with the side at least as much
    as its size predicts is full engagement); ``membership`` is the weighted
    count of groupings with the side, capped at 1. The maximum, because the
    channels substitute for each other: the West has no counterpart of the
    BRI, and many states engage China by trade without any grouping. A
    missing channel gives no evidence; with none at all, engagement is 0.
    """
    trade = np.clip(np.asarray(trade_intensity, float), 0.0, 1.0)
    groups = np.clip(np.asarray(membership, float), 0.0, 1.0)
    return np.nan_to_num(np.fmax(trade, groups), nan=0.0)


def activity(engagement_west: np.ndarray, engagement_other: np.ndarray) -> np.ndarray:
    """Engagement with *both* sides: the lesser of the two engagements.

    Playing the field needs two partners: engaging one side fully and the
    other not at all is activity 0, not 0.5.
    """
    return np.minimum(np.asarray(engagement_west, float), np.asarray(engagement_other, float))


def commitment_weight(commitment: np.ndarray, full: float) -> np.ndarray:
    """How much an institutional lean counts: commitments over a full one, capped at 1."""
    return np.clip(np.nan_to_num(np.asarray(commitment, float)) / full, 0.0, 1.0)
