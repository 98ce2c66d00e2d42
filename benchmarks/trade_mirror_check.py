"""How far exporters' and importers' records of one flow disagree, and what a factor replaces.

Measures the real store's ``trade_flows``, to choose
:data:`nonaligned.measures.trade.IMPORTER_FACTOR` (docs/trade.md). For every
exports cell reported by r to partner p where p also reports its imports
from r, it prints quantiles of the ratio reporter/importer (both positive;
plain and weighted by the reporter's value), how many pairs have a zero on
one side only, and, for each factor, how many cells (all, and those above
US$1 bn) and how much value :func:`nonaligned.measures.trade.partner_flows`
replaces. ``_all`` figures cover 1960-2020, ``_2000`` figures 2000-2020.
Last, what the default factor does to :func:`~nonaligned.measures.trade.pole_trade`.
Prints ``name=value`` lines.

    python benchmarks/trade_mirror_check.py [--db PATH] [--factors 2 3 5 10]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

import nonaligned
from nonaligned import query
from nonaligned.measures.trade import (
    IMPORTER_FACTOR,
    POLES,
    WORLD,
    beside_importer,
    partner_flows,
    pole_trade,
)

QUANTILES = (0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99)
SINCE = 2000
LARGE_USD = 1e9  # "large" cells: either side above US$1 bn
TOP = 8  # countries listed among those whose pole exports pass World


def load(db: Path | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The store's ``trade_flows`` and ``memberships``."""
    with nonaligned.open(db) as store:
        return query.trade_flows(store), query.memberships(store)


def pairs(flows: pd.DataFrame) -> pd.DataFrame:
    """``year, reporter_usd, importer_usd``: exports cells whose importer reports the reverse."""
    cells = beside_importer(flows)
    cells = cells[(cells.flow == "exports") & cells.importer_usd.notna()]
    cells = cells.rename(columns={"value_usd": "reporter_usd"})
    return cells[["year", "reporter_usd", "importer_usd"]]


def weighted_quantile(values: np.ndarray, weights: np.ndarray, q: float) -> float:
    """The smallest value below which at least ``q`` of the total weight lies."""
    order = np.argsort(values)
    cumulative = np.cumsum(weights[order]) / weights.sum()
    return float(values[order][np.searchsorted(cumulative, q)])


def distribution(both: pd.DataFrame, suffix: str) -> None:
    positive = both[(both.reporter_usd > 0) & (both.importer_usd > 0)]
    ratio = (positive.reporter_usd / positive.importer_usd).to_numpy()
    weights = positive.reporter_usd.to_numpy()
    print(f"pairs_{suffix}={len(both)}")
    print(f"pairs_value_bn_{suffix}={both.reporter_usd.sum() / 1e9:.1f}")
    print(f"pairs_both_positive_{suffix}={len(positive)}")
    print(f"pairs_one_zero_{suffix}={((both.reporter_usd > 0) != (both.importer_usd > 0)).sum()}")
    for q in QUANTILES:
        print(f"ratio_q{q * 100:g}_{suffix}={np.quantile(ratio, q):.3f}")
    for q in QUANTILES:
        weighted = weighted_quantile(ratio, weights, q)
        print(f"ratio_value_weighted_q{q * 100:g}_{suffix}={weighted:.3f}")


def large_pairs(both: pd.DataFrame) -> int:
    return int((np.fmax(both.reporter_usd, both.importer_usd) > LARGE_USD).sum())


def replaced(flows: pd.DataFrame, both: pd.DataFrame, factor: float, suffix: str) -> None:
    """Cells and value that ``partner_flows`` replaces at ``factor``, against ``both``."""
    plain = partner_flows(flows, mirror=False)
    checked = partner_flows(flows, mirror=False, importer_factor=factor)
    hit = checked.importer_replaced.to_numpy()
    name = f"{factor:g}_{suffix}"
    print(f"replaced_cells_f{name}={hit.sum()}")
    print(f"replaced_cells_pct_f{name}={100 * hit.sum() / len(both):.2f}")
    large = hit & (np.fmax(plain.value_usd, checked.value_usd) > LARGE_USD)
    print(f"replaced_cells_over_1bn_pct_f{name}={100 * large.sum() / large_pairs(both):.2f}")
    before = plain.value_usd[hit].sum()
    print(f"replaced_reporter_value_bn_f{name}={before / 1e9:.1f}")
    print(f"replaced_reporter_value_pct_f{name}={100 * before / both.reporter_usd.sum():.2f}")
    print(f"replaced_importer_value_bn_f{name}={checked.value_usd[hit].sum() / 1e9:.1f}")


def pole_consequences(flows: pd.DataFrame, memberships: pd.DataFrame) -> None:
    """Pole rows touched at the default factor, and country-years whose pole exports pass World.

    The World total stays the reporter's, so replaced cells can push the
    poles' combined exports above it.
    """
    for label, factor in (("off", None), ("default", IMPORTER_FACTOR)):
        table = pole_trade(flows, memberships, importer_factor=factor)
        poles = table[table.partner.isin(POLES)]
        summed = poles.groupby(["iso3", "year"]).exports_share.sum()
        print(f"pole_exports_share_over_1_country_years_{label}={(summed > 1 + 1e-9).sum()}")
        print(f"pole_exports_share_over_1.05_country_years_{label}={(summed > 1.05).sum()}")
    print(f"pole_country_years={len(summed)}")
    print(f"pole_rows_replaced_pct_default={100 * poles.importer_replaced.mean():.2f}")
    over = summed[summed > 1.05].reset_index()
    top = ",".join(f"{code}:{n}" for code, n in over.iso3.value_counts().head(TOP).items())
    print(f"pole_exports_share_over_1.05_top_countries={top}")
    world = table[table.partner == WORLD].set_index(["iso3", "year"]).exports_usd
    median = world.reindex(pd.MultiIndex.from_frame(over[["iso3", "year"]])).median()
    print(f"pole_exports_share_over_1.05_median_world_exports_bn={median / 1e9:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=None, help="store (default: the usual one)")
    parser.add_argument("--factors", type=float, nargs="+", default=[2, 3, 5, 10])
    args = parser.parse_args()
    flows, memberships = load(args.db)
    print(f"importer_factor_default={IMPORTER_FACTOR:g}")
    for suffix, subset in (("all", flows), (str(SINCE), flows[flows.year >= SINCE])):
        both = pairs(subset)
        distribution(both, suffix)
        print(f"pairs_over_1bn_{suffix}={large_pairs(both)}")
        for factor in args.factors:
            replaced(subset, both, factor, suffix)
    pole_consequences(flows, memberships)


if __name__ == "__main__":
    main()
