"""Diplomatic lean and participation from votes: hand-made roll calls, invariants, real store."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nonaligned.index import formulas
from nonaligned.index.assemble import axis_year
from nonaligned.index.axes import AXES
from nonaligned.index.classes import Thresholds
from nonaligned.index.diplomatic import POLE_VOTERS, vote_year, vote_years
from nonaligned.index.store_inputs import load
from nonaligned.measures.poles import pole_alignment

NO_TRADE = pd.DataFrame(columns=["west", "CHN", "RUS", "world"], dtype=float).rename_axis("iso3")
NO_INSTITUTIONS = pd.DataFrame(
    columns=["inst_west", "inst_CHN", "inst_RUS", "inst_nonaligned"], dtype=float
).rename_axis("iso3")
NO_EXPECTATION = {side: np.array([np.nan]) for side in ("west", "CHN", "RUS")}


def _coded(codes: dict[str, list[int]]) -> pd.DataFrame:
    """Long coded votes from per-voter lists over roll calls 1..n (0 = did not vote)."""
    rows = [
        {"roll_call_id": rc + 1, "iso3": iso3, "code": code}
        for iso3, votes in codes.items()
        for rc, code in enumerate(votes)
        if code
    ]
    return pd.DataFrame(rows).astype({"code": "int8"})


def _absent(pairs: list[tuple[int, str]] = ()) -> pd.DataFrame:
    return pd.DataFrame(pairs, columns=["roll_call_id", "iso3"])


POLES = {
    "USA": [3, 3, 1, 3, 2, 1],
    "EU": [3, 2, 1, 3, 2, 1],
    "CHN": [1, 1, 1, 1, 1, 3],
    "RUS": [1, 2, 3, 1, 1, 3],
}


def _diplomatic_lean(codes: dict[str, list[int]], axis: str = "west-china") -> pd.Series:
    votes = vote_year(_coded(codes), _absent(), n_boot=0, rng=np.random.default_rng(0))
    frame = axis_year(
        AXES[axis],
        votes,
        NO_TRADE,
        NO_EXPECTATION,
        pd.Series(dtype=float),
        NO_INSTITUTIONS,
        Thresholds(),
    )
    return frame.set_index("iso3")["lean_diplomatic"]


def test_distances_by_hand():
    codes = {**POLES, "AAA": [1, 1, 1, 3, 0, 0]}
    votes = vote_year(_coded(codes), _absent(), n_boot=0, rng=np.random.default_rng(0))
    row = list(votes.iso3).index("AAA")
    usa, chn = POLE_VOTERS.index("USA"), POLE_VOTERS.index("CHN")
    # AAA vs USA on roll calls 1-4: |1-3|/2 + |1-3|/2 + 0 + 0 = 2 over 4 votes
    assert votes.distance[row, usa, 0] == pytest.approx(0.5)
    # AAA vs CHN: 0 + 0 + 0 + |3-1|/2 = 1 over 4
    assert votes.distance[row, chn, 0] == pytest.approx(0.25)
    # USA vs CHN over 6: (1 + 1 + 0 + 1 + 0.5 + 1) / 6
    assert votes.pole_distance[usa, chn, 0] == pytest.approx(4.5 / 6)


def test_participation_counts_recorded_absences():
    codes = {**POLES, "AAA": [1, 1, 0, 0, 2, 2]}
    absent = _absent([(3, "AAA"), (4, "AAA")])
    votes = vote_year(_coded(codes), absent, n_boot=0, rng=np.random.default_rng(0))
    assert votes.participation[list(votes.iso3).index("AAA"), 0] == pytest.approx(4 / 6)


def test_copying_a_pole_leans_fully_to_it():
    lean = _diplomatic_lean({**POLES, "CPY": POLES["CHN"], "EUC": POLES["EU"]})
    assert lean["CPY"] == pytest.approx(-1.0)
    assert lean["CHN"] == pytest.approx(-1.0)
    # voting with the EU is voting with the West (the nearer Western pole)
    assert lean["EUC"] == pytest.approx(1.0)
    russia = _diplomatic_lean({**POLES, "CPY": POLES["RUS"]}, axis="west-russia")
    assert russia["CPY"] == pytest.approx(-1.0)


votes_list = st.lists(st.integers(1, 3), min_size=8, max_size=8)


@settings(max_examples=60, deadline=None)
@given(votes_list, votes_list, votes_list)
def test_swapping_poles_mirrors_the_diplomatic_lean(pole_a, pole_b, country):
    # one voter per side: the West as a single voter (USA = EU) against CHN
    codes = {"USA": pole_a, "EU": pole_a, "CHN": pole_b, "RUS": pole_b, "XXX": country}
    swapped = {"USA": pole_b, "EU": pole_b, "CHN": pole_a, "RUS": pole_a, "XXX": country}
    there, back = _diplomatic_lean(codes)["XXX"], _diplomatic_lean(swapped)["XXX"]
    if np.isnan(there):
        assert pole_a == pole_b and np.isnan(back)
    else:
        assert there == pytest.approx(-back)


def test_bootstrap_replicate_zero_is_the_observed_year():
    codes = {**POLES, "AAA": [1, 3, 1, 3, 2, 1]}
    plain = vote_year(_coded(codes), _absent(), n_boot=0, rng=np.random.default_rng(1))
    boot = vote_year(_coded(codes), _absent(), n_boot=40, rng=np.random.default_rng(1))
    assert boot.distance.shape[-1] == 41
    np.testing.assert_allclose(boot.distance[..., 0], plain.distance[..., 0])
    assert np.nanstd(boot.distance[..., 1:]) > 0


def test_distances_agree_with_pole_alignment_on_the_real_store(con):
    inputs = load(con, [2020])
    year = vote_years(inputs.votes, inputs.roll_calls, inputs.memberships, None, 0, 0)[2020]
    reference = pole_alignment(inputs.votes, inputs.roll_calls, inputs.memberships)
    reference = reference[reference.year == 2020].set_index(["iso3", "pole"])["agreement"]
    checked = 0
    for row, iso3 in enumerate(year.iso3):
        for k, pole in enumerate(POLE_VOTERS):
            if (iso3, pole) in reference.index:
                assert 1 - year.distance[row, k, 0] == pytest.approx(reference[(iso3, pole)])
                checked += 1
    assert checked > 700  # about 193 states x 4 poles


def test_real_distances_respect_the_triangle_inequality_closely(con):
    # why the position lean needs little clipping: disagreement is close to a metric
    inputs = load(con, [2020])
    year = vote_years(inputs.votes, inputs.roll_calls, inputs.memberships, None, 0, 0)[2020]
    usa, chn = POLE_VOTERS.index("USA"), POLE_VOTERS.index("CHN")
    raw = (year.distance[:, chn, 0] - year.distance[:, usa, 0]) / year.pole_distance[usa, chn, 0]
    assert np.nanmean(np.abs(raw) <= 1 + 1e-9) > 0.95
    clipped = formulas.position_lean(
        year.distance[:, usa, 0], year.distance[:, chn, 0], year.pole_distance[usa, chn, 0]
    )
    assert np.nanmax(np.abs(clipped)) <= 1
