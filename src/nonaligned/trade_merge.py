"""One trade table from DOTS and IMTS, and how well the two agree where both report.

DOTS (the 2022 snapshot, 1960-2020) and IMTS (live, from 2015) are the same
IMF statistics published twice, so their overlap is a check, not a choice.
**Rule**: every DOTS row is kept as it is; IMTS rows enter only for years
after DOTS's last year. A store built without IMTS is therefore exactly the
DOTS store, and the measures of 1960-2020 never move when IMTS is fetched.
Each row records its ``source``.

**Agreement** over the overlapping years compares the cells present in both
(reporter, partner, year, flow) where both values are at least
:data:`MIN_CELL_USD`: the relative difference |a - b| / max(a, b), its median
and the share of cells within :data:`TOLERANCE`, per year and over all years
(``year`` NULL). Smaller cells are left out because the DOTS workbooks round
to US$0.01 million, which makes their relative differences meaningless.
Revisions between the 2022 DOTS release and today's IMTS are expected to
move some cells; the figures say how many, they do not reject a build.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

__all__ = ["MIN_CELL_USD", "OVERLAP_COLUMNS", "TOLERANCE", "agreement", "merge_trade"]

log = logging.getLogger(__name__)

TOLERANCE = 0.05  # relative difference within which two records of a cell agree
MIN_CELL_USD = 1e6
KEYS = ["reporter_iso3", "partner_code", "year", "flow"]
OVERLAP_COLUMNS = ["year", "cells", "within_tolerance", "median_rel_diff", "tolerance"]


def agreement(dots: pd.DataFrame, imts: pd.DataFrame) -> pd.DataFrame:
    """Per overlapping year (and all years, ``year`` missing): cells compared, cells
    within :data:`TOLERANCE`, median relative difference."""
    both = dots[[*KEYS, "value_usd"]].merge(
        imts[[*KEYS, "value_usd"]], on=KEYS, suffixes=("_dots", "_imts")
    )
    a, b = both.value_usd_dots, both.value_usd_imts
    both = both[(a >= MIN_CELL_USD) & (b >= MIN_CELL_USD)]
    diff = (both.value_usd_dots - both.value_usd_imts).abs() / np.maximum(
        both.value_usd_dots, both.value_usd_imts
    )
    frame = pd.DataFrame({"year": both.year, "diff": diff})

    def summary(group: pd.DataFrame) -> dict:
        return {
            "cells": len(group),
            "within_tolerance": int((group["diff"] <= TOLERANCE).sum()),
            "median_rel_diff": float(group["diff"].median()),
        }

    rows = [{"year": year, **summary(group)} for year, group in frame.groupby("year")]
    if rows:
        rows.append({"year": None, **summary(frame)})
    table = pd.DataFrame(rows, columns=OVERLAP_COLUMNS[:-1]).assign(tolerance=TOLERANCE)
    return table.astype({"year": "Int64", "cells": "int64", "within_tolerance": "int64"})


def merge_trade(dots: pd.DataFrame, imts: pd.DataFrame | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The store's ``trade_flows`` (with ``source``) and its ``trade_overlap`` table."""
    dots = dots.assign(source="imf_dots")
    if imts is None or imts.empty:
        return dots, agreement(dots.iloc[:0], dots.iloc[:0])
    last = int(dots.year.max())
    later = imts[imts.year > last].assign(source="imf_imts")
    overlap = agreement(dots, imts[imts.year <= last])
    if len(overlap):
        total = overlap[overlap.year.isna()].iloc[0]
        log.info(
            "DOTS/IMTS overlap: %d cells, %.1f%% within %.0f%%, median difference %.2f%%",
            total.cells,
            100 * total.within_tolerance / total.cells,
            100 * TOLERANCE,
            100 * total.median_rel_diff,
        )
    merged = pd.concat([dots, later], ignore_index=True)
    return merged.sort_values(
        ["reporter_iso3", "flow", "partner_code", "year"], ignore_index=True
    ), overlap
