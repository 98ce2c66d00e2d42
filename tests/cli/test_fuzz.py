"""Hostile input: every parser either parses or raises the project's own error type.

Bounded here (a few dozen examples per parser, CI-sized); benchmarks/fuzz.py
runs many more and prints what it tried and found. The targets and
mutations are in tests/_fuzz.py: real mirror files, damaged by hypothesis.
"""

from __future__ import annotations

import contextlib

import pytest
from _fuzz import (
    TARGETS,
    generated_offer_document,
    mutated_bytes,
    mutated_table,
    offer_documents,
    one_mutated,
    real_inputs,
    real_tables,
    run_bytes,
    run_tables,
)
from hypothesis import HealthCheck, given, settings

from nonaligned.errors import NonalignedError, OfferError

EXAMPLES = 25
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,  # CI sees the same examples each run; benchmarks/fuzz.py explores
    suppress_health_check=list(HealthCheck),
)


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_real_file_parses(name, mirror):
    """The unmutated inputs parse (else every mutation would fail for the wrong reason)."""
    target = TARGETS[name]
    run_bytes(target, real_inputs(target))


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_mutated_bytes_parse_or_raise_own_error(name, mirror):
    target = TARGETS[name]

    @SETTINGS
    @given(one_mutated(real_inputs(target), mutated_bytes))
    def check(changed):
        run_bytes(target, changed)

    check()


@pytest.mark.parametrize("name", sorted(n for n, t in TARGETS.items() if t.tables))
def test_mutated_r_tables_parse_or_raise_own_error(name, mirror):
    target = TARGETS[name]

    @SETTINGS
    @given(one_mutated(real_tables(name), mutated_table))
    def check(changed):
        run_tables(target, changed)

    check()


@SETTINGS
@given(offer_documents)
def test_generated_offer_documents_parse_or_raise_own_error(document):
    with contextlib.suppress(NonalignedError):
        generated_offer_document(document)


def test_offers_file_that_is_not_utf8_is_an_offer_error(tmp_path):
    from nonaligned.strategy import offers

    path = tmp_path / "offers.toml"
    path.write_bytes(b"\xa3 not UTF-8\ncountry = 'KEN'\n")
    with pytest.raises(OfferError):
        offers.load(path, offers.known_codes(["KEN"]))
