"""UN-vote distances to the poles and vote participation, with roll-call bootstrap replicates.

The distance between two voters is Voeten's disagreement, 1 - agreement,
with agreement defined once in :func:`nonaligned.measures.relational.with_measures`
(the measure :func:`nonaligned.measures.poles.pole_alignment` reports):
over the roll calls both voted on (yes 1, abstain 2, no 3; absences and
non-votes are not votes), disagreement = mean |v1 - v2| / D_MAX with
``D_MAX = 2``. That definition counts a 3 x 3 contingency table per pair,
which has lost which roll call each vote came from; the roll-call bootstrap
needs exactly that, so :func:`_pole_distances` is the same quantity in
matrix form, weighted by roll call: a replicate redraws the year's roll
calls with replacement (multinomial weights) and every distance and
participation rate of that replicate uses the same draw, so their
dependence is kept. Replicate 0 has weight one on every roll call: the
point estimate, equal to ``1 - agreement`` of ``pole_alignment`` (by year,
same selection) for every state and pole, and between the poles, to
floating-point rounding (``tests/index/test_index_votes.py`` checks this to
1e-12 on hand-made votes, on the synthetic store and on every year of the
real record), with the one exception below.

The EU pole is the plurality position of its members
(:func:`nonaligned.measures.poles.eu_positions`, the Ibis rule), treated as
a fifth voter. The exception: an EU member state is compared with the
plurality of the *other* members (:func:`leave_one_out_distance`), where
``pole_alignment`` compares it with the position it helped form; the bloc
position would otherwise pull it towards the West by construction.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from nonaligned.measures.poles import EU, eu_members, eu_positions
from nonaligned.measures.relational import CODES, D_MAX
from nonaligned.measures.votes import Selection, coded_votes, vote_matrix

POLE_VOTERS: tuple[str, ...] = ("USA", "EU", "CHN", "RUS")


@dataclass(frozen=True)
class VoteYear:
    """One year's vote distances. ``rep`` axes have ``n_boot + 1`` replicates, 0 observed."""

    iso3: np.ndarray  # states with at least one vote or recorded absence
    distance: np.ndarray  # (state, pole, rep): disagreement with each of POLE_VOTERS
    pole_distance: np.ndarray  # (pole, pole, rep)
    participation: np.ndarray  # (state, rep): votes cast / roll calls present or absent
    n_votes: np.ndarray  # (state,): votes cast (yes, abstain, no) in the year
    n_roll_calls: int  # selected roll calls of the year


def roll_call_weights(n_roll_calls: int, n_boot: int, rng: np.random.Generator) -> np.ndarray:
    """(n_boot + 1, n_roll_calls) resampling counts; row 0 is all ones (no resampling)."""
    draws = rng.multinomial(n_roll_calls, np.full(n_roll_calls, 1.0 / n_roll_calls), size=n_boot)
    return np.vstack([np.ones((1, n_roll_calls)), draws]).astype(np.float32)


def _pole_distances(matrix: np.ndarray, poles: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """(rows, pole, rep) weighted mean |a - b| / D_MAX over the roll calls where both voted.

    The disagreement (1 - agreement) of :mod:`nonaligned.measures.relational`
    with roll-call weights: at unit weights it is that measure. One-hot form,
    so each code costs one matrix product for every pole and replicate at
    once: row i's distance sum to pole k in replicate b is
    sum_c sum_r [m_ir = c] * w_br * |c - p_kr| / D_MAX * [p_kr > 0], over
    the weight sum_r w_br * [m_ir > 0] * [p_kr > 0].
    """
    n_poles, n_rep = poles.shape[0], weights.shape[0]
    voted = (poles > 0).astype(np.float32)  # (pole, roll call)
    stacked = (weights[None, :, :] * voted[:, None, :]).reshape(n_poles * n_rep, -1)
    numerator = np.zeros((matrix.shape[0], n_poles * n_rep), dtype=np.float64)
    for code in CODES:
        gap = (np.abs(code - poles.astype(np.float32)) / D_MAX)[:, None, :]
        scaled = (weights[None, :, :] * voted[:, None, :] * gap).reshape(n_poles * n_rep, -1)
        numerator += (matrix == code).astype(np.float32) @ scaled.T
    common = (matrix > 0).astype(np.float32) @ stacked.T
    with np.errstate(divide="ignore", invalid="ignore"):
        distance = np.where(common > 0, numerator / common, np.nan)
    return distance.reshape(matrix.shape[0], n_poles, n_rep)


def plurality_without_each(members: np.ndarray) -> np.ndarray:
    """(member, roll call) plurality code of the *other* members; 0 where none or tied.

    ``members`` is the (member, roll call) code matrix (0 = no vote). The
    same rule as :func:`nonaligned.measures.poles.eu_positions`: a tie
    between the leading positions means no position.
    """
    counts = np.stack([(members == code).sum(axis=0) for code in CODES])  # (code, rc)
    own = np.stack([members == code for code in CODES], axis=1)  # (member, code, rc)
    others = counts[None, :, :] - own
    top = others.max(axis=1, keepdims=True)
    leaders = (others == top).sum(axis=1)
    code = others.argmax(axis=1) + 1
    return np.where((leaders == 1) & (top[:, 0, :] > 0), code, 0).astype(np.int8)


def leave_one_out_distance(members: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """(member, rep) disagreement of each member with the plurality of the others.

    The disagreement of :func:`_pole_distances`, each member's pole being
    its own leave-one-out EU position.
    """
    position = plurality_without_each(members)
    both = ((members > 0) & (position > 0)).astype(np.float32)
    gap = np.abs(members.astype(np.float32) - position) / D_MAX * both
    with np.errstate(divide="ignore", invalid="ignore"):
        common = both @ weights.T
        return np.where(common > 0, (gap @ weights.T) / common, np.nan)


def vote_year(
    coded: pd.DataFrame,
    absent: pd.DataFrame,
    n_boot: int,
    rng: np.random.Generator,
    eu_states: frozenset[str] = frozenset(),
) -> VoteYear:
    """Distances and participation for one year's coded votes (EU rows included).

    ``coded`` holds ``roll_call_id, iso3, code`` for the year, the EU pseudo
    voter among them; ``absent`` holds ``roll_call_id, iso3`` of recorded
    absences on the same selection of roll calls; ``eu_states`` the EU
    member states that year, whose distance to the EU leaves them out.
    """
    named = np.union1d(coded["iso3"].to_numpy(str), absent["iso3"].to_numpy(str))
    states = [code for code in named.tolist() if code != EU]
    voters = [*states, *[p for p in POLE_VOTERS if p not in states]]
    matrix, names, roll_call_ids = vote_matrix(coded, voters)
    weights = roll_call_weights(len(roll_call_ids), n_boot, rng)
    pole_rows = pd.Index(names).get_indexer(list(POLE_VOTERS))
    distance = _pole_distances(matrix, matrix[pole_rows], weights)
    n_states = len(states)
    members = np.flatnonzero(pd.Index(states).isin(list(eu_states)))
    if len(members):
        eu = POLE_VOTERS.index(EU)
        distance[members, eu] = leave_one_out_distance(matrix[members], weights)
    cast = matrix[:n_states] > 0
    away = np.zeros_like(cast)
    rows = pd.Index(states).get_indexer(absent["iso3"])
    cols = pd.Index(roll_call_ids).get_indexer(absent["roll_call_id"])
    keep = (rows >= 0) & (cols >= 0)
    away[rows[keep], cols[keep]] = True
    with np.errstate(divide="ignore", invalid="ignore"):
        participation = (cast.astype(np.float32) @ weights.T) / (
            (cast | away).astype(np.float32) @ weights.T
        )
    return VoteYear(
        iso3=np.asarray(states),
        distance=distance[:n_states],
        pole_distance=distance[pole_rows],
        participation=participation,
        n_votes=cast.sum(axis=1),
        n_roll_calls=len(roll_call_ids),
    )


def vote_years(
    votes: pd.DataFrame,
    roll_calls: pd.DataFrame,
    memberships: pd.DataFrame,
    selection: Selection | None,
    n_boot: int,
    seed: int,
    engine: str | None = None,
) -> dict[int, VoteYear]:
    """:func:`vote_year` for every year in ``roll_calls`` with selected votes.

    Each year draws from its own generator seeded with ``(seed, year)``, so a
    year's replicates do not depend on which other years were asked for. The
    EU's position per roll call is the Ibis rule, run on ``engine``.
    """
    coded = coded_votes(votes, roll_calls, selection=selection)
    if coded.empty:
        return {}
    eu = eu_positions(coded, roll_calls, memberships, engine=engine)
    periods = coded[["roll_call_id", "period"]].drop_duplicates()
    coded = pd.concat([coded, eu.merge(periods, on="roll_call_id").assign(iso3=EU)])
    selected = (selection or Selection()).apply(roll_calls)[["roll_call_id", "year"]]
    absent = votes.loc[votes["vote"] == "absent", ["roll_call_id", "iso3"]].merge(
        selected, on="roll_call_id"
    )
    absent_by_year = dict(tuple(absent.groupby("year")))
    empty = absent.iloc[:0]
    years = coded["period"].unique()
    members = eu_members(memberships, years).groupby("year")["iso3"].agg(frozenset)
    return {
        int(year): vote_year(
            group,
            absent_by_year.get(year, empty),
            n_boot,
            np.random.default_rng([seed, int(year)]),
            members.get(year, frozenset()),
        )
        for year, group in coded.groupby("period", sort=True)
    }
