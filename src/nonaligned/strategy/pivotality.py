"""How pivotal a country is between the poles: the leverage model's pi, a number in [0, 1].

Default derivation (docs/strategy.md, "Pivotality"):

* from the active-nonalignment index (:func:`nonaligned.index.country_index`,
  axis ``west-china``, no bootstrap): pi = sqrt(balance * activity), the
  geometric mean of how close to equidistant the country is and how
  intensely it engages with both sides. A country that leans clearly to
  one side (balance 0) or engages with neither (activity 0) cannot
  credibly switch patrons, so is not pivotal; one balanced and engaged
  with both is fully pivotal. Year: the last year of the trade data, so
  that both the diplomatic and the economic dimensions are measured.
* where the index package is not installed, from UN-vote agreement with
  the two poles (:func:`nonaligned.alignment.alignment`, Voeten's score in
  [0, 1]): pi = 1 - |agreement with USA - agreement with CHN|, in the same
  year. The result says which derivation was used.

Callers may always pass their own pi instead.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from nonaligned.alignment import alignment
from nonaligned.errors import QueryError
from nonaligned.exposure import trade_coverage
from nonaligned.query import check_country

if TYPE_CHECKING:
    from nonaligned.session import Store

__all__ = ["Pivotality", "pivotality"]

AXIS = "west-china"


@dataclass(frozen=True)
class Pivotality:
    """pi with the year and the derivation behind it (``source``: "index" or "alignment")."""

    value: float
    year: int
    source: str
    detail: str


def _from_index(store: Store, iso3: str, year: int) -> Pivotality | None:
    try:
        from nonaligned.index import country_index
    except ModuleNotFoundError as exc:
        if exc.name != "nonaligned.index":
            raise
        return None
    try:
        row = country_index(store, year=year, iso3=iso3, axis=AXIS, n_boot=0).iloc[0]
    except QueryError as exc:
        raise QueryError(f"{exc}; give the pivotality explicitly instead") from None
    if math.isnan(row.balance) or math.isnan(row.activity):
        raise QueryError(
            f"the index has no balance or activity for {iso3} in {year}; "
            "give the pivotality explicitly instead"
        )
    value = math.sqrt(row.balance * row.activity)
    detail = f"sqrt(balance {row.balance:.3f} x activity {row.activity:.3f}), axis {AXIS}"
    return Pivotality(value, year, "index", detail)


def _from_alignment(store: Store, iso3: str, year: int) -> Pivotality:
    table = alignment(store, iso3)
    agreement = table[table.year == year].set_index("pole").agreement
    if not {"USA", "CHN"} <= set(agreement.dropna().index):
        raise QueryError(
            f"no UN-vote agreement of {iso3} with both USA and CHN in {year}; "
            "give the pivotality explicitly instead"
        )
    usa, china = float(agreement["USA"]), float(agreement["CHN"])
    detail = f"1 - |agreement with USA {usa:.3f} - agreement with CHN {china:.3f}|"
    return Pivotality(1.0 - abs(usa - china), year, "alignment", detail)


def pivotality(store: Store, iso3: str, year: int | None = None) -> Pivotality:
    """The default pi of a country (see the module docstring), in ``year`` or the default year."""
    code = check_country(store, iso3)
    year = trade_coverage(store)[1] if year is None else year
    return _from_index(store, code, year) or _from_alignment(store, code, year)
