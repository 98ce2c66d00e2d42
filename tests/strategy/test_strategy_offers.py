"""The offers file: good documents parse; bad ones fail whole, naming offer and field."""

from __future__ import annotations

import pytest
from conftest import EXAMPLES

from nonaligned.errors import OfferError
from nonaligned.strategy import evaluate as desk
from nonaligned.strategy.offers import known_codes, load, parse

EXAMPLES = sorted((EXAMPLES / "offers").glob("*.toml"))
KNOWN = known_codes({"KEN", "CHN", "USA", "AGO", "JPN"})

GOOD = """
country = "KEN"
project = "A port"

[[offers]]
id = "china"
partner = "CHN"
kind = "loan"
amount_usd = 1_000_000
interest_rate = 0.02
maturity_years = 20
grace_years = 5
repayment = "annuity"

[[offers]]
id = "eu"
partner = "eu"
kind = "grant"
amount_usd = 500_000.5
"""


def with_offer(**fields: object) -> str:
    lines = [f"{k} = {v!r}".replace("'", '"').replace("True", "true") for k, v in fields.items()]
    return GOOD + "\n[[offers]]\n" + "\n".join(lines) + "\n"


def problems(text: str) -> list[tuple]:
    with pytest.raises(OfferError) as info:
        parse(text, KNOWN)
    return info.value.problems


def test_a_good_document_parses_with_defaults():
    document = parse(GOOD, KNOWN)
    assert document.country == "KEN"
    china, eu = document.offers
    assert china.payments_per_year == 2
    assert china.upfront_fee_rate == 0.0 and china.commitment_fee_rate == 0.0
    assert china.disbursement == (1.0,)
    assert eu.partner == "EU" and eu.interest_rate is None and eu.amount_usd == 500_000.5


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_the_example_files_validate_against_the_store(path, store):
    document = desk.read(store, path)
    assert len(document.offers) >= 2
    assert "ILLUSTRATIVE" in path.read_text().upper()


def test_there_are_at_least_two_examples():
    assert len(EXAMPLES) >= 2


LOAN = dict(
    id="bad",
    partner="CHN",
    kind="loan",
    amount_usd=5,
    interest_rate=0.01,
    maturity_years=10,
    grace_years=1,
    repayment="bullet",
)
"""A valid loan offer; each bad case below changes one thing in it."""


def test_the_base_loan_is_valid():
    assert parse(with_offer(**LOAN), KNOWN).offers[-1].id == "bad"


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        (dict(id="bad", partner="CHN", kind="grant", amount_usd=-5), "amount_usd", "negative"),
        (
            {**LOAN, "grace_years": 10},
            "grace_years",
            "shorter than maturity",
        ),
        (dict(id="bad", partner="XYZ", kind="grant", amount_usd=5), "partner", "unknown partner"),
        (dict(id="bad", partner="CHN", kind="grant"), "amount_usd", "missing"),
        (dict(id="bad", kind="grant", amount_usd=5), "partner", "missing"),
        (dict(id="bad", partner="CHN", kind="gift", amount_usd=5), "kind", "unknown"),
        (
            {**LOAN, "repayment": "balloon"},
            "repayment",
            "unknown",
        ),
        (
            {k: v for k, v in LOAN.items() if k != "interest_rate"},
            "interest_rate",
            "missing",
        ),
        (
            {**LOAN, "maturity_years": 10.25},
            "maturity_years",
            "whole number of periods",
        ),
        (
            dict(id="bad", partner="CHN", kind="grant", amount_usd=5, disbursement=[0.5, 0.4]),
            "disbursement",
            "sum to 1",
        ),
        (
            dict(id="bad", partner="CHN", kind="grant", amount_usd=5, interest_rate=0.0),
            "interest_rate",
            "no loan terms",
        ),
        (
            dict(id="bad", partner="CHN", kind="grant", amount_usd=5, colateral=True),
            "colateral",
            "unknown field",
        ),
        (dict(id="china", partner="CHN", kind="grant", amount_usd=5), "id", "duplicate"),
        # the bounds of docs/strategy.md, "Limits" (issue 15's reproductions first)
        ({**LOAN, "maturity_years": 100_000}, "maturity_years", "at most 100 years"),
        ({**LOAN, "payments_per_year": 1_000_000_000}, "payments_per_year", "from 1 to 12"),
        ({**LOAN, "maturity_years": 10_000}, "maturity_years", "at most 100 years"),
        ({**LOAN, "interest_rate": 3}, "interest_rate", "at most 1 (100 percent a year"),
        ({**LOAN, "upfront_fee_rate": 1.5}, "upfront_fee_rate", "at most 1"),
        ({**LOAN, "commitment_fee_rate": 2}, "commitment_fee_rate", "at most 1"),
        ({**LOAN, "payments_per_year": 0}, "payments_per_year", "from 1 to 12"),
        ({**LOAN, "amount_usd": 10**400}, "amount_usd", "finite number"),
        ({**LOAN, "amount_usd": float("nan")}, "amount_usd", "finite number"),
        ({**LOAN, "amount_usd": 2e15}, "amount_usd", "at most 1e+15"),
        ({**LOAN, "amount_usd": 0.5}, "amount_usd", "at least 1 US dollar"),
        ({**LOAN, "value_to_partner_usd": float("inf")}, "value_to_partner_usd", "finite"),
        ({**LOAN, "disbursement": [float("nan"), 1.0]}, "disbursement", "non-negative shares"),
        ({**LOAN, "disbursement": [0.001] * 1000}, "disbursement", "1009 years"),
        (
            {**LOAN, "maturity_years": 95, "disbursement": [0.5] * 2 + [0.0] * 5},
            "disbursement",
            "at most 100",
        ),
        (
            dict(id="bad", partner="CHN", kind="grant", amount_usd=5, payments_per_year=4),
            "payments_per_year",
            "no loan terms",
        ),
    ],
)
def test_bad_offers_name_the_offer_and_the_field(fields, field, words):
    found = problems(with_offer(**fields))
    assert len(found) == 1
    offer, named_field, message = found[0]
    assert offer == fields.get("id")
    assert named_field == field
    assert words in message


def test_the_largest_schedule_allowed_passes():
    """The bounds are inclusive: 100 years from signing, monthly, is a valid offer."""
    widest = {**LOAN, "maturity_years": 90, "payments_per_year": 12, "disbursement": [0.1] * 10}
    assert parse(with_offer(**widest), KNOWN).offers[-1].maturity_years == 90


def test_a_huge_bad_value_is_cut_short_in_the_message():
    found = problems(with_offer(**{**LOAN, "repayment": "x" * 10_000}))
    assert len(found[0][2]) < 120


def test_every_problem_is_reported_at_once_and_the_file_is_named(tmp_path):
    path = tmp_path / "offers.toml"
    path.write_text(
        with_offer(id="a", partner="XYZ", kind="grant", amount_usd=-1)
        + '\n[[offers]]\nid = "b"\npartner = "USA"\nkind = "loan"\namount_usd = 10\n'
    )
    with pytest.raises(OfferError) as info:
        load(path, KNOWN)
    message = str(info.value)
    assert str(path) in message
    assert {(o, f) for o, f, _ in info.value.problems} == {
        ("a", "partner"),
        ("a", "amount_usd"),
        ("b", "interest_rate"),
        ("b", "maturity_years"),
        ("b", "grace_years"),
        ("b", "repayment"),
    }
    assert "offer 'a', field 'partner'" in message


@pytest.mark.parametrize(
    ("text", "field"),
    [
        (
            'project = "x"\n[[offers]]\nid="a"\npartner="CHN"\nkind="grant"\namount_usd=1\n',
            "country",
        ),
        (
            'country = "ZZZ"\nproject = "x"\n[[offers]]\nid="a"\npartner="CHN"\nkind="grant"\n'
            "amount_usd=1\n",
            "country",
        ),
        (
            'country = "KEN"\n[[offers]]\nid="a"\npartner="CHN"\nkind="grant"\namount_usd=1\n',
            "project",
        ),
        ('country = "KEN"\nproject = "x"\n', "offers"),
    ],
)
def test_document_level_problems(text, field):
    assert [f for _, f, _ in problems(text)] == [field]


def test_invalid_toml_is_an_offer_error():
    assert "not valid TOML" in problems("country = \n")[0][2]


def test_a_bad_file_is_not_half_processed(store, monkeypatch):
    evaluated = []
    real_terms = desk.terms
    monkeypatch.setattr(desk, "terms", lambda *a, **k: evaluated.append(a) or real_terms(*a, **k))
    with pytest.raises(OfferError):
        desk.evaluate(store, with_offer(id="late", partner="CHN", kind="grant", amount_usd=-1))
    assert evaluated == []
    desk.evaluate(store, GOOD)
    assert len(evaluated) == 2


def test_the_borrower_cannot_be_its_own_partner():
    found = problems(with_offer(id="self", partner="KEN", kind="grant", amount_usd=5))
    assert found == [("self", "partner", "is the borrowing country itself")]
