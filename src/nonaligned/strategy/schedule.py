"""Debt-service schedules of a loan offer: what the borrower receives and pays, period by period.

Conventions (docs/strategy.md):

* A year has ``payments_per_year`` (m) periods; the period rate is the
  annual rate divided by m. Payments fall at the end of each period.
* Each disbursement tranche is a loan of its own on the offer's terms:
  its maturity and grace are counted from its own disbursement (tranche
  ``k`` of the profile is paid out at the start of year k; without a
  profile, everything at signing, time 0).
* During grace only interest is paid; the principal is then repaid over the
  remaining periods: level total payments (``annuity``), level principal
  (``equal_principal``) or all at maturity (``bullet``).
* The upfront fee is paid at signing on the full amount; the commitment fee
  is paid each period on the amount not yet disbursed during that period.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from nonaligned.strategy.offers import Offer

__all__ = ["SCHEDULE_COLUMNS", "cash_flows", "schedule"]

SCHEDULE_COLUMNS = [
    "period",
    "year",
    "disbursement_usd",
    "interest_usd",
    "principal_usd",
    "fees_usd",
    "debt_service_usd",
    "outstanding_usd",
]


def _tranche(amount: float, rate: float, periods: int, grace: int, repayment: str) -> tuple:
    """Interest and principal of one tranche for periods 1..periods (arrays of that length)."""
    interest = np.zeros(periods)
    principal = np.zeros(periods)
    outstanding = amount
    repaying = periods - grace
    if repayment == "annuity":
        # 1 - (1 + rate)^-n, accurate for tiny rates too
        discount = -np.expm1(-repaying * np.log1p(rate))
        level = amount / repaying if rate == 0 else amount * rate / discount
    for k in range(periods):
        interest[k] = outstanding * rate
        if k < grace:
            continue
        if repayment == "bullet":
            due = outstanding if k == periods - 1 else 0.0
        elif repayment == "equal_principal":
            due = amount / repaying
        else:
            due = level - interest[k]
        if k == periods - 1:
            due = outstanding  # the last payment clears rounding residue
        principal[k] = due
        outstanding -= due
    return interest, principal


def schedule(offer: Offer) -> pd.DataFrame:
    """The full schedule of a loan offer: one row per date, from signing to the last payment.

    Row ``period`` k holds the flows at time k/m years (``year``): the
    ``disbursement_usd`` paid out to the borrower then (which starts the next
    period), and the ``interest_usd, principal_usd, fees_usd`` and their sum
    ``debt_service_usd`` falling due then (the end of period k; at k = 0 only
    the upfront fee). ``outstanding_usd`` is the principal owed after row k.
    Grants, equity and guarantees have no schedule: a ValueError.
    """
    if offer.kind != "loan":
        raise ValueError(f"offer {offer.id!r} is a {offer.kind}, not a loan: no debt service")
    m = offer.payments_per_year
    rate = offer.interest_rate / m
    periods = round(offer.maturity_years * m)
    grace = round(offer.grace_years * m)
    starts = [year * m for year in range(len(offer.disbursement))]
    total = starts[-1] + periods
    disbursed = np.zeros(total + 1)
    interest = np.zeros(total + 1)
    principal = np.zeros(total + 1)
    for start, share in zip(starts, offer.disbursement, strict=True):
        if share == 0:
            continue
        amount = offer.amount_usd * share
        disbursed[start] += amount
        tranche_interest, tranche_principal = _tranche(
            amount, rate, periods, grace, offer.repayment
        )
        interest[start + 1 : start + 1 + periods] += tranche_interest
        principal[start + 1 : start + 1 + periods] += tranche_principal
    fees = np.zeros(total + 1)
    fees[0] = offer.upfront_fee_rate * offer.amount_usd
    undisbursed = offer.amount_usd - np.cumsum(disbursed)  # after disbursements at each period
    fees[1:] += offer.commitment_fee_rate / m * undisbursed[:-1]
    table = pd.DataFrame(
        {
            "period": np.arange(total + 1),
            "year": np.arange(total + 1) / m,
            "disbursement_usd": disbursed,
            "interest_usd": interest,
            "principal_usd": principal,
            "fees_usd": fees,
        }
    )
    table["debt_service_usd"] = table.interest_usd + table.principal_usd + table.fees_usd
    table["outstanding_usd"] = np.cumsum(disbursed) - np.cumsum(principal)
    return table[SCHEDULE_COLUMNS]


def cash_flows(offer: Offer) -> tuple[np.ndarray, np.ndarray, int]:
    """Disbursements and debt service per period (index = period) and the periods per year.

    A grant is one disbursement at signing per its profile and no service;
    the same holds for equity and guarantees, which carry no debt service
    in this model (see docs/strategy.md).
    """
    if offer.kind == "loan":
        table = schedule(offer)
        return (
            table.disbursement_usd.to_numpy(),
            table.debt_service_usd.to_numpy(),
            offer.payments_per_year,
        )
    m = offer.payments_per_year
    disbursed = np.zeros((len(offer.disbursement) - 1) * m + 1)
    disbursed[::m] = offer.amount_usd * np.asarray(offer.disbursement)
    return disbursed, np.zeros_like(disbursed), m
