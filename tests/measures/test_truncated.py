"""Truncated-normal moments for the ideal-point E-step, against SciPy.

The compiled functions replace exp/erfc with piecewise polynomials built at
import; these tests hold them to SciPy across every branch and its edges."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import erfcx, log_ndtr, ndtr
from scipy.stats import truncnorm

from nonaligned.measures import truncated as tn

bounds = st.floats(-12, 12, allow_nan=False)


def log_mass(result: tuple[float, float, float, float]) -> float:
    _, _, m, c = result
    assert 0 < m <= 1
    return np.log(m) + c


@settings(max_examples=60, deadline=None)
@given(bounds, st.floats(0.001, 6))
def test_interval_moments_match_scipy(lo, width):
    result = tn.interval_moments(lo, lo + width)
    ref_mean, ref_var = truncnorm.stats(lo, lo + width, moments="mv")
    assert result[0] == pytest.approx(ref_mean, rel=1e-6, abs=1e-8)
    assert result[1] == pytest.approx(ref_var, rel=1e-4, abs=1e-8)
    a, b = (-(lo + width), -lo) if lo > 0 else (lo, lo + width)  # reflect: no cancellation
    assert log_mass(result) == pytest.approx(np.log(ndtr(b) - ndtr(a)), rel=1e-6, abs=1e-9)


@settings(max_examples=100, deadline=None)
@given(bounds)
def test_tail_moments_match_scipy(u):
    result = tn.tail_moments(u)
    ref_mean, ref_var = truncnorm.stats(u, np.inf, moments="mv")
    assert result[0] == pytest.approx(ref_mean, rel=1e-7)
    assert result[1] == pytest.approx(ref_var, rel=1e-4, abs=1e-9)
    assert log_mass(result) == pytest.approx(log_ndtr(-u), rel=1e-7, abs=1e-12)


def test_tail_moments_on_a_grid_across_every_branch():
    """Below -6 (erfcx), the tables on [-6, 0), and above 0 (erfcx again)."""
    u = np.concatenate([np.linspace(-9, 9, 36001), [-6.0, np.nextafter(-6.0, 0), -1e-300, 0.0]])
    ours = np.array([tn.tail_moments(v) for v in u])
    mills = np.exp(-0.5 * u * u - log_ndtr(-u)) / np.sqrt(2 * np.pi)
    np.testing.assert_allclose(ours[:, 0], mills, rtol=1e-10)
    np.testing.assert_allclose(
        np.log(ours[:, 2]) + ours[:, 3], log_ndtr(-u), rtol=1e-13, atol=1e-14
    )


@settings(max_examples=200, deadline=None)
@given(st.floats(0, 1e6, allow_nan=False))
def test_erfcx_matches_scipy(x):
    assert tn.erfcx(x) == pytest.approx(erfcx(x), rel=1e-13)


def test_erfcx_on_a_grid_and_far_out():
    x = np.concatenate([np.linspace(0, 60, 60001), np.geomspace(60, 1e150, 1000)])
    ours = np.array([tn.erfcx(v) for v in x])
    assert np.max(np.abs(ours / erfcx(x) - 1)) < 1e-14


def test_piecewise_reproduces_a_polynomial_exactly():
    """A cubic is its own interpolant: every piece must give it back."""
    table = tn.piecewise(lambda x: 2 - x + 0.5 * x**3, -3.0, 5.0, 7, 4)
    x = np.linspace(-3, 5, 801)
    ours = np.array([tn.evaluate(table, -3.0, 5.0, v) for v in x])
    np.testing.assert_allclose(ours, 2 - x + 0.5 * x**3, rtol=1e-13, atol=1e-13)


def test_far_tails_stay_finite():
    low, high = tn.tail_moments(-60.0), tn.tail_moments(60.0)
    assert low[0] == pytest.approx(0, abs=1e-12) and log_mass(low) == pytest.approx(0, abs=1e-12)
    assert high[0] == pytest.approx(60, rel=1e-3)
    assert log_mass(high) == pytest.approx(log_ndtr(-60.0), rel=1e-12)
    assert np.all(np.isfinite([low[1], high[1]]))
    below, above = tn.interval_moments(-51.0, -50.0), tn.interval_moments(50.0, 51.0)
    assert [below[0], above[0]] == pytest.approx([-50.02, 50.02], abs=0.01)
    assert log_mass(below) == pytest.approx(log_ndtr(-50.0), rel=1e-6)
    assert log_mass(above) == pytest.approx(log_ndtr(-50.0), rel=1e-6)
