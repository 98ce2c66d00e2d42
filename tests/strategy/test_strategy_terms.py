"""Grant element, present value and schedules: hand-computed cases and properties."""

from __future__ import annotations

import math
import time
from dataclasses import replace

import numpy as np
import pytest
from conftest import EXAMPLES
from hypothesis import given, settings
from hypothesis import strategies as st

from nonaligned.errors import QueryError
from nonaligned.strategy.offers import (
    MAX_AMOUNT_USD,
    MAX_PAYMENTS_PER_YEAR,
    MAX_RATE,
    MAX_YEARS,
    REPAYMENTS,
    Offer,
    parse,
)
from nonaligned.strategy.schedule import schedule
from nonaligned.strategy.terms import (
    CONVENTIONS,
    effective_rate,
    grant_element,
    period_rate,
    present_value,
    terms,
)


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


# The rate a loan must carry, quoted like interest rates (per period x m), to earn exactly
# the discount rate per period under each convention: d itself when periods are discounted
# at d/m; m((1 + d)^(1/m) - 1) when d is an effective annual rate.
AT_PAR = {"nominal": lambda d, m: d, "oecd-dac": lambda d, m: m * ((1 + d) ** (1 / m) - 1)}


@pytest.mark.parametrize("convention", CONVENTIONS)
@pytest.mark.parametrize("repayment", REPAYMENTS)
@pytest.mark.parametrize("per_year", [1, 2, 4, 12])
@pytest.mark.parametrize("grace", [0, 3])
def test_loan_at_the_discount_rate_has_no_grant_element(convention, repayment, per_year, grace):
    offer = loan(
        interest_rate=AT_PAR[convention](0.05, per_year),
        repayment=repayment,
        payments_per_year=per_year,
        grace_years=grace,
    )
    assert grant_element(offer, 0.05, convention) == pytest.approx(0.0, abs=1e-12)


@pytest.mark.parametrize("convention", CONVENTIONS)
def test_loan_at_the_discount_rate_disbursed_in_tranches_has_no_grant_element(convention):
    offer = loan(interest_rate=AT_PAR[convention](0.07, 2), disbursement=(0.2, 0.5, 0.3))
    assert grant_element(offer, 0.07, convention) == pytest.approx(0.0, abs=1e-12)


def test_each_convention_by_hand():
    # 100 for one year at 4 percent, semi-annual, bullet: 2 after six months, 102 at a year.
    offer = loan(
        amount_usd=100.0, interest_rate=0.04, maturity_years=1, grace_years=0, repayment="bullet"
    )
    nominal = 1.0 - (2.0 / 1.025 + 102.0 / 1.025**2) / 100.0  # 5 percent / 2 a period
    dac = 1.0 - (2.0 / 1.05**0.5 + 102.0 / 1.05) / 100.0  # a year away is worth 1/1.05
    assert grant_element(offer, 0.05, "nominal") == pytest.approx(nominal, abs=1e-12)
    assert grant_element(offer, 0.05, "oecd-dac") == pytest.approx(dac, abs=1e-12)
    assert period_rate(0.05, 2, "oecd-dac") == pytest.approx(1.05**0.5 - 1.0, abs=1e-15)
    # with one payment a year the two conventions are the same
    annual = replace(offer, payments_per_year=1)
    assert grant_element(annual, 0.05, "nominal") == grant_element(annual, 0.05, "oecd-dac")


def test_the_us_dfc_example_of_issue_15():
    """examples/offers/kenya_port.toml's usa-dfc loan: 2.574% (d/m) against 2.147% (OECD-DAC)."""
    text = (EXAMPLES / "offers" / "kenya_port.toml").read_text()
    (dfc,) = [o for o in parse(text, lambda code: True).offers if o.id == "usa-dfc"]
    assert grant_element(dfc, 0.05, "nominal") == pytest.approx(0.02574, abs=5e-6)
    assert grant_element(dfc, 0.05, "oecd-dac") == pytest.approx(0.02147, abs=5e-6)
    assert grant_element(dfc) == grant_element(dfc, 0.05, "oecd-dac")  # the default


def test_an_unknown_convention_is_bad_input():
    with pytest.raises(QueryError, match="unknown discount convention"):
        period_rate(0.05, 2, "continuous")  # type: ignore[arg-type]


def test_a_grant_has_grant_element_one():
    grant = Offer(id="g", partner="EU", kind="grant", amount_usd=5e7)
    figures = terms(grant)
    assert figures.grant_element == 1.0
    assert figures.concessional is True
    assert figures.total_debt_service_usd == 0.0
    assert figures.grant_equivalent_usd == 5e7


@pytest.mark.parametrize(
    ("convention", "v"), [("nominal", 1.0 / (1.0 + 0.05 / 2)), ("oecd-dac", 1.05**-0.5)]
)
def test_zero_interest_long_loan_matches_the_closed_form(convention, v):
    # 40 years, 10 of grace, semi-annual: 80 periods, 20 of grace, 60 level
    # principal payments of 1/60 at periods 21..80, discounted at v a period.
    offer = loan(interest_rate=0.0, maturity_years=40, grace_years=10, payments_per_year=2)
    annuity_sum = v**21 * (1.0 - v**60) / (1.0 - v)  # sum_{k=21}^{80} v^k
    expected = 1.0 - annuity_sum / 60.0
    assert grant_element(offer, 0.05, convention) == pytest.approx(expected, abs=1e-9)
    # with zero interest, annuity and equal principal are the same schedule
    assert grant_element(
        replace(offer, repayment="equal_principal"), 0.05, convention
    ) == pytest.approx(expected, abs=1e-9)
    # a bullet repays everything at period 80
    bullet = replace(offer, repayment="bullet")
    assert grant_element(bullet, 0.05, convention) == pytest.approx(1.0 - v**80, abs=1e-9)


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
    flows = np.array([0.0, 0.0, 1.0])
    assert present_value(flows, 0.06, 2, "nominal") == pytest.approx(1.03**-2)
    assert present_value(flows, 0.06, 2, "oecd-dac") == pytest.approx(1.06**-1)


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


@st.composite
def loans_at_the_bounds(draw) -> Offer:
    """Any loan the offers file accepts, up to its limits (docs/strategy.md, "Limits")."""
    m = draw(st.integers(1, MAX_PAYMENTS_PER_YEAR))
    maturity = draw(st.integers(1, MAX_YEARS))
    shares = draw(
        st.lists(st.integers(0, 5), min_size=1, max_size=MAX_YEARS - maturity + 1).filter(any)
    )
    return loan(
        amount_usd=draw(st.floats(1.0, MAX_AMOUNT_USD)),
        interest_rate=draw(st.floats(0.0, MAX_RATE)),
        maturity_years=maturity,
        grace_years=draw(st.integers(0, maturity - 1)),
        repayment=draw(repayment),
        payments_per_year=m,
        upfront_fee_rate=draw(st.floats(0.0, MAX_RATE)),
        commitment_fee_rate=draw(st.floats(0.0, MAX_RATE)),
        disbursement=tuple(s / sum(shares) for s in shares),
    )


@pytest.mark.filterwarnings("error")  # an overflow in numpy would be a warning first
@settings(max_examples=60, deadline=None)
@given(loans_at_the_bounds(), st.floats(0.0, 0.999), st.sampled_from(CONVENTIONS))
def test_every_figure_is_finite_and_cheap_within_the_bounds(offer, rate, convention):
    start = time.perf_counter()
    figures = terms(offer, rate, convention=convention)
    assert time.perf_counter() - start < 2.0  # 1,200 periods at most: milliseconds
    assert math.isfinite(figures.grant_element) and figures.grant_element <= 1.0
    for value in (figures.grant_equivalent_usd, figures.pv_usd, figures.total_debt_service_usd):
        assert math.isfinite(value)
    assert math.isnan(figures.effective_rate) or math.isfinite(figures.effective_rate)
