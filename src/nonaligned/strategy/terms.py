"""An offer on its own terms: present value, grant element, concessionality, effective cost.

The grant element (docs/strategy.md):

    GE = (PV(disbursements) - PV(debt service)) / PV(disbursements)

with every flow discounted per period at D, from the annual discount rate d
(5 percent by default, the IMF and World Bank unified discount rate) and m
payments a year by one of two conventions: ``"oecd-dac"`` (the default),
D = (1 + d)^(1/m) - 1, so that d is an effective annual rate and a payment
one year away is worth 1/(1 + d) whatever m, as in the OECD-DAC formulas
the World Bank's IDA also publishes; or ``"nominal"``, D = d/m, as for the
loan's own interest rate. Debt service includes interest, principal, the
upfront fee and commitment fees. With everything disbursed at signing the
denominator is the face value. A loan whose rate per period equals D and
without fees has GE = 0 (under ``"nominal"``: a loan at exactly the
discount rate); a grant has GE = 1. GE times the present value of the
disbursements (the grant equivalent) is the gift the lender makes, in
today's dollars.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.optimize import brentq

from nonaligned.constants import (
    CONVENTIONS,
    DEFAULT_CONCESSIONAL_THRESHOLD,
    DEFAULT_CONVENTION,
    DEFAULT_DISCOUNT_RATE,
    Convention,
)
from nonaligned.errors import QueryError
from nonaligned.strategy.offers import Offer
from nonaligned.strategy.schedule import cash_flows

__all__ = [
    "CONVENTIONS",
    "DEFAULT_CONCESSIONAL_THRESHOLD",
    "DEFAULT_CONVENTION",
    "DEFAULT_DISCOUNT_RATE",
    "Convention",
    "Terms",
    "check_convention",
    "effective_rate",
    "grant_element",
    "period_rate",
    "present_value",
    "terms",
]


def check_convention(convention: str) -> None:
    """Refuse an unknown discount convention with the project's bad-input error (exit 2)."""
    if convention not in CONVENTIONS:
        raise QueryError(
            f"unknown discount convention {convention!r}: use {', '.join(CONVENTIONS)}"
        )


def period_rate(
    annual_rate: float, payments_per_year: int, convention: Convention = DEFAULT_CONVENTION
) -> float:
    """The discount rate per period: (1 + d)^(1/m) - 1 (``oecd-dac``) or d/m (``nominal``)."""
    if convention == "nominal":
        return annual_rate / payments_per_year
    check_convention(convention)
    return math.expm1(math.log1p(annual_rate) / payments_per_year)


def present_value(
    flows: np.ndarray,
    annual_rate: float,
    payments_per_year: int,
    convention: Convention = DEFAULT_CONVENTION,
) -> float:
    """Present value at time 0 of ``flows[k]`` falling at period k (see :func:`period_rate`)."""
    rate = period_rate(annual_rate, payments_per_year, convention)
    factors = (1.0 + rate) ** -np.arange(len(flows), dtype=float)
    return float(np.dot(flows, factors))


def grant_element(
    offer: Offer,
    discount_rate: float = DEFAULT_DISCOUNT_RATE,
    convention: Convention = DEFAULT_CONVENTION,
) -> float:
    """Grant element of an offer as a fraction (0.35 = 35 percent); NaN for equity, guarantees.

    Equity is ownership, not a transfer, and a guarantee disburses nothing
    unless called; neither has a grant element in the IMF/World Bank sense.
    """
    if offer.kind in ("equity", "guarantee"):
        return math.nan
    disbursed, service, m = cash_flows(offer)
    received = present_value(disbursed, discount_rate, m, convention)
    return (received - present_value(service, discount_rate, m, convention)) / received


def effective_rate(offer: Offer) -> float:
    """Effective annual cost: the internal rate of return of the borrower's cash flows.

    The per-period rate j solves sum_k (disbursement_k - service_k)(1 + j)^-k = 0;
    it is reported as j * m, the same nominal convention as ``interest_rate``,
    so that without fees it equals the interest rate. An upfront fee paid
    before a later disbursement makes the flows change sign more than once,
    and the equation can then have several roots: the one closest to the
    interest rate is taken. NaN for anything but a loan (no repayment, no
    rate), or if no root lies between -50 and 100 percent a period.
    """
    if offer.kind != "loan":
        return math.nan
    disbursed, service, m = cash_flows(offer)
    net = disbursed - service
    net = net / np.abs(net).max()  # the root does not depend on the scale; overflow does
    periods = np.arange(len(net), dtype=float)

    def value(j: float) -> float:
        return float(np.dot(net, (1.0 + j) ** -periods))

    # -0.5 and 1 a period bracket any real loan; the lower end is raised where (1 + j)^-k
    # would overflow over a long schedule (700 < log of the largest float)
    lowest = max(-0.5, math.expm1(-700.0 / max(len(net) - 1, 1)))
    grid = np.linspace(lowest, 1.0, 1501)
    values = np.array([value(j) for j in grid])
    exact = grid[values == 0.0]
    changes = np.flatnonzero(np.sign(values[:-1]) * np.sign(values[1:]) < 0)
    roots = list(exact) + [
        brentq(value, grid[i], grid[i + 1], xtol=1e-15, rtol=4 * np.finfo(float).eps)
        for i in changes
    ]
    if not roots:
        return math.nan
    target = offer.interest_rate / m
    return min(roots, key=lambda j: abs(j - target)) * m


@dataclass(frozen=True)
class Terms:
    """The figures of one offer on its own terms (amounts in US dollars)."""

    grant_element: float
    grant_equivalent_usd: float
    pv_usd: float
    concessional: bool | None
    effective_rate: float
    total_debt_service_usd: float


def terms(
    offer: Offer,
    discount_rate: float = DEFAULT_DISCOUNT_RATE,
    threshold: float = DEFAULT_CONCESSIONAL_THRESHOLD,
    convention: Convention = DEFAULT_CONVENTION,
) -> Terms:
    """All on-its-own-terms figures of one offer.

    ``pv_usd`` is the present value of the debt service (what the borrower
    gives back, in today's dollars); ``grant_equivalent_usd`` is the grant
    element times the present value of the disbursements; ``concessional``
    is GE >= ``threshold`` (None where GE is undefined).
    """
    disbursed, service, m = cash_flows(offer)
    element = grant_element(offer, discount_rate, convention)
    defined = not math.isnan(element)
    return Terms(
        grant_element=element,
        grant_equivalent_usd=element * present_value(disbursed, discount_rate, m, convention)
        if defined
        else math.nan,
        pv_usd=present_value(service, discount_rate, m, convention),
        concessional=bool(element >= threshold) if defined else None,
        effective_rate=effective_rate(offer),
        total_debt_service_usd=float(service.sum()),
    )
