"""One-dimensional ideal points from UN votes: dynamic (random walk) and static.

Why a model at all: dyadic agreement mixes what the agenda offers with what a
state chooses. Bailey, Strezhnev and Voeten (2017, BSV) place every state on
one dimension (the state's position towards the US-led liberal order) with an
ordinal spatial model of yes / abstain / no, letting positions drift smoothly
from year to year. BSV fit it by MCMC, which takes hours; here the same kind
of model is fitted by penalised maximum likelihood (the posterior mode), which
takes seconds on the whole record.

Model. For state i in year t voting on roll call j::

    y*_ij = β_j θ_it + ε_ij,   ε ~ N(0, 1)
    no if y* < c_j1,  abstain if c_j1 <= y* < c_j2,  yes if y* >= c_j2

an ordered probit with item-specific discrimination β_j and cutpoints c_j (a
roll call on which nobody abstained has a single cutpoint). The dynamic model
adds a random walk, θ_it ~ N(θ_i,t-1, ω²), with θ at a state's first year
~ N(0, 1); years inside a state's span without votes are bridged by the walk.
Weak normal priors on β (sd 3) and cutpoints (sd 5) keep lopsided votes
finite. The static model replaces the walk by θ_it ~ N(0, 1) for each year.

Fitting alternates exact Newton steps between the two blocks, each a concave
problem (the ordered probit log-likelihood is log-concave in the linear
predictor and the cutpoints, Pratt 1981): all roll calls' (β, c) at once as
batched 3 x 3 systems, then all states' trajectories at once as one
symmetric tridiagonal system (the random-walk precision plus the diagonal
curvature of the likelihood).

Identification. Location and scale are fixed by standardising the estimated
θ (over all state-years with votes in the dynamic model, within each year in
the static one) after every iteration, absorbing the change in β and c so the
likelihood is untouched. Orientation: the Western pole is high, by the rule
that ``θ_USA > θ_RUS`` (on average over the years the dynamic model covers;
in each year for the static fits). The random walk ties every year to the
next, so the orientation cannot flip between years; the validation benchmark
checks that it never does.

Differences from BSV: BSV also bridge years by constraining the parameters
of resolutions repeated verbatim to be equal across sessions; this module
uses no text matching and bridges years by the random walk alone. BSV's
roll-call selection is theirs (they report "All" and final-passage
variants); here it is whatever :class:`~nonaligned.measures.votes.Selection`
the caller chooses.

Uncertainty. Standard errors come from a parametric bootstrap: votes are
simulated from the fitted model for every observed state / roll call pair,
the model is refitted (warm-started at the estimates), and the standard
deviation of each θ_it across replicates is reported. Variational or
Laplace variances are known to be far too small for these models.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from scipy.linalg import cho_factor, cho_solve
from scipy.special import log_ndtr, ndtr

from nonaligned.measures.votes import Selection, coded_votes

ANCHORS: tuple[str, str] = ("USA", "RUS")
"""Orientation: the first state is placed above the second."""

_LOG_SQRT_2PI = 0.5 * np.log(2 * np.pi)
_MIN_GAP = 1e-3  # smallest distance kept between the two cutpoints of a roll call


@dataclass(frozen=True)
class Settings:
    """Model and fitting settings (the defaults are the documented model).

    ``evolution_sd``: ω, the sd of the yearly random-walk step, in units of
    the sd of all ideal points. ``beta_sd`` and ``cut_sd``: prior sds of the
    roll-call parameters. ``tol``: stop when no θ moves more than this in an
    iteration. ``n_boot``: bootstrap replicates for the standard errors (0
    gives NaN standard errors). ``boot_max_iter``: iterations per replicate.
    """

    evolution_sd: float = 0.25
    beta_sd: float = 3.0
    cut_sd: float = 5.0
    tol: float = 1e-3
    max_iter: int = 500
    n_boot: int = 20
    boot_max_iter: int = 60
    seed: int = 0


@dataclass
class _Data:
    """Observed votes indexed for fitting.

    ``cell`` is a state-year (the unknowns), ``item`` a roll call,
    ``category`` 0 (no), 1 (abstain) or 2 (yes). ``group`` puts cells and
    items in standardisation groups (one for the dynamic model, one per year
    for the static model). ``links`` are consecutive cells of one state
    (used by the dynamic model only).
    """

    cell: np.ndarray
    item: np.ndarray
    category: np.ndarray
    cell_group: np.ndarray
    item_group: np.ndarray
    links: np.ndarray  # (k, 2) pairs of cell indices, consecutive years
    first_cells: np.ndarray  # cells that carry the N(0, 1) prior
    voted: np.ndarray  # cells with at least one vote
    n_groups: int
    # Year blocks for the solver: (cells, items, offset into the dense
    # cells x items x 4 cross-curvature buffer) per year, in year order.
    blocks: list[tuple[np.ndarray, np.ndarray, int]]
    cell_block: np.ndarray
    cell_position: np.ndarray  # position of a cell within its block
    cross_base: np.ndarray  # per vote: index of its (cell, item, slot 0) in the buffer
    cross_size: int

    @property
    def n_cells(self) -> int:
        return len(self.cell_group)

    @property
    def n_items(self) -> int:
        return len(self.item_group)


@dataclass
class _Params:
    theta: np.ndarray
    beta: np.ndarray
    cuts: np.ndarray  # (n_items, 2); column 1 unused where a roll call has one cut


@dataclass
class _Prior:
    diag: np.ndarray
    weight: float  # random-walk precision 1/ω² (0 for the static model)
    couplings: list[np.ndarray | None]  # per year block, to the previous block


@dataclass
class _Structure:
    """Per-vote positions of the cutpoints, which depend on observed categories."""

    n_cuts: np.ndarray  # per item: number of cutpoints (1 or 2)
    lo_slot: np.ndarray  # per vote: 1 + index of the lower cut, or 3 (= -inf)
    hi_slot: np.ndarray  # per vote: 1 + index of the upper cut, or 3 (= +inf)

    @classmethod
    def of(cls, data: _Data, category: np.ndarray) -> _Structure:
        present = np.zeros((data.n_items, 3), dtype=bool)
        present[data.item, category] = True
        n_categories = present.sum(axis=1)
        rank = (np.cumsum(present, axis=1) - 1)[data.item, category]
        n_cuts = np.maximum(n_categories - 1, 1)
        lo_slot = np.where(rank == 0, 3, rank)  # cut index rank-1 -> slot rank
        hi_slot = np.where(rank >= n_cuts[data.item], 3, rank + 1)
        return cls(n_cuts=n_cuts, lo_slot=lo_slot, hi_slot=hi_slot)


def _bounds(params: _Params, data: _Data, st: _Structure) -> tuple[np.ndarray, np.ndarray]:
    table = np.column_stack(
        [np.zeros(data.n_items), params.cuts, np.full(data.n_items, np.inf)]
    )  # slot 0 unused (β), slots 1-2 the cuts, slot 3 infinite
    mu = params.beta[data.item] * params.theta[data.cell]
    lo = np.where(st.lo_slot == 3, -np.inf, table[data.item, st.lo_slot])
    hi = table[data.item, st.hi_slot]
    return lo - mu, hi - mu


def _log_interval(z_lo: np.ndarray, z_hi: np.ndarray) -> np.ndarray:
    """log(Φ(z_hi) - Φ(z_lo)), accurate in both tails."""
    upper = z_lo > 0
    a = np.where(upper, -z_hi, z_lo)  # reflect the upper tail onto the lower
    b = np.where(upper, -z_lo, z_hi)
    log_b = log_ndtr(b)
    with np.errstate(divide="ignore"):
        return log_b + np.log1p(-np.exp(log_ndtr(a) - log_b))


def _derivatives(z_lo: np.ndarray, z_hi: np.ndarray) -> dict[str, np.ndarray]:
    """Log-likelihood and its derivatives in the lower cut, upper cut and μ."""
    log_lik = np.maximum(_log_interval(z_lo, z_hi), -700.0)
    with np.errstate(invalid="ignore", over="ignore"):
        u = np.exp(-0.5 * z_hi**2 - _LOG_SQRT_2PI - log_lik)  # φ(z_hi) / L
        v = np.exp(-0.5 * z_lo**2 - _LOG_SQRT_2PI - log_lik)  # φ(z_lo) / L
        zu = np.where(np.isfinite(z_hi), z_hi * u, 0.0)
        zv = np.where(np.isfinite(z_lo), z_lo * v, 0.0)
    f_xx = zv - v * v  # d²/dlo²
    f_yy = -zu - u * u  # d²/dhi²
    f_xy = u * v
    return {
        "log_lik": log_lik,
        "d_lo": -v,
        "d_hi": u,
        "d_mu": v - u,
        "h_mu": f_xx + 2 * f_xy + f_yy,
        "h_mu_lo": -(f_xx + f_xy),
        "h_mu_hi": -(f_xy + f_yy),
        "f_xx": f_xx,
        "f_yy": f_yy,
        "f_xy": f_xy,
    }


def _penalty(data: _Data, s: Settings, dynamic: bool) -> _Prior:
    """The prior precision of θ.

    Dynamic: tridiagonal within a state, ``-w`` between consecutive years
    (``data.links``), ``w`` per link on the diagonal, plus 1 at each state's
    first year; the off-diagonal part is also returned as dense coupling
    matrices between consecutive year blocks, for the solver. Static: the
    unit diagonal.
    """
    diag = np.full(data.n_cells, 1e-8)
    couplings: list[np.ndarray | None] = [None] * len(data.blocks)
    if not dynamic:
        return _Prior(diag + 1.0, 0.0, couplings)
    w = 1 / s.evolution_sd**2
    diag += w * np.bincount(data.links.ravel(), minlength=data.n_cells)
    diag[data.first_cells] += 1.0
    later = data.links[:, 1]
    for b in np.unique(data.cell_block[later]):
        sel = data.links[data.cell_block[later] == b]
        coupling = np.zeros((len(data.blocks[b][0]), len(data.blocks[b - 1][0])))
        coupling[data.cell_position[sel[:, 1]], data.cell_position[sel[:, 0]]] = -w
        couplings[b] = coupling
    return _Prior(diag, w, couplings)


def _prior_times(theta: np.ndarray, data: _Data, prior: _Prior) -> np.ndarray:
    """The prior precision of θ applied to ``theta``."""
    w = prior.weight
    result = prior.diag * theta
    if w:
        a, b = data.links[:, 0], data.links[:, 1]
        np.add.at(result, a, -w * theta[b])
        np.add.at(result, b, -w * theta[a])
    return result


def _objective(params: _Params, data: _Data, st: _Structure, s: Settings, prior: _Prior) -> float:
    """Log posterior (up to a constant): the quantity the fit maximises."""
    log_lik = np.maximum(_log_interval(*_bounds(params, data, st)), -700.0).sum()
    theta_prior = params.theta @ _prior_times(params.theta, data, prior) / 2
    two = st.n_cuts == 2
    cut_sq = (params.cuts[:, 0] ** 2).sum() + (params.cuts[two, 1] ** 2).sum()
    item_prior = (params.beta**2).sum() / (2 * s.beta_sd**2) + cut_sq / (2 * s.cut_sd**2)
    return float(log_lik - theta_prior - item_prior)


def _item_system(
    d: dict[str, np.ndarray],
    theta: np.ndarray,
    params: _Params,
    data: _Data,
    st: _Structure,
    s: Settings,
) -> tuple[np.ndarray, np.ndarray]:
    """Gradient (n_items, 3) and negative Hessian (n_items, 3, 3) in (β, c1, c2)."""
    n = data.n_items
    base = data.item * 4
    grad = np.bincount(base, d["d_mu"] * theta, minlength=n * 4)
    grad += np.bincount(base + st.lo_slot, d["d_lo"], minlength=n * 4)
    grad += np.bincount(base + st.hi_slot, d["d_hi"], minlength=n * 4)
    hess_base = data.item * 16
    diagonal = [
        (0, d["h_mu"] * theta * theta),
        (st.lo_slot, d["f_xx"]),
        (st.hi_slot, d["f_yy"]),
    ]
    off_diagonal = [
        (0, st.lo_slot, d["h_mu_lo"] * theta),
        (0, st.hi_slot, d["h_mu_hi"] * theta),
        (st.lo_slot, st.hi_slot, d["f_xy"]),
    ]
    hess = np.zeros(n * 16)
    for slot, value in diagonal:
        hess += np.bincount(hess_base + slot * 5, value, minlength=n * 16)
    for row, col, value in off_diagonal:
        hess += np.bincount(hess_base + row * 4 + col, value, minlength=n * 16)
        hess += np.bincount(hess_base + col * 4 + row, value, minlength=n * 16)
    grad = grad.reshape(n, 4)[:, :3]
    neg_hess = -hess.reshape(n, 4, 4)[:, :3, :3]
    current = np.column_stack([params.beta, params.cuts])
    precision = np.array([1 / s.beta_sd**2, 1 / s.cut_sd**2, 1 / s.cut_sd**2])
    grad = grad - precision * current
    neg_hess = neg_hess + np.diag(precision)
    single = st.n_cuts == 1  # the second cut is not a parameter of these roll calls
    grad[single, 2] = 0.0
    neg_hess[single, 2, :] = 0.0
    neg_hess[single, :, 2] = 0.0
    neg_hess[single, 2, 2] = 1.0
    return grad, neg_hess


def _step(
    params: _Params, data: _Data, st: _Structure, s: Settings, prior: _Prior
) -> tuple[np.ndarray, np.ndarray]:
    """A joint Gauss-Newton direction for all θ and all roll-call parameters.

    The curvature is the ordered-probit negative Hessian in (μ, c) carried
    through μ = βθ without its second-order term (so it is positive
    definite). Roll-call parameters are eliminated by their 3 x 3 blocks; the
    Schur complement in θ is dense within a year and couples years only
    through the random walk, so it is solved by block tridiagonal
    elimination over years.
    """
    d = _derivatives(*_bounds(params, data, st))
    theta_o = params.theta[data.cell]
    beta_o = params.beta[data.item]
    grad_theta = np.bincount(data.cell, d["d_mu"] * beta_o, minlength=data.n_cells)
    grad_theta -= _prior_times(params.theta, data, prior)
    curv_theta = -np.bincount(data.cell, d["h_mu"] * beta_o**2, minlength=data.n_cells)
    curv_theta += prior.diag
    grad_item, neg_hess_item = _item_system(d, theta_o, params, data, st, s)
    inv_item = np.linalg.inv(neg_hess_item)

    cross = np.zeros(data.cross_size)  # cells x (items, 4 slots) per year, dense
    cross[data.cross_base] = -d["h_mu"] * beta_o * theta_o
    cross[data.cross_base + st.lo_slot] = -d["h_mu_lo"] * beta_o
    cross[data.cross_base + st.hi_slot] = -d["h_mu_hi"] * beta_o

    blocks = data.blocks
    factors, rhs, couplings, cross_blocks = [], [], [], []
    for b, (cells, items, offset) in enumerate(blocks):
        n_c, n_i = len(cells), len(items)
        cb = cross[offset : offset + n_c * n_i * 4].reshape(n_c, n_i, 4)[:, :, :3]
        weighted = np.einsum("ija,jab->ijb", cb, inv_item[items]).reshape(n_c, 3 * n_i)
        schur = np.diag(curv_theta[cells]) - weighted @ cb.reshape(n_c, 3 * n_i).T
        y = grad_theta[cells] - weighted @ grad_item[items].reshape(-1)
        coupling = prior.couplings[b]
        if coupling is not None:
            solved = cho_solve(factors[-1], coupling.T)
            schur -= coupling @ solved
            y -= coupling @ cho_solve(factors[-1], rhs[-1])
        factors.append(cho_factor(schur, check_finite=False))
        rhs.append(y)
        couplings.append(coupling)
        cross_blocks.append(cb)
    delta_theta = np.zeros(data.n_cells)
    below = None
    for b in range(len(blocks) - 1, -1, -1):
        y = rhs[b]
        if below is not None and couplings[b + 1] is not None:
            y = y - couplings[b + 1].T @ below
        below = cho_solve(factors[b], y, check_finite=False)
        delta_theta[blocks[b][0]] = below
    cross_times = np.zeros((data.n_items, 3))
    for b, (cells, items, _) in enumerate(blocks):
        cross_times[items] = np.einsum("ija,i->ja", cross_blocks[b], delta_theta[cells])
    delta_item = np.einsum("jab,jb->ja", inv_item, grad_item - cross_times)
    return delta_theta, delta_item


def _moved(
    params: _Params, delta_theta: np.ndarray, delta_item: np.ndarray, step: float, st: _Structure
) -> _Params:
    moved = _Params(
        theta=params.theta + step * delta_theta,
        beta=params.beta + step * delta_item[:, 0],
        cuts=params.cuts + step * delta_item[:, 1:],
    )
    single = st.n_cuts == 1
    moved.cuts[single, 1] = moved.cuts[single, 0]
    moved.cuts[:, 1] = np.maximum(
        moved.cuts[:, 1], moved.cuts[:, 0] + np.where(single, 0, _MIN_GAP)
    )
    return moved


def _fit(
    params: _Params,
    data: _Data,
    category: np.ndarray,
    s: Settings,
    dynamic: bool,
    max_iter: int,
) -> tuple[_Params, int]:
    """Maximise the log posterior from ``params`` (damped Gauss-Newton)."""
    fit_data = replace(data, category=category)
    st = _Structure.of(fit_data, category)
    prior = _penalty(fit_data, s, dynamic)
    current = _objective(params, fit_data, st, s, prior)
    iterations = 0
    for iterations in range(1, max_iter + 1):  # noqa: B007 - returned below
        delta_theta, delta_item = _step(params, fit_data, st, s, prior)
        step = 1.0
        while True:
            trial = _moved(params, delta_theta, delta_item, step, st)
            if _objective(trial, fit_data, st, s, prior) >= current or step < 1e-3:
                break
            step /= 2
        # Scale and location are fixed by standardising (a change of units that
        # leaves the likelihood alone), so ω keeps its meaning relative to sd 1.
        _standardise(trial, fit_data)
        change = np.abs(trial.theta - params.theta)[fit_data.voted].max()
        params = trial
        current = _objective(params, fit_data, st, s, prior)
        if change < s.tol:
            break
    return params, iterations


def _standardise(params: _Params, data: _Data) -> None:
    """Mean 0, sd 1 within each group, leaving the likelihood unchanged."""
    voted = data.voted
    groups = data.cell_group[voted]
    count = np.bincount(groups, minlength=data.n_groups)
    mean = np.bincount(groups, params.theta[voted], minlength=data.n_groups) / count
    var = np.bincount(groups, (params.theta[voted] - mean[groups]) ** 2, minlength=data.n_groups)
    sd = np.sqrt(var / count)
    sd[~(sd > 0)] = 1.0
    params.theta = (params.theta - mean[data.cell_group]) / sd[data.cell_group]
    m, sdi = mean[data.item_group], sd[data.item_group]
    params.cuts = params.cuts - (params.beta * m)[:, None]
    params.beta = params.beta * sdi


def _orient(params: _Params, data: _Data, anchor_cells: np.ndarray) -> None:
    """Flip groups so that the first anchor is above the second.

    ``anchor_cells`` rows are (group, cell of anchor 1, cell of anchor 2) for
    the years where both voted; a group is flipped when the anchors' summed
    difference is negative.
    """
    if len(anchor_cells) == 0:
        return
    gap = params.theta[anchor_cells[:, 1]] - params.theta[anchor_cells[:, 2]]
    total = np.bincount(anchor_cells[:, 0], gap, minlength=data.n_groups)
    sign = np.where(total < 0, -1.0, 1.0)
    params.theta = params.theta * sign[data.cell_group]
    params.beta = params.beta * sign[data.item_group]


def _reported(params: _Params, data: _Data, anchor_cells: np.ndarray) -> np.ndarray:
    """θ as published: standardised and oriented (a copy; ``params`` is kept)."""
    shown = _Params(params.theta.copy(), params.beta.copy(), params.cuts.copy())
    _standardise(shown, data)
    _orient(shown, data, anchor_cells)
    return shown.theta


def _start(data: _Data, anchor_cells: np.ndarray) -> _Params:
    """Starting values: each state-year's mean vote score, standardised by group.

    The score (yes = +1, abstain = 0, no = -1, centred per roll call) already
    separates the blocs in most years; orientation is then fixed by the
    anchors before the first Newton step.
    """
    score = data.category.astype(float) - 1
    item_mean = np.bincount(data.item, score, minlength=data.n_items) / np.maximum(
        np.bincount(data.item, minlength=data.n_items), 1
    )
    centred = score - item_mean[data.item]
    # weight each vote by how divisive its roll call is (its centred-score spread)
    spread = np.sqrt(
        np.bincount(data.item, centred**2, minlength=data.n_items)
        / np.maximum(np.bincount(data.item, minlength=data.n_items), 1)
    )
    # sign of each roll call: does the first anchor vote above the roll-call mean?
    counts = np.maximum(np.bincount(data.cell, minlength=data.n_cells), 1)
    theta = np.bincount(data.cell, centred * spread[data.item], minlength=data.n_cells) / counts
    params = _Params(
        theta=theta,
        beta=np.zeros(data.n_items),
        cuts=np.tile([-0.5, 0.5], (data.n_items, 1)),
    )
    _standardise(params, data)
    _orient(params, data, anchor_cells)
    return params


def _simulate(params: _Params, data: _Data, rng: np.random.Generator) -> np.ndarray:
    """Votes drawn from the fitted model for each observed state / roll call pair."""
    st = _Structure.of(data, data.category)
    mu = params.beta[data.item] * params.theta[data.cell]
    cuts = params.cuts[data.item]
    draw = rng.random(len(mu))
    below_first = ndtr(cuts[:, 0] - mu)
    below_second = ndtr(cuts[:, 1] - mu)
    rank = (draw > below_first).astype(np.int64)
    two = st.n_cuts[data.item] == 2
    rank += (two & (draw > below_second)).astype(np.int64)
    present = np.zeros((data.n_items, 3), dtype=bool)
    present[data.item, data.category] = True
    # the rank-th observed category of each roll call
    order = np.argsort(~present, axis=1, kind="stable")
    return order[data.item, rank]


def _prepare(
    votes: pd.DataFrame,
    roll_calls: pd.DataFrame,
    selection: Selection | None,
    dynamic: bool,
    anchors: tuple[str, str],
) -> tuple[_Data, pd.DataFrame, np.ndarray]:
    """Index the votes; returns the data, the cell table and the anchor cells."""
    coded = coded_votes(votes, roll_calls, by="year", selection=selection)
    # a roll call on which every state voted alike says nothing about positions
    spread = coded.groupby("roll_call_id")["code"].transform("nunique")
    coded = coded[spread > 1]
    iso3 = np.sort(coded["iso3"].unique())
    state = np.searchsorted(iso3, coded["iso3"].to_numpy())
    year = coded["period"].to_numpy()
    first = np.full(len(iso3), np.iinfo(np.int64).max)
    last = np.full(len(iso3), np.iinfo(np.int64).min)
    np.minimum.at(first, state, year)
    np.maximum.at(last, state, year)
    span = last - first + 1
    offset = np.concatenate([[0], np.cumsum(span)[:-1]])
    cell_state = np.repeat(np.arange(len(iso3)), span)
    cell_year = first[cell_state] + np.arange(span.sum()) - offset[cell_state]
    cell = offset[state] + (year - first[state])
    items, item = np.unique(coded["roll_call_id"].to_numpy(), return_inverse=True)
    item_year = np.zeros(len(items), dtype=np.int64)
    item_year[item] = year
    years = np.unique(cell_year)
    if dynamic:  # one standardisation group
        cell_group = np.zeros(len(cell_state), dtype=np.int64)
        item_group = np.zeros(len(items), dtype=np.int64)
        n_groups = 1
    else:
        cell_group = np.searchsorted(years, cell_year)
        item_group = np.searchsorted(years, item_year)
        n_groups = len(years)
    same_state = cell_state[1:] == cell_state[:-1]
    links = np.column_stack([np.arange(len(cell_state) - 1), np.arange(1, len(cell_state))])
    n_votes = np.bincount(cell, minlength=len(cell_state))
    cell_block = np.searchsorted(years, cell_year)
    item_block = np.searchsorted(years, item_year)
    cell_order = np.lexsort((cell_state, cell_block))
    item_order = np.argsort(item_block, kind="stable")
    cell_cuts = np.searchsorted(cell_block[cell_order], np.arange(len(years) + 1))
    item_cuts = np.searchsorted(item_block[item_order], np.arange(len(years) + 1))
    cell_position = np.zeros(len(cell_state), dtype=np.int64)
    item_position = np.zeros(len(items), dtype=np.int64)
    blocks, size = [], 0
    for b in range(len(years)):
        block_cells = cell_order[cell_cuts[b] : cell_cuts[b + 1]]
        block_items = item_order[item_cuts[b] : item_cuts[b + 1]]
        cell_position[block_cells] = np.arange(len(block_cells))
        item_position[block_items] = np.arange(len(block_items))
        blocks.append((block_cells, block_items, size))
        size += len(block_cells) * len(block_items) * 4
    offsets = np.array([offset for _, _, offset in blocks])
    n_block_items = np.array([len(block_items) for _, block_items, _ in blocks])
    block = cell_block[cell]
    cross_base = (
        offsets[block] + (cell_position[cell] * n_block_items[block] + item_position[item]) * 4
    )
    data = _Data(
        cell=cell,
        item=item,
        category=(3 - coded["code"].to_numpy()).astype(np.int64),  # 0 no, 1 abstain, 2 yes
        cell_group=cell_group,
        item_group=item_group,
        links=links[same_state],
        first_cells=offset,
        voted=n_votes > 0,
        n_groups=n_groups,
        blocks=blocks,
        cell_block=cell_block,
        cell_position=cell_position,
        cross_base=cross_base,
        cross_size=size,
    )
    cells = pd.DataFrame({"iso3": iso3[cell_state], "year": cell_year, "n_votes": n_votes})
    pairs = []
    both = cells[cells["iso3"].isin(anchors) & (cells["n_votes"] > 0)]
    wide = both.reset_index().pivot(index="year", columns="iso3", values="index").dropna()
    if set(anchors) <= set(wide.columns):
        a, b = wide[anchors[0]].to_numpy(int), wide[anchors[1]].to_numpy(int)
        pairs = np.column_stack([cell_group[a], a, b])
    anchor_cells = np.asarray(pairs, dtype=np.int64).reshape(-1, 3)
    return data, cells, anchor_cells


def _ideal_points(
    votes: pd.DataFrame,
    roll_calls: pd.DataFrame,
    selection: Selection | None,
    settings: Settings,
    anchors: tuple[str, str],
    dynamic: bool,
) -> pd.DataFrame:
    data, cells, anchor_cells = _prepare(votes, roll_calls, selection, dynamic, anchors)
    params = _start(data, anchor_cells)
    params, _ = _fit(params, data, data.category, settings, dynamic, settings.max_iter)
    estimate = _reported(params, data, anchor_cells)
    se = np.full(data.n_cells, np.nan)
    if settings.n_boot > 1:
        rng = np.random.default_rng(settings.seed)
        draws = np.empty((settings.n_boot, data.n_cells))
        for b in range(settings.n_boot):
            simulated = _simulate(params, data, rng)
            start = _Params(params.theta.copy(), params.beta.copy(), params.cuts.copy())
            refit, _ = _fit(start, data, simulated, settings, dynamic, settings.boot_max_iter)
            draws[b] = _reported(refit, data, anchor_cells)
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
    years (that is what the dynamic model is for).
    """
    settings = settings or Settings()
    return _ideal_points(votes, roll_calls, selection, settings, anchors, dynamic=False)
