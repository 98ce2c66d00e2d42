"""One year of the index for every UN member state, on both axes, with bootstrap replicates.

Components arrive as arrays with a replicate axis (0 = observed, 1..n_boot
= bootstrap draws); the classes are computed on every replicate and the
class probabilities are the shares of draws in each class.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from nonaligned.index import formulas
from nonaligned.index.axes import AXES, CLASSES, Axis
from nonaligned.index.classes import Thresholds, classify, combined_lean
from nonaligned.index.diplomatic import POLE_VOTERS, VoteYear
from nonaligned.index.economic import expected_shares
from nonaligned.index.ideal import ideal_point_lean

COLUMNS: tuple[str, ...] = (
    "iso3",
    "year",
    "axis",
    "lean_diplomatic",
    "lean_economic",
    "lean_institutional",
    "lean",
    "balance",
    "activity",
    "class",
    "class_probability",
    *(f"p_{name}" for name in CLASSES),
    "lean_diplomatic_sd",
    "lean_vote_agreement",
    "lean_ideal_point",
    "participation",
    "share_west",
    "share_other",
    "intensity_west",
    "intensity_other",
    "lean_economic_raw",
    "pole_trade_gdp",
    "pole_trade_share",
    "inst_west",
    "inst_other",
    "inst_nonaligned",
    "basis",
)


def _nearest(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Element-wise minimum ignoring NaN (NaN only where both are)."""
    return np.fmin(a, b)


def _spread(draws: np.ndarray) -> np.ndarray:
    """Bootstrap standard deviation per row; NaN without at least two finite draws."""
    finite = np.isfinite(draws)
    n = finite.sum(axis=1)
    mean = np.where(finite, draws, 0.0).sum(axis=1) / np.maximum(n, 1)
    squares = (np.where(finite, draws - mean[:, None], 0.0) ** 2).sum(axis=1)
    return np.where(n > 1, np.sqrt(squares / np.maximum(n - 1, 1)), np.nan)


def _basis(diplomatic: np.ndarray, economic: np.ndarray, institutional: np.ndarray) -> list:
    """Which leans a row rests on, e.g. ``votes+trade+memberships`` (None if none).

    After 2020 there is no trade: the web map and readers need to see that a
    class then rests on votes and memberships only.
    """
    names = np.array(["votes", "trade", "memberships"])
    present = ~np.isnan(np.stack([diplomatic, economic, institutional], axis=1))
    return ["+".join(names[row]) or None for row in present]


def _rank(values: np.ndarray) -> np.ndarray:
    """Percentile rank in (0, 1] among the values present; NaN stays NaN."""
    return pd.Series(values).rank(pct=True).to_numpy()


def _probabilities(labels: np.ndarray) -> np.ndarray:
    """(state, class) shares of the bootstrap replicates (columns 1..) in each class."""
    draws = labels[:, 1:]
    n = (draws != None).sum(axis=1)  # noqa: E711  (object array of labels)
    counts = np.stack([(draws == name).sum(axis=1) for name in CLASSES], axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(n[:, None] > 0, counts / n[:, None], np.nan)


def axis_year(
    axis: Axis,
    votes: VoteYear,
    trade: pd.DataFrame,
    expected: dict[str, np.ndarray],
    gdp: pd.Series,
    institutions: pd.DataFrame,
    t: Thresholds,
    ideal_lean: np.ndarray | None = None,
) -> pd.DataFrame:
    """The index on one axis for the states in ``votes`` (one year).

    ``trade`` is the year's :func:`~nonaligned.index.economic.side_trade`
    indexed by iso3; ``expected`` its :func:`expected_shares`; ``gdp`` WDI
    GDP by iso3; ``institutions`` the year's institutional counts by iso3.
    """
    states = pd.Index(votes.iso3)
    usa, eu, other = (POLE_VOTERS.index(p) for p in ("USA", "EU", axis.other))
    d_west = _nearest(votes.distance[:, usa], votes.distance[:, eu])
    d_poles = _nearest(votes.pole_distance[usa, other], votes.pole_distance[eu, other])
    lean_votes = formulas.position_lean(d_west, votes.distance[:, other], d_poles[None, :])
    lean_ideal = np.full(len(states), np.nan) if ideal_lean is None else ideal_lean
    # with ideal points, the diplomatic lean is the mean of the two readings
    lean_d = formulas.weighted_mean([lean_votes, lean_ideal[:, None]], [1.0, 1.0])

    flows = trade.reindex(states)
    world = flows["world"].to_numpy(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        share_w = flows["west"].to_numpy(float) / world
        share_o = flows[axis.other].to_numpy(float) / world
        pole_sum = flows["west"].to_numpy(float) + flows[axis.other].to_numpy(float)
        pole_gdp = pole_sum / gdp.reindex(states).where(lambda g: g > 0).to_numpy(float)
        pole_share = pole_sum / world
    intensity_w = formulas.trade_intensity(share_w[:, None], expected["west"][None, :])
    intensity_o = formulas.trade_intensity(share_o[:, None], expected[axis.other][None, :])
    lean_e = formulas.ratio_lean(intensity_w, intensity_o)

    inst = institutions.reindex(states).fillna(0)
    lean_i = formulas.membership_lean(
        inst["inst_west"], inst[f"inst_{axis.other}"], inst["inst_nonaligned"]
    )[:, None]
    activity = formulas.weighted_mean(
        [votes.participation, _rank(pole_gdp)[:, None], _rank(pole_share)[:, None]],
        [1.0, 1.0, 1.0],
    )
    labels = classify(lean_d, lean_e, lean_i, activity, axis, t)
    probabilities = _probabilities(labels)
    point = labels[:, 0]
    chosen = np.array([CLASSES.index(c) if c is not None else -1 for c in point])
    class_probability = np.where(
        chosen >= 0, probabilities[np.arange(len(point)), np.maximum(chosen, 0)], np.nan
    )
    frame = pd.DataFrame(
        {
            "iso3": votes.iso3,
            "axis": axis.name,
            "lean_diplomatic": lean_d[:, 0],
            "lean_economic": lean_e[:, 0],
            "lean_institutional": lean_i[:, 0],
            "lean": combined_lean(lean_d[:, 0], lean_e[:, 0], lean_i[:, 0], t),
            "balance": formulas.balance([lean_d[:, 0], lean_e[:, 0], lean_i[:, 0]], t.weights),
            "activity": activity[:, 0],
            "class": point,
            "class_probability": class_probability,
            **{f"p_{name}": probabilities[:, k] for k, name in enumerate(CLASSES)},
            "lean_diplomatic_sd": _spread(lean_d[:, 1:]),
            "lean_vote_agreement": lean_votes[:, 0],
            "lean_ideal_point": lean_ideal,
            "participation": votes.participation[:, 0],
            "share_west": share_w,
            "share_other": share_o,
            "intensity_west": intensity_w[:, 0],
            "intensity_other": intensity_o[:, 0],
            "lean_economic_raw": formulas.ratio_lean(share_w, share_o),
            "pole_trade_gdp": pole_gdp,
            "pole_trade_share": pole_share,
            "inst_west": inst["inst_west"].to_numpy(int),
            "inst_other": inst[f"inst_{axis.other}"].to_numpy(int),
            "inst_nonaligned": inst["inst_nonaligned"].to_numpy(int),
            "basis": _basis(lean_d[:, 0], lean_e[:, 0], lean_i[:, 0]),
        }
    )
    return frame


def year_index(
    year: int,
    votes: VoteYear,
    trade: pd.DataFrame,
    side_members: dict[str, set[str]],
    gdp: pd.Series,
    institutions: pd.DataFrame,
    t: Thresholds,
    n_boot: int,
    seed: int,
    theta: pd.Series | None = None,
) -> pd.DataFrame:
    """Both axes for one year; ``trade`` is that year's side trade (may be empty),
    ``theta`` the year's ideal points by iso3 (optional)."""
    rng = np.random.default_rng([seed, year, 1])
    expected = expected_shares(trade.reset_index(), side_members, n_boot, rng)
    eu = side_members["west"] - {"USA"}
    parts = []
    for axis in AXES.values():
        ideal = None
        if theta is not None and axis.ideal_point_reading:
            lean = ideal_point_lean(theta, eu, axis.other)
            ideal = lean.reindex(pd.Index(votes.iso3)).to_numpy(float)
        parts.append(axis_year(axis, votes, trade, expected, gdp, institutions, t, ideal))
    frame = pd.concat(parts, ignore_index=True).assign(year=year)
    return frame[list(COLUMNS)]
