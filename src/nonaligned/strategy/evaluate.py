"""Evaluate an offers document against the store: terms, schedules and exposure per offer.

This is the Python API behind ``nonaligned offers evaluate`` and the web
app's offer evaluator. An offers document may be given as a path, a TOML
string or an already-parsed mapping; it is validated in full (against the
store's countries) before anything is computed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from nonaligned import query
from nonaligned.errors import QueryError
from nonaligned.strategy import leverage
from nonaligned.strategy import offers as offers_file
from nonaligned.strategy.exposure_change import baseline, debt_exposure, trade_context
from nonaligned.strategy.offers import OffersDocument
from nonaligned.strategy.pivotality import pivotality as default_pivotality
from nonaligned.strategy.schedule import SCHEDULE_COLUMNS, schedule
from nonaligned.strategy.terms import (
    DEFAULT_CONCESSIONAL_THRESHOLD,
    DEFAULT_CONVENTION,
    DEFAULT_DISCOUNT_RATE,
    Convention,
    check_convention,
    terms,
)

if TYPE_CHECKING:
    from nonaligned.session import Store

__all__ = [
    "Source",
    "compete",
    "country_checker",
    "evaluate",
    "exposure",
    "read",
    "schedules",
]

Source = Path | str | Mapping[str, Any] | OffersDocument

_DEBT_COLUMNS = [
    "new_debt_pct_gdp",
    "gdp_year",
    "exposure_before",
    "exposure_after",
    "debt_year",
    "debt_gdp_year",
]
EVALUATE_COLUMNS = [
    "offer_id",
    "partner",
    "kind",
    "amount_usd",
    "interest_rate",
    "grant_element",
    "grant_equivalent_usd",
    "pv_usd",
    "concessional",
    "effective_rate",
    "total_debt_service_usd",
    *_DEBT_COLUMNS,
    "collateral",
    "exclusivity",
    "local_content",
]


def country_checker(store: Store) -> Callable[[str], bool]:
    """Whether an ISO3 code is in the store's countries table."""
    return offers_file.known_codes(query.country_codes(store))


def read(store: Store, source: Source) -> OffersDocument:
    """A validated offers document from a path, TOML text, a mapping or a document."""
    if isinstance(source, OffersDocument):
        return source
    if isinstance(source, Path):
        return offers_file.load(source, country_checker(store))
    return offers_file.parse(source, country_checker(store))


def _check_rates(discount_rate: float, threshold: float, convention: str) -> None:
    """Refuse rates the grant element cannot use, before reading the document (NaN fails
    every comparison, so is refused too)."""
    if not 0.0 <= discount_rate < 1.0:
        raise QueryError(f"discount rate {discount_rate!r} must be in [0, 1), e.g. 0.05")
    if not 0.0 <= threshold <= 1.0:
        raise QueryError(f"concessionality threshold {threshold!r} must be in [0, 1], e.g. 0.35")
    check_convention(convention)


def evaluate(
    store: Store,
    source: Source,
    discount_rate: float = DEFAULT_DISCOUNT_RATE,
    threshold: float = DEFAULT_CONCESSIONAL_THRESHOLD,
    convention: Convention = DEFAULT_CONVENTION,
) -> pd.DataFrame:
    """Each offer on its own terms, one row per offer in file order.

    Columns (:data:`EVALUATE_COLUMNS`): the offer's ``offer_id, partner,
    kind, amount_usd, interest_rate``; ``grant_element`` (fraction, at
    ``discount_rate`` per ``convention``: see
    :func:`nonaligned.strategy.terms.period_rate`), ``grant_equivalent_usd``, ``pv_usd``
    (present value of the debt service), ``concessional`` (grant element at
    least ``threshold``), ``effective_rate`` (IRR of the borrower's flows,
    annual), ``total_debt_service_usd`` (nominal); ``new_debt_pct_gdp``,
    ``exposure_before/after`` (debt owed to the partner, percent of GDP,
    missing where the store does not know it) with the years of the inputs
    they divide (``gdp_year, debt_year, debt_gdp_year``: see
    :mod:`nonaligned.strategy.exposure_change`); the clause flags.
    """
    _check_rates(discount_rate, threshold, convention)
    document = read(store, source)
    debt = debt_exposure(document, baseline(store, document.country)).set_index("offer_id")
    rows = []
    for offer in document.offers:
        figures = asdict(terms(offer, discount_rate, threshold, convention))
        rows.append(
            {
                "offer_id": offer.id,
                "partner": offer.partner,
                "kind": offer.kind,
                "amount_usd": offer.amount_usd,
                "interest_rate": offer.interest_rate,
                **figures,
                **debt.loc[offer.id, _DEBT_COLUMNS],
                "collateral": offer.collateral,
                "exclusivity": offer.exclusivity,
                "local_content": offer.local_content,
            }
        )
    table = pd.DataFrame(rows)
    table["concessional"] = table.concessional.astype("boolean")
    return table[EVALUATE_COLUMNS]


def schedules(store: Store, source: Source) -> pd.DataFrame:
    """The debt-service schedule of every loan in the document, stacked: ``offer_id`` first."""
    document = read(store, source)
    parts = [schedule(o).assign(offer_id=o.id) for o in document.offers if o.kind == "loan"]
    if not parts:
        return pd.DataFrame(columns=["offer_id", *SCHEDULE_COLUMNS])
    return pd.concat(parts, ignore_index=True)[["offer_id", *SCHEDULE_COLUMNS]]


def exposure(store: Store, source: Source) -> pd.DataFrame:
    """Debt before/after, the partner's net aid flow and trade context for each offer (one row
    per offer; the columns of :func:`nonaligned.strategy.exposure_change.debt_exposure` and
    :func:`nonaligned.strategy.exposure_change.trade_context`)."""
    document = read(store, source)
    debt = debt_exposure(document, baseline(store, document.country))
    return debt.merge(trade_context(store, document), on=["offer_id", "partner"])


def compete(
    store: Store,
    source: Source,
    pivotality: float | None = None,
    year: int | None = None,
    discount_rate: float = DEFAULT_DISCOUNT_RATE,
    value_share: float = leverage.DEFAULT_VALUE_SHARE,
    convention: Convention = DEFAULT_CONVENTION,
) -> pd.DataFrame:
    """Committed versus competitive terms per partner under the leverage model.

    ``pivotality`` (in [0, 1]) is derived from the index for the document's
    country when not given (:mod:`nonaligned.strategy.pivotality`; ``year``
    picks the year). Columns: :data:`nonaligned.strategy.leverage.COMPETE_COLUMNS`
    (``model`` first) plus ``pivotality_source`` and ``pivotality_year``
    (None when given), rounded to what the model can say
    (:func:`nonaligned.strategy.leverage.as_reported`).
    """
    _check_rates(discount_rate, DEFAULT_CONCESSIONAL_THRESHOLD, convention)
    if not 0.0 <= value_share <= 1.0:
        raise QueryError(f"value share {value_share!r} must be in [0, 1], e.g. 0.1")
    if pivotality is not None and not 0.0 <= pivotality <= 1.0:
        raise QueryError(f"pivotality {pivotality!r} must be in [0, 1]")
    document = read(store, source)
    if pivotality is None:
        derived = default_pivotality(store, document.country, year)
        pi, origin, when = derived.value, f"{derived.source}: {derived.detail}", derived.year
    else:
        pi, origin, when = pivotality, "given", None
    table = leverage.compete(document.offers, pi, discount_rate, value_share, convention)
    return leverage.as_reported(table).assign(pivotality_source=origin, pivotality_year=when)
