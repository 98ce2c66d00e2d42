"""Hand-computed and property tests for dyadic vote similarity."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nonaligned.constants import ENGINE_ENV
from nonaligned.errors import EngineError
from nonaligned.measures.similarity import (
    contingency_tables,
    dyad_similarity,
    measures_from_tables,
)
from nonaligned.measures.votes import Selection, coded_votes

VOTES = ["yes", "abstain", "no"]


def roll_calls_frame(ids, year=2000, **flags) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "roll_call_id": pd.Series(ids, dtype="int64"),
            "session": year - 1945,
            "year": year,
            "important": False,
            "amendment": False,
            "paragraph": False,
        }
    )
    for code in ("me", "nu", "di", "hr", "co", "ec"):
        frame[f"issue_{code}"] = False
    for column, values in flags.items():
        frame[column] = values
    return frame


def votes_frame(table: dict[str, list[str]]) -> pd.DataFrame:
    rows = [
        (rc + 1, iso3, vote)
        for iso3, votes in table.items()
        for rc, vote in enumerate(votes)
        if vote is not None
    ]
    return pd.DataFrame(rows, columns=["roll_call_id", "iso3", "vote"])


def test_hand_computed_dyad():
    # A: yes yes no abstain; B: yes no no yes; C absent on the last roll call.
    votes = votes_frame(
        {
            "AAA": ["yes", "yes", "no", "abstain"],
            "BBB": ["yes", "no", "no", "yes"],
            "CCC": ["yes", "yes", "no", "absent"],
        }
    )
    result = dyad_similarity(votes, roll_calls_frame([1, 2, 3, 4]))
    ab = result[(result.iso3_a == "AAA") & (result.iso3_b == "BBB")].iloc[0]
    # |v1 - v2| = 0, 2, 0, 1 -> mean 0.75
    assert ab.agreement == pytest.approx(1 - 0.75 / 2)
    assert ab.s_score == pytest.approx(1 - 0.75)
    # p_o = 1/2; marginals A (1/2, 1/4, 1/4), B (1/2, 0, 1/2): p_e = 3/8
    assert ab.kappa == pytest.approx((0.5 - 0.375) / (1 - 0.375))
    # pooled marginals (1/2, 1/8, 3/8): p_e = 13/32 -> pi = 3/19
    assert ab.pi == pytest.approx(3 / 19)
    assert ab.n_votes == 4
    # the absence is not a vote: A and C share three roll calls, all alike
    ac = result[(result.iso3_a == "AAA") & (result.iso3_b == "CCC")].iloc[0]
    assert ac.n_votes == 3
    assert ac.agreement == 1.0


def test_all_same_votes_leave_kappa_and_pi_undefined():
    votes = votes_frame({"AAA": ["yes"] * 3, "BBB": ["yes"] * 3})
    row = dyad_similarity(votes, roll_calls_frame([1, 2, 3])).iloc[0]
    assert row.agreement == 1.0
    assert row.s_score == 1.0
    assert math.isnan(row.kappa)
    assert math.isnan(row.pi)


def test_one_state_constant_gives_kappa_zero_not_nan():
    # chance agreement is defined (B varies), and observed equals chance
    votes = votes_frame({"AAA": ["yes"] * 4, "BBB": ["yes", "no", "yes", "abstain"]})
    row = dyad_similarity(votes, roll_calls_frame([1, 2, 3, 4])).iloc[0]
    assert row.kappa == pytest.approx(0.0)
    assert row.agreement == pytest.approx(1 - (0 + 2 + 0 + 1) / 4 / 2)


def test_opposite_votes():
    votes = votes_frame({"AAA": ["yes", "no"], "BBB": ["no", "yes"]})
    row = dyad_similarity(votes, roll_calls_frame([1, 2])).iloc[0]
    assert row.agreement == 0.0
    assert row.s_score == -1.0
    assert row.kappa == pytest.approx(-1.0)
    assert row.pi == pytest.approx(-1.0)


def test_weighted_metrics_hand_computed():
    # one table: A yes/B abstain once, both yes once
    tables = np.zeros((1, 3, 3), dtype=int)
    tables[0, 0, 1] = 1
    tables[0, 0, 0] = 1
    out = measures_from_tables(tables, "squared")
    # D_o = (1/2)*1; A marginals (1,0,0), B (1/2,1/2,0): D_e = 1/2 -> kappa 0
    assert out["kappa"][0] == pytest.approx(0.0)
    # pooled (3/4, 1/4, 0): D_e = 2 * 3/4 * 1/4 * 1 = 3/8 -> pi = 1 - (1/2)/(3/8)
    assert out["pi"][0] == pytest.approx(1 - 0.5 / 0.375)


def test_matrix_front_end_runs_on_the_engine_asked_for(monkeypatch):
    # no engine given: $NONALIGNED_ENGINE, else DuckDB, like the other measures
    matrix = np.array([[1, 1, 3, 2], [1, 3, 3, 0]], dtype=np.int8)
    monkeypatch.delenv(ENGINE_ENV, raising=False)
    tables = contingency_tables(matrix, matrix)
    np.testing.assert_array_equal(tables, contingency_tables(matrix, matrix, engine="duckdb"))
    assert tables[0, 1].tolist() == [[1, 0, 1], [0, 0, 0], [0, 0, 1]]  # row 1 absent on 4
    np.testing.assert_array_equal(
        measures_from_tables(tables)["agreement"],
        measures_from_tables(tables, engine="duckdb")["agreement"],
    )
    monkeypatch.setenv(ENGINE_ENV, "no-such-engine")
    with pytest.raises(EngineError, match="no-such-engine"):
        contingency_tables(matrix, matrix)
    with pytest.raises(EngineError, match="no-such-engine"):
        measures_from_tables(tables)
    # an explicit engine wins over the environment
    assert contingency_tables(matrix, matrix, engine="duckdb")[0, 1].sum() == 3
    with pytest.raises(EngineError, match="other"):
        measures_from_tables(tables, engine="other")


def test_by_session_and_selection():
    votes = votes_frame({"AAA": ["yes", "no", "yes"], "BBB": ["yes", "yes", "no"]})
    rcs = roll_calls_frame(
        [1, 2, 3],
        issue_me=[True, False, False],
        important=[pd.NA, True, False],
        amendment=[pd.NA, False, True],
    )
    rcs["important"] = rcs["important"].astype("boolean")
    rcs["amendment"] = rcs["amendment"].astype("boolean")
    by_session = dyad_similarity(votes, rcs, by="session")
    assert list(by_session.columns[:3]) == ["iso3_a", "iso3_b", "session"]
    assert by_session.session.tolist() == [55]

    def n(selection: Selection) -> int:
        return int(dyad_similarity(votes, rcs, selection=selection).n_votes.iloc[0])

    assert n(Selection(exclude_middle_east=True)) == 2
    assert n(Selection(issues=("me",))) == 1
    assert n(Selection(important_only=True)) == 1
    assert n(Selection(resolutions_only=True)) == 2
    with pytest.raises(ValueError, match="unknown issue"):
        Selection(issues=("xx",))


def test_coded_votes_drop_absences():
    votes = votes_frame({"AAA": ["yes", "absent", "no", "abstain"]})
    coded = coded_votes(votes, roll_calls_frame([1, 2, 3, 4]))
    assert coded.code.tolist() == [1, 3, 2]


def _naive(a: list[int], b: list[int]) -> dict[str, float]:
    pairs = [(x, y) for x, y in zip(a, b, strict=True) if x and y]
    n = len(pairs)
    if n == 0:
        return {}
    mean_abs = sum(abs(x - y) for x, y in pairs) / n
    po = sum(x == y for x, y in pairs) / n
    pa = [sum(x == k for x, _ in pairs) / n for k in (1, 2, 3)]
    pb = [sum(y == k for _, y in pairs) / n for k in (1, 2, 3)]
    pe_k = sum(x * y for x, y in zip(pa, pb, strict=True))
    pe_p = sum(((x + y) / 2) ** 2 for x, y in zip(pa, pb, strict=True))
    return {
        "agreement": 1 - mean_abs / 2,
        "s_score": 1 - mean_abs,
        "kappa": (po - pe_k) / (1 - pe_k) if pe_k < 1 else math.nan,
        "pi": (po - pe_p) / (1 - pe_p) if pe_p < 1 else math.nan,
        "n_votes": n,
    }


@pytest.mark.slow  # property test of many engine queries: the full run only
@settings(max_examples=60, deadline=None)
@given(
    st.integers(1, 25).flatmap(
        lambda r: st.lists(
            st.lists(st.integers(0, 3), min_size=r, max_size=r), min_size=2, max_size=5
        )
    )
)
def test_properties_match_naive_and_hold_bounds(rows):
    matrix = np.array(rows, dtype=np.int8)
    tables = contingency_tables(matrix, matrix)
    values = measures_from_tables(tables)
    m = len(rows)
    for i in range(m):
        for j in range(m):
            expected = _naive(rows[i], rows[j])
            if not expected:
                assert values["n_votes"][i, j] == 0
                continue
            for name, value in expected.items():
                got = values[name][i, j]
                if isinstance(value, float) and math.isnan(value):
                    assert math.isnan(got)
                else:
                    assert got == pytest.approx(value, abs=1e-9)
            # symmetry
            for name in ("agreement", "kappa", "pi", "s_score", "n_votes"):
                np.testing.assert_allclose(values[name][i, j], values[name][j, i], atol=1e-12)
            assert 0 <= values["agreement"][i, j] <= 1
            assert -1 <= values["s_score"][i, j] <= 1
            for name in ("kappa", "pi"):
                v = values[name][i, j]
                assert math.isnan(v) or -1 - 1e-9 <= v <= 1 + 1e-9
        if values["n_votes"][i, i]:
            assert values["agreement"][i, i] == 1.0
            assert values["s_score"][i, i] == 1.0
            assert math.isnan(values["kappa"][i, i]) or values["kappa"][i, i] == pytest.approx(1)
