"""One-dimensional ideal points from UN votes: dynamic (random walk) and static.

Why a model at all: dyadic agreement mixes what the agenda offers with what a
state chooses. Bailey, Strezhnev and Voeten (2017, BSV) place every state on
one dimension (the state's position towards the US-led liberal order) with an
ordinal spatial model of yes / abstain / no, letting positions drift smoothly
from year to year. BSV fit it by MCMC, which takes hours; here the same kind
of model is fitted to its posterior mode by an EM algorithm with data
augmentation (Imai, Lo and Olmsted 2016, ``ordIRT`` / ``dynIRT``), which takes
seconds on the whole record. docs/idealpoints.md gives the formulas and every
modelling choice; this docstring is the summary.

Model. For state i in year t voting on roll call j, a latent utility
``z = α_j + β_j θ_it + σ_j ε`` (ε standard normal) is cut at 0 and 1: no below
0, abstain between 0 and 1, yes above 1. This is the ordered probit with
cutpoints ``-α/σ`` and ``(1-α)/σ`` written so that the cutpoints are fixed
(Imai et al.'s reparametrisation), which makes every update closed-form. A
roll call on which only two of the three choices occur has one cut (at 0) and
σ_j = 1. The dynamic model lets θ follow a random walk,
``θ_it ~ N(θ_i,t-1, ω²)``, with ``θ ~ N(0, 1)`` in a state's first year; years
inside a state's span without votes are bridged by the walk. Each state-year
also carries an N(0, 1) prior (``Settings.shrink``): without it the posterior
mode lets some years' spread balloon and pushes states that always vote with
the majority towards infinity (see docs/idealpoints.md). The static model
gives each state-year an independent N(0, 1) prior.

Fitting (EM). E-step: the mean and variance of each observed vote's z,
truncated to its interval (closed form, one compiled numba pass over all ~1M
votes that also accumulates the sums the M-step needs). M-step:
(α_j, β_j) by a ridge regression per roll call (2 x 2 systems, batched), σ_j²
from the residual second moment, and all states' trajectories at once as one
symmetric tridiagonal system (random-walk precision plus the likelihood's
diagonal). Each step raises the log posterior; Anderson extrapolation over
the last ten steps (Walker and Ni 2011), kept only when it raises the
posterior too, cuts the number of steps several-fold.

Bridging. Resolutions repeated verbatim across years (the same normalised
description, once a year) share their item parameters, as in BSV, so the
agenda's repetition ties the scale of one year to the next in addition to the
random walk.

Identification. Location and scale are fixed by standardising θ (over all
state-years with votes in the dynamic model, within each year in the static
one) after every iteration, absorbing the change in α and β so the
likelihood is untouched. Orientation: the Western pole is high, by the rule
``θ_USA > θ_RUS`` (on average over the years both voted; in each year for the
static fits). The random walk ties every year to the next, so the
orientation cannot flip between years; the validation benchmark checks that
it never does.

Uncertainty. Standard errors come from a parametric bootstrap: votes are
simulated from the fitted model for every observed state / roll call pair,
the model is refitted (warm-started at the estimates), and the standard
deviation of each θ_it across replicates is reported. Variational or
Laplace variances are known to be far too small for these models.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from numba import njit, prange
from scipy import sparse
from scipy.linalg import solve_banded
from threadpoolctl import threadpool_limits

from nonaligned.measures.truncated import FUSED, interval_moments, tail_moments
from nonaligned.measures.votes import Selection, coded_votes

ANCHORS: tuple[str, str] = ("USA", "RUS")
"""Orientation: the first state is placed above the second."""

MODEL_VERSION = 5
"""Bumped whenever the estimator changes, so cached results are not reused."""

_DEPTH = 10  # EM steps combined by each Anderson extrapolation
_RCOND = 1e-14  # relative cut-off of the Gram matrix's eigenvalues in that fit
_FLUSH = 1e-150  # a product of vote probabilities is logged before it can underflow
_CHUNKS = 8  # fixed slices of the vote pass: the sums do not depend on the thread count


@dataclass(frozen=True)
class Settings:
    """Model and fitting settings (the defaults are the documented model).

    ``evolution_sd``: ω, the sd of the yearly random-walk step, in units of
    the prior sd of a state-year's position. ``alpha_sd``, ``beta_sd``: prior sds of the
    roll-call intercepts and discriminations (in the units of the latent z).
    ``band_prior``: (shape, scale) of the inverse-gamma prior on σ² of
    three-choice roll calls, which keeps σ finite when abstentions separate
    perfectly. ``shrink``: precision of an N(0, 1/shrink) prior on every
    state-year on top of the walk (dynamic model), which keeps each year's
    cross-section on one scale and positions of states that always vote with
    a majority finite. ``bridge``: pool the parameters of resolutions repeated
    verbatim across years. ``tol``: stop when one EM step moves no
    standardised θ more than this, or after ``max_iter`` EM steps.
    ``n_boot``: bootstrap replicates for the standard errors (below 2 gives
    NaN standard errors); each replicate takes at most ``boot_max_iter`` EM
    steps from the estimates.
    """

    evolution_sd: float = 0.25
    alpha_sd: float = 5.0
    beta_sd: float = 1.5
    band_prior: tuple[float, float] = (1.0, 1.0)
    shrink: float = 1.0
    bridge: bool = True
    tol: float = 1e-4
    max_iter: int = 1500
    n_boot: int = 20
    boot_max_iter: int = 150
    seed: int = 0


@dataclass
class _Data:
    """Observed votes indexed for fitting, sorted by roll call.

    ``cell`` is a state-year (the unknowns), ``item`` a roll call (votes are
    sorted by item, ``starts`` are the first vote of each item), ``param``
    the parameter group of each item (bridged items share one), ``three``
    marks items with three observed choices. ``cell_group`` / ``item_group``
    are standardisation groups (one for the dynamic model, one per year for
    the static one); ``same_state`` marks cells whose predecessor is the same
    state's previous year (the random-walk links).
    """

    cell: np.ndarray
    item: np.ndarray
    starts: np.ndarray
    three: np.ndarray
    param: np.ndarray
    n_params: int
    cell_group: np.ndarray
    item_group: np.ndarray
    n_groups: int
    same_state: np.ndarray
    cell_year: np.ndarray  # index of each cell's year (0 = first year of the record)
    first_cell: np.ndarray  # cells that carry the N(0, 1) prior
    voted: np.ndarray  # cells with at least one vote
    dynamic: bool

    @property
    def n_cells(self) -> int:
        return len(self.cell_group)

    @property
    def n_items(self) -> int:
        return len(self.starts)


@dataclass
class _Params:
    """θ per cell; α, β, σ per parameter group (bridged roll calls share one)."""

    theta: np.ndarray
    alpha: np.ndarray
    beta: np.ndarray
    sigma: np.ndarray

    def copy(self) -> _Params:
        return _Params(self.theta.copy(), self.alpha.copy(), self.beta.copy(), self.sigma.copy())


@dataclass
class _Problem:
    """The votes of one fit, ordered for a cheap E-step.

    Votes whose interval is one-sided (no, yes, and either choice of a
    two-choice roll call) come first, abstentions on three-choice roll calls
    (the interval (0, 1)) last. ``sign`` is +1 where z lies above ``bound``
    and -1 where below it. ``count`` is the number of votes per parameter
    group; ``ez`` is scratch space for E[z] of every vote.
    """

    data: _Data
    cell: np.ndarray
    param: np.ndarray
    n_one: int
    bound: np.ndarray
    sign: np.ndarray
    count: np.ndarray
    three: np.ndarray  # per parameter group: has a second cut (σ is free)
    walk: sparse.dia_array | None  # random-walk precision (dynamic model)
    ez: np.ndarray

    @classmethod
    def of(cls, data: _Data, rank: np.ndarray, s: Settings) -> _Problem:
        three_vote = data.three[data.item]
        two_sided = three_vote & (rank == 1)
        order = np.argsort(two_sided, kind="stable")
        n_one = int((~two_sided).sum())
        r = rank[order[:n_one]]
        # no (rank 0): below 0; the top choice: above 1 on three-choice items, else above 0
        sign = np.where(r == 0, -1.0, 1.0)
        bound = np.where((r == 2) & three_vote[order[:n_one]], 1.0, 0.0)
        cell, param = data.cell[order], data.param[data.item[order]]
        count = np.bincount(param, minlength=data.n_params).astype(float)
        three = np.zeros(data.n_params, dtype=bool)
        three[data.param[data.three]] = True
        return cls(
            data,
            np.ascontiguousarray(cell),
            np.ascontiguousarray(param),
            n_one,
            bound,
            sign,
            count,
            three,
            _walk(data, s),
            np.empty(len(order)),
        )

    def vote_pass(self, x: _Params) -> tuple[np.ndarray, float]:
        """:func:`_e_step` at ``x`` over these votes: sums and log-likelihood (E[z] in ``ez``)."""
        return _e_step(
            x.theta,
            x.alpha,
            x.beta,
            x.sigma,
            self.cell,
            self.param,
            self.n_one,
            self.bound,
            self.sign,
            self.ez,
        )


def _walk(data: _Data, s: Settings) -> sparse.dia_array | None:
    """Prior precision of the random walk: tridiagonal, zero between states."""
    if not data.dynamic:
        return None
    link = np.where(data.same_state[1:], 1.0 / s.evolution_sd**2, 0.0)
    diag = np.zeros(data.n_cells)
    diag[1:] += link
    diag[:-1] += link
    diag[data.first_cell] += 1.0
    diag += s.shrink
    return sparse.diags_array([-link, diag, -link], offsets=[-1, 0, 1]).todia()


@njit(cache=True, parallel=True, fastmath=FUSED)
def _e_step(theta, alpha, beta, sigma, cell, param, n_one, bound, sign, ez):
    """E-step fused with the sums the item update needs, in one pass over the votes.

    Writes E[z] of every vote into ``ez`` and returns, per parameter group,
    the sums of θ, θ², E[z], θ E[z] and E[z²] (columns 0-4), and the
    log-likelihood at the given parameters. The votes are split into
    ``_CHUNKS`` fixed slices summed in parallel and then added in order; each
    slice takes an equal share of the one-sided votes and of the (dearer)
    interval votes, so that the threads finish together. Vote probabilities
    are multiplied and their logarithm taken only when the product nears
    underflow: one logarithm per many votes.
    """
    n = len(cell)
    partial = np.zeros((_CHUNKS, len(alpha), 5))
    log_lik = np.zeros(_CHUNKS)
    for c in prange(_CHUNKS):
        product, log_sum = 1.0, 0.0
        for start, stop in (
            (c * n_one // _CHUNKS, (c + 1) * n_one // _CHUNKS),
            (n_one + c * (n - n_one) // _CHUNKS, n_one + (c + 1) * (n - n_one) // _CHUNKS),
        ):
            for i in range(start, stop):
                p = param[i]
                t = theta[cell[i]]
                s = sigma[p]
                mu = alpha[p] + beta[p] * t
                if i < n_one:
                    mean, var, mass, log_scale = tail_moments(sign[i] * (bound[i] - mu) / s)
                    mean *= sign[i]
                else:
                    mean, var, mass, log_scale = interval_moments(-mu / s, (1.0 - mu) / s)
                z = mu + s * mean
                ez[i] = z
                log_sum += log_scale
                if mass < _FLUSH:
                    log_sum += math.log(mass)
                else:
                    product *= mass
                    if product < _FLUSH:
                        log_sum += math.log(product)
                        product = 1.0
                partial[c, p, 0] += t
                partial[c, p, 1] += t * t
                partial[c, p, 2] += z
                partial[c, p, 3] += t * z
                partial[c, p, 4] += z * z + s * s * var
        log_lik[c] = log_sum + math.log(product)
    sums = partial[0].copy()
    total = log_lik[0]
    for c in range(1, _CHUNKS):  # in order: an array's .sum() here is a parallel reduction,
        sums += partial[c]  # whose association changes with the thread count
        total += log_lik[c]
    return sums, total


@njit(cache=True, parallel=True, fastmath=FUSED)
def _theta_sums(ez, alpha, beta, sigma, cell, param, n_cells):
    """Per state-year: the likelihood's curvature Σ β²/σ² and Σ β (E[z] - α)/σ²."""
    n = len(cell)
    size = (n + _CHUNKS - 1) // _CHUNKS
    partial = np.zeros((_CHUNKS, 2, n_cells))
    for c in prange(_CHUNKS):
        for i in range(c * size, min(n, (c + 1) * size)):
            p = param[i]
            w = beta[p] / (sigma[p] * sigma[p])
            partial[c, 0, cell[i]] += w * beta[p]
            partial[c, 1, cell[i]] += w * (ez[i] - alpha[p])
    total = partial[0].copy()
    for c in range(1, _CHUNKS):
        total += partial[c]
    return total[0], total[1]


def _alpha_centre(pr: _Problem) -> np.ndarray:
    """Prior mean of α: midway between the cuts (0.5 with two cuts, 0 with one).

    So the prior, like the likelihood, is unchanged when yes and no are
    swapped (z -> 1 - z, or z -> -z with one cut): the model has no built-in
    direction; the anchors alone orient it.
    """
    return np.where(pr.three, 0.5, 0.0)


def _log_prior(x: _Params, pr: _Problem, s: Settings) -> float:
    """Log prior density (up to a constant) of all parameters."""
    if pr.walk is None:
        theta = 0.5 * float(x.theta @ x.theta)
    else:
        theta = 0.5 * float(x.theta @ (pr.walk @ x.theta))
    alpha = x.alpha - _alpha_centre(pr)
    items = 0.5 * float((alpha**2).sum() / s.alpha_sd**2 + (x.beta**2).sum() / s.beta_sd**2)
    shape, scale = s.band_prior
    sigma2 = x.sigma[pr.three] ** 2
    band = float(((shape + 1) * np.log(sigma2) + scale / sigma2).sum())
    return -theta - items - band


def _em(x: _Params, pr: _Problem, s: Settings) -> tuple[_Params, float]:
    """One EM step from ``x`` (ECM: items, then θ) and the log posterior at ``x``."""
    sums, log_lik = pr.vote_pass(x)
    st, stt, sz, stz, szz = sums.T
    n = pr.count
    w = 1.0 / x.sigma**2
    a11 = n * w + 1 / s.alpha_sd**2
    a12 = st * w
    a22 = stt * w + 1 / s.beta_sd**2
    det = a11 * a22 - a12 * a12
    b1 = sz * w + _alpha_centre(pr) / s.alpha_sd**2
    alpha = (a22 * b1 - a12 * stz * w) / det
    beta = (a11 * stz * w - a12 * b1) / det
    residual = szz - 2 * alpha * sz - 2 * beta * stz + alpha**2 * n
    residual += 2 * alpha * beta * st + beta**2 * stt
    shape, scale = s.band_prior
    sigma2 = (np.maximum(residual, 0.0) + 2 * scale) / (n + 2 * shape + 2)
    sigma = np.where(pr.three, np.sqrt(sigma2), 1.0)
    curvature, rhs = _theta_sums(pr.ez, alpha, beta, sigma, pr.cell, pr.param, pr.data.n_cells)
    if pr.walk is None:
        theta = rhs / (curvature + 1.0)
    else:
        banded = pr.walk.data[::-1].copy()  # dia offsets (-1, 0, 1) -> solve_banded rows
        banded[1] += curvature + 1e-10
        theta = solve_banded((1, 1), banded, rhs, check_finite=False)
    return _Params(theta, alpha, beta, sigma), log_lik + _log_prior(x, pr, s)


class _Anderson:
    """Anderson mixing (Walker and Ni 2011) over the last ``depth`` EM steps.

    For the EM map G and residual f = G(y) - y, the next point is
    G(y) - ΔG γ with γ the least-squares fit of f by ΔF, the differences of
    successive residuals. The differences sit in a ring buffer whose Gram
    matrix is updated one row per step, so an extrapolation costs ``depth``
    dot products and a tiny solve rather than a least-squares fit on the
    whole history (the order of the columns does not change the result).
    """

    def __init__(self, size: int, depth: int) -> None:
        self.df = np.zeros((depth, size))
        self.dg = np.zeros((depth, size))
        self.gram = np.zeros((depth, depth))
        self.reset()

    def reset(self) -> None:
        """Forget the history (after an extrapolation was rejected)."""
        self.count = 0
        self.last: tuple[np.ndarray, np.ndarray] | None = None

    def next_point(self, y: np.ndarray, g: np.ndarray) -> np.ndarray:
        """The extrapolated point after the EM step from ``y`` to ``g``."""
        depth = len(self.gram)
        f = g - y
        if self.last is not None:
            slot = self.count % depth
            self.df[slot] = f - self.last[0]
            self.dg[slot] = g - self.last[1]
            self.count += 1
            used = min(self.count, depth)
            row = self.df[:used] @ self.df[slot]
            self.gram[slot, :used] = row
            self.gram[:used, slot] = row
        self.last = (f, g)
        used = min(self.count, depth)
        if used == 0:
            return g
        gamma = np.linalg.lstsq(self.gram[:used, :used], self.df[:used] @ f, rcond=_RCOND)[0]
        return g - gamma @ self.dg[:used]


def _fit(x: _Params, pr: _Problem, s: Settings, max_iter: int) -> _Params:
    """EM accelerated by Anderson mixing, monotone in the posterior.

    The slow directions of this EM (each year's positions drifting against
    its roll calls' intercepts) are few, so a least-squares combination of
    the last ``_DEPTH`` EM steps extrapolates along all of them at once. Each
    EM step also returns the log posterior at its starting point; when an
    extrapolated point is worse than the previous point, the history is
    dropped and the fit goes on from the plain EM step, which never lowers
    the posterior. Stops when one EM step moves no standardised θ more than
    ``s.tol``, or after ``max_iter`` EM steps.
    """
    n_cells, n_params = len(x.theta), len(x.alpha)
    y = _pack(x)
    mixing = _Anderson(len(y), _DEPTH)
    last_post, fallback = -np.inf, y
    for _ in range(max_iter):
        point = _unpack(y, n_cells, n_params)
        with np.errstate(all="ignore"):  # a wild extrapolation is simply rejected
            step, post = _em(point, pr, s)
        if last_post == -np.inf and not np.isfinite(post):
            raise FloatingPointError("ideal points: the log posterior at the start is not finite")
        if not post >= last_post:
            mixing.reset()
            y = fallback
            continue
        if _moved(point, step, pr.data) < s.tol:
            return step
        g = _pack(step)
        last_post, fallback = post, g
        y = mixing.next_point(y, g)
    return _unpack(fallback, n_cells, n_params)


def _pack(x: _Params) -> np.ndarray:
    return np.concatenate([x.theta, x.alpha, x.beta, np.log(x.sigma)])


def _unpack(y: np.ndarray, n_cells: int, n_params: int) -> _Params:
    """Inverse of :func:`_pack` (σ is packed on the log scale, so it stays positive)."""
    n_c, n_p = n_cells, n_params
    return _Params(
        y[:n_c], y[n_c : n_c + n_p], y[n_c + n_p : n_c + 2 * n_p], np.exp(y[n_c + 2 * n_p :])
    )


def _moved(a: _Params, b: _Params, data: _Data) -> float:
    """Largest change of a standardised θ between two parameter sets."""
    return float(
        np.abs(_standardised(a.theta, data) - _standardised(b.theta, data))[data.voted].max()
    )


def _standardised(theta: np.ndarray, data: _Data) -> np.ndarray:
    """θ with mean 0, sd 1 within each group (over state-years with votes).

    A group without votes (in the static model, a year inside some states'
    spans with no recorded vote, such as 1964) is left as it is.
    """
    voted = data.voted
    groups = data.cell_group[voted]
    count = np.maximum(np.bincount(groups, minlength=data.n_groups), 1)
    mean = np.bincount(groups, theta[voted], minlength=data.n_groups) / count
    var = np.bincount(groups, (theta[voted] - mean[groups]) ** 2, minlength=data.n_groups)
    sd = np.sqrt(var / count)
    sd[~(sd > 0)] = 1.0
    return (theta - mean[data.cell_group]) / sd[data.cell_group]


def _orient(theta: np.ndarray, groups: np.ndarray, anchor_cells: np.ndarray) -> np.ndarray:
    """θ flipped by group (``groups``: one id per cell) so the first anchor is above the second.

    ``anchor_cells`` rows are (cell of anchor 1, cell of anchor 2) in the
    years where both voted; a group is flipped when the anchors' summed
    difference over its years is negative.
    """
    if len(anchor_cells) == 0:
        return theta
    gap = theta[anchor_cells[:, 0]] - theta[anchor_cells[:, 1]]
    total = np.bincount(groups[anchor_cells[:, 0]], gap, minlength=groups.max() + 1)
    return theta * np.where(total < 0, -1.0, 1.0)[groups]


def _start(data: _Data, rank: np.ndarray, anchor_cells: np.ndarray) -> _Params:
    """Starting values: each state-year's mean centred vote; roll calls uninformative.

    The score (yes = +1, abstain = 0, no = -1, centred per roll call and
    weighted by the roll call's spread) already separates the blocs in most
    years, but its sign follows whichever side the majority was on: the
    Western bloc in the early sessions, the rest later. So each year's score
    is oriented by the anchors before EM starts; otherwise EM, a local
    method, keeps the early years upside down (the random walk makes
    flipping a whole year back a large, uphill move).
    """
    score = rank.astype(float)
    score[~data.three[data.item]] *= 2  # two-choice roll calls: 0 / 2 like no / yes
    score -= 1
    counts = np.diff(np.append(data.starts, len(score)))
    item_mean = np.add.reduceat(score, data.starts) / counts
    centred = score - np.repeat(item_mean, counts)
    spread = np.sqrt(np.add.reduceat(centred**2, data.starts) / counts)
    n_votes = np.maximum(np.bincount(data.cell, minlength=data.n_cells), 1)
    theta = np.bincount(data.cell, centred * np.repeat(spread, counts), minlength=data.n_cells)
    theta = _orient(theta / n_votes, data.cell_year, anchor_cells)
    return _Params(
        theta=_standardised(theta, data),
        alpha=np.zeros(data.n_params),
        beta=np.zeros(data.n_params),
        sigma=np.ones(data.n_params),
    )


def _simulate(params: _Params, data: _Data, rng: np.random.Generator) -> np.ndarray:
    """Choices (ranks) drawn from the fitted model for each observed vote."""
    p = data.param[data.item]
    z = params.alpha[p] + params.beta[p] * params.theta[data.cell]
    z += params.sigma[p] * rng.standard_normal(len(z))
    return (z >= 0).astype(np.int64) + ((z >= 1) & data.three[data.item])


def _normalised(text: pd.Series) -> np.ndarray:
    """Lower-case words of each description, one space apart; None where there are none."""
    words = text.astype("string").str.lower().str.replace(r"[^a-z0-9]+", " ", regex=True)
    words = words.str.strip()
    return np.where(words.str.len().fillna(0).gt(0), words.astype(object), None)


def _bridge_groups(
    items: np.ndarray, roll_calls: pd.DataFrame, item_year: np.ndarray
) -> np.ndarray:
    """Parameter group of each item: repeated resolutions share one.

    A roll call is bridged when its normalised ``description`` occurs in at
    least two years and at most once in each of them (a text that recurs
    within a year is ambiguous: several drafts or separate votes on parts).
    """
    groups = np.arange(len(items))
    if "description" not in roll_calls.columns:
        return groups
    text = roll_calls.set_index("roll_call_id")["description"].reindex(items)
    frame = pd.DataFrame({"key": _normalised(text), "year": item_year})
    frame["item"] = groups
    keyed = frame.dropna(subset=["key"])
    per_key = keyed.groupby("key")["year"].agg(["nunique", "size"])
    good = per_key.index[(per_key["nunique"] >= 2) & (per_key["nunique"] == per_key["size"])]
    bridged = keyed[keyed["key"].isin(good)]
    first = bridged.groupby("key")["item"].transform("min")
    groups[bridged["item"].to_numpy()] = first.to_numpy()
    _, compact = np.unique(groups, return_inverse=True)
    return compact


def _prepare(
    votes: pd.DataFrame,
    roll_calls: pd.DataFrame,
    selection: Selection | None,
    dynamic: bool,
    bridge: bool,
    anchors: tuple[str, str],
) -> tuple[_Data, np.ndarray, pd.DataFrame, np.ndarray]:
    """Index the votes: the data, the observed ranks, the cell table, the anchor cells."""
    coded = coded_votes(votes, roll_calls, by="year", selection=selection)
    # in NumPy from here: sorting and filtering the frame (strings included) took half
    # of this function's time on a record ten times today's
    every_state, every_iso3 = pd.factorize(coded["iso3"], sort=True)
    ids = coded["roll_call_id"].to_numpy()
    code = coded["code"].to_numpy()
    year = coded["period"].to_numpy()
    # a roll call on which every state voted alike says nothing about positions
    called, of_call = np.unique(ids, return_inverse=True)
    codes_cast = np.zeros((len(called), 3), dtype=bool)
    codes_cast[of_call, code - 1] = True
    contested = np.flatnonzero(codes_cast.sum(axis=1)[of_call] > 1)
    # period, roll call, state: an order of the data alone, so the fit and its bootstrap
    # draws do not depend on the order in which the store returned the votes. One integer
    # key, sorted stably: fast on votes that arrive nearly in that order, as stored
    call_year = np.empty(len(called), dtype=year.dtype)
    call_year[of_call] = year
    call_rank = np.empty(len(called), dtype=np.int64)
    call_rank[np.lexsort((called, call_year))] = np.arange(len(called))
    key = call_rank[of_call[contested]] * len(every_iso3) + every_state[contested]
    keep = contested[np.argsort(key, kind="stable")]
    ids, code, year, every_state = ids[keep], code[keep], year[keep], every_state[keep]
    voting = np.unique(every_state)
    state = np.searchsorted(voting, every_state)
    iso3 = np.asarray(every_iso3)[voting]
    first = np.full(len(iso3), np.iinfo(np.int64).max)
    last = np.full(len(iso3), np.iinfo(np.int64).min)
    np.minimum.at(first, state, year)
    np.maximum.at(last, state, year)
    span = last - first + 1
    offset = np.concatenate([[0], np.cumsum(span)[:-1]])
    cell_state = np.repeat(np.arange(len(iso3)), span)
    cell_year = first[cell_state] + np.arange(span.sum()) - offset[cell_state]
    cell = offset[state] + (year - first[state])
    new_item = np.r_[True, ids[1:] != ids[:-1]]
    starts = np.flatnonzero(new_item)
    item = np.cumsum(new_item) - 1
    item_year = year[starts]
    present = np.zeros((len(starts), 3), dtype=bool)
    present[item, 3 - code] = True  # column 0 no, 1 abstain, 2 yes
    rank = ((np.cumsum(present, axis=1) - 1)[item, 3 - code]).astype(np.int64)
    years = np.unique(cell_year)
    if dynamic:
        cell_group = np.zeros(len(cell_state), dtype=np.int64)
        item_group = np.zeros(len(starts), dtype=np.int64)
        n_groups = 1
    else:
        cell_group = np.searchsorted(years, cell_year)
        item_group = np.searchsorted(years, item_year)
        n_groups = len(years)
    param = (
        _bridge_groups(ids[starts], roll_calls, item_year)
        if bridge and dynamic
        else np.arange(len(starts))
    )
    param_group = np.zeros(param.max() + 1, dtype=np.int64)
    param_group[param] = item_group
    n_votes = np.bincount(cell, minlength=len(cell_state))
    data = _Data(
        cell=cell,
        item=item,
        starts=starts,
        three=present.sum(axis=1) == 3,
        param=param,
        n_params=int(param.max()) + 1,
        cell_group=cell_group,
        item_group=param_group,
        n_groups=n_groups,
        same_state=np.r_[False, cell_state[1:] == cell_state[:-1]],
        cell_year=np.searchsorted(years, cell_year),
        first_cell=offset,
        voted=n_votes > 0,
        dynamic=dynamic,
    )
    cells = pd.DataFrame({"iso3": iso3[cell_state], "year": cell_year, "n_votes": n_votes})
    both = cells[cells["iso3"].isin(anchors) & (cells["n_votes"] > 0)]
    wide = both.reset_index().pivot(index="year", columns="iso3", values="index").dropna()
    pairs = np.zeros((0, 2), dtype=np.int64)
    if set(anchors) <= set(wide.columns):
        pairs = wide[list(anchors)].to_numpy(np.int64)
    return data, rank, cells, pairs


@threadpool_limits.wrap(limits=1, user_api="blas")
def _ideal_points(
    votes: pd.DataFrame,
    roll_calls: pd.DataFrame,
    selection: Selection | None,
    settings: Settings,
    anchors: tuple[str, str],
    dynamic: bool,
) -> pd.DataFrame:
    """The fit, with BLAS on one thread.

    The BLAS calls here are small (Anderson's products, the banded solve);
    when BLAS runs them on several threads, its threads go on spinning after
    each call and take the cores from the compiled vote pass: with two
    OpenBLAS threads the whole fit took 9.4 s instead of 3.3 s.
    """
    data, rank, cells, anchor_cells = _prepare(
        votes, roll_calls, selection, dynamic, settings.bridge, anchors
    )
    params = _fit(
        _start(data, rank, anchor_cells),
        _Problem.of(data, rank, settings),
        settings,
        settings.max_iter,
    )
    estimate = _orient(_standardised(params.theta, data), data.cell_group, anchor_cells)
    se = np.full(data.n_cells, np.nan)
    if settings.n_boot > 1:
        rng = np.random.default_rng(settings.seed)
        draws = np.empty((settings.n_boot, data.n_cells))
        for b in range(settings.n_boot):
            problem = _Problem.of(data, _simulate(params, data, rng), settings)
            refit = _fit(params, problem, settings, settings.boot_max_iter)
            draws[b] = _orient(_standardised(refit.theta, data), data.cell_group, anchor_cells)
        se = draws.std(axis=0, ddof=1)
    result = cells.assign(ideal_point=estimate, se=se)
    result = result[result["n_votes"] > 0]
    columns = ["iso3", "year", "ideal_point", "se", "n_votes"]
    return result[columns].reset_index(drop=True)


def dynamic_ideal_points(
    votes: pd.DataFrame,
    roll_calls: pd.DataFrame,
    *,
    selection: Selection | None = None,
    settings: Settings | None = None,
    anchors: tuple[str, str] = ANCHORS,
) -> pd.DataFrame:
    """Dynamic ordinal ideal points for every state-year, fitted on the whole record.

    Columns: ``iso3, year, ideal_point, se, n_votes`` (state-years with votes
    on at least one contested roll call). Ideal points are standardised over
    all state-years (mean 0, sd 1), ``anchors[0]`` above ``anchors[1]``;
    ``se`` is the parametric-bootstrap standard error (NaN if
    ``settings.n_boot`` < 2).
    """
    settings = settings or Settings()
    return _ideal_points(votes, roll_calls, selection, settings, anchors, dynamic=True)


def static_ideal_points(
    votes: pd.DataFrame,
    roll_calls: pd.DataFrame,
    *,
    selection: Selection | None = None,
    settings: Settings | None = None,
    anchors: tuple[str, str] = ANCHORS,
) -> pd.DataFrame:
    """Ordinal ideal points fitted separately for each year, for comparison.

    Same columns as :func:`dynamic_ideal_points`; standardised within each
    year and oriented within each year, so levels are not comparable across
    years (that is what the dynamic model is for). No bridging: each year's
    roll calls have their own parameters.
    """
    settings = replace(settings or Settings(), bridge=False)
    return _ideal_points(votes, roll_calls, selection, settings, anchors, dynamic=False)
