"""The offers file: parse and validate a TOML document of competing offers for one project.

An analyst writes one file per project (see ``examples/offers/`` and
docs/strategy.md): top-level ``country`` (ISO3) and ``project``, then an
array of tables ``[[offers]]``. The whole document is validated before
anything is computed, and every problem found is reported at once, each
naming the file, the offer id and the field, so that a bad file is never
half-evaluated.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nonaligned.errors import OfferError

__all__ = [
    "KINDS",
    "MAX_AMOUNT_USD",
    "MAX_PAYMENTS_PER_YEAR",
    "MAX_RATE",
    "MAX_YEARS",
    "REPAYMENTS",
    "Offer",
    "OffersDocument",
    "known_codes",
    "load",
    "parse",
]

KINDS = ("loan", "grant", "equity", "guarantee")
REPAYMENTS = ("annuity", "equal_principal", "bullet")
FLAGS = ("collateral", "exclusivity", "local_content")
EU = "EU"
DEFAULT_PAYMENTS_PER_YEAR = 2
# Bounds (docs/strategy.md, "Limits"): beyond them an offer is a typo or a stress test, and
# its schedule would cost unbounded memory and time or leave floating point.
MAX_YEARS = 100  # maturity, and the whole schedule from signing to the last payment
MAX_PAYMENTS_PER_YEAR = 12  # monthly; so a schedule has at most 1,200 periods
MAX_RATE = 1.0  # interest and fee rates: 1 = 100 percent a year
MAX_AMOUNT_USD = 1e15  # ten times world GDP
MIN_AMOUNT_USD = 1.0
_UPPER = {
    "amount_usd": (MAX_AMOUNT_USD, " US dollars"),
    "value_to_partner_usd": (MAX_AMOUNT_USD, " US dollars"),
    "interest_rate": (MAX_RATE, " (100 percent a year; rates are fractions: 0.03 = 3 percent)"),
    "upfront_fee_rate": (MAX_RATE, " (the whole amount; rates are fractions)"),
    "commitment_fee_rate": (MAX_RATE, " (100 percent a year; rates are fractions)"),
    "maturity_years": (MAX_YEARS, " years"),
    "grace_years": (MAX_YEARS, " years"),
}
_LOAN_FIELDS = ("interest_rate", "maturity_years", "grace_years", "repayment")
_KNOWN_FIELDS = frozenset(
    {
        "id",
        "partner",
        "kind",
        "amount_usd",
        *_LOAN_FIELDS,
        "payments_per_year",
        "upfront_fee_rate",
        "commitment_fee_rate",
        "disbursement",
        "value_to_partner_usd",
        "conditions",
        *FLAGS,
    }
)


@dataclass(frozen=True)
class Offer:
    """One offer, validated. Loan terms are None for grants, equity and guarantees.

    ``disbursement`` gives the shares of ``amount_usd`` paid out at the start
    of year 0 (signing), 1, 2, ...; ``(1.0,)`` means all at signing.
    ``value_to_partner_usd`` is the optional input of the leverage model.
    """

    id: str
    partner: str
    kind: str
    amount_usd: float
    interest_rate: float | None = None
    maturity_years: float | None = None
    grace_years: float | None = None
    repayment: str | None = None
    payments_per_year: int = DEFAULT_PAYMENTS_PER_YEAR
    upfront_fee_rate: float = 0.0
    commitment_fee_rate: float = 0.0
    disbursement: tuple[float, ...] = (1.0,)
    value_to_partner_usd: float | None = None
    conditions: str = ""
    collateral: bool = False
    exclusivity: bool = False
    local_content: bool = False


@dataclass(frozen=True)
class OffersDocument:
    """A validated offers file: the borrowing country, the project, the offers in file order."""

    country: str
    project: str
    offers: tuple[Offer, ...]
    path: str | None = None


class _Problems:
    """Collects (offer, field, message) triples while a document is checked."""

    def __init__(self) -> None:
        self.items: list[tuple[str | None, str | None, str]] = []

    def add(self, offer: str | None, field: str | None, message: str) -> None:
        self.items.append((offer, field, message))


def _shown(value: Any) -> str:
    """A bad value for a message, cut short (a hostile file may hold megabytes in one field)."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _finite(value: Any) -> float | None:
    """The value as a finite float, or None (booleans, text, NaN, infinities, huge integers)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        number = float(value)
    except OverflowError:  # an integer beyond any float
        return None
    return number if math.isfinite(number) else None


def _number(raw: Mapping, key: str, offer: str, problems: _Problems, *, required: bool) -> Any:
    """A non-negative finite number within the field's upper bound (:data:`_UPPER`), or None."""
    if key not in raw:
        if required:
            problems.add(offer, key, "missing")
        return None
    value = _finite(raw[key])
    if value is None:
        problems.add(offer, key, f"must be a finite number, got {_shown(raw[key])}")
        return None
    if value < 0:
        problems.add(offer, key, f"must not be negative, got {value:g}")
        return None
    high, unit = _UPPER[key]
    if value > high:
        problems.add(offer, key, f"must be at most {high:g}{unit}, got {value:g}")
        return None
    return value


def _whole_periods(years: float, per_year: int) -> bool:
    periods = years * per_year
    return abs(periods - round(periods)) < 1e-9


def _loan_terms(raw: Mapping, offer: str, problems: _Problems) -> dict[str, Any]:
    terms: dict[str, Any] = {}
    ppy = raw.get("payments_per_year", DEFAULT_PAYMENTS_PER_YEAR)
    if isinstance(ppy, bool) or not isinstance(ppy, int) or not 1 <= ppy <= MAX_PAYMENTS_PER_YEAR:
        problems.add(
            offer,
            "payments_per_year",
            f"must be a whole number from 1 to {MAX_PAYMENTS_PER_YEAR} (monthly), "
            f"got {_shown(ppy)}",
        )
        ppy = None
    terms["payments_per_year"] = ppy
    for key in ("interest_rate", "maturity_years", "grace_years"):
        terms[key] = _number(raw, key, offer, problems, required=True)
    for key in ("upfront_fee_rate", "commitment_fee_rate"):
        terms[key] = _number(raw, key, offer, problems, required=False) or 0.0
    repayment = raw.get("repayment")
    if repayment is None:
        problems.add(offer, "repayment", "missing")
    elif repayment not in REPAYMENTS:
        problems.add(
            offer, "repayment", f"unknown {_shown(repayment)}: use {', '.join(REPAYMENTS)}"
        )
    terms["repayment"] = repayment
    maturity, grace = terms["maturity_years"], terms["grace_years"]
    if maturity is not None and maturity == 0:
        problems.add(offer, "maturity_years", "must be positive")
    if maturity is not None and grace is not None and grace >= maturity:
        problems.add(
            offer,
            "grace_years",
            f"grace ({grace:g} years) must be shorter than maturity ({maturity:g} years)",
        )
    if ppy is not None:
        for key in ("maturity_years", "grace_years"):
            if terms[key] is not None and not _whole_periods(terms[key], ppy):
                problems.add(
                    offer,
                    key,
                    f"{terms[key]:g} years is not a whole number of "
                    f"periods at {ppy} payments a year",
                )
    return terms


def _disbursement(raw: Mapping, offer: str, problems: _Problems) -> tuple[float, ...]:
    if "disbursement" not in raw:
        return (1.0,)
    raw_shares = raw["disbursement"]
    shares = [_finite(s) for s in raw_shares] if isinstance(raw_shares, list) else []
    if not shares or any(s is None or s < 0 for s in shares):
        problems.add(offer, "disbursement", "must be a list of non-negative shares, one a year")
        return (1.0,)
    if not abs(sum(shares) - 1.0) <= 1e-9:
        problems.add(offer, "disbursement", f"shares must sum to 1, they sum to {sum(shares):g}")
        return (1.0,)
    return tuple(shares)


def _schedule_span(
    disbursement: tuple[float, ...], maturity: float | None, offer: str, problems: _Problems
) -> None:
    """Refuse a schedule running more than :data:`MAX_YEARS` from signing to the last payment.

    Each tranche is repaid over the full maturity from its own disbursement
    (docs/strategy.md), so the last payment falls (years of disbursement - 1)
    + maturity after signing; within 100 years every discount factor at a
    rate below 100 percent stays far above floating-point underflow.
    """
    years = len(disbursement) - 1 + (maturity or 0.0)
    if years > MAX_YEARS:
        loan = f" + {maturity:g} of maturity" if maturity else ""
        problems.add(
            offer,
            "disbursement",
            f"the schedule would run {years:g} years from signing to the last payment "
            f"({len(disbursement) - 1} years of disbursements{loan}); at most {MAX_YEARS}",
        )


def _offer(
    raw: Any, index: int, is_partner: Callable[[str], bool], seen: set[str], problems: _Problems
) -> Offer | None:
    if not isinstance(raw, Mapping):
        problems.add(f"#{index + 1}", None, "each [[offers]] entry must be a table")
        return None
    offer_id = raw.get("id")
    if not isinstance(offer_id, str) or not offer_id.strip():
        problems.add(f"#{index + 1}", "id", "missing (every offer needs a text id)")
        offer_id = f"#{index + 1}"
    elif offer_id in seen:
        problems.add(offer_id, "id", "duplicate id")
    seen.add(offer_id)
    before = len(problems.items)
    for key in sorted(set(raw) - _KNOWN_FIELDS):
        problems.add(offer_id, key, "unknown field (a typo?)")
    partner = raw.get("partner")
    if not isinstance(partner, str) or not partner.strip():
        problems.add(offer_id, "partner", "missing")
    else:
        partner = partner.strip().upper()
        if not is_partner(partner):
            problems.add(
                offer_id,
                "partner",
                f"unknown partner {_shown(raw['partner'])}: "
                "use an ISO3 country code in the store or EU",
            )
    kind = raw.get("kind")
    if kind is None:
        problems.add(offer_id, "kind", "missing")
    elif kind not in KINDS:
        problems.add(offer_id, "kind", f"unknown {_shown(kind)}: use {', '.join(KINDS)}")
    amount = _number(raw, "amount_usd", offer_id, problems, required=True)
    if amount is not None and amount < MIN_AMOUNT_USD:
        problems.add(offer_id, "amount_usd", f"must be at least {MIN_AMOUNT_USD:g} US dollar")
    value = _number(raw, "value_to_partner_usd", offer_id, problems, required=False)
    terms: dict[str, Any] = {}
    if kind == "loan":
        terms = _loan_terms(raw, offer_id, problems)
    else:
        loan_only = {*_LOAN_FIELDS, "payments_per_year", "upfront_fee_rate", "commitment_fee_rate"}
        for key in sorted(set(raw) & loan_only):
            problems.add(offer_id, key, f"a {kind} has no loan terms")
    disbursement = _disbursement(raw, offer_id, problems)
    _schedule_span(disbursement, terms.get("maturity_years"), offer_id, problems)
    conditions = raw.get("conditions", "")
    if not isinstance(conditions, str):
        problems.add(offer_id, "conditions", "must be text")
    flags = {}
    for flag in FLAGS:
        flags[flag] = raw.get(flag, False)
        if not isinstance(flags[flag], bool):
            problems.add(offer_id, flag, f"must be true or false, got {_shown(flags[flag])}")
    if len(problems.items) > before:
        return None
    return Offer(
        id=offer_id,
        partner=partner,
        kind=kind,
        amount_usd=amount,
        disbursement=disbursement,
        value_to_partner_usd=value,
        conditions=conditions,
        **terms,
        **flags,
    )


def parse(
    document: Mapping[str, Any] | str,
    is_country: Callable[[str], bool],
    path: str | Path | None = None,
) -> OffersDocument:
    """Validate an offers document (a TOML string or an already-parsed mapping).

    ``is_country`` says whether an ISO3 code is a known country (the store's
    countries table; see :func:`nonaligned.strategy.evaluate.country_checker`).
    Raises :class:`OfferError` listing every problem; returns only a fully
    valid document.
    """
    where = str(path) if path is not None else None
    if isinstance(document, str):
        try:
            document = tomllib.loads(document)
        except tomllib.TOMLDecodeError as exc:
            raise OfferError([(None, None, f"not valid TOML: {exc}")], where) from None
        except RecursionError:  # tomllib recurses once per nested array or table
            raise OfferError([(None, None, "not valid TOML: nested too deeply")], where) from None
    problems = _Problems()
    for key in sorted(set(document) - {"country", "project", "offers"}):
        problems.add(None, key, "unknown top-level key")
    country = document.get("country")
    if not isinstance(country, str) or not country.strip():
        problems.add(None, "country", "missing (the borrowing country's ISO3 code)")
    else:
        country = country.strip().upper()
        if not is_country(country):
            problems.add(None, "country", f"unknown country code {_shown(document['country'])}")
    project = document.get("project")
    if not isinstance(project, str) or not project.strip():
        problems.add(None, "project", "missing (a short description of the project)")
    raw_offers = document.get("offers")
    borrower = country if isinstance(country, str) else None
    offers: list[Offer] = []
    if not isinstance(raw_offers, list) or not raw_offers:
        problems.add(None, "offers", "missing: give at least one [[offers]] table")
    else:
        seen: set[str] = set()

        def is_partner(code: str) -> bool:
            return code == EU or is_country(code)

        for index, raw in enumerate(raw_offers):
            offer = _offer(raw, index, is_partner, seen, problems)
            if offer is not None and offer.partner == borrower:
                problems.add(offer.id, "partner", "is the borrowing country itself")
            elif offer is not None:
                offers.append(offer)
    if problems.items:
        raise OfferError(problems.items, where)
    return OffersDocument(country=country, project=project, offers=tuple(offers), path=where)


def load(path: str | Path, is_country: Callable[[str], bool]) -> OffersDocument:
    """Read and validate an offers file; errors name the file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise OfferError(
            [(None, None, f"cannot read the file: {exc.strerror}")], str(path)
        ) from None
    except UnicodeDecodeError as exc:
        raise OfferError(
            [(None, None, f"not UTF-8 text (byte {exc.start}); TOML files are UTF-8")], str(path)
        ) from None
    return parse(text, is_country, path=path)


def known_codes(codes: Iterable[str]) -> Callable[[str], bool]:
    """A country check from a set of ISO3 codes (for tests and callers without a store)."""
    known = frozenset(codes)
    return known.__contains__
