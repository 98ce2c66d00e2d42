"""Constants and small types the command line needs before any command runs.

Typer reads every option's type, default and help when :mod:`nonaligned.cli`
is imported, so what they name lives here, free of heavy imports (pandas,
numpy, duckdb, ibis, scipy): importing the CLI then costs a tenth of a second,
not seconds, for ``nonaligned serve`` and every other command. Each value is
defined here once; the modules it belongs to import it from here and keep
exporting it (``nonaligned.output.Format``, ``nonaligned.engines.ENGINE_ENV``,
``nonaligned.strategy.terms.DEFAULT_DISCOUNT_RATE``, ...).
"""

from __future__ import annotations

import enum
from typing import Literal


class Format(enum.StrEnum):
    """Output formats of the commands (:func:`nonaligned.output.render`)."""

    table = "table"
    json = "json"
    csv = "csv"
    parquet = "parquet"
    dta = "dta"


ENGINE_ENV = "NONALIGNED_ENGINE"  # environment variable naming the engine (nonaligned.engines)

# Defaults of the index's class thresholds (nonaligned.index.Thresholds, which explains them).
LEAN_THRESHOLD = 1 / 3
ACTIVITY_THRESHOLD = 0.5
MIN_ROLL_CALLS = 20

# Conventions of the strategy desk (nonaligned.strategy.terms and .leverage; docs/strategy.md).
DEFAULT_DISCOUNT_RATE = 0.05
DEFAULT_CONCESSIONAL_THRESHOLD = 0.35
Convention = Literal["oecd-dac", "nominal"]
CONVENTIONS: tuple[Convention, ...] = ("oecd-dac", "nominal")
DEFAULT_CONVENTION: Convention = "oecd-dac"
DEFAULT_VALUE_SHARE = 0.10
