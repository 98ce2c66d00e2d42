"""Claim checks: statements about votes, trade and Chinese finance, checked against the store.

A claims file (TOML, docs/claims.md) lists statements such as "Chile does 25
percent of its trade with China in 2015" or "17 African states abstained on
A/RES/ES-11/1". :func:`load` validates the whole file first (every problem
located by claim, field and line); :func:`check` then gives, per claim, the
data's value, the year used (the nearest year the data cover), a verdict
(supported / not supported / not checkable) with the tolerance used, and the
sources behind the value. Verdicts come only from the store.
"""

from nonaligned.claims.check import COLUMNS, check
from nonaligned.claims.kinds import KINDS
from nonaligned.claims.load import DEFAULT_MAX_YEAR_GAP, load
from nonaligned.claims.spec import (
    NOT_CHECKABLE,
    NOT_SUPPORTED,
    SUPPORTED,
    Claim,
)

__all__ = [
    "COLUMNS",
    "DEFAULT_MAX_YEAR_GAP",
    "KINDS",
    "NOT_CHECKABLE",
    "NOT_SUPPORTED",
    "SUPPORTED",
    "Claim",
    "check",
    "load",
]
