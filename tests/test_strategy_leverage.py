"""The leverage model: the auction by hand, its properties, and pivotality from the store."""

from __future__ import annotations

import math
import sys
from dataclasses import replace
from functools import partial

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_strategy_terms import loan as terms_loan

from nonaligned.alignment import alignment
from nonaligned.strategy.leverage import auction, compete, packages, rate_for
from nonaligned.strategy.offers import Offer
from nonaligned.strategy.pivotality import pivotality
from nonaligned.strategy.terms import grant_element


def test_auction_by_hand():
    floors, values, caps = np.array([10.0, 20.0]), np.array([100.0, 40.0]), np.array([1e3, 1e3])
    ceilings, competitive, winner = auction(floors, values, caps, 0.5)
    assert ceilings.tolist() == [60.0, 40.0]
    assert winner == 0
    # the winner concedes just the runner-up's ceiling; the loser bids up to its own
    assert competitive.tolist() == [40.0, 40.0]


def test_a_committed_country_or_a_lone_partner_gets_the_posted_terms():
    floors, values, caps = np.array([10.0, 20.0]), np.array([100.0, 40.0]), np.array([1e3, 1e3])
    _, competitive, winner = auction(floors, values, caps, 0.0)
    assert competitive.tolist() == floors.tolist()
    assert winner == 1
    _, alone, _ = auction(np.array([10.0]), np.array([100.0]), np.array([1e3]), 1.0)
    assert alone.tolist() == [10.0]


def test_no_partner_concedes_more_than_a_grant():
    ceilings, competitive, _ = auction(
        np.array([90.0, 80.0]), np.array([100.0, 100.0]), np.array([100.0, 100.0]), 1.0
    )
    assert ceilings.tolist() == [100.0, 100.0]
    assert competitive.tolist() == [100.0, 100.0]


def test_pivotality_outside_the_unit_interval_is_refused():
    with pytest.raises(ValueError, match="pivotality"):
        auction(np.array([1.0]), np.array([1.0]), np.array([2.0]), 1.5)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.floats(0, 50), st.floats(0, 100), st.floats(0, 100)), min_size=2, max_size=5
    ),
    st.floats(0, 1),
    st.floats(0, 1),
)
def test_auction_properties(partners, pi, other_pi):
    floors = np.array([f for f, _, _ in partners])
    values = np.array([v for _, v, _ in partners])
    caps = floors + np.array([c for _, _, c in partners])
    ceilings, competitive, winner = auction(floors, values, caps, pi)
    assert (competitive >= floors - 1e-9).all()  # competition never worsens terms
    assert (competitive <= ceilings + 1e-9).all()  # nobody bids above its ceiling
    assert ceilings[winner] == ceilings.max()
    runner_up = np.sort(ceilings)[-2]
    assert competitive[winner] == pytest.approx(max(floors[winner], runner_up))
    low, high = sorted((pi, other_pi))
    gains_low = auction(floors, values, caps, low)[1] - floors
    gains_high = auction(floors, values, caps, high)[1] - floors
    assert (gains_high >= gains_low - 1e-9).all()  # more pivotal, more leverage


loan = partial(terms_loan, id="l", amount_usd=1e8, interest_rate=0.04)
"""The loan of test_strategy_terms, larger and dearer."""


@pytest.mark.parametrize("target", [0.2, 0.3, 0.42])
def test_rate_for_delivers_the_target_grant_element(target):
    offer = loan()
    rate = rate_for(offer, target, 0.05)
    assert 0.0 < rate < offer.interest_rate
    assert grant_element(replace(offer, interest_rate=rate)) == pytest.approx(target, abs=1e-9)


def test_rate_for_stops_at_zero_and_at_the_offer_rate():
    offer = loan()
    assert rate_for(offer, 0.99, 0.05) == 0.0
    assert rate_for(offer, grant_element(offer) - 0.01, 0.05) == offer.interest_rate


def test_packages_sum_a_partners_offers_and_flag_assumed_values():
    grant = Offer(id="g", partner="EU", kind="grant", amount_usd=2e7, value_to_partner_usd=5e6)
    eu_loan = loan(id="el", partner="EU", amount_usd=8e7, value_to_partner_usd=1e7)
    china = loan(id="c")
    equity = Offer(id="e", partner="USA", kind="equity", amount_usd=1e7)
    chn, eu = packages([china, grant, eu_loan, equity], 0.05, value_share=0.1)
    assert [chn.partner, eu.partner] == ["CHN", "EU"]
    assert chn.value_assumed and chn.value_usd == pytest.approx(1e7)
    assert not eu.value_assumed and eu.value_usd == pytest.approx(1.5e7)
    expected = 2e7 + grant_element(eu_loan) * 8e7
    assert eu.grant_equivalent_usd == pytest.approx(expected)
    assert eu.disbursed_pv_usd == pytest.approx(1e8)


def test_compete_reports_committed_and_competitive_terms():
    offers = [
        loan(id="c", value_to_partner_usd=3e7),
        loan(id="u", partner="USA", interest_rate=0.03, value_to_partner_usd=1e7),
    ]
    table = compete(offers, pivotality=0.5).set_index("partner")
    ge_c, ge_u = grant_element(offers[0]), grant_element(offers[1])
    assert table.committed_grant_element.tolist() == pytest.approx([ge_c, ge_u])
    ceiling_c, ceiling_u = ge_c * 1e8 + 1.5e7, ge_u * 1e8 + 0.5e7
    assert table.ceiling_grant_equivalent_usd.tolist() == pytest.approx([ceiling_c, ceiling_u])
    winner = "CHN" if ceiling_c > ceiling_u else "USA"
    assert table.winner[winner]
    won = table.loc[winner]
    assert won.competitive_grant_equivalent_usd == pytest.approx(min(ceiling_c, ceiling_u))
    assert won.leverage_gain_usd == pytest.approx(
        won.competitive_grant_equivalent_usd - won.committed_grant_equivalent_usd
    )
    # the competitive rate on the winner's loan delivers its competitive grant element
    better = replace(
        offers[0] if winner == "CHN" else offers[1], interest_rate=won.competitive_interest_rate
    )
    assert grant_element(better) == pytest.approx(won.competitive_grant_element, abs=1e-9)


def test_pivotality_from_the_index(con):
    index = pytest.importorskip("nonaligned.index")
    derived = pivotality(con, "KEN", 2020)
    row = index.country_index(con, year=2020, iso3="KEN", axis="west-china", n_boot=0).iloc[0]
    assert derived.source == "index"
    assert derived.value == pytest.approx(math.sqrt(row.balance * row.activity))
    assert 0.0 <= derived.value <= 1.0


def test_pivotality_from_vote_agreement_without_the_index(con, monkeypatch):
    monkeypatch.setitem(sys.modules, "nonaligned.index", None)
    derived = pivotality(con, "KEN", 2020)
    table = alignment(con, "KEN")
    agreement = table[table.year == 2020].set_index("pole").agreement
    assert derived.source == "alignment"
    assert derived.value == pytest.approx(1.0 - abs(agreement["USA"] - agreement["CHN"]))
