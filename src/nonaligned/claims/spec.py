"""The vocabulary of a claims file: fields, claim kinds, a parsed claim and an evaluation outcome.

Kept apart from parsing and from the evaluators so that both can share one
description of each kind (its fields, its default tolerance and the reason
for it), which is also what docs/claims.md documents.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from nonaligned.session import Store

SUPPORTED = "supported"
NOT_SUPPORTED = "not supported"
NOT_CHECKABLE = "not checkable"

# What a field names, so that validation can check it against the store.
Role = Literal["country", "region", "partner", "symbol", "plain"]
ToleranceUnit = Literal["percentage points", "relative", "count", "rank"]
Comparison = Literal["about", "at_least", "at_most"]
COMPARISONS: tuple[Comparison, ...] = ("about", "at_least", "at_most")


@dataclass(frozen=True)
class Field:
    """One key of a claim table: its type, whether it is required, its allowed values."""

    name: str
    type: type
    doc: str
    required: bool = True
    choices: tuple[str, ...] | None = None
    default: Any = None
    role: Role = "plain"


@dataclass(frozen=True)
class Claim:
    """One validated claim: its kind's fields in ``params`` (defaults filled in)."""

    id: str
    kind: str
    params: dict[str, Any]
    tolerance: float | None
    max_year_gap: int
    compare: Comparison = "about"
    statement: str | None = None
    said_by: str | None = None
    source: str | None = None
    line: int | None = None


@dataclass(frozen=True)
class Outcome:
    """What the data say about one claim."""

    verdict: str
    explanation: str
    sources: tuple[str, ...]
    value: Any = None
    year_used: int | None = None
    from_year_used: int | None = None


Evaluator = Callable[["Store", Claim], Outcome]


@dataclass(frozen=True)
class Kind:
    """A kind of claim: its fields, the field holding the claimed value, its tolerance.

    ``one_of`` lists groups of fields of which exactly one must be given;
    ``requires`` maps an optional field to the (field, value) that makes it
    required.
    ``tolerance`` is the default (``None``: an exact comparison, no tolerance
    applies) in ``tolerance_unit``; ``tolerance_reason`` says why that default.
    """

    name: str
    doc: str
    fields: tuple[Field, ...]
    claimed: tuple[str, ...]
    evaluate: Evaluator
    tolerance: float | None
    tolerance_unit: ToleranceUnit | None
    tolerance_reason: str
    one_of: tuple[tuple[str, ...], ...] = field(default=())
    requires: dict[str, tuple[str, str]] = field(default_factory=dict)
    year_field: str | None = None


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a claims file."""

    message: str
    claim: str | None = None
    field: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        where = ", ".join(
            part
            for part in (
                f"claim {self.claim!r}" if self.claim else "",
                f"field {self.field!r}" if self.field else "",
                f"line {self.line}" if self.line else "",
            )
            if part
        )
        return f"{where}: {self.message}" if where else self.message
