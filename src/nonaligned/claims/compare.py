"""The two rules every numeric claim goes through: the nearest year and the tolerance.

Pure functions, so that the rules documented in docs/claims.md can be tested
on their own.
"""

from __future__ import annotations

from collections.abc import Iterable

from nonaligned.claims.spec import NOT_SUPPORTED, SUPPORTED, Comparison, ToleranceUnit

# Floating-point slack so that a difference equal to the tolerance (e.g. 27.5
# against 25 at 2.5 points) counts as within it.
_EPSILON = 1e-9


def nearest_year(available: Iterable[int], claimed: int, max_gap: int) -> int | None:
    """The available year closest to ``claimed``, the earlier on a tie; None if none lies
    within ``max_gap`` years.

    The earlier year wins a tie because it is the more settled figure (later
    years are revised more often).
    """
    years = sorted({int(y) for y in available})
    if not years:
        return None
    best = min(years, key=lambda y: (abs(y - claimed), y))
    return best if abs(best - claimed) <= max_gap else None


def _gap(value: float, claimed: float, unit: ToleranceUnit) -> float:
    """Signed gap between data and claim: relative for ``relative``, absolute otherwise."""
    return value / claimed - 1.0 if unit == "relative" else value - claimed


def within(value: float, claimed: float, tolerance: float, unit: ToleranceUnit) -> bool:
    """Whether ``value`` agrees with ``claimed`` within ``tolerance``.

    ``relative`` compares |value / claimed - 1| (claimed must be non-zero);
    every other unit compares |value - claimed|.
    """
    return abs(_gap(value, claimed, unit)) <= tolerance + _EPSILON


def verdict(
    value: float,
    claimed: float,
    tolerance: float,
    unit: ToleranceUnit,
    compare: Comparison = "about",
) -> str:
    """``supported`` or ``not supported``.

    ``about``: within the tolerance (:func:`within`); ``at_least`` ("more than
    25 percent"): not below the claimed value by more than the tolerance;
    ``at_most``: not above it by more than the tolerance. ``about`` holds
    exactly when both bounds do.
    """
    gap = _gap(value, claimed, unit)
    if compare == "at_least":
        ok = gap >= -tolerance - _EPSILON
    elif compare == "at_most":
        ok = gap <= tolerance + _EPSILON
    else:
        ok = abs(gap) <= tolerance + _EPSILON
    return SUPPORTED if ok else NOT_SUPPORTED


def describe_difference(value: float, claimed: float, unit: ToleranceUnit) -> str:
    """The gap between data and claim, in the tolerance's unit (for explanations)."""
    if unit == "relative":
        return f"{100 * (value / claimed - 1):+.1f}% of the claimed value"
    if unit == "percentage points":
        return f"{value - claimed:+.2f} percentage points"
    return f"{value - claimed:+g}"


def format_tolerance(tolerance: float | None, unit: ToleranceUnit | None) -> str:
    """``±2.5 percentage points``, ``±10%``, ``exact``."""
    if tolerance is None:
        return "exact"
    if unit == "relative":
        return f"±{100 * tolerance:g}%"
    return f"±{tolerance:g} {unit}"
