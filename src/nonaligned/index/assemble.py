"""One year of the index for every UN member state, on both axes, with bootstrap replicates.

Components arrive as arrays with a replicate axis (0 = observed, 1..n_boot
= bootstrap draws); the classes are computed on every replicate and the
class probabilities are the shares of draws in each class.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from nonaligned.index import formulas
from nonaligned.index.axes import AXES, CLASSES, Axis
from nonaligned.index.classes import Thresholds, class_codes, labels, political_lean
from nonaligned.index.diplomatic import POLE_VOTERS, VoteYear
from nonaligned.index.economic import EXTRA_EU, expected_shares
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
    "provisional",
    "lean_diplomatic_sd",
    "lean_vote_agreement",
    "lean_ideal_point",
    "lean_position",
    "baseline_position",
    "lean_usa",
    "lean_eu",
    "usa_eu_agreement",
    "west_divided",
    "n_votes",
    "n_roll_calls",
    "participation",
    "economic_year",
    "share_west",
    "share_other",
    "intensity_west",
    "intensity_other",
    "lean_economic_raw",
    "engagement_west",
    "engagement_other",
    "inst_west",
    "inst_other",
    "inst_nonaligned",
    "basis",
)


@dataclass(frozen=True)
class Economy:
    """One trade year's side trade (by iso3) and expectations, used for a (later) index year."""

    year: int | None
    trade: pd.DataFrame
    expected: dict[str, np.ndarray]
    eu_states: frozenset[str]


def _spread(draws: np.ndarray) -> np.ndarray:
    """Bootstrap standard deviation per row; NaN without at least two finite draws."""
    finite = np.isfinite(draws)
    n = finite.sum(axis=1)
    mean = np.where(finite, draws, 0.0).sum(axis=1) / np.maximum(n, 1)
    squares = (np.where(finite, draws - mean[:, None], 0.0) ** 2).sum(axis=1)
    return np.where(n > 1, np.sqrt(squares / np.maximum(n - 1, 1)), np.nan)


def _basis(diplomatic: np.ndarray, economic: np.ndarray, institutional: np.ndarray) -> list:
    """Which leans a row rests on, e.g. ``votes+trade+memberships`` (None if none)."""
    names = np.array(["votes", "trade", "memberships"])
    present = ~np.isnan(np.stack([diplomatic, economic, institutional], axis=1))
    return ["+".join(names[row]) or None for row in present]


def _probabilities(codes: np.ndarray) -> np.ndarray:
    """(state, class) shares of the bootstrap replicates (columns 1..) in each class."""
    draws = codes[:, 1:]
    counts = np.stack([(draws == k).sum(axis=1) for k in range(len(CLASSES))], axis=1)
    n = counts.sum(axis=1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(n > 0, counts / n, np.nan)


def _column_median(values: np.ndarray) -> np.ndarray:
    """Median of the finite values of each column; NaN for a column without any.

    A sort instead of ``np.nanmedian``, which is an order of magnitude slower
    on these (state, replicate) arrays.
    """
    if values.shape[0] == 0:
        return np.full(values.shape[1], np.nan)
    ordered = np.sort(values, axis=0)  # NaN sorts last
    n = np.isfinite(values).sum(axis=0)
    cols = np.arange(values.shape[1])
    middle = (ordered[np.maximum(n - 1, 0) // 2, cols] + ordered[n // 2, cols]) / 2
    return np.where(n > 0, middle, np.nan)


def _from_baseline(position: np.ndarray, counted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Relative leans (state, rep) and the baseline (rep,): the median counted state's position."""
    usable = np.where(counted[:, None], position, np.nan)
    baseline = _column_median(usable)
    return formulas.relative_lean(usable, baseline[None, :]), baseline


def _position(votes: VoteYear, west: tuple[str, ...], other: str) -> np.ndarray:
    """(state, rep) position between the nearer of ``west`` and ``other``, from disagreement."""
    cols = [POLE_VOTERS.index(p) for p in west]
    o = POLE_VOTERS.index(other)
    d_west = np.fmin.reduce([votes.distance[:, c] for c in cols])
    d_poles = np.fmin.reduce([votes.pole_distance[c, o] for c in cols])
    return formulas.position_lean(d_west, votes.distance[:, o], d_poles[None, :])


def axis_year(
    axis: Axis,
    votes: VoteYear,
    economy: Economy,
    institutions: pd.DataFrame,
    t: Thresholds,
    ideal_position: np.ndarray | None = None,
    provisional: bool = False,
) -> pd.DataFrame:
    """The index on one axis for the states in ``votes`` (one year).

    ``economy`` is the trade year the economic component rests on;
    ``institutions`` the year's tier-weighted memberships by iso3;
    ``ideal_position`` the states' position between the poles on the
    ideal-point line (None: agreement only); ``provisional`` a year with too
    few roll calls to class (leans are still reported).
    """
    states = pd.Index(votes.iso3)
    counted = votes.n_votes >= t.min_votes
    position = _position(votes, axis.west, axis.other)
    lean_votes, baseline = _from_baseline(position, counted)
    if ideal_position is None:
        ideal_position = np.full(len(states), np.nan)
    lean_ideal = _from_baseline(ideal_position[:, None], np.isfinite(ideal_position))[0][:, 0]
    lean_d = formulas.weighted_mean([lean_votes, lean_ideal[:, None]], [1.0, 1.0])
    observed = replace(
        votes, distance=votes.distance[..., :1], pole_distance=votes.pole_distance[..., :1]
    )
    single = {
        pole: _from_baseline(_position(observed, (pole,), axis.other), counted)[0][:, 0]
        for pole in axis.west
    }

    flows = economy.trade.reindex(states)
    in_eu = states.isin(list(economy.eu_states))
    outside_eu = flows["world"].to_numpy(float) - flows["EU"].to_numpy(float)
    world = np.where(in_eu, outside_eu, flows["world"].to_numpy(float))
    west = np.where(in_eu, flows["USA"].to_numpy(float), flows["west"].to_numpy(float))
    with np.errstate(divide="ignore", invalid="ignore"):
        share_w = west / world
        share_o = flows[axis.other].to_numpy(float) / world

    def expected(side: str) -> np.ndarray:
        return np.where(in_eu[:, None], economy.expected[side + EXTRA_EU], economy.expected[side])

    intensity_w = formulas.trade_intensity(share_w[:, None], expected("west"))
    intensity_o = formulas.trade_intensity(share_o[:, None], expected(axis.other))
    lean_e = formulas.ratio_lean(intensity_w, intensity_o)

    inst = institutions.reindex(states).fillna(0.0)
    inst_w, inst_o = inst["inst_west"].to_numpy(), inst[f"inst_{axis.other}"].to_numpy()
    lean_i = formulas.membership_lean(inst_w, inst_o, inst["inst_nonaligned"])[:, None]
    engaged_w = formulas.engagement(intensity_w, inst["engage_west"].to_numpy()[:, None])
    engaged_o = formulas.engagement(intensity_o, inst[f"engage_{axis.other}"].to_numpy()[:, None])
    activity = formulas.activity(engaged_w, engaged_o)

    commitment = (inst_w + inst_o)[:, None]
    codes = class_codes(lean_d, lean_e, lean_i, commitment, activity, axis, t)
    if provisional:
        codes[:] = -1
    probabilities = _probabilities(codes)
    chosen = codes[:, 0]
    class_probability = np.where(
        chosen >= 0, probabilities[np.arange(len(chosen)), np.maximum(chosen, 0)], np.nan
    )
    usa, eu = POLE_VOTERS.index("USA"), POLE_VOTERS.index("EU")
    usa_eu = 1.0 - votes.pole_distance[usa, eu, 0]
    return pd.DataFrame(
        {
            "iso3": votes.iso3,
            "axis": axis.name,
            "lean_diplomatic": lean_d[:, 0],
            "lean_economic": lean_e[:, 0],
            "lean_institutional": lean_i[:, 0],
            "lean": political_lean(lean_d[:, 0], lean_i[:, 0], commitment[:, 0], t),
            "balance": formulas.balance([lean_d[:, 0], lean_e[:, 0], lean_i[:, 0]], t.weights),
            "activity": activity[:, 0],
            "class": labels(chosen),
            "class_probability": class_probability,
            **{f"p_{name}": probabilities[:, k] for k, name in enumerate(CLASSES)},
            "provisional": provisional,
            "lean_diplomatic_sd": _spread(lean_d[:, 1:]),
            "lean_vote_agreement": lean_votes[:, 0],
            "lean_ideal_point": lean_ideal,
            "lean_position": formulas.weighted_mean(
                [np.where(counted, position[:, 0], np.nan), ideal_position], [1.0, 1.0]
            ),
            "baseline_position": baseline[0],
            "lean_usa": single["USA"],
            "lean_eu": single["EU"],
            "usa_eu_agreement": usa_eu,
            "west_divided": bool(usa_eu < 0.5),
            "n_votes": votes.n_votes,
            "n_roll_calls": votes.n_roll_calls,
            "participation": votes.participation[:, 0],
            "economic_year": economy.year,
            "share_west": share_w,
            "share_other": share_o,
            "intensity_west": intensity_w[:, 0],
            "intensity_other": intensity_o[:, 0],
            "lean_economic_raw": formulas.ratio_lean(share_w, share_o),
            "engagement_west": engaged_w[:, 0],
            "engagement_other": engaged_o[:, 0],
            "inst_west": inst_w,
            "inst_other": inst_o,
            "inst_nonaligned": inst["inst_nonaligned"].to_numpy(),
            "basis": _basis(lean_d[:, 0], lean_e[:, 0], lean_i[:, 0]),
        }
    )


def economy_of(
    year: int | None,
    trade: pd.DataFrame,
    side_members: dict[str, set[str]],
    n_boot: int,
    seed: int,
) -> Economy:
    """The economic inputs of trade year ``year`` (``trade`` that year's side trade)."""
    rng = np.random.default_rng([seed, year or 0, 1])
    expected = expected_shares(trade, side_members, n_boot, rng)
    eu_states = frozenset(side_members["west"] - {"USA"})
    return Economy(year, trade.set_index("iso3"), expected, eu_states)


def year_index(
    year: int,
    votes: VoteYear,
    economy: Economy,
    institutions: pd.DataFrame,
    t: Thresholds,
    theta: pd.Series | None = None,
    eu_states: frozenset[str] = frozenset(),
    roll_calls: int | None = None,
) -> pd.DataFrame:
    """Both axes for one year; ``theta`` the year's ideal points by iso3 (optional),
    ``eu_states`` the EU members that year (the EU's ideal point leaves each out),
    ``roll_calls`` the year's roll calls before any vote selection (default: the
    selected ones). A year with fewer than ``t.min_roll_calls`` is provisional: a
    session still in progress, not a subset chosen for its content."""
    provisional = (votes.n_roll_calls if roll_calls is None else roll_calls) < t.min_roll_calls
    parts = []
    for axis in AXES.values():
        ideal = None
        if theta is not None and axis.ideal_point_reading:
            lean = ideal_point_lean(theta, eu_states, axis.other)
            ideal = lean.reindex(pd.Index(votes.iso3)).to_numpy(float)
        parts.append(axis_year(axis, votes, economy, institutions, t, ideal, provisional))
    frame = pd.concat(parts, ignore_index=True).assign(year=year)
    return frame[list(COLUMNS)]
