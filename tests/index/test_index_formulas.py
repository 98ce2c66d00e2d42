"""The index's formulas and class rules on hand-made inputs, plus their invariants."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nonaligned.index import formulas
from nonaligned.index.axes import AXES
from nonaligned.index.classes import Thresholds, classify, political_lean
from nonaligned.index.economic import expected_shares, side_trade
from nonaligned.index.institutional import GROUPINGS, institutional_counts

unit = st.floats(0, 1, allow_nan=False)
positive = st.floats(0.001, 1000, allow_nan=False)


def test_position_lean_by_hand():
    # distance 0.1 to the West, 0.3 to the other pole, 0.4 between the poles:
    # (0.3 - 0.1) / 0.4 = 0.5, i.e. three quarters of the way towards the West
    assert formulas.position_lean(0.1, 0.3, 0.4) == pytest.approx(0.5)
    assert formulas.position_lean(0.0, 0.4, 0.4) == pytest.approx(1.0)
    assert formulas.position_lean(0.4, 0.0, 0.4) == pytest.approx(-1.0)
    assert formulas.position_lean(0.2, 0.2, 0.4) == pytest.approx(0.0)
    # outside the segment (sampling noise) it is clipped; coinciding poles: undefined
    assert formulas.position_lean(0.0, 0.5, 0.4) == pytest.approx(1.0)
    assert math.isnan(formulas.position_lean(0.1, 0.1, 0.0))


def test_ratio_intensity_and_membership_leans_by_hand():
    assert formulas.ratio_lean(3.0, 1.0) == pytest.approx(0.5)
    assert math.isnan(formulas.ratio_lean(0.0, 0.0))
    # a 20% share with a partner that holds 10% of the rest of the world's trade: twice
    assert formulas.trade_intensity(0.2, 0.1) == pytest.approx(2.0)
    assert math.isnan(formulas.trade_intensity(0.2, 0.0))
    # two Western groupings, one of the other side, one of the nonaligned tradition
    assert formulas.membership_lean(2, 1, 1) == pytest.approx(0.25)
    assert math.isnan(formulas.membership_lean(0, 0, 0))
    # G77 and NAM alone are the South's default, not a commitment: no lean
    assert math.isnan(formulas.membership_lean(0, 0, 2))


def test_relative_lean_by_hand():
    # the median member sits at -0.5 on the segment: voting like it is balanced
    assert formulas.relative_lean(-0.5, -0.5) == pytest.approx(0.0)
    # a state at -0.2 stands 0.3 towards the West from the baseline
    assert formulas.relative_lean(-0.2, -0.5) == pytest.approx(0.3)
    # at the West's end it is clipped to +1; at the other pole: -1 - (-0.5) = -0.5
    assert formulas.relative_lean(1.0, -0.5) == pytest.approx(1.0)
    assert formulas.relative_lean(-1.0, -0.5) == pytest.approx(-0.5)
    assert math.isnan(formulas.relative_lean(np.nan, -0.5))


def test_engagement_and_activity_by_hand():
    # trade at 0.6 of what the side's size predicts, a bloc membership (1): engaged 1
    assert formulas.engagement(0.6, 1.0) == pytest.approx(1.0)
    # only a BRI document (1/2) and trade at 0.3 of the expectation: 0.5
    assert formulas.engagement(0.3, 0.5) == pytest.approx(0.5)
    # no trade figure and no membership: no evidence, not engaged
    assert formulas.engagement(np.nan, 0.0) == 0.0
    # trading twice the expectation with one side and nothing with the other is not activity
    assert formulas.activity(formulas.engagement(2.0, 0.0), formulas.engagement(0.0, 0.0)) == 0.0
    assert formulas.activity(0.8, 0.6) == pytest.approx(0.6)


@settings(max_examples=200, deadline=None)
@given(st.floats(-1, 1), st.floats(-1, 1))
def test_relative_lean_mirrors_and_is_zero_at_the_baseline(lean, baseline):
    assert formulas.relative_lean(-lean, -baseline) == pytest.approx(
        -formulas.relative_lean(lean, baseline)
    )
    assert formulas.relative_lean(baseline, baseline) == 0.0
    assert -1 <= formulas.relative_lean(lean, baseline) <= 1


@settings(max_examples=200, deadline=None)
@given(st.floats(0, 5), st.floats(0, 5), st.floats(0, 3), st.floats(0, 3))
def test_activity_is_symmetric_and_needs_both_sides(t_w, t_o, m_w, m_o):
    a = formulas.activity(formulas.engagement(t_w, m_w), formulas.engagement(t_o, m_o))
    b = formulas.activity(formulas.engagement(t_o, m_o), formulas.engagement(t_w, m_w))
    assert a == b and 0 <= a <= 1
    # more engagement with the side a state engages less cannot lower activity
    assert formulas.activity(formulas.engagement(t_w, m_w), formulas.engagement(t_o + 1, m_o)) >= a


def test_weighted_mean_and_balance_skip_missing_components():
    # (1 * 1 + 0.5 * 0) / (1 + 0.5), the economic lean missing
    assert formulas.weighted_mean([1.0, np.nan, 0.0], [1, 1, 0.5]) == pytest.approx(2 / 3)
    assert math.isnan(formulas.weighted_mean([np.nan, np.nan], [1, 1]))
    # leaning +0.5 one way and -0.5 the other is not balanced: 1 - 0.5
    assert formulas.balance([0.5, -0.5, np.nan], [1, 1, 0.5]) == pytest.approx(0.5)


@settings(max_examples=100, deadline=None)
@given(unit, unit, st.floats(0.01, 1))
def test_swapping_poles_mirrors_the_position_lean(d_west, d_other, d_poles):
    there = formulas.position_lean(d_west, d_other, d_poles)
    back = formulas.position_lean(d_other, d_west, d_poles)
    assert there == pytest.approx(-back)
    assert -1 <= there <= 1


@settings(max_examples=100, deadline=None)
@given(positive, positive, positive, positive)
def test_swapping_poles_mirrors_the_economic_lean(share_w, share_o, exp_w, exp_o):
    lean = formulas.ratio_lean(
        formulas.trade_intensity(share_w, exp_w), formulas.trade_intensity(share_o, exp_o)
    )
    mirrored = formulas.ratio_lean(
        formulas.trade_intensity(share_o, exp_o), formulas.trade_intensity(share_w, exp_w)
    )
    assert lean == pytest.approx(-mirrored)
    assert -1 <= lean <= 1


@settings(max_examples=100, deadline=None)
@given(st.floats(0.01, 1), st.floats(0, 1))
def test_a_country_at_a_pole_leans_fully_to_it(d_poles, fraction):
    # on a line: at the West (distance 0) the lean is +1, at the other pole -1,
    # and in between it is the position rescaled to [-1, 1]
    d_west = fraction * d_poles
    lean = formulas.position_lean(d_west, d_poles - d_west, d_poles)
    assert lean == pytest.approx(1 - 2 * fraction, abs=1e-9)


@pytest.mark.parametrize(
    ("diplomatic", "economic", "institutional", "commitment", "activity", "expected"),
    [
        # votes clearly West, trade clearly China: the political lean decides (a US ally in Asia)
        (0.5, -0.5, np.nan, 0.0, 0.9, "aligned_west"),
        # votes West, a treaty's worth of commitments to China: (0.5 - 0.5) / 2 = 0; trade
        # China: split
        (0.5, -0.5, -0.5, 3.0, 0.9, "split"),
        (0.5, 0.5, np.nan, 0.0, 0.1, "aligned_west"),
        # votes -0.2 and commitments -0.5 at full weight: (-0.2 - 0.5) / 2 = -0.35
        (-0.2, 0.9, -0.5, 3.0, 0.9, "aligned_china"),
        # votes -0.5 and a Western treaty (+1): (-0.5 + 1) / 2 = 0.25, balanced
        (-0.5, -0.2, 1.0, 3.0, 0.9, "actively_nonaligned"),
        # a lone BRI document (lean -1, weight 0.5 / 3): (0.6 - 1/6) / (7/6) = 0.371
        (0.6, np.nan, -1.0, 0.5, 0.9, "aligned_west"),
        (0.1, -0.1, np.nan, 0.0, 0.6, "actively_nonaligned"),
        (0.1, -0.1, np.nan, 0.0, 0.4, "passively_neutral"),
        # no votes that year: trade or memberships alone make no political lean
        (np.nan, 0.9, np.nan, 0.0, 0.9, None),
        (np.nan, np.nan, 1.0, 3.0, 0.9, None),
    ],
)
def test_class_rules(diplomatic, economic, institutional, commitment, activity, expected):
    label = classify(
        np.array([diplomatic]),
        np.array([economic]),
        np.array([institutional]),
        np.array([commitment]),
        np.array([activity]),
        axis=AXES["west-china"],
        t=Thresholds(),
    )[0]
    assert label == expected


def test_political_lean_by_hand():
    # a designation (1.5) weighs half: (0.2 + 0.5 * 0.6) / 1.5 = 1/3
    lean = political_lean(np.array([0.2]), np.array([0.6]), np.array([1.5]), Thresholds())
    assert lean[0] == pytest.approx(1 / 3)
    # commitments beyond a treaty's weight count no more than one treaty
    lean = political_lean(np.array([0.2]), np.array([0.6]), np.array([9.0]), Thresholds())
    assert lean[0] == pytest.approx(0.4)


@settings(max_examples=200, deadline=None)
@given(st.floats(-1, 1), st.floats(-1, 1), st.floats(0, 10))
def test_political_lean_mirrors_and_stays_on_scale(diplomatic, institutional, commitment):
    args = (np.array([commitment]), Thresholds())
    there = political_lean(np.array([diplomatic]), np.array([institutional]), *args)[0]
    back = political_lean(np.array([-diplomatic]), np.array([-institutional]), *args)[0]
    assert there == pytest.approx(-back) and -1 <= there <= 1


def test_russia_axis_names_its_own_class():
    label = classify(
        np.array([-0.9]),
        np.array([-0.9]),
        np.array([np.nan]),
        np.array([0.0]),
        np.array([1.0]),
        axis=AXES["west-russia"],
        t=Thresholds(),
    )[0]
    assert label == "aligned_russia"


def test_thresholds_are_checked():
    with pytest.raises(ValueError, match="lean threshold"):
        Thresholds(lean=1.5)
    with pytest.raises(ValueError, match="activity threshold"):
        Thresholds(activity=-0.1)


def test_side_trade_sums_the_west_and_keeps_missing_missing():
    rows = []
    for partner, value in {"USA": 10, "EU": 30, "CHN": 20, "RUS": None, "WLD": 100}.items():
        rows.append({"iso3": "AAA", "year": 2020, "partner": partner, "total_usd": value})
    rows.append({"iso3": "BBB", "year": 2020, "partner": "USA", "total_usd": None})
    for partner in ("EU", "CHN", "RUS", "WLD"):
        rows.append({"iso3": "BBB", "year": 2020, "partner": partner, "total_usd": 5.0})
    table = side_trade(pd.DataFrame(rows)).set_index("iso3")
    assert table.loc["AAA", "west"] == 40
    assert table.loc["AAA", "CHN"] == 20 and table.loc["AAA", "world"] == 100
    assert math.isnan(table.loc["AAA", "RUS"])
    assert math.isnan(table.loc["BBB", "west"])  # the US part is unknown
    # a World total below the poles' sum (after the importer check) is raised to it
    assert table.loc["BBB", "world"] == 15


def test_expected_share_leaves_the_side_out_and_bootstraps_reporters():
    year = pd.DataFrame(
        {
            "iso3": ["AAA", "BBB", "USA"],
            "west": [30.0, 10.0, 5.0],
            "USA": [10.0, 5.0, np.nan],
            "EU": [20.0, 5.0, 5.0],
            "CHN": [10.0, 20.0, 15.0],
            "RUS": [1.0, np.nan, 2.0],
            "world": [100.0, 100.0, 50.0],
        }
    )
    members = {"west": {"USA"}, "CHN": {"CHN"}, "RUS": {"RUS"}}
    shares = expected_shares(year, members, n_boot=30, rng=np.random.default_rng(0))
    assert shares["west"][0] == pytest.approx(40 / 200)  # the US is left out
    assert shares["CHN"][0] == pytest.approx(45 / 250)
    assert shares["RUS"][0] == pytest.approx(3 / 150)  # BBB has no RUS figure
    assert shares["west"].shape == (31,)
    # EU members are compared with the rest of the world's extra-EU trade: US 15 of 175
    assert shares["west_extra_eu"][0] == pytest.approx(15 / 175)
    assert shares["CHN_extra_eu"][0] == pytest.approx(45 / (80 + 95 + 45))
    # a replicate is a ratio of resampled sums: within the reporters' own shares
    # (10% and 30%), or missing when only the left-out US was drawn
    drawn = shares["west"][np.isfinite(shares["west"])]
    assert len(drawn) > 20 and np.all((drawn >= 0.1 - 1e-12) & (drawn <= 0.3 + 1e-12))


def test_institutional_counts_follow_the_sources_caveats():
    memberships = pd.DataFrame(
        {
            "iso3": ["AAA", "AAA", "AAA", "BBB", "BBB", "CCC", "SAU"],
            "grouping": ["NATO", "SCO", "NAM", "BRI", "SCO", "BRI", "BRICS"],
            "status": ["member", "member", "member", "member", "observer", "member", "invited"],
            "joined_year": [1949, 2001, 1961, 2015, 2005, None, None],
            "left_year": [None, 2010, None, None, None, None, None],
        }
    )
    counts = institutional_counts(memberships, np.array([2005, 2015])).set_index(["iso3", "year"])
    lean = ["inst_west", "inst_CHN", "inst_RUS", "inst_nonaligned"]
    # NATO a treaty (3), the SCO a bloc (1) of China and Russia, the NAM the nonaligned (1)
    assert counts.loc[("AAA", 2005), lean].tolist() == [3, 1, 1, 1]
    assert counts.loc[("AAA", 2015), lean].tolist() == [3, 0, 0, 1]  # left the SCO in 2010
    # a BRI document weighs a half; the observer spell is no member
    assert counts.loc[("BBB", 2015), lean].tolist() == [0, 0.5, 0, 0]
    # engagement: the same weights, without the nonaligned tradition
    engage = ["engage_west", "engage_CHN", "engage_RUS"]
    assert counts.loc[("AAA", 2005), engage].tolist() == [3, 1, 1]
    # no year (an unconfirmed BRI MoU), an invitation: neither counts
    assert "CCC" not in counts.index.get_level_values("iso3")
    assert "SAU" not in counts.index.get_level_values("iso3")
    assert ("BBB", 2005) not in counts.index
    without = {g: v for g, v in GROUPINGS.items() if g != "BRI"}
    without_bri = institutional_counts(memberships, np.array([2015]), without)
    assert "BBB" not in set(without_bri["iso3"])


def test_brics_engages_china_and_russia_without_a_lean():
    memberships = pd.DataFrame(
        {
            "iso3": ["ZAF", "ZAF"],
            "grouping": ["BRICS", "G20"],
            "status": ["member", "member"],
            "joined_year": [2010, 1999],
            "left_year": [None, None],
        }
    )
    row = institutional_counts(memberships, np.array([2020])).set_index("iso3").loc["ZAF"]
    assert row[["inst_west", "inst_CHN", "inst_RUS", "inst_nonaligned"]].tolist() == [0, 0, 0, 1]
    assert row[["engage_west", "engage_CHN", "engage_RUS"]].tolist() == [0, 1, 1]


def test_ideal_point_lean_by_hand():
    from nonaligned.index.ideal import ideal_point_lean

    theta = pd.Series(
        {"USA": 2.0, "DEU": 1.0, "FRA": 1.2, "CHN": -1.0, "MID": 0.05, "CPY": -1.0, "EUC": 1.1}
    )
    lean = ideal_point_lean(theta, frozenset({"DEU", "FRA"}), "CHN")
    # the EU sits at the mean of its members, 1.1; MID is 1.05 from it and from China,
    # and the poles are min(3, 2.1) = 2.1 apart: (1.05 - 1.05) / 2.1 = 0
    assert lean["MID"] == pytest.approx(0.0)
    assert lean["CPY"] == pytest.approx(-1.0)
    assert lean["EUC"] == pytest.approx(1.0)
    assert lean["USA"] == pytest.approx(1.0)
    # DEU is compared with the other member, FRA at 1.2: 0.2 from it, 2.0 from China
    assert lean["DEU"] == pytest.approx((2.0 - 0.2) / 2.1)
