"""Alignment with the poles, and the EU's constructed position."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
from test_similarity import roll_calls_frame, votes_frame

from nonaligned.measures.poles import eu_members, eu_positions, pole_alignment
from nonaligned.measures.votes import coded_votes

MEMBERSHIPS = Path("/work/shared/data/memberships/memberships.csv")

TOY_EU = pd.DataFrame(
    {
        "iso3": ["FRA", "DEU", "ITA", "NLD", "GBR"],
        "grouping": "EU",
        "status": "member",
        "joined_year": [1952, 1952, 1952, 1952, 1973],
        "left_year": [None, None, None, None, 2020],
    }
)


def test_eu_plurality_and_tie_rule():
    # roll call 1: 3 yes, 1 no, GBR abstains -> yes
    # roll call 2: 2 yes, 2 no, GBR absent -> tie: no EU position
    # roll call 3: 2 abstain, 1 yes, 1 no, GBR yes -> 2 abstain vs 2 yes: tie
    # roll call 4: everyone absent -> no position
    votes = votes_frame(
        {
            "FRA": ["yes", "yes", "abstain", "absent"],
            "DEU": ["yes", "yes", "abstain", "absent"],
            "ITA": ["yes", "no", "yes", "absent"],
            "NLD": ["no", "no", "no", "absent"],
            "GBR": ["abstain", "absent", "yes", "absent"],
            "USA": ["no", "no", "no", "no"],
        }
    )
    rcs = roll_calls_frame([1, 2, 3, 4], year=2010)
    positions = eu_positions(coded_votes(votes, rcs), rcs, TOY_EU)
    assert positions.roll_call_id.tolist() == [1]
    assert positions.code.tolist() == [1]


def test_membership_years():
    members = eu_members(TOY_EU, [1960, 2019, 2020])
    assert "GBR" in set(members[members.year == 2019].iso3)
    assert "GBR" not in set(members[members.year == 2020].iso3)
    assert "GBR" not in set(members[members.year == 1960].iso3)


def test_pole_alignment_hand_computed():
    votes = votes_frame(
        {
            "USA": ["no", "no", "yes"],
            "CHN": ["yes", "yes", "yes"],
            "RUS": ["yes", "abstain", "absent"],
            "FRA": ["no", "yes", "yes"],
            "DEU": ["no", "yes", "yes"],
            "BRA": ["yes", "yes", "yes"],
        }
    )
    rcs = roll_calls_frame([1, 2, 3], year=2015)
    result = pole_alignment(votes, rcs, TOY_EU)
    assert list(result.columns) == [
        "iso3",
        "year",
        "pole",
        "agreement",
        "kappa",
        "pi",
        "s_score",
        "n_votes",
    ]
    bra = result[result.iso3 == "BRA"].set_index("pole")
    assert bra.loc["USA", "agreement"] == pytest.approx(1 - (2 + 2 + 0) / 3 / 2)
    assert bra.loc["CHN", "agreement"] == 1.0
    assert math.isnan(bra.loc["CHN", "kappa"])  # both always yes
    assert bra.loc["RUS", "n_votes"] == 2  # RUS absent on roll call 3
    assert bra.loc["RUS", "agreement"] == pytest.approx(1 - 1 / 2 / 2)
    # EU (FRA, DEU): no, yes, yes
    assert bra.loc["EU", "agreement"] == pytest.approx(1 - 2 / 3 / 2)
    # poles are not compared with themselves; EU members are compared with the EU
    assert not ((result.iso3 == "USA") & (result.pole == "USA")).any()
    assert result[(result.iso3 == "FRA") & (result.pole == "EU")].agreement.iloc[0] == 1.0


def test_missing_pole_gives_no_row():
    votes = votes_frame({"USA": ["yes", "no"], "BRA": ["yes", "yes"]})
    result = pole_alignment(votes, roll_calls_frame([1, 2], year=1960), TOY_EU)
    assert set(result[result.iso3 == "BRA"].pole) == {"USA"}


@pytest.mark.skipif(not MEMBERSHIPS.exists(), reason="shared mirror not available")
def test_real_memberships_file():
    members = eu_members(pd.read_csv(MEMBERSHIPS), [2019, 2020, 2024])
    counts = members.groupby("year").size()
    assert counts[2019] == 28
    assert counts[2020] == 27
    assert counts[2024] == 27
