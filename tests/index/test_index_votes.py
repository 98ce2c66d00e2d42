"""Diplomatic lean and participation from votes: hand-made roll calls, invariants, real store."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nonaligned.index import formulas
from nonaligned.index.assemble import economy_of, year_index
from nonaligned.index.classes import Thresholds
from nonaligned.index.diplomatic import POLE_VOTERS, plurality_without_each, vote_year, vote_years
from nonaligned.index.institutional import institutional_counts
from nonaligned.index.store_inputs import load
from nonaligned.measures.poles import EU, pole_alignment

NO_ECONOMY = economy_of(
    None,
    pd.DataFrame(columns=["iso3", "west", "USA", "EU", "CHN", "RUS", "world"], dtype=float),
    {"west": {"USA"}, "CHN": {"CHN"}, "RUS": {"RUS"}},
    0,
    0,
)
NO_INSTITUTIONS = institutional_counts(
    pd.DataFrame(columns=["iso3", "grouping", "status", "joined_year", "left_year"]),
    np.array([2000]),
).set_index("iso3")
# six hand-made roll calls: the provisional-year and few-votes rules would hide them
HAND = Thresholds(min_votes=1, min_roll_calls=0)


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


def _axis_year(
    codes: dict[str, list[int]], axis: str = "west-china", t: Thresholds = HAND
) -> pd.DataFrame:
    votes = vote_year(_coded(codes), _absent(), n_boot=0, rng=np.random.default_rng(0))
    frame = year_index(2000, votes, NO_ECONOMY, NO_INSTITUTIONS, t)
    return frame[frame.axis == axis].set_index("iso3")


def _diplomatic_lean(codes: dict[str, list[int]], axis: str = "west-china") -> pd.Series:
    return _axis_year(codes, axis)["lean_diplomatic"]


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


def test_copying_a_pole_puts_a_state_at_it_on_the_segment():
    position = _axis_year({**POLES, "CPY": POLES["CHN"], "EUC": POLES["EU"]})["lean_position"]
    assert position["CPY"] == pytest.approx(-1.0)
    assert position["CHN"] == pytest.approx(-1.0)
    # voting with the EU is voting with the West (the nearer Western pole)
    assert position["EUC"] == pytest.approx(1.0)
    russia = _axis_year({**POLES, "CPY": POLES["RUS"]}, axis="west-russia")["lean_position"]
    assert russia["CPY"] == pytest.approx(-1.0)


def test_the_lean_is_read_from_the_median_state():
    # seven voters: the median position is MID's, so MID is balanced whatever the midpoint
    codes = {**POLES, "CPW": POLES["EU"], "CPC": POLES["CHN"]}
    codes |= {"MID": [1, 1, 1, 3, 2, 3], "MD2": [1, 1, 1, 3, 2, 3]}
    frame = _axis_year(codes)
    position = frame["lean_position"]
    assert frame["baseline_position"].iloc[0] == pytest.approx(position.median())
    assert frame.loc["MID", "lean_diplomatic"] == pytest.approx(0.0)
    # the others are shifted by the baseline and clipped: CPW at +1 stays +1
    shifted = np.clip(position - position["MID"], -1, 1)
    pd.testing.assert_series_equal(frame["lean_diplomatic"], shifted, check_names=False)


def test_few_votes_give_no_diplomatic_lean_and_few_roll_calls_no_class():
    codes = {**POLES, "AAA": [1, 1, 1, 3, 2, 0]}
    strict = _axis_year(codes, t=Thresholds(min_votes=6, min_roll_calls=0))
    assert np.isnan(strict.loc["AAA", "lean_diplomatic"])  # five votes
    assert strict.loc["USA", "lean_diplomatic"] == pytest.approx(1.0)  # six
    provisional = _axis_year(codes, t=Thresholds(min_votes=1, min_roll_calls=7))
    assert provisional["provisional"].all() and provisional["class"].isna().all()
    assert provisional["lean_diplomatic"].notna().all()  # leans are still reported


def test_an_eu_member_is_compared_with_the_other_members():
    # three members; on roll call 2 the one who dissents alone has the others' 2 as EU position
    members = np.array([[1, 3, 1], [1, 1, 2], [1, 1, 2]], dtype=np.int8)
    np.testing.assert_array_equal(
        plurality_without_each(members), [[1, 1, 2], [1, 0, 0], [1, 0, 0]]
    )
    # member 1: without itself, 3 vs 2 on roll call 2 ties (no position), and so on roll call 3
    codes = {**POLES, "FRA": [3, 2, 1, 3, 2, 1], "DEU": [1, 1, 1, 1, 1, 3]}
    codes["EU"] = [3, 2, 1, 3, 2, 1]
    votes = vote_year(
        _coded(codes), _absent(), 0, np.random.default_rng(0), frozenset({"FRA", "DEU"})
    )
    eu = POLE_VOTERS.index(EU)
    row = {iso3: k for k, iso3 in enumerate(votes.iso3)}
    # with two members, each one's EU is the other: FRA is DEU's opposite on 5 of 6 votes
    assert votes.distance[row["FRA"], eu, 0] == pytest.approx((1 + 0.5 + 0 + 1 + 0.5 + 1) / 6)
    assert votes.distance[row["DEU"], eu, 0] == votes.distance[row["FRA"], eu, 0]
    assert votes.distance[row["USA"], eu, 0] == pytest.approx(1 / 12)  # USA: the bloc row


votes_list = st.lists(st.integers(1, 3), min_size=8, max_size=8)


@settings(max_examples=60, deadline=None)
@given(votes_list, votes_list, votes_list)
def test_swapping_poles_mirrors_the_diplomatic_lean(pole_a, pole_b, country):
    # one voter per side: the West as a single voter (USA = EU) against CHN; the other
    # states (RUS, XXX) keep their votes, so the baseline mirrors with everything else
    codes = {"USA": pole_a, "EU": pole_a, "CHN": pole_b, "RUS": pole_b, "XXX": country}
    swapped = {"USA": pole_b, "EU": pole_b, "CHN": pole_a, "RUS": pole_b, "XXX": country}
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


def test_distances_agree_with_pole_alignment_on_the_real_store(store):
    inputs = load(store, [2020], None)
    year = vote_years(inputs.votes, inputs.roll_calls, inputs.memberships, None, 0, 0)[2020]
    reference = pole_alignment(inputs.votes, inputs.roll_calls, inputs.memberships)
    reference = reference[reference.year == 2020].set_index(["iso3", "pole"])["agreement"]
    members = set(inputs.eu_states(2020))
    checked = 0
    for row, iso3 in enumerate(year.iso3):
        for k, pole in enumerate(POLE_VOTERS):
            # an EU member's distance to the EU leaves it out; pole_alignment keeps it
            if (iso3, pole) in reference.index and not (pole == EU and iso3 in members):
                assert 1 - year.distance[row, k, 0] == pytest.approx(reference[(iso3, pole)])
                checked += 1
    assert checked > 650  # about 193 states x 4 poles, less the EU members' EU pole


def test_real_distances_respect_the_triangle_inequality_closely(store):
    # why the position lean needs little clipping: disagreement is close to a metric
    inputs = load(store, [2020], None)
    year = vote_years(inputs.votes, inputs.roll_calls, inputs.memberships, None, 0, 0)[2020]
    usa, chn = POLE_VOTERS.index("USA"), POLE_VOTERS.index("CHN")
    raw = (year.distance[:, chn, 0] - year.distance[:, usa, 0]) / year.pole_distance[usa, chn, 0]
    assert np.nanmean(np.abs(raw) <= 1 + 1e-9) > 0.95
    clipped = formulas.position_lean(
        year.distance[:, usa, 0], year.distance[:, chn, 0], year.pole_distance[usa, chn, 0]
    )
    assert np.nanmax(np.abs(clipped)) <= 1


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.lists(st.one_of(st.floats(-1, 1), st.just(float("nan"))), min_size=3, max_size=3),
        min_size=0,
        max_size=9,
    )
)
def test_the_baseline_median_equals_numpys(rows):
    from nonaligned.index.assemble import _column_median

    values = np.array(rows, dtype=float).reshape(len(rows), 3)
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        expected = np.nanmedian(values, axis=0) if len(rows) else np.full(3, np.nan)
    np.testing.assert_allclose(_column_median(values), expected, equal_nan=True)
