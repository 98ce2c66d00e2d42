"""Diplomatic lean and participation from votes: hand-made roll calls, invariants, real store."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nonaligned
from nonaligned.index import formulas
from nonaligned.index.assemble import economy_of, year_index
from nonaligned.index.classes import Thresholds
from nonaligned.index.diplomatic import (
    POLE_VOTERS,
    leave_one_out_distance,
    plurality_without_each,
    vote_year,
    vote_years,
)
from nonaligned.index.institutional import institutional_counts
from nonaligned.index.store_inputs import load
from nonaligned.measures.poles import EU, eu_members, pole_alignment
from nonaligned.measures.votes import coded_votes, vote_matrix

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


def _assert_replicate_zero_is_pole_alignment(
    votes: pd.DataFrame, roll_calls: pd.DataFrame, memberships: pd.DataFrame
) -> tuple[int, float]:
    """Every year's observed distances are ``1 - agreement`` of :func:`pole_alignment`.

    The one definition and its bootstrap matrix form: for every state and
    pole (and every pair of poles) with a common vote, to 1e-12, except an
    EU member's distance to the EU, which leaves the member out (checked
    against :func:`leave_one_out_distance` instead). Pairs without a common
    vote are NaN here and absent there. Returns the pairs compared and the
    largest difference.
    """
    years = vote_years(votes, roll_calls, memberships, None, 0, 0)
    reference = pole_alignment(votes, roll_calls, memberships).set_index(["year", "iso3", "pole"])
    agreement = reference["agreement"]
    members_by_year = eu_members(memberships, np.array(sorted(years))).groupby("year")["iso3"]
    members_by_year = members_by_year.agg(frozenset)
    coded = coded_votes(votes, roll_calls)
    compared, worst = 0, 0.0
    for year, observed in years.items():
        members = members_by_year.get(year, frozenset())
        expected = np.full(observed.distance.shape[:2], np.nan)
        for row, iso3 in enumerate(observed.iso3):
            for k, pole in enumerate(POLE_VOTERS):
                if pole == iso3:
                    expected[row, k] = 0.0  # a pole is not compared with itself there
                elif (year, iso3, pole) in agreement.index:
                    expected[row, k] = 1 - agreement[(year, iso3, pole)]
        rows = np.flatnonzero(np.isin(observed.iso3, list(members)))
        if len(rows):
            eu = POLE_VOTERS.index(EU)
            matrix, _, _ = vote_matrix(coded[coded["period"] == year], observed.iso3)
            expected[rows, eu] = leave_one_out_distance(
                matrix[rows], np.ones((1, matrix.shape[1]), dtype=np.float32)
            )[:, 0]
        got = observed.distance[..., 0]
        np.testing.assert_array_equal(np.isnan(got), np.isnan(expected), err_msg=str(year))
        np.testing.assert_allclose(got, expected, rtol=0, atol=1e-12, err_msg=str(year))
        # between the poles: the EU's row is the EU pseudo-voter, compared by symmetry
        for k, pole in enumerate(POLE_VOTERS):
            for j, other in enumerate(POLE_VOTERS):
                key = (year, other, pole) if other != EU else (year, pole, other)
                if pole != other and key in agreement.index:
                    value = observed.pole_distance[k, j, 0]
                    assert abs(value - (1 - agreement[key])) <= 1e-12, (year, pole, other)
        finite = np.isfinite(got)
        compared += int(finite.sum())
        worst = max(worst, float(np.max(np.abs(got - expected)[finite], initial=0.0)))
    return compared, worst


def test_replicate_zero_is_pole_alignment_by_hand():
    # EU members FRA, DEU, ITA. EU position: no, yes, yes, (FRA no / DEU yes: tie), abstain
    votes = pd.DataFrame(
        [
            (rc + 1, iso3, vote)
            for iso3, row in {
                "USA": ["no", "no", "yes", "no", "abstain"],
                "CHN": ["yes", "yes", "yes", "absent", "yes"],
                "RUS": ["yes", "abstain", "absent", "yes", "no"],
                "FRA": ["no", "yes", "yes", "no", "abstain"],
                "DEU": ["no", "no", "yes", "yes", "abstain"],
                "ITA": ["no", "yes", "abstain", "absent", "yes"],
                "BRA": ["yes", "yes", "yes", "abstain", "absent"],
                "ZZZ": ["absent"] * 5,
            }.items()
            for rc, vote in enumerate(row)
        ],
        columns=["roll_call_id", "iso3", "vote"],
    )
    roll_calls = pd.DataFrame({"roll_call_id": np.arange(1, 6, dtype="int64"), "year": 2015})
    roll_calls = roll_calls.assign(session=70, important=False, amendment=False, paragraph=False)
    for code in ("me", "nu", "di", "hr", "co", "ec"):
        roll_calls[f"issue_{code}"] = False
    memberships = pd.DataFrame(
        {"iso3": ["FRA", "DEU", "ITA"], "grouping": "EU", "status": "member"}
    ).assign(joined_year=1952.0, left_year=np.nan)
    compared, worst = _assert_replicate_zero_is_pole_alignment(votes, roll_calls, memberships)
    assert compared == 7 * 4  # ZZZ never votes; the others share a vote with every pole
    assert worst <= 1e-12
    year = vote_years(votes, roll_calls, memberships, None, 0, 0)[2015]
    row = {iso3: k for k, iso3 in enumerate(year.iso3)}
    usa, eu = POLE_VOTERS.index("USA"), POLE_VOTERS.index(EU)
    # BRA vs USA: yes/no, yes/no, yes/yes, abstain/no: (1 + 1 + 0 + 0.5) / 4
    assert year.distance[row["BRA"], usa, 0] == 0.625
    # BRA vs EU (no, yes, yes, -, abstain); BRA absent on 5: (1 + 0 + 0) / 3
    assert year.distance[row["BRA"], eu, 0] == pytest.approx(1 / 3, abs=1e-15)
    # FRA: pole_alignment's EU includes FRA (agreement 1); without FRA, DEU and ITA
    # agree on roll call 1 only (no) and DEU alone on 4 (yes): (0 + 1) / 2
    assert year.distance[row["FRA"], eu, 0] == 0.5
    assert np.isnan(year.distance[row["ZZZ"], :, 0]).all()


def test_replicate_zero_is_pole_alignment_on_the_synthetic_store(synthetic_store):
    with nonaligned.open(synthetic_store) as opened:
        inputs = load(opened, None, None)
    compared, worst = _assert_replicate_zero_is_pole_alignment(
        inputs.votes, inputs.roll_calls, inputs.memberships
    )
    assert compared == 5 * 10 * 4  # five years, ten states, four poles (a pole to itself: 0)
    assert worst <= 1e-12


def test_replicate_zero_is_pole_alignment_on_the_real_store(store):
    inputs = load(store, None, None)
    compared, worst = _assert_replicate_zero_is_pole_alignment(
        inputs.votes, inputs.roll_calls, inputs.memberships
    )
    print(f"replicate 0 vs pole_alignment: {compared} pairs, max difference {worst:.3g}")
    assert compared > 60 * 150 * 4  # every year since 1946, ~50-193 states, four poles
    assert worst <= 1e-12


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
