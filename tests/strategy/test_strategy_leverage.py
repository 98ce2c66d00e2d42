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
from nonaligned.strategy.leverage import MODEL, as_reported, auction, compete, packages, rate_for
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
    won, lost = table.loc[winner], table.loc["USA" if winner == "CHN" else "CHN"]
    assert won.competitive_grant_equivalent_usd == pytest.approx(min(ceiling_c, ceiling_u))
    assert won.leverage_gain_usd == pytest.approx(
        won.competitive_grant_equivalent_usd - won.committed_grant_equivalent_usd
    )
    # the loser's best bid is its ceiling, never taken: no gain is attributed to it
    assert lost.competitive_grant_equivalent_usd == pytest.approx(min(ceiling_c, ceiling_u))
    assert math.isnan(lost.leverage_gain_usd) and math.isnan(lost.leverage_gain_points)
    assert (table.model == MODEL).all()
    # the competitive rate on the winner's loan delivers its competitive grant element
    better = replace(
        offers[0] if winner == "CHN" else offers[1], interest_rate=won.competitive_interest_rate
    )
    assert grant_element(better) == pytest.approx(won.competitive_grant_element, abs=1e-9)


def test_pivotality_from_the_index(store):
    index = pytest.importorskip("nonaligned.index")
    derived = pivotality(store, "KEN", 2020)
    row = index.country_index(store, year=2020, iso3="KEN", axis="west-china", n_boot=0).iloc[0]
    assert derived.source == "index"
    assert derived.value == pytest.approx(math.sqrt(row.balance * row.activity))
    assert 0.0 <= derived.value <= 1.0


def test_pivotality_from_vote_agreement_without_the_index(store, monkeypatch):
    monkeypatch.setitem(sys.modules, "nonaligned.index", None)
    derived = pivotality(store, "KEN", 2020)
    table = alignment(store, "KEN")
    agreement = table[table.year == 2020].set_index("pole").agreement
    assert derived.source == "alignment"
    assert derived.value == pytest.approx(1.0 - abs(agreement["USA"] - agreement["CHN"]))


def test_reported_figures_are_rounded_to_what_the_model_can_say():
    offers = [
        loan(id="c", value_to_partner_usd=3e7),
        loan(id="u", partner="USA", interest_rate=0.03, value_to_partner_usd=1e7),
    ]
    exact = compete(offers, pivotality=0.5)
    shown = as_reported(exact)
    for column in ("committed_grant_equivalent_usd", "ceiling_grant_equivalent_usd"):
        for value, rounded in zip(exact[column], shown[column], strict=True):
            digits = 1 - math.floor(math.log10(abs(value)))  # two significant figures
            assert rounded == round(value, digits)
            assert abs(rounded - value) <= 0.05 * abs(value)
    assert shown.committed_grant_element.tolist() == exact.committed_grant_element.round(2).tolist()
    assert shown.competitive_interest_rate.tolist() == pytest.approx(
        exact.competitive_interest_rate.round(3).tolist()
    )
    # the inputs are shown as given, and a loser's missing gain stays missing
    assert shown.value_to_partner_usd.tolist() == [3e7, 1e7]
    assert shown.leverage_gain_usd.isna().tolist() == exact.leverage_gain_usd.isna().tolist()


def test_two_significant_figures_by_hand():
    table = as_reported(
        compete([Offer(id="g", partner="EU", kind="grant", amount_usd=123_456_789.0)], 0.5)
    )
    # a lone grant: its grant equivalent is its amount, shown to two significant figures
    assert table.committed_grant_equivalent_usd.iloc[0] == 120_000_000.0
    assert table.leverage_gain_usd.iloc[0] == 0.0  # the lone partner wins, and gains nothing
