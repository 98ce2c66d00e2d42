"""Leverage: how much better the terms get when the powers compete for the same project.

The bargaining model (docs/strategy.md, "Leverage", states its assumptions
and what would falsify it) is an English (ascending) auction in
concessions among the partners who made offers:

* Each partner's offer package (its offers summed) is worth its **grant
  equivalent** g_i to the borrower: grant element times the present value
  of the disbursements, in US dollars. A country committed to one patron
  gets that patron's posted terms, g_i: with no rival there is nothing to
  bid against (the *committed* terms).
* Partner i would concede at most c_i = min(g_i + pi * V_i, D_i): its posted
  concession plus the share pi of the project's value to it, V_i, where
  pi in [0, 1] is how pivotal the country is between the poles (0: firmly
  in one camp, so nobody pays to win it; 1: could go either way, so a
  partner would give up all the value of winning), capped at D_i, the
  present value of the package's disbursements (a pure grant).
* Playing the field, the partners bid up their concessions; each stays in
  until its ceiling. The partner with the highest ceiling wins and concedes
  just enough to beat the runner-up: max(g_w, second-highest ceiling),
  never more than its own ceiling. A losing partner's best bid is its
  ceiling (the *competitive* terms of each partner).

The leverage gain is the winner's competitive minus committed terms; a
losing partner's bid is never taken, so no gain is attributed to it
(missing). ``field_gain_usd`` is the winner's competitive concession minus
what committing to each partner would have given.

The figures are those of a stylised model driven by the analyst's inputs
(``value_to_partner_usd``, pi): every row names the model (``model``), and
:func:`as_reported` rounds them to what such inputs can support.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from scipy.optimize import brentq

from nonaligned.constants import DEFAULT_VALUE_SHARE
from nonaligned.strategy.offers import Offer
from nonaligned.strategy.schedule import cash_flows
from nonaligned.strategy.terms import (
    DEFAULT_CONVENTION,
    DEFAULT_DISCOUNT_RATE,
    Convention,
    grant_element,
    present_value,
)

__all__ = [
    "DEFAULT_VALUE_SHARE",
    "MODEL",
    "Package",
    "as_reported",
    "auction",
    "compete",
    "packages",
    "rate_for",
]

MODEL = "stylised English auction in concessions (docs/strategy.md, Leverage)"

# What the model can say (docs/strategy.md, "Rounding"): its inputs, a guessed value per
# partner and pi, carry one or two significant figures, so its outputs carry two.
USD_SIGNIFICANT = 2
SHARE_DECIMALS = 2  # grant elements and their gains: whole percentage points
RATE_DECIMALS = 3  # the competitive interest rate: tenths of a percentage point
_USD_COLUMNS = (
    "committed_grant_equivalent_usd",
    "ceiling_grant_equivalent_usd",
    "competitive_grant_equivalent_usd",
    "leverage_gain_usd",
    "field_gain_usd",
    "grant_top_up_usd",
)
_SHARE_COLUMNS = ("committed_grant_element", "competitive_grant_element", "leverage_gain_points")

COMPETE_COLUMNS = [
    "model",
    "partner",
    "offers",
    "amount_usd",
    "value_to_partner_usd",
    "value_assumed",
    "pivotality",
    "committed_grant_equivalent_usd",
    "committed_grant_element",
    "ceiling_grant_equivalent_usd",
    "competitive_grant_equivalent_usd",
    "competitive_grant_element",
    "leverage_gain_usd",
    "leverage_gain_points",
    "winner",
    "field_gain_usd",
    "committed_interest_rate",
    "competitive_interest_rate",
    "grant_top_up_usd",
]


@dataclass(frozen=True)
class Package:
    """One partner's offers for the project, in the terms the auction needs (US dollars)."""

    partner: str
    offers: tuple[Offer, ...]
    disbursed_pv_usd: float
    grant_equivalent_usd: float
    value_usd: float
    value_assumed: bool


def packages(
    offers: Sequence[Offer],
    discount_rate: float = DEFAULT_DISCOUNT_RATE,
    value_share: float = DEFAULT_VALUE_SHARE,
    convention: Convention = DEFAULT_CONVENTION,
) -> list[Package]:
    """Group offers by partner (file order of first appearance); equity and guarantees skipped.

    V_i is the sum of the offers' ``value_to_partner_usd`` where every offer
    of the package gives it, else ``value_share`` times the package amount
    (an assumption, flagged ``value_assumed``).
    """
    by_partner: dict[str, list[Offer]] = {}
    for offer in offers:
        if offer.kind in ("loan", "grant"):
            by_partner.setdefault(offer.partner, []).append(offer)
    result = []
    for partner, group in by_partner.items():
        disbursed = equivalent = 0.0
        for offer in group:
            flows, _, m = cash_flows(offer)
            received = present_value(flows, discount_rate, m, convention)
            disbursed += received
            equivalent += grant_element(offer, discount_rate, convention) * received
        given = [o.value_to_partner_usd for o in group]
        assumed = any(v is None for v in given)
        value = value_share * sum(o.amount_usd for o in group) if assumed else sum(given)
        result.append(Package(partner, tuple(group), disbursed, equivalent, value, assumed))
    return result


def auction(
    floors: np.ndarray, values: np.ndarray, caps: np.ndarray, pivotality: float
) -> tuple[np.ndarray, np.ndarray, int]:
    """Ceilings, competitive concessions and the winner's index of the English auction.

    ``floors`` g_i, ``values`` V_i and ``caps`` D_i per partner, all in the
    same units. A single partner has no rival: its competitive terms are its
    floor. Ties go to the partner with the higher floor, then the first.
    """
    if not 0.0 <= pivotality <= 1.0:
        raise ValueError(f"pivotality must lie in [0, 1], got {pivotality}")
    ceilings = np.minimum(floors + pivotality * values, np.maximum(caps, floors))
    order = sorted(range(len(floors)), key=lambda i: (-ceilings[i], -floors[i], i))
    winner = order[0]
    competitive = np.empty_like(floors)
    for i in range(len(floors)):
        rivals = np.delete(ceilings, i)
        best_rival = rivals.max() if rivals.size else -np.inf
        competitive[i] = min(ceilings[i], max(floors[i], best_rival))
    return ceilings, competitive, winner


def rate_for(
    offer: Offer,
    target_grant_element: float,
    discount_rate: float,
    convention: Convention = DEFAULT_CONVENTION,
) -> float:
    """The interest rate (between 0 and the offer's) that gives a loan the target grant element.

    The grant element falls as the rate rises, so the root is unique; if
    even a zero rate falls short, 0 is returned and the caller adds a grant.
    """

    def gap(rate: float) -> float:
        changed = replace(offer, interest_rate=rate)
        return grant_element(changed, discount_rate, convention) - target_grant_element

    if gap(offer.interest_rate) >= 0:
        return offer.interest_rate
    if gap(0.0) <= 0:
        return 0.0
    return brentq(gap, 0.0, offer.interest_rate, xtol=1e-12)


def _loan_terms(
    package: Package, extra_usd: float, discount_rate: float, convention: Convention
) -> tuple:
    """Committed rate, competitive rate and grant top-up of the package's largest loan."""
    loans = [o for o in package.offers if o.kind == "loan"]
    if not loans:
        return np.nan, np.nan, extra_usd
    loan = max(loans, key=lambda o: o.amount_usd)
    flows, _, m = cash_flows(loan)
    disbursed = present_value(flows, discount_rate, m, convention)
    current = grant_element(loan, discount_rate, convention)
    target = min(1.0, current + extra_usd / disbursed)
    rate = rate_for(loan, target, discount_rate, convention)
    achieved = grant_element(replace(loan, interest_rate=rate), discount_rate, convention)
    top_up = max(0.0, extra_usd - (achieved - current) * disbursed)
    return loan.interest_rate, rate, top_up


def compete(
    offers: Sequence[Offer],
    pivotality: float,
    discount_rate: float = DEFAULT_DISCOUNT_RATE,
    value_share: float = DEFAULT_VALUE_SHARE,
    convention: Convention = DEFAULT_CONVENTION,
) -> pd.DataFrame:
    """Committed versus competitive terms per partner (:data:`COMPETE_COLUMNS`), unrounded.

    Grant equivalents are in US dollars, grant elements are fractions of the
    package's disbursements, and ``leverage_gain_points`` is the gain in
    grant element (the winner's only: missing for a losing partner, whose
    competitive terms are its best bid, never taken). The competitive terms
    are also shown as the interest rate on the partner's largest loan that
    would deliver them (``competitive_interest_rate``), plus
    ``grant_top_up_usd`` where even a zero rate falls short.
    """
    groups = packages(offers, discount_rate, value_share, convention)
    if not groups:
        return pd.DataFrame(columns=COMPETE_COLUMNS)
    floors = np.array([p.grant_equivalent_usd for p in groups])
    values = np.array([p.value_usd for p in groups])
    caps = np.array([p.disbursed_pv_usd for p in groups])
    ceilings, competitive, winner = auction(floors, values, caps, pivotality)
    rows = []
    for i, package in enumerate(groups):
        bid = competitive[i] - floors[i]
        committed_rate, competitive_rate, top_up = _loan_terms(
            package, bid, discount_rate, convention
        )
        gain = bid if i == winner else np.nan
        rows.append(
            {
                "model": MODEL,
                "partner": package.partner,
                "offers": ",".join(o.id for o in package.offers),
                "amount_usd": sum(o.amount_usd for o in package.offers),
                "value_to_partner_usd": package.value_usd,
                "value_assumed": package.value_assumed,
                "pivotality": pivotality,
                "committed_grant_equivalent_usd": floors[i],
                "committed_grant_element": floors[i] / caps[i],
                "ceiling_grant_equivalent_usd": ceilings[i],
                "competitive_grant_equivalent_usd": competitive[i],
                "competitive_grant_element": competitive[i] / caps[i],
                "leverage_gain_usd": gain,
                "leverage_gain_points": gain / caps[i],
                "winner": i == winner,
                "field_gain_usd": competitive[winner] - floors[i],
                "committed_interest_rate": committed_rate,
                "competitive_interest_rate": competitive_rate,
                "grant_top_up_usd": top_up,
            }
        )
    return pd.DataFrame(rows, columns=COMPETE_COLUMNS)


def _significant(value: float, digits: int) -> float:
    """``value`` to ``digits`` significant figures (zero and missing values unchanged)."""
    if not math.isfinite(value) or value == 0:
        return value
    return round(value, digits - 1 - math.floor(math.log10(abs(value))))


def as_reported(table: pd.DataFrame) -> pd.DataFrame:
    """The :func:`compete` table rounded to what the model can say.

    Dollar figures of the model to :data:`USD_SIGNIFICANT` significant
    figures, grant elements and points to :data:`SHARE_DECIMALS` decimals,
    the competitive interest rate to :data:`RATE_DECIMALS`; the inputs
    (amounts, values, pi, the posted interest rate) as given.
    """
    table = table.copy()
    for column in _USD_COLUMNS:
        table[column] = table[column].map(lambda v: _significant(float(v), USD_SIGNIFICANT))
    for column in _SHARE_COLUMNS:
        table[column] = table[column].astype(float).round(SHARE_DECIMALS)
    table["competitive_interest_rate"] = table.competitive_interest_rate.astype(float).round(
        RATE_DECIMALS
    )
    return table
