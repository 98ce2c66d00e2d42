"""Symbol normalisation: hand cases and invariants."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nonaligned.symbols import normalise_symbol, roman


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("R/26/2758", "A/RES/2758(XXVI)"),
        ("R/1/66", "A/RES/66(I)"),
        ("R/5/233A", "A/RES/233(V) A"),
        ("R/10 65", "A/RES/65(X)"),
        ("R/31/6A", "A/RES/31/6 A"),
        ("R/73/5", "A/RES/73/5"),
        ("SS/1/176B", "A/RES/S-1/176 B"),
        ("ESS/5/100", "A/RES/ES-5/100"),
        ("A/RES/ES-11/1", "A/RES/ES-11/1"),
        ("A/RES/75/290  A", "A/RES/75/290 A"),
        ("GOAR/1/1288B", None),
        ("", None),
        (None, None),
    ],
)
def test_normalise_symbol(raw, expected):
    assert normalise_symbol(raw) == expected


@pytest.mark.parametrize(
    ("n", "text"),
    [(1, "I"), (4, "IV"), (9, "IX"), (14, "XIV"), (19, "XIX"), (26, "XXVI"), (30, "XXX")],
)
def test_roman(n, text):
    assert roman(n) == text


@given(st.integers(1, 120), st.integers(1, 9999), st.sampled_from(["", "A", "B", "C"]))
def test_normalising_is_idempotent(session, number, part):
    once = normalise_symbol(f"R/{session}/{number}{part}")
    assert once is not None and once.startswith("A/RES/")
    assert normalise_symbol(once) == once
