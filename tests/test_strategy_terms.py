"""Grant element, present value and schedules: hand-computed cases and properties."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nonaligned.strategy.offers import REPAYMENTS, Offer
from nonaligned.strategy.schedule import schedule
from nonaligned.strategy.terms import effective_rate, grant_element, present_value, terms


def loan(**terms_: object) -> Offer:
    base = dict(
        id="x",
        partner="CHN",
        kind="loan",
        amount_usd=1_000_000.0,
        interest_rate=0.02,
        maturity_years=20,
        grace_years=5,
        repayment="annuity",
        payments_per_year=2,
    )
    return Offer(**{**base, **terms_})


@pytest.mark.parametrize("repayment", REPAYMENTS)
@pytest.mark.parametrize("per_year", [1, 2, 4, 12])
@pytest.mark.parametrize("grace", [0, 3])
def test_loan_at_the_discount_rate_has_no_grant_element(repayment, per_year, grace):
    offer = loan(
        interest_rate=0.05, repayment=repayment, payments_per_year=per_year, grace_years=grace
    )
    assert grant_element(offer, 0.05) == pytest.approx(0.0, abs=1e-12)


def test_loan_at_the_discount_rate_disbursed_in_tranches_has_no_grant_element():
    offer = loan(interest_rate=0.07, disbursement=(0.2, 0.5, 0.3))
    assert grant_element(offer, 0.07) == pytest.approx(0.0, abs=1e-12)


def test_a_grant_has_grant_element_one():
    grant = Offer(id="g", partner="EU", kind="grant", amount_usd=5e7)
    figures = terms(grant)
    assert figures.grant_element == 1.0
    assert figures.concessional is True
    assert figures.total_debt_service_usd == 0.0
    assert figures.grant_equivalent_usd == 5e7


def test_zero_interest_long_loan_matches_the_closed_form():
    # 40 years, 10 of grace, semi-annual: 80 periods, 20 of grace, 60 level
    # principal payments of 1/60 at periods 21..80, discounted at v = 1/(1 + 0.05/2).
    offer = loan(interest_rate=0.0, maturity_years=40, grace_years=10, payments_per_year=2)
    v = 1.0 / (1.0 + 0.05 / 2)
    annuity_sum = v**21 * (1.0 - v**60) / (1.0 - v)  # sum_{k=21}^{80} v^k
    expected = 1.0 - annuity_sum / 60.0
    assert grant_element(offer, 0.05) == pytest.approx(expected, abs=1e-9)
    # with zero interest, annuity and equal principal are the same schedule
    assert grant_element(replace(offer, repayment="equal_principal"), 0.05) == pytest.approx(
        expected, abs=1e-9
    )
    # a bullet repays everything at period 80
    bullet = replace(offer, repayment="bullet")
    assert grant_element(bullet, 0.05) == pytest.approx(1.0 - v**80, abs=1e-9)


def test_one_period_loan_by_hand():
    offer = loan(
        interest_rate=0.02,
        maturity_years=1,
        grace_years=0,
        payments_per_year=1,
        repayment="bullet",
        amount_usd=100.0,
    )
    assert grant_element(offer, 0.05) == pytest.approx(1.0 - 102.0 / 105.0, abs=1e-12)
    fee = replace(offer, upfront_fee_rate=0.01)
    assert grant_element(fee, 0.05) == pytest.approx(1.0 - 0.01 - 102.0 / 105.0, abs=1e-12)
    assert effective_rate(offer) == pytest.approx(0.02, abs=1e-10)
    # 99 received net, 102 paid a year later
    assert effective_rate(fee) == pytest.approx(102.0 / 99.0 - 1.0, abs=1e-10)


def test_fees_lower_the_grant_element():
    plain = loan(disbursement=(0.5, 0.5))
    upfront = replace(plain, upfront_fee_rate=0.01)
    commitment = replace(plain, commitment_fee_rate=0.005)
    ge = grant_element(plain)
    assert grant_element(upfront) < ge
    assert grant_element(commitment) < ge
    # the upfront fee on money disbursed at signing costs exactly its rate
    at_signing = loan()
    assert grant_element(at_signing) - grant_element(
        replace(at_signing, upfront_fee_rate=0.01)
    ) == pytest.approx(0.01, abs=1e-12)
    # a commitment fee costs nothing when everything is disbursed at signing
    assert grant_element(replace(at_signing, commitment_fee_rate=0.01)) == grant_element(at_signing)


def test_commitment_fee_charged_on_the_undisbursed_balance():
    offer = loan(
        amount_usd=100.0,
        interest_rate=0.02,
        commitment_fee_rate=0.005,
        disbursement=(0.5, 0.5),
        payments_per_year=2,
    )
    table = schedule(offer)
    # periods 1 and 2 fall before the second tranche (year 1): 50 undisbursed
    assert table.fees_usd.iloc[1:3].tolist() == pytest.approx([0.125, 0.125])
    assert table.fees_usd.iloc[3:].sum() == 0.0
    assert table.disbursement_usd.iloc[[0, 2]].tolist() == [50.0, 50.0]


def test_annuity_schedule_by_hand():
    offer = loan(
        amount_usd=1000.0, interest_rate=0.10, maturity_years=3, grace_years=1, payments_per_year=1
    )
    table = schedule(offer)
    level = 1000.0 * 0.10 / (1.0 - 1.1**-2)
    assert table.debt_service_usd.tolist() == pytest.approx([0.0, 100.0, level, level])
    assert table.interest_usd.iloc[3] == pytest.approx((1000.0 - (level - 100.0)) * 0.10)
    assert table.outstanding_usd.iloc[-1] == pytest.approx(0.0, abs=1e-9)


def test_present_value_discounts_per_period():
    assert present_value(np.array([0.0, 0.0, 1.0]), 0.06, 2) == pytest.approx(1.03**-2)


def test_equity_and_guarantees_have_no_grant_element():
    for kind in ("equity", "guarantee"):
        figures = terms(Offer(id="e", partner="USA", kind=kind, amount_usd=1e6))
        assert math.isnan(figures.grant_element)
        assert figures.concessional is None


# --- properties ---------------------------------------------------------------

per_year = st.sampled_from([1, 2, 4])
repayment = st.sampled_from(REPAYMENTS)


@st.composite
def loans(draw, max_rate: float = 0.12) -> Offer:
    m = draw(per_year)
    maturity = draw(st.integers(1, 40))
    grace = draw(st.integers(0, maturity - 1))
    shares = draw(st.lists(st.integers(0, 5), min_size=1, max_size=4).filter(any))
    return loan(
        amount_usd=draw(st.floats(1e3, 1e10)),
        interest_rate=draw(st.floats(0.0, max_rate)),
        maturity_years=maturity,
        grace_years=grace,
        repayment=draw(repayment),
        payments_per_year=m,
        upfront_fee_rate=draw(st.sampled_from([0.0, 0.01])),
        commitment_fee_rate=draw(st.sampled_from([0.0, 0.005])),
        disbursement=tuple(s / sum(shares) for s in shares),
    )


@settings(max_examples=150, deadline=None)
@given(loans())
def test_schedules_repay_exactly_the_principal(offer):
    table = schedule(offer)
    assert table.disbursement_usd.sum() == pytest.approx(offer.amount_usd, rel=1e-12)
    assert table.principal_usd.sum() == pytest.approx(offer.amount_usd, rel=1e-12)
    assert table.outstanding_usd.iloc[-1] == pytest.approx(0.0, abs=offer.amount_usd * 1e-12)
    assert (table.outstanding_usd >= -offer.amount_usd * 1e-12).all()


@settings(max_examples=100, deadline=None)
@given(loans(), st.floats(0.0, 0.1), st.floats(0.001, 0.05))
def test_grant_element_decreases_with_the_interest_rate(offer, rate, step):
    low = replace(offer, interest_rate=rate)
    high = replace(offer, interest_rate=rate + step)
    assert grant_element(high) < grant_element(low)


@settings(max_examples=100, deadline=None)
@given(loans(max_rate=0.049))
def test_grant_element_increases_with_grace_below_the_discount_rate(offer):
    if offer.grace_years + 1 >= offer.maturity_years:
        offer = replace(offer, maturity_years=offer.grace_years + 2)
    longer = replace(offer, grace_years=offer.grace_years + 1)
    if offer.repayment == "bullet":  # all principal at maturity whatever the grace
        assert grant_element(longer) == pytest.approx(grant_element(offer), abs=1e-12)
    else:
        assert grant_element(longer) > grant_element(offer)


@settings(max_examples=100, deadline=None)
@given(loans(max_rate=0.049), st.integers(1, 10))
def test_grant_element_increases_with_maturity_below_the_discount_rate(offer, extra):
    longer = replace(offer, maturity_years=offer.maturity_years + extra)
    assert grant_element(longer) > grant_element(offer)


@settings(max_examples=100, deadline=None)
@given(loans())
def test_grant_element_at_most_one_and_effective_rate_at_least_the_interest_rate(offer):
    assert grant_element(offer) <= 1.0
    assert effective_rate(offer) >= offer.interest_rate - 1e-9
