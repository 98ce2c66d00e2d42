"""Ideal points: recovery on simulated votes, orientation, bootstrap errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.special import ndtr
from test_similarity import roll_calls_frame

from nonaligned.measures.idealpoints import Settings, dynamic_ideal_points, static_ideal_points

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


def test_bootstrap_standard_errors(simulated):
    votes, roll_calls, _ = simulated
    result = dynamic_ideal_points(votes, roll_calls, settings=Settings(n_boot=4, seed=3))
    assert (result.se > 0).all()
    assert result.se.median() < 0.5
    again = dynamic_ideal_points(votes, roll_calls, settings=Settings(n_boot=4, seed=3))
    pd.testing.assert_frame_equal(result, again)
