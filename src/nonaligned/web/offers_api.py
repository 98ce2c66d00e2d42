"""The offer evaluator's API: POST an offers document, get each offer on its own terms.

Validation is the strategy desk's (:mod:`nonaligned.strategy.offers`): a
malformed document is a 400 listing every problem, never a partial answer.
The body is size-limited by the app's middleware and by the field limit here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field

from nonaligned.constants import DEFAULT_CONCESSIONAL_THRESHOLD, DEFAULT_DISCOUNT_RATE
from nonaligned.web.api import ERRORS, ErrorBody, records
from nonaligned.web.lazy import LazyModule

if TYPE_CHECKING:
    from nonaligned.strategy import evaluate
    from nonaligned.web import charts
else:  # scipy and altair: imported by the first evaluation, not at start-up
    evaluate = LazyModule("nonaligned.strategy.evaluate")
    charts = LazyModule("nonaligned.web.charts")

router = APIRouter(
    prefix="/api/offers",
    responses={
        **ERRORS,
        413: {"model": ErrorBody, "description": "Body over the limit (64 KiB)"},
    },
)

MAX_DOCUMENT_CHARS = 32_000
PLAUSIBLE_RATE = 0.30  # above: probably a typo (3 for 3 percent is refused outright)
PLAUSIBLE_MATURITY_YEARS = 50


def warnings(document: Any) -> list[str]:
    """Terms that are allowed but implausible, said beside the results (not refused: a
    punitive rate or a century bond can be real)."""
    found = []
    for offer in document.offers:
        if (offer.interest_rate or 0) > PLAUSIBLE_RATE:
            found.append(
                f"{offer.id}: interest of {offer.interest_rate:.0%} a year is above "
                f"{PLAUSIBLE_RATE:.0%}; rates are fractions (0.03 = 3 percent)"
            )
        if (offer.maturity_years or 0) > PLAUSIBLE_MATURITY_YEARS:
            found.append(
                f"{offer.id}: a maturity of {offer.maturity_years:g} years is above "
                f"{PLAUSIBLE_MATURITY_YEARS}"
            )
    return found


class OffersRequest(BaseModel):
    """An offers document (TOML, as ``nonaligned offers evaluate`` reads) and the rates."""

    model_config = ConfigDict(extra="forbid")

    toml: str = Field(
        max_length=MAX_DOCUMENT_CHARS,
        description="Offers document in TOML: country, project and [[offers]] (docs/strategy.md)",
    )
    discount_rate: float = Field(DEFAULT_DISCOUNT_RATE, ge=0.0, lt=1.0)
    threshold: float = Field(DEFAULT_CONCESSIONAL_THRESHOLD, ge=0.0, le=1.0)


@router.post("/evaluate", summary="Each offer's grant element, schedule and exposure")
def evaluate_offers(request: Request, body: OffersRequest) -> dict[str, Any]:
    with request.app.state.store.reading():
        store = request.app.state.store
        document = evaluate.read(store, body.toml)
        table = evaluate.evaluate(store, document, body.discount_rate, body.threshold)
        schedules = evaluate.schedules(store, document)
    return {
        "country": document.country,
        "project": document.project,
        "evaluation": records(table),
        "schedules": records(schedules),
        "warnings": warnings(document),
        "chart": charts.debt_service(schedules) if len(schedules) else None,
    }
