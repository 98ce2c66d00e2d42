"""Moments of truncated standard normals, compiled, for the ideal-point E-step.

Why a module of its own: the E-step of the ideal-point EM needs, for each of
about a million votes and a hundred steps, the mean, variance and mass of a
standard normal cut to an interval. Done with exp and erfc from the C
library this was most of the fit's time. Here the special functions are
replaced by short piecewise polynomials, built once at import by Chebyshev
interpolation of SciPy's functions (so no constant is typed in) and exact to
a few units in the last place (tested against SciPy):

- erfcx(x) = exp(x²) erfc(x) for x >= 0, as (1 + 2x) erfcx(x) in
  y = (x - k) / (x + k) (Shepherd and Laframboise 1981), which maps the whole
  half-line onto [-1, 1) where the function is smooth;
- for the common case of a one-sided interval (u, ∞) that holds most of the
  mass (-6 <= u < 0, nine votes in ten), the inverse Mills ratio and the mass
  themselves, so that case needs neither exp nor a division.

Masses come as a pair (m, c) with log mass = log(m) + c and m in (0, 1], so
that the E-step can multiply the m's and take one logarithm per many votes.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from numba import njit
from numpy.polynomial import chebyshev
from scipy import special

_SQRT2 = math.sqrt(2.0)
_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)
_TAIL = 38.0  # |bounds| beyond this are infinite for a standard normal in double precision
_ERFCX_K = 3.75  # centre of the map y = (x - k) / (x + k)
_NEAR = -6.0  # one-sided intervals (u, ∞) with _NEAR <= u < 0 are read off tables
FUSED = {"contract"}
"""numba fastmath flags: fused multiply-adds only (one rounding instead of two;
about a quarter off the vote pass); no reassociation, so sums keep their order."""


def piecewise(
    f: Callable[[np.ndarray], np.ndarray], lo: float, hi: float, pieces: int, degree: int
) -> np.ndarray:
    """Power-basis coefficients (lowest first) of ``f`` on equal pieces of [lo, hi].

    Row j approximates f on the j-th piece as a polynomial in the local
    coordinate t in [-1, 1], from Chebyshev interpolation of degree
    ``degree``; evaluate with :func:`evaluate`.
    """
    width = (hi - lo) / pieces

    def piece(j: int) -> np.ndarray:
        coef = chebyshev.cheb2poly(
            chebyshev.chebinterpolate(lambda t: f(lo + width * (j + 0.5 * (t + 1))), degree)
        )
        return np.pad(coef, (0, degree + 1 - len(coef)))

    return np.array([piece(j) for j in range(pieces)])


@njit(cache=True, fastmath=FUSED)
def evaluate(table: np.ndarray, lo: float, hi: float, x: float) -> float:
    """The piecewise polynomial ``table`` (from :func:`piecewise` on [lo, hi]) at x."""
    pieces, degree = table.shape[0], table.shape[1] - 1
    where = (x - lo) * (pieces / (hi - lo))
    j = max(min(int(where), pieces - 1), 0)
    t = 2.0 * (where - j) - 1.0
    value = table[j, degree]
    for n in range(degree - 1, -1, -1):
        value = value * t + table[j, n]
    return value


def _scaled_erfcx(y: np.ndarray) -> np.ndarray:
    """(1 + 2x) erfcx(x) at x = k (1 + y) / (1 - y); its limit 2/√π at y = 1."""
    with np.errstate(all="ignore"):
        x = _ERFCX_K * (1 + y) / (1 - y)
        value = (1 + 2 * x) * special.erfcx(x)
    return np.where(y >= 1, 2 / np.sqrt(np.pi), value)


def _mills(u: np.ndarray) -> np.ndarray:
    """Inverse Mills ratio φ(u) / (1 - Φ(u))."""
    return np.exp(-0.5 * u * u - special.log_ndtr(-u)) * _INV_SQRT_2PI


_ERFCX = piecewise(_scaled_erfcx, -1.0, 1.0, 32, 7)
_MILLS = piecewise(_mills, _NEAR, 0.0, 24, 9)
_MASS = piecewise(lambda u: special.ndtr(-u), _NEAR, 0.0, 24, 9)


@njit(cache=True, fastmath=FUSED)
def erfcx(x: float) -> float:
    """Scaled complementary error function exp(x²) erfc(x), for x >= 0."""
    y = (x - _ERFCX_K) / (x + _ERFCX_K)
    return evaluate(_ERFCX, -1.0, 1.0, y) / (1.0 + 2.0 * x)


@njit(cache=True, fastmath=FUSED)
def tail_moments(u: float) -> tuple[float, float, float, float]:
    """Mean, variance and mass (m, c) of a standard normal truncated to (u, ∞).

    The mean is the inverse Mills ratio φ(u)/(1 - Φ(u)); log mass =
    log(m) + c. Above zero the Gaussian factor exp(-u²/2) is carried in c,
    so far tails keep full precision; below ``_NEAR`` the ratio is written
    with erfcx of a positive argument.
    """
    if u >= 0.0:
        scaled = erfcx(u / _SQRT2)
        mills = _SQRT_2_OVER_PI / scaled
        mass, log_scale = 0.5 * scaled, -0.5 * u * u
    elif u >= _NEAR:
        mills, mass = evaluate(_MILLS, _NEAR, 0.0, u), evaluate(_MASS, _NEAR, 0.0, u)
        log_scale = 0.0
    else:
        density = math.exp(-0.5 * u * u)
        lower = density * erfcx(-u / _SQRT2)  # 2 Φ(u) = erfc(-u/√2)
        mills = _SQRT_2_OVER_PI * density / (2.0 - lower)
        mass, log_scale = 1.0 - 0.5 * lower, 0.0
    var = max(1.0 + u * mills - mills * mills, 0.0)
    return mills, var, mass, log_scale


@njit(cache=True, fastmath=FUSED)
def interval_moments(lo: float, hi: float) -> tuple[float, float, float, float]:
    """Mean, variance and mass (as in :func:`tail_moments`) of a standard normal on (lo, hi).

    Written with erfcx so that intervals far in either tail keep full
    precision: the interval is reflected to lie below zero when it starts
    above it, and every density and probability is scaled by exp(k²/2),
    k = min(hi, 0), which cancels in the ratios.
    """
    flip = lo > 0
    if flip:
        lo, hi = -hi, -lo
    hi = min(hi, _TAIL)
    k = min(hi, 0.0)
    lo = max(lo, k - _TAIL)  # mass beyond 38 sd below the top is nil
    k2 = k * k
    scale_lo = math.exp(0.5 * (k2 - lo * lo))
    scale_hi = math.exp(0.5 * (k2 - hi * hi))
    # Φ(hi) e^{k²/2}: the erfcx form below 0, one minus the upper tail above
    p_hi = 0.5 * erfcx(-hi / _SQRT2) if hi < 0 else 1.0 - 0.5 * scale_hi * erfcx(hi / _SQRT2)
    p_lo = 0.5 * erfcx(-lo / _SQRT2) * scale_lo
    mass = max(p_hi - p_lo, 1e-300)
    mean = _INV_SQRT_2PI * (scale_lo - scale_hi) / mass
    var = 1.0 + _INV_SQRT_2PI * (lo * scale_lo - hi * scale_hi) / mass - mean * mean
    return -mean if flip else mean, max(var, 0.0), mass, -0.5 * k2
