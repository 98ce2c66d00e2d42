"""Ideal points: the vote pass, EM monotonicity, recovery on simulated
votes, orientation and invariances, bridging, bootstrap errors, the cached
library call and the CLI."""

from __future__ import annotations

import json
import os

import duckdb
import numba
import numpy as np
import pandas as pd
import pytest
from scipy.special import log_ndtr, ndtr
from test_similarity import roll_calls_frame
from threadpoolctl import threadpool_info
from typer.testing import CliRunner

from nonaligned.cli import app
from nonaligned.measures import idealpoints as ip
from nonaligned.measures.idealpoints import Settings, dynamic_ideal_points, static_ideal_points
from nonaligned.session import Store

N_STATES, YEARS, ITEMS_PER_YEAR = 40, range(2000, 2008), 40


def simulate(seed: int = 1) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Votes from the model itself, with USA high and RUS low in every year."""
    rng = np.random.default_rng(seed)
    names = ["USA", "RUS", *[f"S{i:02d}" for i in range(N_STATES - 2)]]
    start = np.concatenate([[2.0, -2.0], rng.normal(0, 1, N_STATES - 2)])
    steps = rng.normal(0, 0.15, (len(YEARS), N_STATES))
    steps[0] = 0
    theta = start + np.cumsum(steps, axis=0)
    rows, truth, rc_frames, rc = [], [], [], 0
    for t, year in enumerate(YEARS):
        ids = list(range(rc + 1, rc + ITEMS_PER_YEAR + 1))
        rc += ITEMS_PER_YEAR
        rc_frames.append(roll_calls_frame(ids, year=year))
        beta = rng.normal(0, 1.5, ITEMS_PER_YEAR)
        low = rng.normal(0, 1, ITEMS_PER_YEAR)
        high = low + rng.uniform(0.3, 1.0, ITEMS_PER_YEAR)
        mu = theta[t][:, None] * beta[None, :]
        draw = rng.random(mu.shape)
        no = draw < ndtr(low - mu)
        abstain = ~no & (draw < ndtr(high - mu))
        vote = np.where(no, "no", np.where(abstain, "abstain", "yes"))
        for i, name in enumerate(names):
            truth.append((name, year, theta[t, i]))
            for j, rid in enumerate(ids):
                rows.append((rid, name, vote[i, j]))
    votes = pd.DataFrame(rows, columns=["roll_call_id", "iso3", "vote"])
    truth_frame = pd.DataFrame(truth, columns=["iso3", "year", "truth"])
    return votes, pd.concat(rc_frames, ignore_index=True), truth_frame


@pytest.fixture(scope="module")
def simulated():
    return simulate()


def test_dynamic_recovers_truth_and_orientation(simulated):
    votes, roll_calls, truth = simulated
    result = dynamic_ideal_points(votes, roll_calls, settings=Settings(n_boot=0))
    assert list(result.columns) == ["iso3", "year", "ideal_point", "se", "n_votes"]
    merged = result.merge(truth, on=["iso3", "year"])
    assert len(merged) == N_STATES * len(YEARS)
    assert merged.ideal_point.corr(merged.truth) > 0.95
    for _, year in merged.groupby("year"):
        assert year.ideal_point.corr(year.truth) > 0.9
    wide = result.pivot(index="year", columns="iso3", values="ideal_point")
    assert (wide["USA"] > wide["RUS"]).all()
    assert result.ideal_point.mean() == pytest.approx(0, abs=1e-6)
    assert result.ideal_point.std(ddof=0) == pytest.approx(1, abs=1e-6)
    assert result.se.isna().all()


def test_anchors_set_orientation(simulated):
    votes, roll_calls, _ = simulated
    flipped = dynamic_ideal_points(
        votes, roll_calls, settings=Settings(n_boot=0), anchors=("RUS", "USA")
    )
    wide = flipped.pivot(index="year", columns="iso3", values="ideal_point")
    assert (wide["RUS"] > wide["USA"]).all()


def test_absences_are_not_votes(simulated):
    votes, roll_calls, _ = simulated
    padded = pd.concat(
        [votes, pd.DataFrame({"roll_call_id": [1, 2], "iso3": "ZZZ", "vote": "absent"})]
    )
    result = dynamic_ideal_points(padded, roll_calls, settings=Settings(n_boot=0))
    assert "ZZZ" not in set(result.iso3)


def test_static_fit_per_year(simulated):
    votes, roll_calls, truth = simulated
    result = static_ideal_points(votes, roll_calls, settings=Settings(n_boot=0))
    merged = result.merge(truth, on=["iso3", "year"])
    for _, year in merged.groupby("year"):
        assert year.ideal_point.corr(year.truth) > 0.85
        assert year.ideal_point.std(ddof=0) == pytest.approx(1, abs=1e-6)
        by_state = year.set_index("iso3").ideal_point
        assert by_state["USA"] > by_state["RUS"]


@pytest.mark.parametrize("fit", [dynamic_ideal_points, static_ideal_points])
def test_a_year_without_votes_inside_the_record(simulated, fit):
    """Like 1964, when the Assembly recorded no vote: the years around it are fitted
    (the static model once returned its starting values here, with NaN posteriors)."""
    votes, roll_calls, truth = simulated
    gap = roll_calls.roll_call_id[roll_calls.year == 2003]
    result = fit(votes[~votes.roll_call_id.isin(gap)], roll_calls, settings=Settings(n_boot=0))
    assert 2003 not in set(result.year) and result.ideal_point.notna().all()
    merged = result.merge(truth, on=["iso3", "year"])
    assert len(merged) == N_STATES * (len(YEARS) - 1)
    for _, year in merged.groupby("year"):
        assert year.ideal_point.corr(year.truth) > 0.85


def test_blas_runs_on_one_thread_during_the_fit(simulated, monkeypatch):
    """Multi-threaded BLAS beside numba's threads made the whole fit 3x slower."""
    seen = []
    fit = ip._fit

    def spying(*args):
        seen.extend(pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas")
        return fit(*args)

    monkeypatch.setattr(ip, "_fit", spying)
    votes, roll_calls, _ = simulated
    dynamic_ideal_points(votes, roll_calls, settings=Settings(n_boot=0))
    assert seen and set(seen) == {1}


def test_bootstrap_standard_errors(simulated):
    votes, roll_calls, _ = simulated
    result = dynamic_ideal_points(votes, roll_calls, settings=Settings(n_boot=4, seed=3))
    assert (result.se > 0).all()
    assert result.se.median() < 0.5
    again = dynamic_ideal_points(votes, roll_calls, settings=Settings(n_boot=4, seed=3))
    pd.testing.assert_frame_equal(result, again)


def test_vote_pass_log_likelihood_is_the_sum_of_log_probabilities():
    """The E-step multiplies vote probabilities and logs the product only when it
    nears underflow; the total must still be Σ log P(vote), far tails included."""
    rng = np.random.default_rng(4)
    n_one, n_two, n_params = 3000, 1000, 7
    n = n_one + n_two
    theta = rng.normal(0, 3, 50)
    alpha, beta = rng.normal(0, 2, n_params), rng.normal(0, 4, n_params)
    sigma = rng.uniform(0.05, 2, n_params)
    cell, param = rng.integers(0, 50, n), rng.integers(0, n_params, n)
    sign = np.where(rng.random(n_one) < 0.5, -1.0, 1.0)
    bound = np.where(rng.random(n_one) < 0.5, 0.0, 1.0)
    sums, log_lik = ip._e_step(
        theta, alpha, beta, sigma, cell, param, n_one, bound, sign, np.empty(n)
    )
    mu, s = alpha[param] + beta[param] * theta[cell], sigma[param]
    one = log_ndtr(sign * (mu[:n_one] - bound) / s[:n_one])  # P(sign (z - bound) > 0)
    lo, hi = -mu[n_one:] / s[n_one:], (1 - mu[n_one:]) / s[n_one:]
    lo, hi = np.where(lo > 0, -hi, lo), np.where(lo > 0, -lo, hi)  # reflect below zero
    two = log_ndtr(hi) + np.log1p(-np.exp(log_ndtr(lo) - log_ndtr(hi)))
    assert one.min() < -400 and two.min() < -400  # far tails: products are flushed
    assert log_lik == pytest.approx(one.sum() + two.sum(), rel=1e-10)
    np.testing.assert_allclose(sums[:, 0], np.bincount(param, theta[cell], n_params))
    np.testing.assert_allclose(sums[:, 1], np.bincount(param, theta[cell] ** 2, n_params))


@pytest.mark.skipif(numba.config.NUMBA_NUM_THREADS < 2, reason="needs two threads")
def test_vote_pass_does_not_depend_on_the_thread_count(simulated):
    """Fixed slices summed in a fixed order: the same bits on one thread or two."""
    votes, roll_calls, _ = simulated
    s = Settings()
    data, rank, _, anchors = ip._prepare(votes, roll_calls, None, True, True, ip.ANCHORS)
    pr = ip._Problem.of(data, rank, s)
    x, _ = ip._em(ip._start(data, rank, anchors), pr, s)
    results = []
    for threads in (1, 2):
        numba.set_num_threads(threads)
        try:
            results.append(pr.vote_pass(x))
        finally:
            numba.set_num_threads(numba.config.NUMBA_NUM_THREADS)
    (one, lik_one), (two, lik_two) = results
    assert np.array_equal(one, two) and lik_one == lik_two


@pytest.mark.parametrize("dynamic", [True, False])
def test_em_never_lowers_the_posterior(simulated, dynamic):
    votes, roll_calls, _ = simulated
    s = Settings()
    data, rank, _, anchors = ip._prepare(votes, roll_calls, None, dynamic, False, ip.ANCHORS)
    problem = ip._Problem.of(data, rank, s)
    x = ip._start(data, rank, anchors)
    posts = []
    for _ in range(15):
        x, post = ip._em(x, problem, s)
        posts.append(post)
    assert np.all(np.diff(posts) >= -1e-6 * np.abs(posts[1:]))


def test_accelerated_fit_stops_near_an_em_fixed_point(simulated):
    """Anderson extrapolation only ever keeps points that raise the posterior."""
    votes, roll_calls, _ = simulated
    s = Settings(n_boot=0)
    data, rank, _, anchors = ip._prepare(votes, roll_calls, None, True, True, ip.ANCHORS)
    problem = ip._Problem.of(data, rank, s)
    start = ip._start(data, rank, anchors)
    fitted = ip._fit(start, problem, s, s.max_iter)
    step, post_fitted = ip._em(fitted, problem, s)
    plain = start
    for _ in range(20):
        plain, post_plain = ip._em(plain, problem, s)
    assert ip._moved(fitted, step, data) < 2 * s.tol
    assert post_fitted >= post_plain


def test_swapping_yes_and_no_changes_nothing(simulated):
    """The model is symmetric in the two ends; the anchors alone fix the orientation."""
    votes, roll_calls, _ = simulated
    swapped = votes.assign(vote=votes.vote.map({"yes": "no", "no": "yes", "abstain": "abstain"}))
    tight = Settings(n_boot=0, tol=1e-6)  # both fits at the same optimum, not just near it
    a = dynamic_ideal_points(votes, roll_calls, settings=tight)
    b = dynamic_ideal_points(swapped, roll_calls, settings=tight)
    np.testing.assert_allclose(a.ideal_point, b.ideal_point, atol=1e-4)


def test_row_order_and_roll_call_ids_do_not_matter(simulated):
    votes, roll_calls, _ = simulated
    shuffled = votes.sample(frac=1, random_state=5)
    relabelled = shuffled.assign(roll_call_id=shuffled.roll_call_id + 1000)
    rc = roll_calls.assign(roll_call_id=roll_calls.roll_call_id + 1000)
    for fit in (dynamic_ideal_points, static_ideal_points):  # the bootstrap draws too: exact
        a = fit(votes, roll_calls, settings=Settings(n_boot=3))
        b = fit(relabelled, rc, settings=Settings(n_boot=3))
        pd.testing.assert_frame_equal(a, b, check_exact=True)


def test_bridges_only_texts_repeated_once_a_year():
    items = np.array([1, 2, 3, 4, 5, 6])
    roll_calls = pd.DataFrame(
        {
            "roll_call_id": items,
            "description": [
                "Israeli practices, Geneva Convention.",
                "ISRAELI PRACTICES GENEVA CONVENTION",  # same text next year
                "Namibia",
                "Namibia",  # twice in one year: ambiguous, not bridged
                "Namibia",
                None,
            ],
        }
    )
    groups = ip._bridge_groups(items, roll_calls, np.array([1980, 1981, 1980, 1981, 1981, 1981]))
    assert groups[0] == groups[1]
    assert len(set(groups[2:]) | {groups[0]}) == 5


def test_bridging_pools_repeated_roll_calls_in_the_dynamic_model_only(simulated):
    votes, roll_calls, _ = simulated
    text = [f"text {i % ITEMS_PER_YEAR}" for i in range(len(roll_calls))]
    rc = roll_calls.assign(description=text)
    data, *_ = ip._prepare(votes, rc, None, True, True, ip.ANCHORS)
    assert data.n_params == ITEMS_PER_YEAR < data.n_items  # (unanimous roll calls drop out)
    static, *_ = ip._prepare(votes, rc, None, False, True, ip.ANCHORS)
    assert static.n_params == static.n_items == data.n_items


def test_cache_reuses_and_invalidates(tmp_path):
    """The store's disk cache: one entry per settings, and none survives a rebuilt file."""
    path = tmp_path / "store.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE TABLE provenance (source VARCHAR)")
    calls = []

    def compute():
        calls.append(1)
        return pd.DataFrame({"x": [len(calls)]})

    store = Store(path)
    first = store.cached("demo", {"n": 1}, compute)
    again = store.cached("demo", {"n": 1}, compute)
    other = store.cached("demo", {"n": 2}, compute)
    assert len(calls) == 2 and first.x[0] == again.x[0] == 1 and other.x[0] == 2
    os.utime(path, ns=(1, 1))  # a rebuilt store has a new modification time
    assert store.cached("demo", {"n": 1}, compute).x[0] == 3
    assert Store(path).cached("demo", {"n": 1}, compute).x[0] == 3  # another process's session


def test_a_missing_store_file_is_not_cached(tmp_path):
    calls = []
    store = Store(tmp_path / "missing.duckdb")
    for _ in range(2):
        store.cached("demo", {}, lambda: pd.DataFrame({"x": [calls.append(1)]}))
    assert len(calls) == 2 and not (tmp_path / "missing.duckdb.cache").exists()


def test_cli_idealpoints_json_and_cache(store_path):
    runner = CliRunner()
    # no bootstrap here (it is tested on simulated votes above): one fit of the whole store
    args = ["idealpoints", "--db", str(store_path), "--boot", "0", "--format", "json"]
    cache = store_path.with_name(store_path.name + ".cache")
    before = set(cache.glob("idealpoints-*.parquet"))  # other tests may have fitted other subsets
    result = runner.invoke(app, [*args, "--year", "2000"])
    assert result.exit_code == 0, result.output
    records = json.loads(result.output)
    assert set(records[0]) == {"iso3", "year", "ideal_point", "se", "n_votes"}
    by_state = {r["iso3"]: r for r in records}
    assert len(by_state) > 150 and {r["year"] for r in records} == {2000}
    assert by_state["USA"]["ideal_point"] > by_state["RUS"]["ideal_point"]
    assert all(r["se"] is None and r["n_votes"] > 0 for r in records)
    after = set(cache.glob("idealpoints-*.parquet"))
    assert after and len(after - before) <= 1  # at most this fit was added
    one = runner.invoke(app, [*args, "--country", "bra"])  # served from the cache
    assert one.exit_code == 0, one.output
    assert set(cache.glob("idealpoints-*.parquet")) == after  # nothing refitted
    rows = json.loads(one.output)
    assert {r["iso3"] for r in rows} == {"BRA"} and len(rows) > 60
    assert next(r for r in rows if r["year"] == 2000) == by_state["BRA"]


def test_cli_idealpoints_bad_input(store_path):
    runner = CliRunner()
    base = ["idealpoints", "--db", str(store_path), "--boot", "0"]
    assert runner.invoke(app, [*base, "--issue", "zz"]).exit_code == 2
