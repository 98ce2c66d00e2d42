"""Check validated claims against the store: one record per claim, with its sources."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from nonaligned import query
from nonaligned.claims.kinds import KINDS
from nonaligned.claims.spec import Claim

if TYPE_CHECKING:
    from nonaligned.session import Store

__all__ = ["COLUMNS", "check"]

COLUMNS = [
    "claim_id",
    "kind",
    "compare",
    "claimed",
    "value",
    "year",
    "year_used",
    "from_year",
    "from_year_used",
    "verdict",
    "tolerance",
    "tolerance_unit",
    "sources",
    "explanation",
    "statement",
    "said_by",
    "source",
]


def _plain(value: object) -> object:
    """NumPy scalars become Python ones, floats rounded for reading (verdicts are already
    judged on the unrounded value)."""
    if hasattr(value, "item"):
        value = value.item()
    return round(value, 4) if isinstance(value, float) else value


def check(store: Store, claims: list[Claim]) -> pd.DataFrame:
    """One record per claim: the data's value and year, the verdict, the tolerance used,
    the sources behind the value (with their versions) and a short explanation.

    ``year`` and ``from_year`` are the claimed years (``from_year`` for growth
    claims only); ``year_used`` and ``from_year_used`` those of the data.
    """
    versions = query.provenance_versions(store)
    rows = []
    for claim in claims:
        kind = KINDS[claim.kind]
        outcome = kind.evaluate(store, claim)
        params = claim.params
        claimed = [params[name] for name in kind.claimed]
        rows.append(
            {
                "claim_id": claim.id,
                "kind": claim.kind,
                "compare": claim.compare if kind.tolerance is not None else None,
                "claimed": claimed[0] if len(claimed) == 1 else claimed,
                "value": _plain(outcome.value),
                "year": params.get(kind.year_field) if kind.year_field else None,
                "year_used": outcome.year_used,
                "from_year": params.get("from_year"),
                "from_year_used": outcome.from_year_used,
                "verdict": outcome.verdict,
                "tolerance": claim.tolerance,
                "tolerance_unit": kind.tolerance_unit,
                "sources": "; ".join(
                    f"{s} {versions.get(s, '(not in store)')}" for s in outcome.sources
                ),
                "explanation": outcome.explanation,
                "statement": claim.statement,
                "said_by": claim.said_by,
                "source": claim.source,
            }
        )
    return pd.DataFrame(rows, columns=COLUMNS).astype(
        {c: "Int64" for c in ("year", "year_used", "from_year", "from_year_used")}
    )
